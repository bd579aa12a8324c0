// Shows a failed request: the server's message and its extensions.code. A
// FORBIDDEN refusal (the viewer's role does not allow it) is a plain
// explanation instead, without a code to report.
// With onRetry, the alert offers "Try again".
import { Alert, Button, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { toApiError } from '@/lib/graphql-client';

const titled = new Set(['BAD_USER_INPUT', 'NOT_FOUND', 'UNAUTHENTICATED', 'FORBIDDEN', 'NETWORK_ERROR', 'TIMEOUT', 'RATE_LIMITED']);

export interface ErrorAlertProps {
  error: unknown;
  title?: string;
  onRetry?: () => void;
}

export function ErrorAlert({ error, title, onRetry }: ErrorAlertProps) {
  const { t } = useTranslation();
  const apiError = toApiError(error);
  const forbidden = apiError.code === 'FORBIDDEN';
  return (
    <Alert
      color={forbidden ? 'yellow' : 'red'}
      variant="light"
      title={title ?? t(titled.has(apiError.code ?? '') ? `error.${apiError.code}` : 'error.default')}
    >
      {apiError.messages.map((message, i) => (
        <Text key={i} fz="sm">
          {message}
        </Text>
      ))}
      {apiError.code && !forbidden ? (
        <Text fz="xs" c="dimmed" mt={4}>
          {t('error.code', { code: apiError.code })}
        </Text>
      ) : null}
      {onRetry ? (
        <Button size="xs" variant="light" mt="xs" onClick={onRetry}>
          {t('error.retry')}
        </Button>
      ) : null}
    </Alert>
  );
}
