// The bar above (and below) a grid: record count, page size, First /
// Previous / page number / Next / Last.
import { Box, Button, Group, Loader, NativeSelect, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

export interface GridPagerProps {
  /** Records matching the query (connection totalCount); undefined while unknown. */
  totalCount: number | undefined;
  /** The number of the page on screen (1 = first). */
  pageNumber: number;
  pageSize: number;
  pageSizes: readonly number[];
  onPageSizeChange: (size: number) => void;
  hasPreviousPage: boolean;
  hasNextPage: boolean;
  onFirst?: () => void;
  onPrevious: () => void;
  onNext: () => void;
  onLast?: () => void;
  /** Disables the paging buttons (e.g. while a page loads). */
  disabled?: boolean;
  /** Shows a loader next to the page number (another page is on its way). */
  loading?: boolean;
  /** Names the pager's navigation landmark (two pagers on a screen need different names). */
  label?: string;
  /** Announces the record count to screen readers when it changes (one pager per screen). */
  announce?: boolean;
  /** Shown after the record count (e.g. "3 selected"). */
  children?: ReactNode;
}

export function GridPager({
  totalCount,
  pageNumber,
  pageSize,
  pageSizes,
  onPageSizeChange,
  hasPreviousPage,
  hasNextPage,
  onFirst,
  onPrevious,
  onNext,
  onLast,
  disabled = false,
  loading = false,
  label,
  announce = true,
  children,
}: GridPagerProps) {
  const { t } = useTranslation();
  const pageCount = totalCount === undefined ? undefined : Math.max(1, Math.ceil(totalCount / pageSize));
  return (
    <Box component="nav" aria-label={label ?? t('grid.pagination')}>
      <Group justify="space-between" gap="xs" wrap="wrap">
        <Group gap="sm">
          <Text fw={600} fz="sm" aria-live={announce ? 'polite' : undefined}>
            {totalCount === undefined ? '…' : t('grid.recordsFound', { count: totalCount })}
          </Text>
          {children}
        </Group>
        <Group gap={6} wrap="wrap">
          <NativeSelect
            aria-label={t('grid.pageSize')}
            size="xs"
            value={String(pageSize)}
            data={pageSizes.map((size) => ({ value: String(size), label: t('grid.perPage', { size }) }))}
            onChange={(event) => onPageSizeChange(Number(event.currentTarget.value))}
          />
          {onFirst ? (
            <Button size="xs" variant="default" onClick={onFirst} disabled={disabled || !hasPreviousPage}>
              {t('grid.first')}
            </Button>
          ) : null}
          <Button size="xs" variant="default" onClick={onPrevious} disabled={disabled || !hasPreviousPage}>
            {t('grid.previous')}
          </Button>
          <Group gap={4} wrap="nowrap" miw={96} justify="center">
            <Text fz="sm" c="gray.7" data-testid="page-number">
              {pageCount === undefined
                ? t('grid.page', { page: pageNumber })
                : t('grid.pageOf', { page: pageNumber, pages: pageCount })}
            </Text>
            {loading ? <Loader size={14} aria-label={t('grid.loading')} /> : null}
          </Group>
          <Button size="xs" variant="default" onClick={onNext} disabled={disabled || !hasNextPage}>
            {t('grid.next')}
          </Button>
          {onLast ? (
            <Button size="xs" variant="default" onClick={onLast} disabled={disabled || !hasNextPage}>
              {t('grid.last')}
            </Button>
          ) : null}
        </Group>
      </Group>
    </Box>
  );
}
