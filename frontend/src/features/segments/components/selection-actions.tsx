// The mass-action bar of the segments grid: selection commands and
// "View customers" of the selected segments, combined by union or intersection.
import { Button, Group, SegmentedControl, Text } from '@mantine/core';
import { useState } from 'react';
import type { SetMode } from '@/config/paths';
import { formatCount } from '@/lib/format';

export interface SelectionActionsProps {
  selectedCount: number;
  visibleCount: number;
  selectingAll: boolean;
  onSelectAll: () => void;
  onDeselectAll: () => void;
  onSelectVisible: () => void;
  onUnselectVisible: () => void;
  onViewCustomers: (mode: SetMode) => void;
}

export function SelectionActions({
  selectedCount,
  visibleCount,
  selectingAll,
  onSelectAll,
  onDeselectAll,
  onSelectVisible,
  onUnselectVisible,
  onViewCustomers,
}: SelectionActionsProps) {
  const [mode, setMode] = useState<SetMode>('union');
  return (
    <Group justify="space-between" gap="sm" wrap="wrap">
      <Group gap={4}>
        <Button size="xs" variant="subtle" onClick={onSelectAll} loading={selectingAll}>
          Select All
        </Button>
        <Button size="xs" variant="subtle" onClick={onDeselectAll} disabled={selectedCount === 0}>
          Deselect All
        </Button>
        <Button size="xs" variant="subtle" onClick={onSelectVisible} disabled={visibleCount === 0}>
          Select Visible
        </Button>
        <Button size="xs" variant="subtle" onClick={onUnselectVisible} disabled={visibleCount === 0}>
          Unselect Visible
        </Button>
        <Text fz="sm" c="dimmed" ml="xs" data-testid="selected-count">
          {formatCount(selectedCount)} selected
        </Text>
      </Group>
      <Group gap="xs">
        <SegmentedControl
          size="xs"
          aria-label="Combine selected segments"
          value={mode}
          onChange={(value) => setMode(value as SetMode)}
          data={[
            { value: 'union', label: 'Union' },
            { value: 'intersection', label: 'Intersection' },
          ]}
        />
        <Button size="xs" onClick={() => onViewCustomers(mode)} disabled={selectedCount === 0}>
          View customers
        </Button>
      </Group>
    </Group>
  );
}
