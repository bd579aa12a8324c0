// The pager of a grid that shows one page of a GraphQL connection: wires a
// useCursorPager to the connection's totalCount and pageInfo.
import type { ReactNode } from 'react';
import type { CursorPager } from '@/hooks/use-cursor-pager';
import { PAGE_SIZES } from '@/hooks/use-grid-search-params';
import type { PageInfo } from '@/lib/connection';
import { GridPager } from './grid-pager';

export interface ConnectionPagerProps {
  pager: CursorPager;
  /** The page on screen (selected with `pageInfo { ...PageInfoFields }`); undefined while loading. */
  connection: { totalCount: number; pageInfo: PageInfo } | undefined;
  onPageSizeChange: (size: number) => void;
  pageSizes?: readonly number[];
  /** True while a page loads: Previous and Next wait for it. */
  fetching: boolean;
  /** Shown after the record count. */
  children?: ReactNode;
}

export function ConnectionPager({
  pager,
  connection,
  onPageSizeChange,
  pageSizes = PAGE_SIZES,
  fetching,
  children,
}: ConnectionPagerProps) {
  const pageInfo = connection?.pageInfo;
  return (
    <GridPager
      totalCount={connection?.totalCount}
      pageIndex={pager.pageIndex}
      pageSize={pager.pageSize}
      pageSizes={pageSizes}
      onPageSizeChange={onPageSizeChange}
      hasPreviousPage={pageInfo?.hasPreviousPage ?? false}
      hasNextPage={pageInfo?.hasNextPage ?? false}
      onPrevious={() => pager.previous(pageInfo?.startCursor)}
      onNext={() => pager.next(pageInfo?.endCursor)}
      disabled={fetching}
    >
      {children}
    </GridPager>
  );
}
