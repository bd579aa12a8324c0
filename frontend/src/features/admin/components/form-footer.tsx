// The end of every admin form: a refusal that names no field, Cancel, and
// the submit button.
import { Alert, Button, Group } from '@mantine/core';
import { useTranslation } from 'react-i18next';

export interface FormFooterProps {
  error?: string;
  onCancel: () => void;
  submitLabel: string;
  submitting: boolean;
}

export function FormFooter({ error, onCancel, submitLabel, submitting }: FormFooterProps) {
  const { t } = useTranslation('admin');
  return (
    <>
      {error ? (
        <Alert color="red" role="alert">
          {error}
        </Alert>
      ) : null}
      <Group justify="flex-end">
        <Button variant="default" onClick={onCancel}>
          {t('cancel')}
        </Button>
        <Button type="submit" loading={submitting}>
          {submitLabel}
        </Button>
      </Group>
    </>
  );
}
