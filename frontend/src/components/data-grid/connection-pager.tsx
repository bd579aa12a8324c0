// The pager of a grid that shows one page of a GraphQL connection: wires a
// useCursorPager to the connection's totalCount and pageInfo.
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { CursorPager } from '@/hooks/use-cursor-pager';
import { PAGE_SIZES } from '@/hooks/use-grid-search-params';
import type { PageInfo } from '@/lib/connection';
import { GridPager } from './grid-pager';

export interface ConnectionPagerProps {
  pager: CursorPager;
  /**
   * The page on screen (selected with `pageInfo { ...PageInfoFields }`):
   * while another page loads, the previous one (keepPreviousData); undefined
   * before the first arrives.
   */
  connection: { totalCount: number; pageInfo: PageInfo } | undefined;
  onPageSizeChange: (size: number) => void;
  pageSizes?: readonly number[];
  /** True while a page loads: the paging buttons wait for it and a loader shows. */
  fetching: boolean;
  /**
   * True while the rows on screen are the previous page's (the query's
   * isPlaceholderData): the pager keeps showing that page's number.
   */
  placeholder?: boolean;
  /** Names the pager's landmark; "bottom" also stops it announcing the count twice. */
  position?: 'top' | 'bottom';
  label?: string;
  /** Shown after the record count. */
  children?: ReactNode;
}

/**
 * The number of the page a connection holds: the URL's, corrected at the
 * ends (no page before: 1; no page after: the last), since pages reached
 * backwards from the last one need not line up with pages counted from the first.
 */
export function pageNumberOf(pager: Pick<CursorPager, 'pageNumber' | 'pageSize'>, connection: ConnectionPagerProps['connection']): number {
  if (!connection) return pager.pageNumber;
  if (!connection.pageInfo.hasPreviousPage) return 1;
  if (!connection.pageInfo.hasNextPage) return Math.max(1, Math.ceil(connection.totalCount / pager.pageSize));
  return pager.pageNumber;
}

export function ConnectionPager({
  pager,
  connection,
  onPageSizeChange,
  pageSizes = PAGE_SIZES,
  fetching,
  placeholder = false,
  position = 'top',
  label,
  children,
}: ConnectionPagerProps) {
  const { t } = useTranslation();
  const pageInfo = connection?.pageInfo;
  // While the next page loads, the rows (and this pager) still show the old one.
  const settled = pageNumberOf(pager, connection);
  const [shown, setShown] = useState(settled);
  if (!placeholder && shown !== settled) setShown(settled);
  return (
    <GridPager
      totalCount={connection?.totalCount}
      pageNumber={placeholder ? shown : settled}
      pageSize={pager.pageSize}
      pageSizes={pageSizes}
      onPageSizeChange={onPageSizeChange}
      hasPreviousPage={pageInfo?.hasPreviousPage ?? false}
      hasNextPage={pageInfo?.hasNextPage ?? false}
      onFirst={() => pager.first()}
      onPrevious={() => pager.previous(pageInfo?.startCursor, settled)}
      onNext={() => pager.next(pageInfo?.endCursor, settled)}
      onLast={() => pager.last(connection?.totalCount)}
      disabled={fetching}
      loading={fetching && connection !== undefined}
      label={label ?? t(position === 'top' ? 'grid.paginationAbove' : 'grid.paginationBelow')}
      announce={position === 'top'}
    >
      {children}
    </GridPager>
  );
}
