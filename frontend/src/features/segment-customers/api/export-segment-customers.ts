// Export API: starts an export of the drill-down's customers
// (exportSegmentCustomers) and polls its job (exportJob) every second until it
// has SUCCEEDED (then `url` downloads the file) or FAILED (then `error`).
import { useMutation, useQuery } from '@tanstack/react-query';
import { graphql } from '@/gql';
import type { ExportInput, ExportJobFieldsFragment } from '@/gql/graphql';
import { ApiError, request } from '@/lib/graphql-client';
import { segmentCustomerKeys } from './query-keys';

graphql(`
  fragment ExportJobFields on ExportJob {
    id
    state
    format
    rowsWritten
    rowCount
    fileName
    url
    expiresAt
    error
  }
`);

const ExportSegmentCustomersMutation = graphql(`
  mutation ExportSegmentCustomers($input: ExportInput!) {
    exportSegmentCustomers(input: $input) {
      ...ExportJobFields
    }
  }
`);

const ExportJobQuery = graphql(`
  query ExportJob($id: ID!) {
    exportJob(id: $id) {
      ...ExportJobFields
    }
  }
`);

export type ExportJob = ExportJobFieldsFragment;

export const EXPORT_POLL_INTERVAL_MS = 1000;

export function isFinished(job: ExportJob | undefined): boolean {
  return job?.state === 'SUCCEEDED' || job?.state === 'FAILED';
}

/**
 * Runs one export at a time: `start(input)` asks the server for the file;
 * `job` is the latest state of the job (from the mutation, then from polling).
 */
export function useExportSegmentCustomers() {
  const start = useMutation({
    mutationFn: (input: ExportInput) => request(ExportSegmentCustomersMutation, { input }),
  });
  const started = start.data?.exportSegmentCustomers;

  const poll = useQuery({
    queryKey: segmentCustomerKeys.exportJob(started?.id),
    queryFn: async ({ signal }) => {
      const data = await request(ExportJobQuery, { id: started!.id }, signal);
      if (!data.exportJob) throw new ApiError([`Export job ${started!.id} no longer exists.`], 'NOT_FOUND');
      return data.exportJob;
    },
    enabled: started !== undefined && !isFinished(started),
    // The mutation's answer is the first state; ask again every second.
    initialData: started,
    staleTime: Infinity,
    gcTime: 0,
    refetchInterval: (query) => (isFinished(query.state.data) ? false : EXPORT_POLL_INTERVAL_MS),
  });

  const job = started ? (poll.data ?? started) : undefined;
  return {
    start: (input: ExportInput) => start.mutate(input),
    /** Starts the last export again (after a failure). */
    retry: () => {
      if (start.variables) start.mutate(start.variables);
    },
    job,
    running: start.isPending || (job !== undefined && !isFinished(job) && !poll.error),
    error: start.error ?? poll.error,
  };
}
