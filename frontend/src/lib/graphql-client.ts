// The one GraphQL client of the SPA: every query and mutation goes through
// `request`, which POSTs to /graphql and turns GraphQL errors into ApiError.
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { ClientError, GraphQLClient } from 'graphql-request';

export const GRAPHQL_PATH = '/graphql';

/**
 * One error of a GraphQL answer. A rejected segment input names what it
 * concerns: `field` ("name", "websiteIds", "conditions") and, for one
 * condition, its `condition` path ("conditions[1].conditions[0]").
 */
export interface ApiErrorDetail {
  message: string;
  code?: string;
  field?: string;
  condition?: string;
}

/** A failed API call, with the server's message and `extensions.code`. */
export class ApiError extends Error {
  /** extensions.code of the first error: BAD_USER_INPUT, NOT_FOUND, INTERNAL, ... */
  readonly code: string | undefined;
  /** Every error message the server sent, in order. */
  readonly messages: string[];
  /** Every error the server sent, with what it concerns (empty when not a GraphQL error). */
  readonly details: ApiErrorDetail[];

  constructor(messages: string[], code?: string, details: ApiErrorDetail[] = []) {
    super(messages.join('\n'));
    this.name = 'ApiError';
    this.messages = messages;
    this.code = code;
    this.details = details;
  }
}

interface GraphQLErrorLike {
  message?: unknown;
  extensions?: { code?: unknown; field?: unknown; condition?: unknown };
}

const text = (value: unknown) => (typeof value === 'string' ? value : undefined);

/** Normalises anything a request can throw into an ApiError. */
export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof ClientError) {
    const errors = (error.response.errors ?? []) as GraphQLErrorLike[];
    // HTTP 401: no session (it expired, or the user was disabled or changed),
    // whatever the body says; the app then asks the user to sign in again.
    if (error.response.status === 401) {
      const messages = errors.map((e) => String(e.message ?? ''));
      return new ApiError(messages.length > 0 ? messages : ['Your session has ended; sign in again.'], 'UNAUTHENTICATED');
    }
    if (errors.length > 0) {
      const messages = errors.map((e) => String(e.message ?? 'Unknown error'));
      const details = errors.map((e) => ({
        message: String(e.message ?? 'Unknown error'),
        code: text(e.extensions?.code),
        field: text(e.extensions?.field),
        condition: text(e.extensions?.condition),
      }));
      return new ApiError(messages, details[0]?.code, details);
    }
    return new ApiError([`The server answered HTTP ${error.response.status}.`], 'HTTP_ERROR');
  }
  if (error instanceof TypeError) {
    // fetch rejects with a TypeError when the server cannot be reached.
    return new ApiError([`Cannot reach the server: ${error.message}`], 'NETWORK_ERROR');
  }
  if (error instanceof Error) return new ApiError([error.message]);
  return new ApiError([String(error)]);
}

// graphql-request needs an absolute URL; resolve /graphql against the page.
function endpoint(): string {
  return new URL(GRAPHQL_PATH, window.location.href).toString();
}

/**
 * Runs one typed operation (a document from `graphql()` in src/gql) and
 * returns its data, or throws an ApiError.
 */
export async function request<TResult, TVariables extends Record<string, unknown>>(
  document: TypedDocumentNode<TResult, TVariables>,
  variables: TVariables,
  signal?: AbortSignal,
): Promise<TResult> {
  const client = new GraphQLClient(endpoint(), {
    method: 'POST',
    // The server refuses cookie-authenticated requests that are not JSON
    // (a form post from another site could not send this header).
    headers: { 'Content-Type': 'application/json' },
    // The session cookie goes along, to this origin only.
    credentials: 'same-origin',
    // Looked up per call, so tests can stub the global fetch.
    fetch: (input, init) => globalThis.fetch(input, init),
  });
  try {
    return await client.request<TResult, Record<string, unknown>>({
      document: document as TypedDocumentNode<TResult, Record<string, unknown>>,
      variables,
      signal,
    });
  } catch (error) {
    if (signal?.aborted) throw error;
    throw toApiError(error);
  }
}
