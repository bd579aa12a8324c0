// The rule builder's model: a segment rule as an editable tree (every node
// has a stable key, so React keeps inputs and server errors attached to the
// right condition while others are added or removed), with conversions from
// the saved rule (Segment.conditions) and to the API's ConditionGroupInput.
// Which operators a field takes and how many values each operator takes
// follow schema.graphql (CustomerField, OrderMeasure, Operator).
import type {
  ConditionGroupInput,
  ConditionInput,
  CustomerField,
  Match,
  Operator,
  OrderMeasure,
} from '@/gql/graphql';

/** Groups nest at most this deep, the root counting as 1 (as the API allows). */
export const MAX_DEPTH = 5;

export interface GroupNode {
  kind: 'group';
  key: string;
  match: Match;
  expect: boolean;
  conditions: RuleNode[];
}

export interface CustomerNode {
  kind: 'customer';
  key: string;
  field: CustomerField;
  operator: Operator;
  /** As many as the operator takes: none, one, two (BETWEEN) or a list (IN, NOT_IN). */
  values: string[];
}

export interface OrdersNode {
  kind: 'orders';
  key: string;
  measure: OrderMeasure;
  operator: Operator;
  values: string[];
  /** Only orders of the last N days; null: every order. */
  withinDays: number | null;
  /** Only orders in these statuses; empty: every status. */
  statuses: string[];
}

export type LeafNode = CustomerNode | OrdersNode;
export type RuleNode = GroupNode | LeafNode;

/** What a customer field holds, which decides its operators and value input. */
export type FieldKind = 'text' | 'code' | 'date' | 'number';
/** What an order measure's values are: whole numbers or amounts. */
export type MeasureKind = 'count' | 'money';

export const customerFields: readonly CustomerField[] = [
  'EMAIL',
  'FIRST_NAME',
  'LAST_NAME',
  'PHONE',
  'ZIP',
  'CITY',
  'REGION',
  'COUNTRY',
  'GROUP',
  'WEBSITE',
  'CUSTOMER_SINCE',
  'DAYS_SINCE_SIGNUP',
];

export const orderMeasures: readonly OrderMeasure[] = [
  'ORDER_COUNT',
  'SALES_TOTAL',
  'AVERAGE_ORDER_VALUE',
  'DAYS_SINCE_LAST_ORDER',
];

export function fieldKind(field: CustomerField): FieldKind {
  switch (field) {
    case 'COUNTRY':
    case 'GROUP':
    case 'WEBSITE':
      return 'code';
    case 'CUSTOMER_SINCE':
      return 'date';
    case 'DAYS_SINCE_SIGNUP':
      return 'number';
    default:
      return 'text';
  }
}

export function measureKind(measure: OrderMeasure): MeasureKind {
  return measure === 'SALES_TOTAL' || measure === 'AVERAGE_ORDER_VALUE' ? 'money' : 'count';
}

const comparisons: readonly Operator[] = ['EQ', 'NEQ', 'GT', 'GTE', 'LT', 'LTE', 'BETWEEN'];

const operatorsByKind: Record<FieldKind, readonly Operator[]> = {
  text: ['EQ', 'NEQ', 'CONTAINS', 'NOT_CONTAINS', 'STARTS_WITH', 'IN', 'NOT_IN', 'IS_EMPTY', 'IS_NOT_EMPTY'],
  code: ['EQ', 'NEQ', 'IN', 'NOT_IN', 'IS_EMPTY', 'IS_NOT_EMPTY'],
  date: comparisons,
  number: comparisons,
};

/** The operators a customer field takes, in the order the builder offers them. */
export function customerOperators(field: CustomerField): readonly Operator[] {
  return operatorsByKind[fieldKind(field)];
}

/** The operators an order measure takes. */
export function orderOperators(): readonly Operator[] {
  return comparisons;
}

/** How many values an operator takes: 0, 1, 2 (BETWEEN) or 'list' (IN, NOT_IN: 1 or more). */
export function arity(operator: Operator): 0 | 1 | 2 | 'list' {
  switch (operator) {
    case 'IS_EMPTY':
    case 'IS_NOT_EMPTY':
      return 0;
    case 'BETWEEN':
      return 2;
    case 'IN':
    case 'NOT_IN':
      return 'list';
    default:
      return 1;
  }
}

/** The values kept when the operator changes: as many as it takes, from the old ones. */
export function fitValues(values: string[], operator: Operator): string[] {
  const n = arity(operator);
  if (n === 'list') return values.filter((v) => v !== '');
  return Array.from({ length: n }, (_, i) => values[i] ?? '');
}

let counter = 0;
/** A key no other node of this page has. */
export function newKey(): string {
  counter += 1;
  return `n${counter}`;
}

export function newGroup(match: Match = 'ALL', expect = true): GroupNode {
  return { kind: 'group', key: newKey(), match, expect, conditions: [] };
}

export function newCustomerCondition(field: CustomerField = 'COUNTRY'): CustomerNode {
  const operator = customerOperators(field)[0]!;
  return { kind: 'customer', key: newKey(), field, operator, values: fitValues([], operator) };
}

export function newOrdersCondition(measure: OrderMeasure = 'ORDER_COUNT'): OrdersNode {
  return { kind: 'orders', key: newKey(), measure, operator: 'GTE', values: [''], withinDays: null, statuses: [] };
}

/** A customer condition switched to another field: operator and values kept when they still fit. */
export function withField(node: CustomerNode, field: CustomerField): CustomerNode {
  const sameKind = fieldKind(field) === fieldKind(node.field);
  const operators = customerOperators(field);
  const operator = operators.includes(node.operator) ? node.operator : operators[0]!;
  return { ...node, field, operator, values: fitValues(sameKind ? node.values : [], operator) };
}

/** An order condition switched to another measure: values kept only between measures of one kind. */
export function withMeasure(node: OrdersNode, measure: OrderMeasure): OrdersNode {
  const sameKind = measureKind(measure) === measureKind(node.measure);
  return { ...node, measure, values: fitValues(sameKind ? node.values : [], node.operator) };
}

// ---- The saved rule (Segment.conditions, read with the RuleFields fragment)

/** A saved condition as the API returns it (the fields of the fragment). */
export type SavedCondition =
  | { __typename: 'ConditionGroup'; match: Match; expect: boolean; conditions?: readonly SavedCondition[] }
  | { __typename: 'CustomerCondition'; field: CustomerField; operator: Operator; values: readonly string[] }
  | {
      __typename: 'OrderCondition';
      measure: OrderMeasure;
      operator: Operator;
      values: readonly string[];
      withinDays?: number | null;
      statuses?: readonly string[] | null;
    };

export type SavedGroup = Extract<SavedCondition, { __typename: 'ConditionGroup' }>;

function fromSavedCondition(c: SavedCondition): RuleNode {
  switch (c.__typename) {
    case 'ConditionGroup':
      return fromSaved(c);
    case 'CustomerCondition':
      return { kind: 'customer', key: newKey(), field: c.field, operator: c.operator, values: [...c.values] };
    case 'OrderCondition':
      return {
        kind: 'orders',
        key: newKey(),
        measure: c.measure,
        operator: c.operator,
        values: [...c.values],
        withinDays: c.withinDays ?? null,
        statuses: [...(c.statuses ?? [])],
      };
  }
}

/** The editable tree of a saved rule. */
export function fromSaved(group: SavedGroup): GroupNode {
  return {
    kind: 'group',
    key: newKey(),
    match: group.match,
    expect: group.expect,
    conditions: (group.conditions ?? []).map(fromSavedCondition),
  };
}

// ---- To the API

function leafValues(node: LeafNode): string[] {
  // Text is compared as given (spaces matter to CONTAINS); codes, dates and
  // numbers are sent trimmed.
  const textual = node.kind === 'customer' && fieldKind(node.field) === 'text';
  const values = textual ? node.values : node.values.map((v) => v.trim());
  return arity(node.operator) === 'list' ? values.filter((v) => v !== '') : values;
}

function toConditionInput(node: RuleNode): ConditionInput {
  switch (node.kind) {
    case 'group':
      return { group: toInput(node) };
    case 'customer':
      return { customer: { field: node.field, operator: node.operator, values: leafValues(node) } };
    case 'orders':
      return {
        orders: {
          measure: node.measure,
          operator: node.operator,
          values: leafValues(node),
          ...(node.withinDays != null ? { withinDays: node.withinDays } : {}),
          ...(node.statuses.length > 0 ? { statuses: node.statuses } : {}),
        },
      };
  }
}

/** The API's ConditionGroupInput for an editable group. */
export function toInput(group: GroupNode): ConditionGroupInput {
  return { match: group.match, expect: group.expect, conditions: group.conditions.map(toConditionInput) };
}

/**
 * Whether every condition has the values its operator needs, so the rule is
 * worth sending for a preview count (the server checks the rest).
 */
export function isComplete(node: RuleNode): boolean {
  if (node.kind === 'group') return node.conditions.every(isComplete);
  const values = leafValues(node);
  const n = arity(node.operator);
  const filled = values.every((v) => v.trim() !== '');
  if (n === 'list') return values.length > 0 && filled;
  return values.length === n && filled;
}

// ---- Paths and immutable edits

/** Every node's path below the root, as the API names them ("conditions[1].conditions[0]"; root ""). */
export function pathsByKey(root: GroupNode): Map<string, string> {
  const out = new Map<string, string>([[root.key, '']]);
  const walk = (group: GroupNode, prefix: string) => {
    group.conditions.forEach((child, i) => {
      const path = `${prefix}conditions[${i}]`;
      out.set(child.key, path);
      if (child.kind === 'group') walk(child, `${path}.`);
    });
  };
  walk(root, '');
  return out;
}

/** The tree with the node of this key replaced by update(node). */
export function updateNode(root: GroupNode, key: string, update: (node: RuleNode) => RuleNode): GroupNode {
  const visit = (node: RuleNode): RuleNode => {
    if (node.key === key) return update(node);
    if (node.kind !== 'group') return node;
    const conditions = node.conditions.map(visit);
    return conditions.some((c, i) => c !== node.conditions[i]) ? { ...node, conditions } : node;
  };
  return visit(root) as GroupNode;
}

/** The tree without the node of this key. */
export function removeNode(root: GroupNode, key: string): GroupNode {
  const visit = (group: GroupNode): GroupNode => ({
    ...group,
    conditions: group.conditions
      .filter((c) => c.key !== key)
      .map((c) => (c.kind === 'group' ? visit(c) : c)),
  });
  return visit(root);
}

/** The tree with `child` appended to the group of this key. */
export function appendChild(root: GroupNode, groupKey: string, child: RuleNode): GroupNode {
  return updateNode(root, groupKey, (node) =>
    node.kind === 'group' ? { ...node, conditions: [...node.conditions, child] } : node,
  );
}
