// The selection commands of the segments grid: Select All (every segment
// matching the filters, on all pages), Deselect All, Select Visible,
// Unselect Visible, and how many are selected.
import { Button, Group, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';

export interface SelectionActionsProps {
  selectedCount: number;
  visibleCount: number;
  selectingAll: boolean;
  onSelectAll: () => void;
  onDeselectAll: () => void;
  onSelectVisible: () => void;
  onUnselectVisible: () => void;
}

export function SelectionActions({
  selectedCount,
  visibleCount,
  selectingAll,
  onSelectAll,
  onDeselectAll,
  onSelectVisible,
  onUnselectVisible,
}: SelectionActionsProps) {
  const { t } = useTranslation('segments');
  return (
    <Group gap={4} wrap="wrap" role="group" aria-label={t('selection.label')}>
      <Button size="compact-sm" variant="subtle" onClick={onSelectAll} loading={selectingAll}>
        {t('selection.selectAll')}
      </Button>
      <Button size="compact-sm" variant="subtle" onClick={onDeselectAll} disabled={selectedCount === 0}>
        {t('selection.deselectAll')}
      </Button>
      <Button size="compact-sm" variant="subtle" onClick={onSelectVisible} disabled={visibleCount === 0}>
        {t('selection.selectVisible')}
      </Button>
      <Button size="compact-sm" variant="subtle" onClick={onUnselectVisible} disabled={visibleCount === 0}>
        {t('selection.unselectVisible')}
      </Button>
      <Text fz="sm" fw={600} ml={4} data-testid="selected-count" aria-live="polite">
        {t('selection.selected', { count: selectedCount })}
      </Text>
    </Group>
  );
}
