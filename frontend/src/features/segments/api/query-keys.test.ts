import { QueryClient } from '@tanstack/react-query';
import { describe, expect, it } from 'vitest';
import { segmentKeys } from './query-keys';

describe('segmentKeys', () => {
  it('invalidates every page of the grid through lists() and all, and nothing else', async () => {
    const client = new QueryClient();
    const page = segmentKeys.list({ first: 20, orderBy: { field: 'NAME', direction: 'ASC' } });
    client.setQueryData(page, 'page');
    client.setQueryData(['store', 'settings'], 'settings');

    await client.invalidateQueries({ queryKey: segmentKeys.lists() });
    expect(client.getQueryState(page)?.isInvalidated).toBe(true);
    expect(client.getQueryState(['store', 'settings'])?.isInvalidated).toBe(false);

    client.setQueryData(page, 'page again');
    await client.invalidateQueries({ queryKey: segmentKeys.all });
    expect(client.getQueryState(page)?.isInvalidated).toBe(true);
  });

  it('tells pages apart by their variables', () => {
    expect(segmentKeys.list({ first: 20 })).not.toEqual(segmentKeys.list({ first: 20, after: 'c' }));
  });
});
