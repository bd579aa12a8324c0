// The administration API: users, API tokens, the audit log (admins only).
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { graphql } from '@/gql';
import type { AuditFilter, CreateApiTokenInput, CreateUserInput, UpdateUserInput } from '@/gql/graphql';
import { request } from '@/lib/graphql-client';

const UsersQuery = graphql(`
  query AdminUsers($first: Int, $after: String) {
    users(first: $first, after: $after) {
      pageInfo {
        ...PageInfoFields
      }
      nodes {
        id
        email
        role
        websites {
          id
          name
        }
        disabled
        mustChangePassword
        createdAt
        createdBy
      }
    }
  }
`);

const WebsitesQuery = graphql(`
  query AdminWebsites {
    websites {
      id
      name
    }
  }
`);

const CreateUserMutation = graphql(`
  mutation AdminCreateUser($input: CreateUserInput!) {
    createUser(input: $input) {
      id
      email
    }
  }
`);

const UpdateUserMutation = graphql(`
  mutation AdminUpdateUser($id: ID!, $input: UpdateUserInput!) {
    updateUser(id: $id, input: $input) {
      id
      role
      disabled
    }
  }
`);

const TokensQuery = graphql(`
  query AdminApiTokens($includeRevoked: Boolean) {
    apiTokens(includeRevoked: $includeRevoked) {
      id
      name
      role
      websites {
        id
        name
      }
      createdAt
      lastUsedAt
      expiresAt
      revokedAt
      createdBy
    }
  }
`);

const CreateTokenMutation = graphql(`
  mutation AdminCreateApiToken($input: CreateApiTokenInput!) {
    createApiToken(input: $input) {
      token {
        id
        name
      }
      secret
    }
  }
`);

const RevokeTokenMutation = graphql(`
  mutation AdminRevokeApiToken($id: ID!) {
    revokeApiToken(id: $id) {
      id
      revokedAt
    }
  }
`);

const AuditEventsQuery = graphql(`
  query AdminAuditEvents($first: Int, $after: String, $filter: AuditFilter) {
    auditEvents(first: $first, after: $after, filter: $filter) {
      pageInfo {
        ...PageInfoFields
      }
      nodes {
        id
        at
        principal
        principalName
        action
        subjectIds
        details
        clientAddress
      }
    }
  }
`);

export const adminKeys = {
  all: ['admin'] as const,
  users: (page: { first: number; after?: string }) => ['admin', 'users', page] as const,
  websites: ['admin', 'websites'] as const,
  tokens: (includeRevoked: boolean) => ['admin', 'tokens', includeRevoked] as const,
  audit: (variables: { first: number; after?: string; filter: AuditFilter }) => ['admin', 'audit', variables] as const,
};

export function useUsers(page: { first: number; after?: string }) {
  return useQuery({
    queryKey: adminKeys.users(page),
    queryFn: ({ signal }) => request(UsersQuery, page, signal),
    select: (data) => data.users,
    placeholderData: keepPreviousData,
  });
}

export function useWebsites() {
  return useQuery({
    queryKey: adminKeys.websites,
    queryFn: ({ signal }) => request(WebsitesQuery, {}, signal),
    select: (data) => data.websites,
    staleTime: 5 * 60_000,
  });
}

/** After any change, every admin list is asked again (the audit log included). */
function useInvalidateAdmin() {
  const client = useQueryClient();
  return () => client.invalidateQueries({ queryKey: adminKeys.all });
}

export function useCreateUser() {
  const invalidate = useInvalidateAdmin();
  return useMutation({
    mutationFn: (input: CreateUserInput) => request(CreateUserMutation, { input }),
    onSuccess: invalidate,
  });
}

export function useUpdateUser() {
  const invalidate = useInvalidateAdmin();
  return useMutation({
    mutationFn: ({ id, input }: { id: string; input: UpdateUserInput }) => request(UpdateUserMutation, { id, input }),
    onSuccess: invalidate,
  });
}

export function useApiTokens(includeRevoked: boolean) {
  return useQuery({
    queryKey: adminKeys.tokens(includeRevoked),
    queryFn: ({ signal }) => request(TokensQuery, { includeRevoked }, signal),
    select: (data) => data.apiTokens,
    placeholderData: keepPreviousData,
  });
}

export function useCreateApiToken() {
  const invalidate = useInvalidateAdmin();
  return useMutation({
    mutationFn: (input: CreateApiTokenInput) => request(CreateTokenMutation, { input }),
    onSuccess: invalidate,
  });
}

export function useRevokeApiToken() {
  const invalidate = useInvalidateAdmin();
  return useMutation({
    mutationFn: (id: string) => request(RevokeTokenMutation, { id }),
    onSuccess: invalidate,
  });
}

export function useAuditEvents(variables: { first: number; after?: string; filter: AuditFilter }) {
  return useQuery({
    queryKey: adminKeys.audit(variables),
    queryFn: ({ signal }) => request(AuditEventsQuery, variables, signal),
    select: (data) => data.auditEvents,
    placeholderData: keepPreviousData,
  });
}
