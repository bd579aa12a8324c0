// A rule in words: the tree of sentences the segment page shows ("Customers
// for whom ALL of these are true: country is Sweden or Norway; at least 3
// orders in the last 365 days"), in the viewer's language. Codes read as
// names (countries in the viewer's language, groups and websites by their
// store names), amounts in the store's currency, dates in the language's form.
import type { TFunction } from 'i18next';
import type { Operator } from '@/gql/graphql';
import { formatCountry } from '@/lib/format';
import { currentLanguage } from '@/lib/i18n';
import { arity, fieldKind, measureKind, type GroupNode, type LeafNode, type RuleNode } from './model';

/** One sentence of the rule; a group's sentence has its conditions below it. */
export interface WordsNode {
  text: string;
  children?: WordsNode[];
}

export interface WordsContext {
  t: TFunction;
  /** Customer group names by code (lower case). */
  groups?: Map<string, string>;
  /** Website names by code (lower case). */
  websites?: Map<string, string>;
  /** ISO 4217 code of order amounts. */
  currency?: string;
}

function list(values: string[], type: 'conjunction' | 'disjunction'): string {
  return new Intl.ListFormat(currentLanguage(), { style: 'long', type }).format(values);
}

function formatDay(value: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return value;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return new Intl.DateTimeFormat(currentLanguage(), { dateStyle: 'long', timeZone: 'UTC' }).format(date);
}

function formatNumber(value: string, currency?: string): string {
  const n = Number(value);
  if (value.trim() === '' || Number.isNaN(n)) return value;
  const options: Intl.NumberFormatOptions = currency ? { style: 'currency', currency } : {};
  try {
    return new Intl.NumberFormat(currentLanguage(), options).format(n);
  } catch {
    return new Intl.NumberFormat(currentLanguage()).format(n);
  }
}

/** One value as people read it. */
function showValue(leaf: LeafNode, value: string, ctx: WordsContext): string {
  if (leaf.kind === 'orders') return formatNumber(value, measureKind(leaf.measure) === 'money' ? ctx.currency : undefined);
  switch (leaf.field) {
    case 'COUNTRY':
      return formatCountry(value);
    case 'GROUP':
      return ctx.groups?.get(value.toLowerCase()) ?? value;
    case 'WEBSITE':
      return ctx.websites?.get(value.toLowerCase()) ?? value;
    case 'CUSTOMER_SINCE':
      return formatDay(value);
    case 'DAYS_SINCE_SIGNUP':
      return formatNumber(value);
    default:
      return `“${value}”`;
  }
}

/** "is Sweden", "is Sweden or Norway", "is between 1 and 5", "contains “ab”". */
function comparison(leaf: LeafNode, ctx: WordsContext): string {
  const { t } = ctx;
  const shown = leaf.values.map((v) => showValue(leaf, v, ctx));
  const op: Operator = leaf.operator;
  const dated = leaf.kind === 'customer' && fieldKind(leaf.field) === 'date';
  switch (arity(op)) {
    case 0:
      return t(`words.op.${op}`);
    case 2:
      return t('words.op.BETWEEN', { low: shown[0] ?? '', high: shown[1] ?? '' });
    case 'list':
      return t(`words.op.${op}`, { values: list(shown, op === 'IN' ? 'disjunction' : 'conjunction') });
    default:
      return t(dated ? `words.dateOp.${op}` : `words.op.${op}`, { value: shown[0] ?? '' });
  }
}

function leafWords(leaf: LeafNode, ctx: WordsContext): string {
  const { t } = ctx;
  if (leaf.kind === 'customer') {
    return t('words.customer', { field: t(`words.field.${leaf.field}`), comparison: comparison(leaf, ctx) });
  }
  let text: string;
  if (leaf.measure === 'ORDER_COUNT') {
    // "at least 3 orders", "between 2 and 5 orders": counts read best with the noun.
    const low = Number(leaf.values[0]);
    text =
      leaf.operator === 'BETWEEN'
        ? t('words.orderCount.BETWEEN', { low: formatNumber(leaf.values[0] ?? ''), high: formatNumber(leaf.values[1] ?? ''), count: Number(leaf.values[1]) })
        : t(`words.orderCount.${leaf.operator}`, { count: Number.isNaN(low) ? 0 : low, value: formatNumber(leaf.values[0] ?? '') });
  } else {
    text = t('words.customer', { field: t(`words.measure.${leaf.measure}`), comparison: comparison(leaf, ctx) });
  }
  if (leaf.withinDays != null) text += t('words.withinDays', { count: leaf.withinDays });
  if (leaf.statuses.length > 0) text += t('words.statuses', { statuses: list(leaf.statuses, 'disjunction'), count: leaf.statuses.length });
  return text;
}

function groupHead(group: GroupNode, ctx: WordsContext, root: boolean): string {
  const { t } = ctx;
  const which = `${group.match}_${group.expect ? 'TRUE' : 'FALSE'}`;
  if (group.conditions.length === 0) return t(root ? 'words.everyone' : 'words.emptyGroup');
  return t(root ? `words.root.${which}` : `words.group.${which}`);
}

function nodeWords(node: RuleNode, ctx: WordsContext, root = false): WordsNode {
  if (node.kind !== 'group') return { text: leafWords(node, ctx) };
  return { text: groupHead(node, ctx, root), children: node.conditions.map((c) => nodeWords(c, ctx)) };
}

/** The rule as a tree of sentences. */
export function ruleInWords(rule: GroupNode, ctx: WordsContext): WordsNode {
  return nodeWords(rule, ctx, true);
}

/** The tree as one line of text ("A: b; c"), for tests and plain-text use. */
export function wordsToText(node: WordsNode): string {
  if (!node.children || node.children.length === 0) return node.text;
  return `${node.text} ${node.children.map((c) => (c.children?.length ? `(${wordsToText(c)})` : wordsToText(c))).join('; ')}`;
}
