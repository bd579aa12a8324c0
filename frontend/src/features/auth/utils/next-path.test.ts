import { describe, expect, it } from 'vitest';
import { isServerPage, safeNextPath, signInPath } from './next-path';
import { retryAfterSeconds } from '../api/session';
import { describeViewer } from './describe-viewer';

const origin = 'https://segments.example.com';

describe('safeNextPath', () => {
  it.each([
    ['/segments/3,5/customers?mode=intersection', '/segments/3,5/customers?mode=intersection'],
    ['/graphiql', '/graphiql'],
    ['/segments#top', '/segments#top'],
    ['/a/../segments', '/segments'],
  ])('follows the same-origin path %s', (raw, want) => {
    expect(safeNextPath(raw, origin)).toBe(want);
  });

  it.each([
    null,
    '',
    'segments',
    'https://evil.example/',
    'https://segments.example.com/segments',
    '//evil.example/x',
    '/\\evil.example/x',
    '/\t/evil.example/x',
    '/\n/evil.example/x',
    'javascript:alert(1)',
    ' /segments',
    '/sign-in?next=/segments',
  ])('goes to the report instead of %j', (raw) => {
    expect(safeNextPath(raw, origin)).toBe('/segments');
  });
});

describe('signInPath', () => {
  it('carries the destination, but not the report itself', () => {
    expect(signInPath('/segments/3/customers?mode=union')).toBe('/sign-in?next=%2Fsegments%2F3%2Fcustomers%3Fmode%3Dunion');
    expect(signInPath('/segments')).toBe('/sign-in');
    expect(signInPath('/')).toBe('/sign-in');
  });
});

describe('isServerPage', () => {
  it('knows GraphiQL is served by the server', () => {
    expect(isServerPage('/graphiql')).toBe(true);
    expect(isServerPage('/graphiql?query=x')).toBe(true);
    expect(isServerPage('/segments')).toBe(false);
  });
});

describe('retryAfterSeconds', () => {
  it('reads seconds or an HTTP date', () => {
    expect(retryAfterSeconds('30')).toBe(30);
    expect(retryAfterSeconds(new Date(90_000).toUTCString(), 60_000)).toBe(30);
    expect(retryAfterSeconds(null)).toBeUndefined();
    expect(retryAfterSeconds('soon')).toBeUndefined();
  });
});

describe('describeViewer', () => {
  it('names the role and the websites, or all websites', () => {
    const viewer = { kind: 'USER' as const, name: 'Ann', email: 'ann@example.com', role: 'ADMIN', websites: [] };
    expect(describeViewer(viewer)).toBe('Signed in as ann@example.com (Admin, all websites)');
    expect(
      describeViewer({ ...viewer, role: 'ANALYST', websites: [{ id: '2', code: 'nordic', name: 'Nordic Store' }] }),
    ).toBe('Signed in as ann@example.com (Analyst, websites: Nordic Store)');
    const every = [
      { id: '1', code: 'base', name: 'Main Website' },
      { id: '2', code: 'nordic', name: 'Nordic Store' },
    ];
    expect(describeViewer({ ...viewer, allWebsites: true, websites: every })).toBe(
      'Signed in as ann@example.com (Admin, all websites)',
    );
    expect(describeViewer({ ...viewer, allWebsites: false, websites: every.slice(1) })).toBe(
      'Signed in as ann@example.com (Admin, websites: Nordic Store)',
    );
  });
});
