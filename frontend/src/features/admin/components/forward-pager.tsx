// The shared grid pager over a connection that pages forwards only.
import { GridPager } from '@/components/data-grid';
import type { ForwardPager as Pager } from '../hooks/use-forward-pager';

export const ADMIN_PAGE_SIZES = [20, 50, 100, 200] as const;

export interface ForwardPagerProps {
  pager: Pager;
  pageInfo: { hasNextPage: boolean; endCursor?: string | null } | undefined;
  onPageSizeChange: (size: number) => void;
  fetching: boolean;
}

export function ForwardPager({ pager, pageInfo, onPageSizeChange, fetching }: ForwardPagerProps) {
  return (
    <GridPager
      totalCount={undefined}
      pageNumber={pager.pageIndex + 1}
      pageSize={pager.pageSize}
      pageSizes={ADMIN_PAGE_SIZES}
      onPageSizeChange={onPageSizeChange}
      hasPreviousPage={pager.hasPrevious}
      hasNextPage={pageInfo?.hasNextPage ?? false}
      onPrevious={pager.previous}
      onNext={() => pager.next(pageInfo?.endCursor)}
      disabled={fetching}
      loading={fetching}
    />
  );
}
