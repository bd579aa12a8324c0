// Short confirmations and failures of admin actions, as Mantine
// notifications whose close button is labelled in the app's language.
import { notifications } from '@mantine/notifications';
import { useTranslation } from 'react-i18next';

export function useNotify() {
  const { t } = useTranslation('admin');
  const show = (color: string, message: string) =>
    notifications.show({ color, message, closeButtonProps: { 'aria-label': t('close') } });
  return {
    done: (message: string) => show('green', message),
    failed: (message: string) => show('red', message),
  };
}
