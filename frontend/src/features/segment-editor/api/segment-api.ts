// The segment editor's and segment page's API: one segment with its whole
// rule (a fragment per level: GraphQL cannot select recursively, and groups
// nest at most 5 deep), the pickers' lists, the live preview count, create
// and update. Refresh, status and delete are the report's own mutations
// (features/segments/api/segment-actions), used by the segment page too.
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { graphql } from '@/gql';
import type { ConditionGroupInput, SegmentInput, SegmentPatch } from '@/gql/graphql';
import { request } from '@/lib/graphql-client';

graphql(`
  fragment EditorRuleLeaf on Condition {
    __typename
    ... on CustomerCondition {
      field
      operator
      values
    }
    ... on OrderCondition {
      measure
      operator
      values
      withinDays
      statuses
    }
  }
  fragment EditorRuleLevel5 on ConditionGroup {
    __typename
    match
    expect
    conditions {
      ...EditorRuleLeaf
    }
  }
  fragment EditorRuleLevel4 on ConditionGroup {
    __typename
    match
    expect
    conditions {
      ...EditorRuleLeaf
      ... on ConditionGroup {
        ...EditorRuleLevel5
      }
    }
  }
  fragment EditorRuleLevel3 on ConditionGroup {
    __typename
    match
    expect
    conditions {
      ...EditorRuleLeaf
      ... on ConditionGroup {
        ...EditorRuleLevel4
      }
    }
  }
  fragment EditorRuleLevel2 on ConditionGroup {
    __typename
    match
    expect
    conditions {
      ...EditorRuleLeaf
      ... on ConditionGroup {
        ...EditorRuleLevel3
      }
    }
  }
  fragment EditorRule on ConditionGroup {
    __typename
    match
    expect
    conditions {
      ...EditorRuleLeaf
      ... on ConditionGroup {
        ...EditorRuleLevel2
      }
    }
  }
`);

const SegmentDetailsQuery = graphql(`
  query SegmentDetails($id: ID!) {
    segment(id: $id) {
      id
      name
      description
      status
      websites {
        id
        code
        name
      }
      customerCount
      refreshedAt
      membershipStale
      conditions {
        ...EditorRule
      }
      refreshHistory(last: 30) {
        finishedAt
        customerCount
        added
        removed
      }
    }
  }
`);

const EditorListsQuery = graphql(`
  query EditorLists {
    websites {
      id
      code
      name
    }
    customerGroups {
      id
      code
      name
    }
    store {
      timeZone
      baseCurrency
    }
  }
`);

const PreviewSegmentCountQuery = graphql(`
  query PreviewSegmentCount($websiteIds: [ID!]!, $conditions: ConditionGroupInput!) {
    previewSegmentCount(websiteIds: $websiteIds, conditions: $conditions)
  }
`);

const CreateSegmentMutation = graphql(`
  mutation CreateSegment($input: SegmentInput!) {
    createSegment(input: $input) {
      id
    }
  }
`);

const UpdateSegmentMutation = graphql(`
  mutation UpdateSegment($id: ID!, $input: SegmentPatch!) {
    updateSegment(id: $id, input: $input) {
      id
    }
  }
`);

export const editorKeys = {
  all: ['segment-editor'] as const,
  segment: (id: string) => [...editorKeys.all, 'segment', id] as const,
  lists: () => [...editorKeys.all, 'lists'] as const,
  preview: (websiteIds: string[], conditions: ConditionGroupInput) =>
    [...editorKeys.all, 'preview', websiteIds, conditions] as const,
};

/** One segment with its rule and refresh history; null when no segment has the id. */
export function useSegmentDetails(id: string | undefined) {
  return useQuery({
    queryKey: editorKeys.segment(id ?? ''),
    queryFn: ({ signal }) => request(SegmentDetailsQuery, { id: id! }, signal),
    select: (data) => data.segment,
    enabled: id !== undefined,
  });
}

/** Websites, customer groups and store settings, for pickers and for the rule in words. */
export function useEditorLists() {
  return useQuery({
    queryKey: editorKeys.lists(),
    queryFn: ({ signal }) => request(EditorListsQuery, {}, signal),
    staleTime: 5 * 60_000,
  });
}

/**
 * Members the unsaved rule would have now. `input` null: nothing to count
 * yet. A new input supersedes the request under way: TanStack Query aborts
 * it (its signal goes to fetch) when no screen waits for its answer.
 */
export function usePreviewCount(input: { websiteIds: string[]; conditions: ConditionGroupInput } | null) {
  return useQuery({
    queryKey: input ? editorKeys.preview(input.websiteIds, input.conditions) : [...editorKeys.all, 'preview', 'none'],
    queryFn: ({ signal }) => request(PreviewSegmentCountQuery, input!, signal),
    select: (data) => data.previewSegmentCount,
    enabled: input !== null,
    placeholderData: keepPreviousData,
    staleTime: 0,
    retry: false,
  });
}

/** Everything cached about segments (the grid's pages included) is out of date. */
function useInvalidateSegments() {
  const client = useQueryClient();
  return () => Promise.all([client.invalidateQueries({ queryKey: editorKeys.all }), client.invalidateQueries({ queryKey: ['segments'] })]);
}

export function useCreateSegment() {
  const invalidate = useInvalidateSegments();
  return useMutation({
    mutationFn: (input: SegmentInput) => request(CreateSegmentMutation, { input }),
    onSuccess: () => invalidate(),
  });
}

export function useUpdateSegment() {
  const invalidate = useInvalidateSegments();
  return useMutation({
    mutationFn: ({ id, patch }: { id: string; patch: SegmentPatch }) => request(UpdateSegmentMutation, { id, input: patch }),
    onSuccess: () => invalidate(),
  });
}
