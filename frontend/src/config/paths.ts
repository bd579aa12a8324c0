// Client-side routes of the SPA, in one place so links and the router agree.

/** How several segments combine in the drill-down, as written in the URL. */
export type SetMode = 'union' | 'intersection';

export const paths = {
  home: '/',
  /** The sign-in page; ?next= names where to go afterwards (a path on this site). */
  signIn: '/sign-in',
  segments: '/segments',
  /** A new segment; segmentDuplicate(id) starts it as a copy of another. */
  segmentNew: '/segments/new',
  segmentDuplicate: (id: string) => `/segments/new?from=${encodeURIComponent(id)}`,
  /** The segment page: details, rule in words, member-count history, actions. */
  segmentPattern: '/segments/:id',
  segment: (id: string) => `/segments/${encodeURIComponent(id)}`,
  segmentEditPattern: '/segments/:id/edit',
  segmentEdit: (id: string) => `/segments/${encodeURIComponent(id)}/edit`,
  /** Route pattern of the drill-down: ids comma-separated, e.g. /segments/3,5/customers. */
  segmentCustomersPattern: '/segments/:ids/customers',
  /** The drill-down; `exclude` leaves out the customers of those segments (a Venn region). */
  segmentCustomers(ids: readonly string[], mode: SetMode = 'union', exclude: readonly string[] = []): string {
    const path = `/segments/${ids.join(',')}/customers`;
    const search = [mode === 'union' ? '' : `mode=${mode}`, exclude.length > 0 ? `exclude=${exclude.join(',')}` : '']
      .filter(Boolean)
      .join('&');
    return search ? `${path}?${search}` : path;
  },
  /** The overlap view of 2 to 10 segments: /segments/overlap?ids=1,2,3. */
  segmentOverlapPattern: '/segments/overlap',
  segmentOverlap(ids: readonly string[]): string {
    return `/segments/overlap?ids=${ids.join(',')}`;
  },
  /** Administration (admins only): users, API tokens, the audit log. */
  adminUsers: '/admin/users',
  adminTokens: '/admin/tokens',
  adminAudit: '/admin/audit',
  /** Served by the Go server (a separate page, not a client route). */
  graphiql: '/graphiql',
} as const;
