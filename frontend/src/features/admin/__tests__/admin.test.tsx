// Component tests of the administration screens: only admins get them, the
// forms say what is wrong at the field, a token's secret is shown once.
import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { Viewer } from '@/features/auth/api/session';
import { mockGraphQL, testViewer } from '@/testing/mock-api';
import { paginate } from '@/testing/paginate';
import { renderRoute } from '@/testing/render';

const admin: Viewer = { ...testViewer, name: 'Ada Admin', email: 'ada@example.com', role: 'ADMIN' };

const users = [
  {
    id: '1',
    email: 'ada@example.com',
    role: 'ADMIN',
    websites: [],
    disabled: false,
    mustChangePassword: false,
    createdAt: '2026-11-01T10:00:00Z',
    createdBy: 'cli',
  },
  {
    id: '2',
    email: 'vera@example.com',
    role: 'VIEWER',
    websites: [{ id: '2', name: 'Nordic Store' }],
    disabled: false,
    mustChangePassword: true,
    createdAt: '2026-11-02T10:00:00Z',
    createdBy: 'user:1',
  },
];

function mockAdminApi(viewer: Viewer = admin) {
  return mockGraphQL(
    {
      StoreSettings: () => ({ data: { store: { timeZone: 'Europe/Stockholm' } } }),
      AdminWebsites: () => ({ data: { websites: [{ id: '1', name: 'Main Website' }, { id: '2', name: 'Nordic Store' }] } }),
      AdminUsers: (v) => ({ data: { users: paginate(users, v) } }),
      AdminCreateUser: (v) => {
        const input = v.input as { email: string };
        if (input.email === 'vera@example.com') {
          return { errors: [{ message: 'a user with email vera@example.com exists', extensions: { code: 'BAD_USER_INPUT' } }] };
        }
        return { data: { createUser: { id: '3', email: input.email } } };
      },
      AdminApiTokens: () => ({
        data: {
          apiTokens: [
            {
              id: '4',
              name: 'nightly export',
              role: 'ANALYST',
              websites: [],
              createdAt: '2026-11-01T10:00:00Z',
              lastUsedAt: null,
              expiresAt: null,
              revokedAt: null,
              createdBy: 'cli',
            },
          ],
        },
      }),
      AdminCreateApiToken: (v) => ({
        data: {
          createApiToken: {
            token: { id: '5', name: (v.input as { name: string }).name },
            secret: 'seg_5_the-secret-shown-once',
          },
        },
      }),
      SegmentsGrid: (v) => ({ data: { segments: paginate([], v) } }),
    },
    { viewer },
  );
}

describe('administration', () => {
  it('is not offered to a non-admin, and says not allowed', async () => {
    mockAdminApi({ ...testViewer, role: 'EDITOR' });
    renderRoute('/admin/users');
    expect(await screen.findByRole('heading', { level: 1, name: 'Not allowed' })).toBeInTheDocument();
    const nav = screen.getByRole('navigation', { name: 'Main navigation' });
    expect(within(nav).queryByRole('link', { name: 'Administration' })).not.toBeInTheDocument();
    expect(screen.queryByTestId('users-table')).not.toBeInTheDocument();
  });

  it('lists users for an admin, with the Administration link in the header', async () => {
    mockAdminApi();
    renderRoute('/admin/users');
    expect(await screen.findByRole('heading', { level: 1, name: 'Users' })).toBeInTheDocument();
    const nav = screen.getByRole('navigation', { name: 'Main navigation' });
    expect(within(nav).getByRole('link', { name: 'Administration' })).toHaveAttribute('href', '/admin/users');
    const table = await screen.findByTestId('users-table');
    expect(await within(table).findByText('vera@example.com')).toBeInTheDocument();
    expect(within(table).getByText('Nordic Store')).toBeInTheDocument();
    expect(within(table).getByText('Must change password')).toBeInTheDocument();
    // Times in the store's zone: 10:00 UTC is 11:00 in Stockholm.
    expect(within(table).getByText('2026-11-02 11:00:00')).toBeInTheDocument();
  });

  it('shows validation errors and server refusals at the field', async () => {
    const api = mockAdminApi();
    const { user } = renderRoute('/admin/users');
    await user.click(await screen.findByRole('button', { name: 'Create user' }));
    const dialog = await screen.findByRole('dialog', { name: 'Create a user' });
    const email = within(dialog).getByRole('textbox', { name: /Email/ });
    const password = within(dialog).getByLabelText(/Initial password/);
    await user.type(email, 'not an email');
    await user.type(password, 'short');
    await user.click(within(dialog).getByRole('button', { name: 'Create user' }));
    expect(await within(dialog).findByText('Enter an email address such as name@example.com')).toBeInTheDocument();
    expect(within(dialog).getByText('Use at least 12 characters')).toBeInTheDocument();
    expect(email).toHaveAttribute('aria-invalid', 'true');
    expect(api.callsOf('AdminCreateUser')).toHaveLength(0);

    await user.clear(email);
    await user.type(email, 'vera@example.com');
    await user.clear(password);
    await user.type(password, 'a long enough password');
    await user.click(within(dialog).getByRole('button', { name: 'Create user' }));
    expect(await within(dialog).findByText('a user with email vera@example.com exists')).toBeInTheDocument();
    expect(email).toHaveAttribute('aria-invalid', 'true');
    expect(email).toHaveAccessibleDescription(/a user with email vera@example.com exists/);
    expect(api.lastCallOf('AdminCreateUser')?.variables).toEqual({
      input: { email: 'vera@example.com', password: 'a long enough password', role: 'ANALYST', websiteIds: [] },
    });
  });

  it('shows a new token secret once, with a copy button', async () => {
    const api = mockAdminApi();
    const { user } = renderRoute('/admin/tokens');
    expect(await screen.findByRole('heading', { level: 1, name: 'API tokens' })).toBeInTheDocument();
    expect(await screen.findByText('nightly export')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Create token' }));
    const dialog = await screen.findByRole('dialog', { name: 'Create an API token' });
    await user.click(within(dialog).getByRole('button', { name: 'Create token' }));
    expect(await within(dialog).findByText('Give the token a name')).toBeInTheDocument();
    expect(api.callsOf('AdminCreateApiToken')).toHaveLength(0);

    await user.type(within(dialog).getByRole('textbox', { name: /Name/ }), 'crm sync');
    await user.click(within(dialog).getByRole('button', { name: 'Create token' }));
    const secretDialog = await screen.findByRole('dialog', { name: 'The secret of crm sync' });
    expect(within(secretDialog).getByTestId('token-secret')).toHaveTextContent('seg_5_the-secret-shown-once');
    expect(within(secretDialog).getByText(/shown only this once/)).toBeInTheDocument();
    expect(within(secretDialog).getByRole('button', { name: 'Copy secret' })).toBeInTheDocument();
    expect(api.lastCallOf('AdminCreateApiToken')?.variables).toEqual({
      input: { name: 'crm sync', role: 'ANALYST', websiteIds: [] },
    });

    await user.click(within(secretDialog).getByRole('button', { name: 'I have stored it' }));
    await waitFor(() => expect(screen.queryByText('seg_5_the-secret-shown-once')).not.toBeInTheDocument());
    // Opening the form again shows no secret.
    await user.click(screen.getByRole('button', { name: 'Create token' }));
    await screen.findByRole('dialog', { name: 'Create an API token' });
    expect(screen.queryByText('seg_5_the-secret-shown-once')).not.toBeInTheDocument();
  });
});
