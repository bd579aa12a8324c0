// The rule builder: nested groups ("If ALL/ANY of these conditions are
// TRUE/FALSE") of customer and order conditions, whose operator and value
// inputs fit the field: text, code pickers (countries named in the viewer's
// language, customer groups, websites), dates, numbers, BETWEEN ranges, order
// measures with "within N days" and statuses. A server error about one
// condition is shown in that condition's box.
import {
  Box,
  Button,
  CloseButton,
  Group,
  MultiSelect,
  NumberInput,
  Paper,
  Select,
  Stack,
  TagsInput,
  Text,
  TextInput,
} from '@mantine/core';
import { DatePickerInput } from '@mantine/dates';
import { memo, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { CustomerField, Match, Operator, OrderMeasure } from '@/gql/graphql';
import { countryOptions } from '@/lib/countries';
import {
  appendChild,
  arity,
  customerFields,
  customerOperators,
  fieldKind,
  fitValues,
  MAX_DEPTH,
  measureKind,
  newCustomerCondition,
  newGroup,
  newOrdersCondition,
  orderMeasures,
  orderOperators,
  removeNode,
  updateNode,
  withField,
  withMeasure,
  type GroupNode,
  type LeafNode,
  type OrdersNode,
  type RuleNode,
} from '../rule/model';

/** A code and its name, for the group and website pickers. */
export interface CodeOption {
  code: string;
  name: string;
}

/** The order statuses the store uses, offered as suggestions (others may be typed). */
export const knownOrderStatuses = ['canceled', 'closed', 'complete', 'pending', 'processing'];

export interface RuleBuilderProps {
  value: GroupNode;
  /** Gets the change as an update of the latest rule (a stable function keeps unchanged conditions from re-rendering). */
  onChange: (update: (rule: GroupNode) => GroupNode) => void;
  /** Server errors by node key. */
  errors?: Map<string, string[]>;
  groups: CodeOption[];
  websites: CodeOption[];
  /** ISO 4217 code of order amounts. */
  currency: string;
}

interface Shared extends Omit<RuleBuilderProps, 'value' | 'onChange'> {
  change: (update: (root: GroupNode) => GroupNode) => void;
}

export const RuleBuilder = memo(function RuleBuilder({ value, onChange, errors, groups, websites, currency }: RuleBuilderProps) {
  // Stable while only the rule changes, so conditions that did not change skip rendering.
  const shared = useMemo<Shared>(
    () => ({ change: onChange, errors, groups, websites, currency }),
    [onChange, errors, groups, websites, currency],
  );
  return <GroupEditor group={value} depth={1} label="" shared={shared} />;
});

function ErrorText({ messages }: { messages: string[] | undefined }) {
  if (!messages?.length) return null;
  return (
    <Box role="alert">
      {messages.map((message, i) => (
        <Text key={i} c="red.8" fz="sm">
          {message}
        </Text>
      ))}
    </Box>
  );
}

const GroupEditor = memo(function GroupEditor({ group, depth, label, shared }: { group: GroupNode; depth: number; label: string; shared: Shared }) {
  const { t } = useTranslation('segment-editor');
  const isRoot = depth === 1;
  const errors = shared.errors?.get(group.key);
  const set = (patch: Partial<GroupNode>) => shared.change((root) => updateNode(root, group.key, (n) => ({ ...n, ...patch }) as RuleNode));
  const add = (child: RuleNode) => shared.change((root) => appendChild(root, group.key, child));
  const name = isRoot ? t('builder.rootLabel') : t('builder.groupLabel', { n: label });

  return (
    <Paper
      withBorder
      p="sm"
      radius="sm"
      role="group"
      aria-label={name}
      bg={depth % 2 === 0 ? 'gray.0' : undefined}
      style={errors?.length ? { borderColor: 'var(--mantine-color-red-7)' } : undefined}
    >
      <Stack gap="xs">
        <Group gap="xs" wrap="wrap" justify="space-between">
          <Group gap="xs" wrap="wrap">
            {!isRoot ? (
              <Text fw={600} fz="sm">
                {label}.
              </Text>
            ) : null}
            <Text fz="sm">{t('builder.ifPrefix')}</Text>
            <Select
              aria-label={t('builder.match')}
              size="xs"
              w={110}
              allowDeselect={false}
              data={(['ALL', 'ANY'] as const).map((m) => ({ value: m, label: t(`builder.match${m}`) }))}
              value={group.match}
              onChange={(v) => v && set({ match: v as Match })}
            />
            <Text fz="sm">{t('builder.ofTheseConditionsAre')}</Text>
            <Select
              aria-label={t('builder.expect')}
              size="xs"
              w={110}
              allowDeselect={false}
              data={[
                { value: 'TRUE', label: t('builder.expectTRUE') },
                { value: 'FALSE', label: t('builder.expectFALSE') },
              ]}
              value={group.expect ? 'TRUE' : 'FALSE'}
              onChange={(v) => v && set({ expect: v === 'TRUE' })}
            />
          </Group>
          {!isRoot ? (
            <CloseButton aria-label={t('builder.removeGroup')} title={t('builder.removeGroup')} onClick={() => shared.change((root) => removeNode(root, group.key))} />
          ) : null}
        </Group>
        <ErrorText messages={errors} />

        {group.conditions.length === 0 ? (
          <Text fz="sm" c="gray.7">
            {t('builder.empty')}
          </Text>
        ) : (
          <Stack gap="xs" pl={isRoot ? 0 : 'md'}>
            {group.conditions.map((child, i) => {
              const childLabel = label ? `${label}.${i + 1}` : String(i + 1);
              return child.kind === 'group' ? (
                <GroupEditor key={child.key} group={child} depth={depth + 1} label={childLabel} shared={shared} />
              ) : (
                <ConditionEditor key={child.key} node={child} label={childLabel} shared={shared} />
              );
            })}
          </Stack>
        )}

        <Group gap="xs">
          <Button size="xs" variant="light" onClick={() => add(newCustomerCondition())}>
            {t('builder.addCustomer')}
          </Button>
          <Button size="xs" variant="light" onClick={() => add(newOrdersCondition())}>
            {t('builder.addOrders')}
          </Button>
          <Button size="xs" variant="light" disabled={depth >= MAX_DEPTH} onClick={() => add(newGroup())}>
            {t('builder.addGroup')}
          </Button>
          {depth >= MAX_DEPTH ? (
            <Text fz="xs" c="gray.7">
              {t('builder.maxDepth', { depth: MAX_DEPTH })}
            </Text>
          ) : null}
        </Group>
      </Stack>
    </Paper>
  );
});

const ConditionEditor = memo(function ConditionEditor({ node, label, shared }: { node: LeafNode; label: string; shared: Shared }) {
  const { t } = useTranslation('segment-editor');
  const errors = shared.errors?.get(node.key);
  const replace = (next: LeafNode) => shared.change((root) => updateNode(root, node.key, () => next));

  const subjects = useMemo(
    () => [
      { group: t('builder.kindCustomer'), items: customerFields.map((f) => ({ value: `customer:${f}`, label: t(`field.${f}`) })) },
      { group: t('builder.kindOrders'), items: orderMeasures.map((m) => ({ value: `orders:${m}`, label: t(`measure.${m}`) })) },
    ],
    [t],
  );
  const subject = node.kind === 'customer' ? `customer:${node.field}` : `orders:${node.measure}`;
  const changeSubject = (value: string | null) => {
    if (!value || value === subject) return;
    const [kind, name] = value.split(':') as ['customer' | 'orders', string];
    if (kind === 'customer') {
      replace(node.kind === 'customer' ? withField(node, name as CustomerField) : { ...newCustomerCondition(name as CustomerField), key: node.key });
    } else {
      replace(node.kind === 'orders' ? withMeasure(node, name as OrderMeasure) : { ...newOrdersCondition(name as OrderMeasure), key: node.key });
    }
  };

  const operators = node.kind === 'customer' ? customerOperators(node.field) : orderOperators();
  const dated = node.kind === 'customer' && fieldKind(node.field) === 'date';
  const changeOperator = (value: string | null) => {
    if (!value) return;
    const operator = value as Operator;
    replace({ ...node, operator, values: fitValues(node.values, operator) });
  };

  return (
    <Paper
      withBorder
      p="xs"
      radius="sm"
      role="group"
      aria-label={t('builder.conditionLabel', { n: label })}
      style={errors?.length ? { borderColor: 'var(--mantine-color-red-7)' } : undefined}
    >
      <Group gap="xs" align="flex-end" wrap="wrap">
        <Text fw={600} fz="sm" pb={6}>
          {label}.
        </Text>
        <Select
          label={node.kind === 'customer' ? t('builder.attribute') : t('builder.measure')}
          size="xs"
          w={200}
          allowDeselect={false}
          data={subjects}
          value={subject}
          onChange={changeSubject}
        />
        <Select
          label={t('builder.operator')}
          size="xs"
          w={170}
          allowDeselect={false}
          data={operators.map((op) => ({ value: op, label: t(dated ? `dateOperator.${op}` : `operator.${op}`) }))}
          value={node.operator}
          onChange={changeOperator}
        />
        <ValueInputs node={node} shared={shared} onChange={(values) => replace({ ...node, values })} />
        {node.kind === 'orders' ? <OrderScope node={node} onChange={replace} /> : null}
        <CloseButton
          ml="auto"
          aria-label={t('builder.removeCondition', { n: label })}
          title={t('builder.removeCondition', { n: label })}
          onClick={() => shared.change((root) => removeNode(root, node.key))}
        />
      </Group>
      <ErrorText messages={errors} />
    </Paper>
  );
});

/** Options of a code picker: countries, customer groups or websites. */
function useCodeOptions(node: LeafNode, shared: Shared) {
  const { i18n } = useTranslation();
  const field = node.kind === 'customer' ? node.field : null;
  return useMemo(() => {
    if (field === 'COUNTRY') return countryOptions();
    const source = field === 'GROUP' ? shared.groups : field === 'WEBSITE' ? shared.websites : [];
    // Rules name groups and websites by code, kept in lower case.
    return source.map((o) => ({ value: o.code.toLowerCase(), label: o.name }));
    // The country names follow the language.
  }, [field, shared.groups, shared.websites, i18n.language]);
}

function ValueInputs({ node, shared, onChange }: { node: LeafNode; shared: Shared; onChange: (values: string[]) => void }) {
  const { t } = useTranslation('segment-editor');
  const codeOptions = useCodeOptions(node, shared);
  const n = arity(node.operator);
  if (n === 0) return null;

  const kind = node.kind === 'customer' ? fieldKind(node.field) : 'number';
  const money = node.kind === 'orders' && measureKind(node.measure) === 'money';
  const setAt = (i: number, value: string) => onChange(node.values.map((v, j) => (j === i ? value : v)));
  const labels = n === 2 ? [t('builder.from'), t('builder.to')] : [t('builder.value')];

  if (kind === 'code') {
    if (n === 'list') {
      return (
        <MultiSelect
          label={t('builder.values')}
          size="xs"
          miw={220}
          searchable
          data={codeOptions}
          value={node.values}
          onChange={onChange}
        />
      );
    }
    return (
      <Select
        label={t('builder.value')}
        size="xs"
        w={220}
        searchable
        data={codeOptions}
        value={node.values[0] || null}
        onChange={(v) => onChange([v ?? ''])}
      />
    );
  }

  if (kind === 'text') {
    if (n === 'list') {
      return (
        <TagsInput
          label={t('builder.values')}
          description={t('builder.valuesHint')}
          size="xs"
          miw={220}
          value={node.values}
          onChange={onChange}
        />
      );
    }
    return <TextInput label={t('builder.value')} size="xs" w={220} value={node.values[0] ?? ''} onChange={(e) => setAt(0, e.currentTarget.value)} />;
  }

  if (kind === 'date') {
    return (
      <>
        {labels.map((label, i) => (
          <DatePickerInput
            key={label}
            label={label}
            placeholder={t('builder.pickDate')}
            size="xs"
            w={170}
            valueFormat="YYYY-MM-DD"
            value={node.values[i] || null}
            onChange={(v) => setAt(i, v ?? '')}
          />
        ))}
      </>
    );
  }

  return (
    <>
      {labels.map((label, i) => (
        <NumberInput
          key={label}
          label={money ? `${label} (${shared.currency})` : label}
          size="xs"
          w={money ? 150 : 110}
          allowDecimal={money}
          decimalScale={money ? 2 : undefined}
          allowNegative={false}
          value={node.values[i] ?? ''}
          onChange={(v) => setAt(i, v === '' ? '' : String(v))}
        />
      ))}
    </>
  );
}

function OrderScope({ node, onChange }: { node: OrdersNode; onChange: (node: OrdersNode) => void }) {
  const { t } = useTranslation('segment-editor');
  return (
    <>
      <NumberInput
        label={t('builder.withinDays')}
        placeholder={t('builder.withinDaysPlaceholder')}
        size="xs"
        w={170}
        min={1}
        max={36500}
        allowDecimal={false}
        allowNegative={false}
        value={node.withinDays ?? ''}
        onChange={(v) => onChange({ ...node, withinDays: v === '' ? null : Number(v) })}
      />
      <TagsInput
        label={t('builder.statuses')}
        placeholder={node.statuses.length ? undefined : t('builder.statusesPlaceholder')}
        size="xs"
        miw={200}
        data={knownOrderStatuses}
        value={node.statuses}
        onChange={(statuses) => onChange({ ...node, statuses })}
      />
    </>
  );
}
