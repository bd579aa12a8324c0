// Screen: the audit log (/admin/audit), newest first: who did what, when
// (in the store's time zone), filtered by action, principal and day, one
// page at a time.
import { Code, Group, MultiSelect, Stack, Table, TextInput, Title } from '@mantine/core';
import { DateInput } from '@mantine/dates';
import { useDebouncedValue } from '@mantine/hooks';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '@/components/error-alert';
import type { AuditFilter } from '@/gql/graphql';
import { formatDateTime } from '@/lib/format';
import { useStoreTimeZone } from '@/lib/store-settings';
import { useAuditEvents } from '../api/admin';
import { ForwardPager } from '../components/forward-pager';
import { useForwardPager } from '../hooks/use-forward-pager';
import { startOfDay } from '../utils/zoned-day';

/** The actions the server records (AuditEvent.action). */
export const AUDIT_ACTIONS = [
  'sign_in',
  'sign_in_failed',
  'sign_out',
  'user_created',
  'user_updated',
  'user_password_changed',
  'token_created',
  'token_revoked',
  'segment_created',
  'segment_updated',
  'segment_deleted',
  'segment_status_changed',
  'refresh_requested',
  'export_created',
  'export_downloaded',
] as const;

export function AuditPage() {
  const { t } = useTranslation('admin');
  const timeZone = useStoreTimeZone().data ?? 'UTC';
  const [actions, setActions] = useState<string[]>([]);
  const [principalInput, setPrincipalInput] = useState('');
  const [principal] = useDebouncedValue(principalInput.trim(), 400);
  const [fromDay, setFromDay] = useState<string | null>(null);
  const [toDay, setToDay] = useState<string | null>(null);
  const [pageSize, setPageSize] = useState(50);

  const filter: AuditFilter = {
    ...(actions.length ? { actions } : {}),
    ...(principal ? { principal } : {}),
    ...(fromDay ? { from: startOfDay(fromDay, timeZone) } : {}),
    // "To" includes that whole day.
    ...(toDay ? { to: startOfDay(toDay, timeZone, 1) } : {}),
  };
  const pager = useForwardPager(pageSize, [filter]);
  const events = useAuditEvents({ ...pager.variables, filter });
  const page = events.data;
  const actionLabel = (action: string) => t(`audit.actions.${action}`, { defaultValue: action });

  return (
    <Stack gap="md">
      <Title order={1}>{t('audit.title')}</Title>
      <Group gap="sm" align="flex-end" role="search" aria-label={t('audit.filters')}>
        <MultiSelect
          label={t('audit.action')}
          placeholder={actions.length ? undefined : t('audit.anyAction')}
          data={AUDIT_ACTIONS.map((a) => ({ value: a, label: actionLabel(a) }))}
          value={actions}
          onChange={setActions}
          clearable
          searchable
          miw={240}
        />
        <TextInput
          label={t('audit.principal')}
          description={t('audit.principalHint')}
          value={principalInput}
          onChange={(event) => setPrincipalInput(event.currentTarget.value)}
        />
        <DateInput label={t('audit.from')} value={fromDay} onChange={setFromDay} clearable valueFormat="YYYY-MM-DD" />
        <DateInput label={t('audit.to')} value={toDay} onChange={setToDay} clearable valueFormat="YYYY-MM-DD" />
      </Group>
      {events.error ? <ErrorAlert error={events.error} onRetry={() => void events.refetch()} /> : null}
      <ForwardPager pager={pager} pageInfo={page?.pageInfo} onPageSizeChange={setPageSize} fetching={events.isFetching} />
      <Table.ScrollContainer minWidth={900}>
        <Table striped withTableBorder data-testid="audit-table" style={{ opacity: events.isPlaceholderData ? 0.6 : 1 }}>
          <Table.Caption>{t('audit.timesIn', { timeZone })}</Table.Caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('audit.at')}</Table.Th>
              <Table.Th scope="col">{t('audit.who')}</Table.Th>
              <Table.Th scope="col">{t('audit.action')}</Table.Th>
              <Table.Th scope="col">{t('audit.subjects')}</Table.Th>
              <Table.Th scope="col">{t('audit.details')}</Table.Th>
              <Table.Th scope="col">{t('audit.clientAddress')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {events.isPending ? (
              <Table.Tr>
                <Table.Td colSpan={6}>{t('loading')}</Table.Td>
              </Table.Tr>
            ) : null}
            {page?.nodes.length === 0 ? (
              <Table.Tr>
                <Table.Td colSpan={6}>{t('audit.empty')}</Table.Td>
              </Table.Tr>
            ) : null}
            {page?.nodes.map((event) => (
              <Table.Tr key={event.id}>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(event.at, timeZone)}</Table.Td>
                <Table.Td>
                  {event.principalName || event.principal}
                  {event.principalName ? (
                    <Code ml={4} fz="xs">
                      {event.principal}
                    </Code>
                  ) : null}
                </Table.Td>
                <Table.Td>{actionLabel(event.action)}</Table.Td>
                <Table.Td>{event.subjectIds.join(', ')}</Table.Td>
                <Table.Td>
                  <Code fz="xs" style={{ wordBreak: 'break-all' }}>
                    {event.details}
                  </Code>
                </Table.Td>
                <Table.Td>{event.clientAddress}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Stack>
  );
}

export default AuditPage;
