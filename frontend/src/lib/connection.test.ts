import { describe, expect, it } from 'vitest';
import { paginate } from '@/testing/paginate';
import { fetchAllNodes } from './connection';

const nodes = Array.from({ length: 5 }, (_, i) => ({ id: String(i + 1) }));

describe('fetchAllNodes', () => {
  it('asks once when the first page holds every node', async () => {
    const asked: (string | undefined)[] = [];
    const all = await fetchAllNodes(async (after) => {
      asked.push(after);
      return paginate(nodes, { first: 5, after });
    });
    expect(all.map((node) => node.id)).toEqual(['1', '2', '3', '4', '5']);
    expect(asked).toEqual([undefined]);
  });

  it('follows endCursor until the last page', async () => {
    const asked: (string | undefined)[] = [];
    const all = await fetchAllNodes(async (after) => {
      asked.push(after);
      return paginate(nodes, { first: 2, after });
    });
    expect(all.map((node) => node.id)).toEqual(['1', '2', '3', '4', '5']);
    expect(asked).toEqual([undefined, 'cursor:2', 'cursor:4']);
  });
});
