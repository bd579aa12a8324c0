// The role and websites inputs shared by the user and token forms.
import { MultiSelect, Select } from '@mantine/core';
import type { UseFormReturnType } from '@mantine/form';
import { useTranslation } from 'react-i18next';
import { useWebsites } from '../api/admin';
import { ROLES } from '../utils/roles';

export interface RoleWebsitesValues {
  role: string;
  websiteIds: string[];
}

export function RoleWebsitesFields<T extends RoleWebsitesValues>({ form }: { form: UseFormReturnType<T> }) {
  const { t } = useTranslation('admin');
  const websites = useWebsites();
  return (
    <>
      <Select
        label={t('fields.role')}
        required
        allowDeselect={false}
        data={ROLES.map((role) => ({ value: role, label: t(`roles.${role}`) }))}
        key={form.key('role')}
        {...form.getInputProps('role')}
      />
      <MultiSelect
        label={t('fields.websites')}
        description={t('fields.websitesHint')}
        placeholder={form.getValues().websiteIds.length ? undefined : t('allWebsites')}
        data={(websites.data ?? []).map((w) => ({ value: w.id, label: w.name }))}
        searchable
        key={form.key('websiteIds')}
        {...form.getInputProps('websiteIds')}
      />
    </>
  );
}
