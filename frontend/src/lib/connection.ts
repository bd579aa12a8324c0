// What the SPA knows of a GraphQL connection (the API's cursor pages): the one
// page-info selection every query spreads, and reading a whole connection.
import { graphql } from '@/gql';
import type { PageInfoFieldsFragment } from '@/gql/graphql';

// Spread as `pageInfo { ...PageInfoFields }` in every query of a connection,
// so pagers and loops can take any of them.
graphql(`
  fragment PageInfoFields on PageInfo {
    hasNextPage
    hasPreviousPage
    startCursor
    endCursor
  }
`);

export type PageInfo = PageInfoFieldsFragment;

/** The largest page the API serves (`first` or `last`). */
export const MAX_PAGE_SIZE = 200;

/** One page of a connection, as a query selects it. */
export interface ConnectionPage<T> {
  pageInfo: PageInfo;
  nodes: T[];
}

/**
 * Every node of a connection, asking page after page from the first: one
 * request when the first page holds them all.
 */
export async function fetchAllNodes<T>(
  fetchPage: (after: string | undefined) => Promise<ConnectionPage<T>>,
): Promise<T[]> {
  const nodes: T[] = [];
  let after: string | undefined;
  for (;;) {
    const page = await fetchPage(after);
    nodes.push(...page.nodes);
    if (!page.pageInfo.hasNextPage || !page.pageInfo.endCursor) return nodes;
    after = page.pageInfo.endCursor;
  }
}
