// The bar above a grid: record count, page size, Previous / Next.
import { Button, Group, NativeSelect, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

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
  const { t } = useTranslation();
  const pageCount = totalCount === undefined ? undefined : Math.max(1, Math.ceil(totalCount / pageSize));
  return (
    <Group justify="space-between" gap="sm" wrap="wrap">
      <Group gap="sm">
        <Text fw={600} aria-live="polite">
          {totalCount === undefined ? '…' : t('grid.recordsFound', { count: totalCount })}
        </Text>
        {children}
      </Group>
      <Group gap="xs">
        <NativeSelect
          aria-label={t('grid.pageSize')}
          size="xs"
          value={String(pageSize)}
          data={pageSizes.map((size) => ({ value: String(size), label: t('grid.perPage', { size }) }))}
          onChange={(event) => onPageSizeChange(Number(event.currentTarget.value))}
        />
        <Button size="xs" variant="default" onClick={onPrevious} disabled={disabled || !hasPreviousPage}>
          {t('grid.previous')}
        </Button>
        <Text fz="sm" c="dimmed">
          {pageCount === undefined
            ? t('grid.page', { page: pageIndex + 1 })
            : t('grid.pageOf', { page: pageIndex + 1, pages: pageCount })}
        </Text>
        <Button size="xs" variant="default" onClick={onNext} disabled={disabled || !hasNextPage}>
          {t('grid.next')}
        </Button>
      </Group>
    </Group>
  );
}
