import { describe, expect, it } from 'vitest';
import { parseDrillDown } from './route-params';

describe('parseDrillDown', () => {
  it('reads ids and mode', () => {
    expect(parseDrillDown('3,5', 'intersection')).toEqual({ ids: ['3', '5'], mode: 'INTERSECTION', problem: null });
    expect(parseDrillDown('7', null)).toEqual({ ids: ['7'], mode: 'UNION', problem: null });
    expect(parseDrillDown(' 3, 3 ,5,', 'UNION')).toEqual({ ids: ['3', '5'], mode: 'UNION', problem: null });
  });

  it('explains a malformed address', () => {
    expect(parseDrillDown('', null).problem).toBe('No segment ids in the address.');
    expect(parseDrillDown('3,x', null).problem).toBe('Not a segment id: x.');
    expect(parseDrillDown('3', 'both').problem).toBe('Unknown mode "both": use union or intersection.');
  });
});
