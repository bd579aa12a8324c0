// Notifications of the segment screens, with a labelled close button.
import { notifications, type NotificationData } from '@mantine/notifications';
import { i18next } from '@/lib/i18n';

export function notify(data: NotificationData) {
  notifications.show({ ...data, closeButtonProps: { 'aria-label': i18next.t('segment-editor:page.close') } });
}
