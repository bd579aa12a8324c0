// The fake /graphql server of the component tests: the only thing mocked is
// fetch. Each handler answers one operation (by operationName) from its
// variables; every request is recorded for assertions.
import { vi } from 'vitest';

export interface GraphQLCall {
  operationName: string;
  variables: Record<string, unknown>;
}

/** A handler returns `{ data }` or `{ errors }` (a GraphQL response body). */
export type Handler = (variables: Record<string, unknown>) => unknown;

export function mockGraphQL(handlers: Record<string, Handler>) {
  const calls: GraphQLCall[] = [];
  const fetchMock = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    if (new URL(url).pathname !== '/graphql') throw new TypeError(`unexpected fetch of ${url}`);
    const body = JSON.parse(String(init?.body)) as {
      query: string;
      operationName?: string;
      variables?: Record<string, unknown>;
    };
    const operationName = body.operationName ?? /(?:query|mutation)\s+(\w+)/.exec(body.query)?.[1] ?? '';
    const variables = body.variables ?? {};
    calls.push({ operationName, variables });
    const handler = handlers[operationName];
    if (!handler) throw new Error(`no mock for operation ${operationName}`);
    return new Response(JSON.stringify(handler(variables)), {
      status: 200,
      headers: { 'content-type': 'application/graphql-response+json' },
    });
  });
  vi.stubGlobal('fetch', fetchMock);
  return {
    calls,
    /** The recorded calls of one operation, oldest first. */
    callsOf: (operationName: string) => calls.filter((call) => call.operationName === operationName),
    lastCallOf: (operationName: string) => calls.filter((call) => call.operationName === operationName).at(-1),
  };
}

/** Builds a connection page the way the server does, for handlers. */
export function connection<T extends { id: string }>(
  nodes: T[],
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean },
  totalCount: number,
) {
  return {
    totalCount,
    pageInfo: {
      ...pageInfo,
      startCursor: nodes.length ? `cursor:${nodes[0]!.id}` : null,
      endCursor: nodes.length ? `cursor:${nodes.at(-1)!.id}` : null,
    },
    nodes,
    edges: nodes.map((node) => ({ cursor: `cursor:${node.id}`, node })),
  };
}
