// Component tests of the segment editor (/segments/new, /segments/:id/edit)
// against a fake /graphql: the rule builder's exact ConditionGroupInput, a
// saved rule read back and edited, the patch holding only what changed,
// server errors at their condition, and the debounced, cancelled preview.
import { screen, waitFor, within } from '@testing-library/react';
import type { UserEvent } from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { mockGraphQL } from '@/testing/mock-api';
import { renderRoute } from '@/testing/render';

const lists = {
  websites: [
    { id: '1', code: 'base', name: 'Main Website' },
    { id: '2', code: 'nordic', name: 'Nordic Store' },
  ],
  customerGroups: [
    { id: '1', code: 'general', name: 'General' },
    { id: '2', code: 'wholesale', name: 'Wholesale' },
  ],
  store: { timeZone: 'Europe/Stockholm', baseCurrency: 'SEK' },
};

/** A saved segment: ALL of country in (SE, NO) and ANY of (3+ orders in 365 days, group wholesale). */
const saved = {
  id: '7',
  name: 'Nordic buyers',
  description: 'Buyers in the north',
  status: 'ACTIVE',
  websites: [{ id: '2', code: 'nordic', name: 'Nordic Store' }],
  customerCount: 42,
  refreshedAt: '2026-11-29T10:00:00Z',
  membershipStale: false,
  conditions: {
    __typename: 'ConditionGroup',
    match: 'ALL',
    expect: true,
    conditions: [
      { __typename: 'CustomerCondition', field: 'COUNTRY', operator: 'IN', values: ['SE', 'NO'] },
      {
        __typename: 'ConditionGroup',
        match: 'ANY',
        expect: true,
        conditions: [
          {
            __typename: 'OrderCondition',
            measure: 'ORDER_COUNT',
            operator: 'GTE',
            values: ['3'],
            withinDays: 365,
            statuses: ['complete'],
          },
          { __typename: 'CustomerCondition', field: 'GROUP', operator: 'EQ', values: ['wholesale'] },
        ],
      },
    ],
  },
  refreshHistory: [],
};

/** The saved rule as the API takes it. */
const savedInput = {
  match: 'ALL',
  expect: true,
  conditions: [
    { customer: { field: 'COUNTRY', operator: 'IN', values: ['SE', 'NO'] } },
    {
      group: {
        match: 'ANY',
        expect: true,
        conditions: [
          { orders: { measure: 'ORDER_COUNT', operator: 'GTE', values: ['3'], withinDays: 365, statuses: ['complete'] } },
          { customer: { field: 'GROUP', operator: 'EQ', values: ['wholesale'] } },
        ],
      },
    },
  ],
};

function mockEditorApi(extra: Record<string, (variables: Record<string, unknown>) => unknown> = {}) {
  return mockGraphQL({
    EditorLists: () => ({ data: lists }),
    SegmentDetails: (v) => ({ data: { segment: v.id === '7' ? saved : null } }),
    PreviewSegmentCount: () => ({ data: { previewSegmentCount: 12 } }),
    CreateSegment: () => ({ data: { createSegment: { id: '99' } } }),
    UpdateSegment: (v) => ({ data: { updateSegment: { id: v.id } } }),
    ...extra,
  });
}

const group = (name: string) => screen.getByRole('group', { name });

/** The input labelled so (a picker's listbox shares its label). */
function input(container: HTMLElement, name: string | RegExp): HTMLInputElement {
  const found = within(container)
    .getAllByLabelText(name)
    .find((el) => el.tagName === 'INPUT' || el.tagName === 'TEXTAREA');
  if (!found) throw new Error(`no input labelled ${String(name)}`);
  return found as HTMLInputElement;
}

/** Waits for the form to load (slow on a busy machine), then the input. */
async function findInput(name: string | RegExp): Promise<HTMLInputElement> {
  await screen.findByRole('button', { name: 'Save segment' }, { timeout: 30_000 });
  return input(document.body, name);
}

/** Opens a picker and chooses an option of its own list (closed lists stay in the DOM). */
async function pick(user: UserEvent, input: HTMLElement, option: string) {
  await user.click(input);
  await waitFor(() => expect(input).toHaveAttribute('aria-controls'));
  const listbox = document.getElementById(input.getAttribute('aria-controls')!)!;
  await user.click(within(listbox).getByRole('option', { name: option }));
}

describe('segment editor', { timeout: 180_000 }, () => {
  it('builds a nested rule into the exact ConditionGroupInput and creates the segment', async () => {
    const api = mockEditorApi();
    const { user, location } = renderRoute('/segments/new');
    await user.type(await findInput(/^Name/), 'Swedish regulars');
    await pick(user, input(document.body, /^Websites/), 'Nordic Store');

    // Root: country is Sweden.
    await user.click(within(group('Rule')).getAllByRole('button', { name: 'Add customer condition' }).at(-1)!);
    await pick(user, input(group('Condition 1'), 'Value'), 'Sweden');

    // Group 2: ANY of (2+ orders in 365 days with status complete; customer group is one of Wholesale).
    await user.click(within(group('Rule')).getAllByRole('button', { name: 'Add group' }).at(-1)!);
    await pick(user, input(group('Condition group 2'), 'Match'), 'ANY');
    await user.click(within(group('Condition group 2')).getByRole('button', { name: 'Add order condition' }));
    await user.type(input(group('Condition 2.1'), 'Value'), '2');
    await user.type(input(group('Condition 2.1'), 'Within the last N days'), '365');
    await user.type(input(group('Condition 2.1'), 'Order statuses'), 'Complete{Enter}');
    await user.click(within(group('Condition group 2')).getByRole('button', { name: 'Add customer condition' }));
    await pick(user, input(group('Condition 2.2'), 'Attribute'), 'Customer group');
    await pick(user, input(group('Condition 2.2'), 'Operator'), 'is one of');
    await pick(user, input(group('Condition 2.2'), 'Values'), 'Wholesale');

    await user.click(screen.getByRole('button', { name: 'Save segment' }));
    await waitFor(() => expect(location()).toBe('/segments/99'), { timeout: 20_000 });
    expect(api.lastCallOf('CreateSegment')?.variables).toEqual({
      input: {
        name: 'Swedish regulars',
        status: 'ACTIVE',
        websiteIds: ['2'],
        conditions: {
          match: 'ALL',
          expect: true,
          conditions: [
            { customer: { field: 'COUNTRY', operator: 'EQ', values: ['SE'] } },
            {
              group: {
                match: 'ANY',
                expect: true,
                conditions: [
                  { orders: { measure: 'ORDER_COUNT', operator: 'GTE', values: ['2'], withinDays: 365, statuses: ['Complete'] } },
                  { customer: { field: 'GROUP', operator: 'IN', values: ['wholesale'] } },
                ],
              },
            },
          ],
        },
      },
    });
  });

  it('loads a saved rule, and saving an edit of it sends only the new rule', async () => {
    const api = mockEditorApi();
    const { user, location } = renderRoute('/segments/7/edit');
    await findInput(/^Name/);
    expect(screen.getByRole('heading', { level: 1, name: 'Edit segment Nordic buyers' })).toBeInTheDocument();
    // Read back: the pickers show the saved values by name.
    const pills = within(group('Condition 1'))
      .getAllByText(/./, { selector: '.mantine-Pill-label' })
      .map((pill) => pill.textContent);
    expect(pills).toEqual(['Sweden', 'Norway']);
    expect(input(group('Condition 2.1'), 'Within the last N days')).toHaveValue('365');
    expect(input(group('Condition 2.2'), 'Value')).toHaveValue('Wholesale');

    const within365 = input(group('Condition 2.1'), 'Within the last N days');
    await user.clear(within365);
    await user.type(within365, '180');
    await user.click(within(group('Condition 2.2')).getByRole('button', { name: 'Remove condition 2.2' }));
    await user.click(screen.getByRole('button', { name: 'Save segment' }));

    await waitFor(() => expect(location()).toBe('/segments/7'), { timeout: 20_000 });
    const expected = structuredClone(savedInput);
    const inner = expected.conditions[1]!.group!;
    inner.conditions = [{ orders: { ...inner.conditions[0]!.orders!, withinDays: 180 } }];
    expect(api.lastCallOf('UpdateSegment')?.variables).toEqual({ id: '7', input: { conditions: expected } });
  });

  it('renaming sends only the name (the rule is never touched)', async () => {
    const api = mockEditorApi();
    const { user, location } = renderRoute('/segments/7/edit');
    const name = await findInput(/^Name/);
    await user.clear(name);
    await user.type(name, 'Northern buyers');
    await user.click(screen.getByRole('button', { name: 'Save segment' }));
    await waitFor(() => expect(location()).toBe('/segments/7'), { timeout: 20_000 });
    expect(api.lastCallOf('UpdateSegment')?.variables).toEqual({ id: '7', input: { name: 'Northern buyers' } });
  });

  it('duplicates a segment as "Copy of" with the same rule and websites', async () => {
    const api = mockEditorApi();
    const { user, location } = renderRoute('/segments/new?from=7');
    expect(await findInput(/^Name/)).toHaveValue('Copy of Nordic buyers');
    await user.click(screen.getByRole('button', { name: 'Save segment' }));
    await waitFor(() => expect(location()).toBe('/segments/99'), { timeout: 20_000 });
    expect(api.lastCallOf('CreateSegment')?.variables).toEqual({
      input: {
        name: 'Copy of Nordic buyers',
        description: 'Buyers in the north',
        status: 'ACTIVE',
        websiteIds: ['2'],
        conditions: savedInput,
      },
    });
  });

  it('shows server errors at the field and the condition they concern', async () => {
    mockEditorApi({
      UpdateSegment: () => ({
        errors: [
          {
            message: 'conditions[1].conditions[1]: unknown customer group "wholesale"',
            extensions: { code: 'BAD_USER_INPUT', field: 'conditions', condition: 'conditions[1].conditions[1]' },
          },
          { message: 'name: at most 255 characters', extensions: { code: 'BAD_USER_INPUT', field: 'name' } },
        ],
      }),
    });
    const { user, location } = renderRoute('/segments/7/edit');
    await user.type(await findInput(/^Description/), '!');
    await user.click(screen.getByRole('button', { name: 'Save segment' }));

    const at = await within(group('Condition 2.2')).findByRole('alert');
    expect(at).toHaveTextContent('unknown customer group "wholesale"');
    expect(within(group('Condition 2.1')).queryByRole('alert')).toBeNull();
    expect(within(group('Condition 1')).queryByRole('alert')).toBeNull();
    const name = input(document.body, /^Name/);
    expect(name).toHaveAttribute('aria-invalid', 'true');
    expect(screen.getByText('name: at most 255 characters')).toBeInTheDocument();
    expect(location()).toBe('/segments/7/edit');
  });

  it('counts matching customers after a pause, cancelling a superseded count', async () => {
    const api = mockEditorApi({
      PreviewSegmentCount: (v) => {
        const within = (((v.conditions as typeof savedInput).conditions[1]!.group!.conditions[0] as { orders: { withinDays: number } }).orders.withinDays);
        return { data: { previewSegmentCount: within === 365 ? 1000 : 42 } };
      },
    });
    // The first count takes long; the second comes at once.
    const inner = globalThis.fetch;
    const signals: (AbortSignal | null | undefined)[] = [];
    const asked: (string | undefined)[] = [];
    vi.stubGlobal('fetch', async (input: RequestInfo | URL, init?: RequestInit) => {
      if (String(init?.body).includes('previewSegmentCount')) {
        signals.push(init?.signal);
        asked.push(/"withinDays":(\d+)/.exec(String(init?.body))?.[1]);
        if (signals.length === 1) {
          await new Promise((resolve, reject) => {
            const timer = setTimeout(resolve, 60_000);
            init?.signal?.addEventListener('abort', () => {
              clearTimeout(timer);
              reject(new DOMException('The operation was aborted.', 'AbortError'));
            });
          });
        }
      }
      return inner(input, init);
    });

    const { user } = renderRoute('/segments/7/edit');
    await findInput(/^Name/);
    const days = input(group('Condition 2.1'), 'Within the last N days');
    expect(await screen.findByText('counting…', {}, { timeout: 10_000 })).toBeInTheDocument();
    await waitFor(() => expect(signals).toHaveLength(1));

    // One change, 365 → 30.
    await user.tripleClick(days);
    await user.paste('30');
    expect(days).toHaveValue('30');
    await waitFor(
      () => {
        expect(screen.getByTestId('preview-count')).toHaveTextContent('42 customers');
        expect(screen.queryByText('counting…')).toBeNull();
      },
      { timeout: 20_000 },
    );
    // The superseded count was cancelled, not awaited.
    expect(signals[0]?.aborted).toBe(true);
    expect(asked).toEqual(['365', '30']);
    expect(api.callsOf('PreviewSegmentCount')).toHaveLength(1);
  });

  it('shows a preview error plainly and asks nothing while a condition is incomplete', async () => {
    const api = mockEditorApi({
      PreviewSegmentCount: () => ({ errors: [{ message: 'The request took too long.', extensions: { code: 'TIMEOUT' } }] }),
    });
    const { user } = renderRoute('/segments/7/edit');
    await findInput(/^Name/);
    expect(await screen.findByText('Could not count: The request took too long.', {}, { timeout: 10_000 })).toBeInTheDocument();

    await user.click(within(group('Rule')).getAllByRole('button', { name: 'Add customer condition' }).at(-1)!);
    expect(await screen.findByText('Fill in every condition and pick a website to see the count.')).toBeInTheDocument();
    await new Promise((r) => setTimeout(r, 600));
    expect(api.callsOf('PreviewSegmentCount')).toHaveLength(1);
  });
});
