// Client-side routes of the SPA, in one place so links and the router agree.

/** How several segments combine in the drill-down, as written in the URL. */
export type SetMode = 'union' | 'intersection';

export const paths = {
  home: '/',
  /** The sign-in page; ?next= names where to go afterwards (a path on this site). */
  signIn: '/sign-in',
  segments: '/segments',
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
  /** A segment's page (report part links to it; the editor part serves it). */
  segment: (id: string) => `/segments/${id}`,
  /** A new segment (the editor). */
  segmentNew: '/segments/new',
  /** The overlap of 2 to 10 segments (insights). */
  segmentOverlap: (ids: readonly string[]) => `/segments/overlap?ids=${ids.join(',')}`,
  /** Served by the Go server (a separate page, not a client route). */
  graphiql: '/graphiql',
} as const;
