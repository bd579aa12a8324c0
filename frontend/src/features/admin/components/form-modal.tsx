// Every admin form: a modal titled like the form, its fields, a refusal that
// names no field, Cancel and the submit button.
import { Alert, Button, Group, Modal, Stack } from '@mantine/core';
import type { FormEvent, ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

export interface FormModalProps {
  title: string;
  opened: boolean;
  onClose: () => void;
  onSubmit: (event?: FormEvent<HTMLFormElement>) => void;
  error?: string;
  submitLabel: string;
  submitting: boolean;
  children: ReactNode;
}

export function FormModal({ title, opened, onClose, onSubmit, error, submitLabel, submitting, children }: FormModalProps) {
  const { t } = useTranslation('admin');
  return (
    <Modal opened={opened} onClose={onClose} closeButtonProps={{ 'aria-label': t('close') }} title={title}>
      <form onSubmit={onSubmit} noValidate aria-label={title}>
        <Stack gap="sm">
          {children}
          {error ? (
            <Alert color="red" role="alert">
              {error}
            </Alert>
          ) : null}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('cancel')}
            </Button>
            <Button type="submit" loading={submitting}>
              {submitLabel}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
