import { describe, expect, it } from 'vitest';
import {
  emptyFilters,
  endOfDay,
  hasFilters,
  parseDrillDown,
  readFilters,
  startOfDay,
  toCustomerFilter,
  writeFilters,
} from './route-params';

const search = (query: string) => new URLSearchParams(query);

describe('parseDrillDown', () => {
  it('reads ids, mode and exclusions', () => {
    expect(parseDrillDown('3,5', search('mode=intersection'))).toEqual({
      ids: ['3', '5'],
      mode: 'INTERSECTION',
      exclude: [],
      problem: null,
    });
    expect(parseDrillDown('7', search(''))).toEqual({ ids: ['7'], mode: 'UNION', exclude: [], problem: null });
    expect(parseDrillDown(' 3, 3 ,5,', search('mode=UNION&exclude=9,,8,9'))).toEqual({
      ids: ['3', '5'],
      mode: 'UNION',
      exclude: ['9', '8'],
      problem: null,
    });
  });

  it('explains a malformed address', () => {
    expect(parseDrillDown('', search('')).problem).toEqual({ key: 'address.noIds' });
    expect(parseDrillDown('3,x', search('')).problem).toEqual({ key: 'address.badId', values: { ids: 'x' } });
    expect(parseDrillDown('3', search('exclude=y')).problem).toEqual({ key: 'address.badId', values: { ids: 'y' } });
    expect(parseDrillDown('3', search('mode=both')).problem).toEqual({ key: 'address.badMode', values: { mode: 'both' } });
    expect(parseDrillDown('3,5', search('exclude=5')).problem).toEqual({
      key: 'address.includedAndExcluded',
      values: { ids: '5' },
    });
    const many = Array.from({ length: 101 }, (_, i) => String(i + 1)).join(',');
    expect(parseDrillDown(many, search('')).problem?.key).toBe('address.tooMany');
    expect(parseDrillDown('3', search('')).ids).toEqual(['3']);
  });
});

describe('filters in the address', () => {
  const filters = {
    name: 'Åsa',
    email: '@example.se',
    phone: '+46',
    zip: '114',
    region: 'Stockholm',
    groupId: '2',
    countryCode: 'SE',
    websiteId: '1',
    from: '2024-01-01',
    to: '2024-06-30',
  };

  it('round-trips every field and keeps the other parameters', () => {
    const written = writeFilters(search('mode=intersection&exclude=4&sort=NAME&dir=desc&size=50'), filters);
    const reread = new URLSearchParams(written.toString());
    expect(readFilters(reread)).toEqual(filters);
    expect(parseDrillDown('3,5', reread)).toMatchObject({ ids: ['3', '5'], mode: 'INTERSECTION', exclude: ['4'] });
    expect(reread.get('sort')).toBe('NAME');
    expect(reread.get('dir')).toBe('desc');
    expect(reread.get('size')).toBe('50');
    expect(reread.toString()).toContain('country=SE');
    expect(reread.toString()).toContain('group=2');
  });

  it('removes cleared fields from the address', () => {
    const written = writeFilters(search('name=x&country=SE&mode=union'), emptyFilters);
    expect(written.toString()).toBe('mode=union');
    expect(readFilters(written)).toEqual(emptyFilters);
    expect(hasFilters(emptyFilters)).toBe(false);
    expect(hasFilters({ ...emptyFilters, countryCode: 'SE' })).toBe(true);
  });

  it('ignores malformed values', () => {
    expect(readFilters(search('group=abc&country=Sweden&from=2024-13-45&to=yesterday&website=1 OR 1'))).toEqual(
      emptyFilters,
    );
    expect(readFilters(search('country=se')).countryCode).toBe('SE');
  });
});

describe('toCustomerFilter', () => {
  it('sends days as whole days in the store’s time zone', () => {
    // Stockholm is UTC+1 in January and UTC+2 in June (summer time).
    expect(startOfDay('2024-01-15', 'Europe/Stockholm')).toBe('2024-01-14T23:00:00.000Z');
    expect(endOfDay('2024-01-15', 'Europe/Stockholm')).toBe('2024-01-15T22:59:59.999Z');
    expect(endOfDay('2024-06-30', 'Europe/Stockholm')).toBe('2024-06-30T21:59:59.999Z');
    // The day summer time starts is 23 hours long.
    expect(startOfDay('2024-03-31', 'Europe/Stockholm')).toBe('2024-03-30T23:00:00.000Z');
    expect(endOfDay('2024-03-31', 'Europe/Stockholm')).toBe('2024-03-31T21:59:59.999Z');
    expect(startOfDay('2024-01-15', 'America/New_York')).toBe('2024-01-15T05:00:00.000Z');
  });

  it('builds the API filter, only what an analyst may use for an analyst', () => {
    const filters = { ...emptyFilters, name: 'Åsa', groupId: '2', countryCode: 'SE', from: '2024-01-15' };
    expect(toCustomerFilter(filters, 'Europe/Stockholm')).toEqual({
      name: 'Åsa',
      groupIds: ['2'],
      countryCodes: ['SE'],
      customerSinceFrom: '2024-01-14T23:00:00.000Z',
    });
    expect(toCustomerFilter(filters, 'Europe/Stockholm', false)).toEqual({ groupIds: ['2'], countryCodes: ['SE'] });
    expect(toCustomerFilter(emptyFilters, 'Europe/Stockholm')).toBeUndefined();
  });
});
