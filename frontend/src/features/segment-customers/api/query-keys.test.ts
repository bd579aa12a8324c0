import { QueryClient } from '@tanstack/react-query';
import { describe, expect, it } from 'vitest';
import { segmentCustomerKeys } from './query-keys';

describe('segmentCustomerKeys', () => {
  it('invalidates pages through pages() without touching the header or an export', async () => {
    const client = new QueryClient();
    const page = segmentCustomerKeys.page({ segmentIds: ['3', '5'], mode: 'UNION', first: 20 });
    const header = segmentCustomerKeys.segments(['3', '5']);
    const job = segmentCustomerKeys.exportJob('7');
    for (const key of [page, header, job]) client.setQueryData(key, 'data');

    await client.invalidateQueries({ queryKey: segmentCustomerKeys.pages() });
    expect(client.getQueryState(page)?.isInvalidated).toBe(true);
    expect(client.getQueryState(header)?.isInvalidated).toBe(false);
    expect(client.getQueryState(job)?.isInvalidated).toBe(false);

    await client.invalidateQueries({ queryKey: segmentCustomerKeys.all });
    expect(client.getQueryState(header)?.isInvalidated).toBe(true);
    expect(client.getQueryState(job)?.isInvalidated).toBe(true);
  });

  it('keeps the header’s segments in the address’s order', () => {
    expect(segmentCustomerKeys.segments(['5', '3'])).not.toEqual(segmentCustomerKeys.segments(['3', '5']));
  });
});
