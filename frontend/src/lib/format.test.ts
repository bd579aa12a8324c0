import { describe, expect, it } from 'vitest';
import { formatDateTime } from './format';

describe('formatDateTime', () => {
  it('formats in the given time zone as YYYY-MM-DD HH:mm:ss', () => {
    expect(formatDateTime('2025-03-01T09:30:00Z', 'UTC')).toBe('2025-03-01 09:30:00');
    expect(formatDateTime('2025-07-01T22:05:09Z', 'Europe/Stockholm')).toBe('2025-07-02 00:05:09');
    expect(formatDateTime('2025-01-01T03:00:00Z', 'America/New_York')).toBe('2024-12-31 22:00:00');
  });

  it('shows midnight as 00, not 24', () => {
    expect(formatDateTime('2025-03-01T00:00:00Z', 'UTC')).toBe('2025-03-01 00:00:00');
  });

  it('leaves empty and unparsable values alone', () => {
    expect(formatDateTime(null, 'UTC')).toBe('');
    expect(formatDateTime('not a time', 'UTC')).toBe('not a time');
  });
});
