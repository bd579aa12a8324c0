// The rule in words, in English and Swedish, from a saved rule.
import { afterEach, describe, expect, it } from 'vitest';
import { i18next } from '@/lib/i18n';
import { fromSaved, type SavedGroup } from '../rule/model';
import { ruleInWords, wordsToText, type WordsContext } from '../rule/words';

const rule: SavedGroup = {
  __typename: 'ConditionGroup',
  match: 'ALL',
  expect: true,
  conditions: [
    { __typename: 'CustomerCondition', field: 'COUNTRY', operator: 'IN', values: ['SE', 'NO'] },
    { __typename: 'OrderCondition', measure: 'ORDER_COUNT', operator: 'GTE', values: ['3'], withinDays: 365, statuses: null },
    {
      __typename: 'ConditionGroup',
      match: 'ANY',
      expect: false,
      conditions: [
        { __typename: 'CustomerCondition', field: 'GROUP', operator: 'EQ', values: ['wholesale'] },
        { __typename: 'CustomerCondition', field: 'CUSTOMER_SINCE', operator: 'GTE', values: ['2024-03-01'] },
        {
          __typename: 'OrderCondition',
          measure: 'SALES_TOTAL',
          operator: 'BETWEEN',
          values: ['100', '2500.5'],
          withinDays: 30,
          statuses: ['complete', 'processing'],
        },
        { __typename: 'CustomerCondition', field: 'EMAIL', operator: 'CONTAINS', values: ['@example.'] },
        { __typename: 'CustomerCondition', field: 'PHONE', operator: 'IS_EMPTY', values: [] },
      ],
    },
  ],
};

function words(language: string) {
  void i18next.changeLanguage(language);
  const ctx: WordsContext = {
    t: i18next.getFixedT(language, 'segment-editor'),
    groups: new Map([['wholesale', 'Wholesale']]),
    websites: new Map(),
    currency: 'SEK',
  };
  return ruleInWords(fromSaved(rule), ctx);
}

afterEach(() => {
  void i18next.changeLanguage('en');
});

describe('rule in words', () => {
  it('reads a nested rule as sentences in English', () => {
    const tree = words('en');
    expect(tree.text).toBe('Customers for whom ALL of these are true:');
    expect(tree.children?.map((c) => c.text)).toEqual([
      'country is Sweden or Norway',
      'at least 3 orders in the last 365 days',
      'at least one of these is false:',
    ]);
    expect(tree.children?.[2]?.children?.map((c) => c.text)).toEqual([
      'customer group is Wholesale',
      'sign-up day is on or after March 1, 2024',
      'sales total is between SEK\u00a0100.00 and SEK\u00a02,500.50 in the last 30 days with status complete or processing',
      'email contains “@example.”',
      'phone is empty',
    ]);
    expect(wordsToText(tree)).toMatch(/^Customers for whom ALL of these are true: country is Sweden or Norway; at least 3 orders/);
  });

  it('reads it in Swedish', () => {
    const tree = words('sv');
    expect(tree.text).toBe('Kunder för vilka ALLT detta är sant:');
    expect(tree.children?.map((c) => c.text)).toEqual([
      'land är Sverige eller Norge',
      'minst 3 ordrar under de senaste 365 dagarna',
      'minst ett av detta är falskt:',
    ]);
    expect(tree.children?.[2]?.children?.[0]?.text).toBe('kundgrupp är Wholesale');
    expect(tree.children?.[2]?.children?.[1]?.text).toBe('registreringsdag är 1 mars 2024 eller senare');
  });

  it('says an empty rule selects every customer, and counts one order in the singular', () => {
    void i18next.changeLanguage('en');
    const t = i18next.getFixedT('en', 'segment-editor');
    expect(ruleInWords(fromSaved({ __typename: 'ConditionGroup', match: 'ALL', expect: true, conditions: [] }), { t }).text).toBe(
      "Every customer of the segment's websites",
    );
    const one = fromSaved({
      __typename: 'ConditionGroup',
      match: 'ALL',
      expect: true,
      conditions: [{ __typename: 'OrderCondition', measure: 'ORDER_COUNT', operator: 'EQ', values: ['1'], withinDays: 1, statuses: null }],
    });
    expect(ruleInWords(one, { t }).children?.[0]?.text).toBe('exactly 1 order in the last day');
  });
});
