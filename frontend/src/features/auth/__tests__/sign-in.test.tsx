// Component tests of signing in and out and of the session gate, against the
// fake server of src/testing (fetch is the only thing mocked).
import { screen, waitFor, within } from '@testing-library/react';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { json, mockGraphQL, testViewer, type HttpHandler } from '@/testing/mock-api';
import { paginate } from '@/testing/paginate';
import { renderRoute } from '@/testing/render';
import type { Viewer } from '../api/session';

const segments = [
  { id: '3', name: 'Big spenders', status: 'ACTIVE', customerCount: 120, websites: [{ id: '1', name: 'Main Website' }] },
  { id: '5', name: 'Nordic VIPs', status: 'ACTIVE', customerCount: 40, websites: [{ id: '2', name: 'Nordic Store' }] },
];

const scopedViewer: Viewer = {
  kind: 'USER',
  name: 'Vera Viewer',
  email: 'vera@example.com',
  role: 'VIEWER',
  websites: [
    { id: '1', code: 'base', name: 'Main Website' },
    { id: '2', code: 'nordic', name: 'Nordic Store' },
  ],
};

const segmentsGrid = (variables: Record<string, unknown>) => ({ data: { segments: paginate(segments, variables) } });

function mockApi(options: { viewer?: Viewer | null; signIn?: HttpHandler } = {}) {
  return mockGraphQL(
    { SegmentsGrid: segmentsGrid },
    {
      viewer: options.viewer === undefined ? null : options.viewer,
      http: options.signIn ? { 'POST /auth/sign-in': options.signIn } : {},
    },
  );
}

const reportHeading = () => screen.queryByRole('heading', { name: 'Customer Segments Report' });
const signInHeading = () => screen.findByRole('heading', { level: 1, name: 'Sign in to Segments' });
const message = () => screen.getByTestId('sign-in-message');

let assign: ReturnType<typeof vi.fn>;

beforeEach(() => {
  // window.location.assign cannot be spied on in jsdom; replace location.
  assign = vi.fn();
  vi.stubGlobal('location', Object.assign(new URL('http://localhost:3000/'), { assign }));
});

async function signIn(user: ReturnType<typeof renderRoute>['user'], email: string, password: string) {
  await user.type(screen.getByLabelText(/^Email/), email);
  await user.type(screen.getByLabelText(/^Password/), password);
  await user.click(screen.getByRole('button', { name: 'Sign in' }));
}

describe('the session gate', () => {
  it('shows neither the report nor the form while the session is being checked', async () => {
    let answer: (response: Response) => void = () => {};
    const api = mockGraphQL(
      { SegmentsGrid: segmentsGrid },
      { http: { 'GET /auth/session': () => new Promise<Response>((resolve) => (answer = resolve)) } },
    );
    renderRoute('/segments');

    expect(await screen.findByLabelText('Checking your session')).toBeInTheDocument();
    expect(reportHeading()).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Sign in' })).not.toBeInTheDocument();
    expect(api.calls).toEqual([]);

    answer(json({ viewer: testViewer }));
    expect(await screen.findByRole('heading', { name: 'Customer Segments Report' })).toBeInTheDocument();
  });

  it('sends a visitor who is not signed in to sign-in, remembering where they were going', async () => {
    const api = mockApi();
    const { location } = renderRoute('/segments/3/customers?mode=intersection');

    expect(await signInHeading()).toBeInTheDocument();
    expect(location()).toBe('/sign-in?next=%2Fsegments%2F3%2Fcustomers%3Fmode%3Dintersection');
    expect(reportHeading()).not.toBeInTheDocument();
    expect(api.calls).toEqual([]); // no GraphQL request at all
    expect(api.httpCalls.map((c) => `${c.method} ${c.path}`)).toEqual(['GET /auth/session']);
    expect(api.httpCalls[0]!.credentials).toBe('same-origin');
  });

  it('shows who is signed in, with role and websites', async () => {
    mockApi({ viewer: scopedViewer });
    renderRoute('/segments');
    expect(await screen.findByTestId('signed-in-as')).toHaveTextContent(
      'Signed in as vera@example.com (Viewer, websites: Main Website, Nordic Store)',
    );
  });

  it('says "all websites" for a viewer without a website scope', async () => {
    mockApi({ viewer: testViewer });
    renderRoute('/segments');
    expect(await screen.findByTestId('signed-in-as')).toHaveTextContent(
      'Signed in as erin@example.com (Editor, all websites)',
    );
  });

  it('sends GraphQL as JSON with the session cookie', async () => {
    const api = mockApi({ viewer: testViewer });
    renderRoute('/segments');
    await screen.findByText('Big spenders');
    const init = api.graphqlRequests[0]!;
    expect(init.method).toBe('POST');
    expect(new Headers(init.headers).get('content-type')).toBe('application/json');
    expect(init.credentials).toBe('same-origin');
  });
});

describe('the sign-in page', () => {
  it('is an accessible form with the focus on the email field', async () => {
    mockApi();
    renderRoute('/sign-in');
    expect(await signInHeading()).toBeInTheDocument();

    const email = screen.getByLabelText(/^Email/);
    const password = screen.getByLabelText(/^Password/);
    expect(email).toHaveAttribute('autocomplete', 'username');
    expect(email).toHaveAttribute('type', 'email');
    expect(password).toHaveAttribute('autocomplete', 'current-password');
    expect(password).toHaveAttribute('type', 'password');
    expect(email).toHaveFocus();
    expect(message()).toHaveAttribute('aria-live', 'assertive');
  });

  it('signs in with JSON and goes where the user was going', async () => {
    const api = mockApi({ signIn: () => json({ viewer: scopedViewer }) });
    const { user, location } = renderRoute('/sign-in?next=%2Fsegments%3Fsort%3DNAME');
    await signInHeading();

    await signIn(user, ' vera@example.com ', 'correct horse');

    expect(await screen.findByRole('heading', { name: 'Customer Segments Report' })).toBeInTheDocument();
    expect(location()).toBe('/segments?sort=NAME');
    const call = api.httpCalls.find((c) => c.path === '/auth/sign-in')!;
    expect(call.method).toBe('POST');
    expect(call.headers.get('content-type')).toBe('application/json');
    expect(call.credentials).toBe('same-origin');
    expect(call.body).toEqual({ email: 'vera@example.com', password: 'correct horse' });
    expect(screen.getByTestId('signed-in-as')).toHaveTextContent('Signed in as vera@example.com');
    // The session came with the sign-in answer: not asked again.
    expect(api.httpCalls.filter((c) => c.path === '/auth/session')).toHaveLength(1);
  });

  it('says "Wrong email or password." on 401 and clears the password', async () => {
    mockApi({
      signIn: () => json({ error: { code: 'UNAUTHENTICATED', message: 'Wrong email or password.' } }, 401),
    });
    const { user, location } = renderRoute('/sign-in');
    await signInHeading();

    await signIn(user, 'vera@example.com', 'wrong');

    await waitFor(() => expect(message()).toHaveTextContent('Wrong email or password.'));
    expect(screen.getByLabelText(/^Password/)).toHaveValue('');
    expect(screen.getByLabelText(/^Password/)).toHaveFocus();
    expect(location()).toBe('/sign-in');
    expect(reportHeading()).not.toBeInTheDocument();
  });

  it('shows the server\'s reason for another refusal', async () => {
    mockApi({
      signIn: () => json({ error: { code: 'FORBIDDEN', message: 'sign-in from this origin is not allowed' } }, 403),
    });
    const { user } = renderRoute('/sign-in');
    await signInHeading();

    await signIn(user, 'vera@example.com', 'secret');

    await waitFor(() => expect(message()).toHaveTextContent('Cannot sign in: sign-in from this origin is not allowed.'));
  });

  it('says how long to wait on 429, from Retry-After', async () => {
    mockApi({
      signIn: () => json({ error: { code: 'RATE_LIMITED', message: 'Too many attempts.' } }, 429, { 'Retry-After': '42' }),
    });
    const { user } = renderRoute('/sign-in');
    await signInHeading();

    await signIn(user, 'vera@example.com', 'again');

    await waitFor(() => expect(message()).toHaveTextContent('Too many attempts; try again in 42 seconds.'));
  });

  it.each([
    ['an absolute URL', 'https://evil.example/segments'],
    ['a protocol-relative URL', '//evil.example/segments'],
    ['a backslash URL', '/\\evil.example/segments'],
    ['a javascript: URL', 'javascript:alert(1)'],
  ])('never follows %s in ?next=', async (_, next) => {
    mockApi({ signIn: () => json({ viewer: testViewer }) });
    const { user, location } = renderRoute(`/sign-in?next=${encodeURIComponent(next)}`);
    await signInHeading();

    await signIn(user, 'erin@example.com', 'secret');

    expect(await screen.findByRole('heading', { name: 'Customer Segments Report' })).toBeInTheDocument();
    expect(location()).toBe('/segments');
    expect(assign).not.toHaveBeenCalled();
  });

  it('opens GraphiQL, a server page, with a full page load', async () => {
    mockApi({ signIn: () => json({ viewer: testViewer }) });
    const { user } = renderRoute('/sign-in?next=%2Fgraphiql');
    await signInHeading();

    await signIn(user, 'erin@example.com', 'secret');

    await waitFor(() => expect(assign).toHaveBeenCalledWith('/graphiql'));
    expect(assign).toHaveBeenCalledTimes(1);
  });

  it('follows the server\'s redirect of GraphiQL (/?next=/graphiql) through sign-in and back', async () => {
    mockApi({ signIn: () => json({ viewer: testViewer }) });
    const { user, location } = renderRoute('/?next=%2Fgraphiql');
    await signInHeading();
    expect(location()).toBe('/sign-in?next=%2Fgraphiql');

    await signIn(user, 'erin@example.com', 'secret');

    await waitFor(() => expect(assign).toHaveBeenCalledWith('/graphiql'));
  });

  it('sends a signed-in visitor of /?next=/graphiql to GraphiQL', async () => {
    mockApi({ viewer: testViewer });
    renderRoute('/?next=%2Fgraphiql');
    await waitFor(() => expect(assign).toHaveBeenCalledWith('/graphiql'));
  });

  it('sends a visitor who is already signed in on at once', async () => {
    mockApi({ viewer: testViewer });
    const { location } = renderRoute('/sign-in?next=%2Fsegments%2F3%2Fcustomers');
    await waitFor(() => expect(location()).toBe('/segments/3/customers'));
  });
});

describe('signing out and ended sessions', () => {
  it('signs out: the report and every cached answer are gone, and going back does not show them', async () => {
    const api = mockApi({ viewer: testViewer });
    const { user, location, router, queryClient } = renderRoute('/segments');
    await screen.findByText('Big spenders');
    await user.click(screen.getByRole('button', { name: 'Sign out' }));

    expect(await signInHeading()).toBeInTheDocument();
    expect(location()).toBe('/sign-in');
    expect(api.httpCalls.at(-1)).toMatchObject({ method: 'POST', path: '/auth/sign-out' });
    expect(api.httpCalls.at(-1)!.headers.get('content-type')).toBe('application/json');
    expect(screen.queryByText('Big spenders')).not.toBeInTheDocument();
    // Nothing but "nobody is signed in" stays in memory.
    expect(queryClient.getQueryCache().getAll().map((q) => q.queryKey)).toEqual([['auth', 'session']]);
    expect(queryClient.getQueryData(['auth', 'session'])).toBeNull();

    await router.navigate(-1);
    expect(await signInHeading()).toBeInTheDocument();
    expect(screen.queryByText('Big spenders')).not.toBeInTheDocument();
    expect(reportHeading()).not.toBeInTheDocument();
  });

  it('goes to sign-in when a GraphQL request finds the session ended (HTTP 401)', async () => {
    const api = mockGraphQL({
      SegmentsGrid: () =>
        json({ errors: [{ message: 'Sign in first.', extensions: { code: 'UNAUTHENTICATED' } }] }, 401),
    });
    const { location, queryClient } = renderRoute('/segments?sort=NAME');

    expect(await signInHeading()).toBeInTheDocument();
    expect(location()).toBe('/sign-in?next=%2Fsegments%3Fsort%3DNAME');
    expect(api.callsOf('SegmentsGrid')).toHaveLength(1);
    expect(queryClient.getQueryCache().getAll().map((q) => q.queryKey)).toEqual([['auth', 'session']]);
  });

  it('shows a FORBIDDEN refusal as a plain message and stays signed in', async () => {
    mockGraphQL({
      SegmentsGrid: () => ({
        errors: [{ message: 'segments needs the ANALYST role', extensions: { code: 'FORBIDDEN' } }],
      }),
    });
    const { location } = renderRoute('/segments');

    const alert = await screen.findByRole('alert');
    expect(within(alert).getByText('Not allowed')).toBeInTheDocument();
    expect(within(alert).getByText('segments needs the ANALYST role')).toBeInTheDocument();
    expect(within(alert).queryByText(/Code:/)).not.toBeInTheDocument();
    expect(location()).toBe('/segments');
    expect(screen.getByRole('button', { name: 'Sign out' })).toBeInTheDocument();
  });
});
