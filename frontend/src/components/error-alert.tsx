// Shows a failed request: the server's message and its extensions.code. A
// FORBIDDEN refusal (the viewer's role does not allow it) is a plain
// explanation instead, without a code to report.
import { Alert, Text } from '@mantine/core';
import { toApiError } from '@/lib/graphql-client';

const titles: Record<string, string> = {
  BAD_USER_INPUT: 'Invalid request',
  NOT_FOUND: 'Not found',
  UNAUTHENTICATED: 'Sign-in required',
  FORBIDDEN: 'Not allowed',
  NETWORK_ERROR: 'Server unreachable',
};

export function ErrorAlert({ error, title }: { error: unknown; title?: string }) {
  const apiError = toApiError(error);
  const forbidden = apiError.code === 'FORBIDDEN';
  return (
    <Alert
      color={forbidden ? 'yellow' : 'red'}
      variant="light"
      title={title ?? titles[apiError.code ?? ''] ?? 'Request failed'}
    >
      {apiError.messages.map((message, i) => (
        <Text key={i} fz="sm">
          {message}
        </Text>
      ))}
      {apiError.code && !forbidden ? (
        <Text fz="xs" c="dimmed" mt={4}>
          Code: {apiError.code}
        </Text>
      ) : null}
    </Alert>
  );
}
