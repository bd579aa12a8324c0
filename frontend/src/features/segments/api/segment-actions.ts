// The report's actions: Refresh Segment Data (with its run's progress),
// activate/deactivate and delete — each one mutation of up to 1,000 ids.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { graphql } from '@/gql';
import type { RefreshJobFieldsFragment, SegmentStatus } from '@/gql/graphql';
import { request } from '@/lib/graphql-client';
import { segmentKeys } from './query-keys';

/** The most ids one mass mutation takes. */
export const MAX_MASS_IDS = 1000;

graphql(`
  fragment RefreshJobFields on RefreshJob {
    id
    state
    segmentsDone
    segmentsTotal
    error
    full
  }
`);

const RefreshSegmentDataMutation = graphql(`
  mutation RefreshSegmentData($segmentIds: [ID!], $full: Boolean) {
    refreshSegmentData(segmentIds: $segmentIds, full: $full) {
      ...RefreshJobFields
    }
  }
`);

const RefreshJobQuery = graphql(`
  query RefreshJob($id: ID!) {
    refreshJob(id: $id) {
      ...RefreshJobFields
    }
  }
`);

const SetSegmentStatusMutation = graphql(`
  mutation SetSegmentStatus($ids: [ID!]!, $status: SegmentStatus!) {
    setSegmentStatus(ids: $ids, status: $status) {
      id
      status
    }
  }
`);

const DeleteSegmentsMutation = graphql(`
  mutation DeleteSegments($ids: [ID!]!) {
    deleteSegments(ids: $ids)
  }
`);

export type RefreshJob = RefreshJobFieldsFragment;

export const isFinished = (job: RefreshJob | null | undefined) => job?.state === 'SUCCEEDED' || job?.state === 'FAILED';

/** What to refresh: these segments, or (null) every active segment; incremental unless full. */
export interface RefreshRequest {
  segmentIds: string[] | null;
  /** Re-evaluate every customer, not only those that can have changed. */
  full?: boolean;
}

/** Starts a refresh (see RefreshRequest). */
export function useRefreshSegmentData() {
  return useMutation({
    mutationFn: async ({ segmentIds, full = false }: RefreshRequest) =>
      (await request(RefreshSegmentDataMutation, { ...(segmentIds ? { segmentIds } : {}), ...(full ? { full } : {}) }))
        .refreshSegmentData,
  });
}

/** Polls a refresh run every second until it has finished. */
export function useRefreshJob(id: string | undefined, initial: RefreshJob | undefined) {
  return useQuery({
    queryKey: [...segmentKeys.all, 'refreshJob', id] as const,
    queryFn: async ({ signal }) => (await request(RefreshJobQuery, { id: id! }, signal)).refreshJob,
    enabled: id !== undefined && !isFinished(initial),
    initialData: initial,
    initialDataUpdatedAt: 0,
    refetchInterval: (query) => (isFinished(query.state.data) ? false : 1000),
  });
}

/** Activates or deactivates segments; the grid is asked again after. */
export function useSetSegmentStatus() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async ({ ids, status }: { ids: string[]; status: SegmentStatus }) =>
      (await request(SetSegmentStatusMutation, { ids, status })).setSegmentStatus,
    onSuccess: () => client.invalidateQueries({ queryKey: segmentKeys.all }),
  });
}

/** Deletes segments; the grid is asked again after. */
export function useDeleteSegments() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (ids: string[]) => (await request(DeleteSegmentsMutation, { ids })).deleteSegments,
    onSuccess: () => client.invalidateQueries({ queryKey: segmentKeys.all }),
  });
}
