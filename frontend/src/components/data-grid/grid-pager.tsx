// The bar above a grid: record count, page size, Previous / Next.
import { Button, Group, NativeSelect, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { formatCount } from '@/lib/format';

export interface GridPagerProps {
  /** Records matching the query (connection totalCount); undefined while unknown. */
  totalCount: number | undefined;
  pageIndex: number;
  pageSize: number;
  pageSizes: readonly number[];
  onPageSizeChange: (size: number) => void;
  hasPreviousPage: boolean;
  hasNextPage: boolean;
  onPrevious: () => void;
  onNext: () => void;
  /** Disables the paging buttons (e.g. while a page loads). */
  disabled?: boolean;
  /** Shown after the record count (e.g. "3 selected"). */
  children?: ReactNode;
}

export function GridPager({
  totalCount,
  pageIndex,
  pageSize,
  pageSizes,
  onPageSizeChange,
  hasPreviousPage,
  hasNextPage,
  onPrevious,
  onNext,
  disabled = false,
  children,
}: GridPagerProps) {
  const pageCount = totalCount === undefined ? undefined : Math.max(1, Math.ceil(totalCount / pageSize));
  return (
    <Group justify="space-between" gap="sm" wrap="wrap">
      <Group gap="sm">
        <Text fw={600} aria-live="polite">
          {totalCount === undefined
            ? '…'
            : `${formatCount(totalCount)} ${totalCount === 1 ? 'record' : 'records'} found`}
        </Text>
        {children}
      </Group>
      <Group gap="xs">
        <NativeSelect
          aria-label="Page size"
          size="xs"
          value={String(pageSize)}
          data={pageSizes.map((size) => ({ value: String(size), label: `${size} per page` }))}
          onChange={(event) => onPageSizeChange(Number(event.currentTarget.value))}
        />
        <Button size="xs" variant="default" onClick={onPrevious} disabled={disabled || !hasPreviousPage}>
          Previous
        </Button>
        <Text fz="sm" c="dimmed">
          Page {pageIndex + 1}
          {pageCount === undefined ? '' : ` of ${formatCount(pageCount)}`}
        </Text>
        <Button size="xs" variant="default" onClick={onNext} disabled={disabled || !hasNextPage}>
          Next
        </Button>
      </Group>
    </Group>
  );
}
