import { describe, expect, it } from 'vitest';
import { startOfDay } from './zoned-day';

describe('startOfDay', () => {
  it('is midnight in the store zone, across daylight-saving changes', () => {
    expect(startOfDay('2026-01-15', 'Europe/Stockholm')).toBe('2026-01-14T23:00:00.000Z');
    expect(startOfDay('2026-07-15', 'Europe/Stockholm')).toBe('2026-07-14T22:00:00.000Z');
    expect(startOfDay('2026-03-28', 'Europe/Stockholm', 1)).toBe('2026-03-28T23:00:00.000Z');
    expect(startOfDay('2026-03-29', 'Europe/Stockholm', 1)).toBe('2026-03-29T22:00:00.000Z');
    expect(startOfDay('2026-11-30', 'UTC')).toBe('2026-11-30T00:00:00.000Z');
  });
});
