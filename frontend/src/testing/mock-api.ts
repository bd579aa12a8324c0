// The fake server of the component tests: the only thing mocked is fetch.
// Each GraphQL handler answers one operation (by operationName) from its
// variables; /auth/* answers like the real session endpoints (signed in as
// `viewer` unless told otherwise). Every request is recorded for assertions.
import { vi } from 'vitest';
import type { Viewer } from '@/features/auth/api/session';

export interface GraphQLCall {
  operationName: string;
  variables: Record<string, unknown>;
}

/** One request to anything but /graphql, e.g. POST /auth/sign-in. */
export interface HttpCall {
  method: string;
  path: string;
  headers: Headers;
  credentials: RequestCredentials | undefined;
  body: unknown;
}

/**
 * A handler returns `{ data }` or `{ errors }` (a GraphQL response body,
 * sent with HTTP 200), or a whole Response (e.g. an HTTP 401).
 */
export type Handler = (variables: Record<string, unknown>) => unknown;

/** Answers one non-GraphQL request, keyed "METHOD /path". */
export type HttpHandler = (body: unknown, call: HttpCall) => Response | Promise<Response>;

/** The viewer of the tests unless one says otherwise: an editor of every website. */
export const testViewer: Viewer = {
  kind: 'USER',
  name: 'Erin Editor',
  email: 'erin@example.com',
  role: 'EDITOR',
  websites: [],
};

export interface MockOptions {
  /** Who GET /auth/session says is signed in; null: nobody. */
  viewer?: Viewer | null;
  /** Extra or replaced endpoints, e.g. { 'POST /auth/sign-in': ... }. */
  http?: Record<string, HttpHandler>;
}

/** A JSON response, as the server sends them. */
export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  });
}

export function mockGraphQL(handlers: Record<string, Handler>, options: MockOptions = {}) {
  const calls: GraphQLCall[] = [];
  const httpCalls: HttpCall[] = [];
  const graphqlRequests: RequestInit[] = [];
  // The server's side of the session: sign-out ends it.
  const session = { viewer: options.viewer === undefined ? testViewer : options.viewer };
  const http: Record<string, HttpHandler> = {
    'GET /auth/session': () =>
      session.viewer ? json({ viewer: session.viewer }) : json({ error: { code: 'UNAUTHENTICATED', message: 'Sign in first.' } }, 401),
    'POST /auth/sign-out': () => {
      session.viewer = null;
      return new Response(null, { status: 204 });
    },
    ...options.http,
  };

  const fetchMock = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const path = new URL(url).pathname;
    if (path !== '/graphql') {
      const method = (init?.method ?? 'GET').toUpperCase();
      const handler = http[`${method} ${path}`];
      if (!handler) throw new TypeError(`unexpected fetch of ${method} ${url}`);
      const call: HttpCall = {
        method,
        path,
        headers: new Headers(init?.headers),
        credentials: init?.credentials,
        body: typeof init?.body === 'string' && init.body ? JSON.parse(init.body) : undefined,
      };
      httpCalls.push(call);
      return handler(call.body, call);
    }
    graphqlRequests.push(init ?? {});
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
    const answer = await handler(variables);
    if (answer instanceof Response) return answer;
    return new Response(JSON.stringify(answer), {
      status: 200,
      headers: { 'content-type': 'application/graphql-response+json' },
    });
  });
  vi.stubGlobal('fetch', fetchMock);
  return {
    calls,
    /** Requests to anything but /graphql (the session endpoints), oldest first. */
    httpCalls,
    /** The fetch options of every /graphql request (headers, credentials), oldest first. */
    graphqlRequests,
    /** Ends or starts the session on the fake server. */
    setViewer: (viewer: Viewer | null) => {
      session.viewer = viewer;
    },
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
