// Component tests of the page a user whose password an admin set sees
// first, against the fake server of src/testing (fetch is the only thing
// mocked).
import { screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { json, mockGraphQL, testViewer } from '@/testing/mock-api';
import { paginate } from '@/testing/paginate';
import { renderRoute } from '@/testing/render';
import type { Viewer } from '../api/session';

const flagged: Viewer = { ...testViewer, mustChangePassword: true };
const segments = [
  { id: '3', name: 'Big spenders', status: 'ACTIVE', customerCount: 120, websites: [{ id: '1', name: 'Main Website' }] },
];

const heading = () => screen.findByRole('heading', { level: 1, name: 'Choose a new password' });
const reportHeading = () => screen.queryByRole('heading', { name: 'Customer Segments Report' });
const message = () => screen.getByTestId('change-password-message');

function mockApi(changePassword: (variables: Record<string, unknown>) => unknown = () => ({ data: { changePassword: true } })) {
  return mockGraphQL(
    {
      SegmentsGrid: (variables) => ({ data: { segments: paginate(segments, variables) } }),
      ChangePassword: changePassword,
    },
    {
      viewer: flagged,
      http: { 'POST /auth/sign-in': () => json({ viewer: { ...testViewer, mustChangePassword: false } }) },
    },
  );
}

async function fill(user: ReturnType<typeof renderRoute>['user'], current: string, next: string, repeat = next) {
  await user.type(screen.getByLabelText(/^Current password/), current);
  await user.type(screen.getByLabelText(/^New password/), next);
  await user.type(screen.getByLabelText(/^Repeat the new password/), repeat);
  await user.click(screen.getByRole('button', { name: 'Change password' }));
}

describe('choosing a new password', () => {
  it('is all a flagged user sees: an accessible form, and no request for the report', async () => {
    const api = mockApi();
    renderRoute('/segments');

    expect(await heading()).toBeInTheDocument();
    expect(reportHeading()).not.toBeInTheDocument();
    expect(api.calls).toEqual([]);
    expect(screen.getByLabelText(/^Current password/)).toHaveAttribute('autocomplete', 'current-password');
    expect(screen.getByLabelText(/^Current password/)).toHaveFocus();
    expect(screen.getByLabelText(/^New password/)).toHaveAttribute('autocomplete', 'new-password');
    expect(screen.getByLabelText(/^Repeat the new password/)).toHaveAttribute('autocomplete', 'new-password');
    expect(screen.getByText('At least 12 characters')).toBeInTheDocument();
    expect(message()).toHaveAttribute('aria-live', 'assertive');
  });

  it('changes the password, signs in again with it and shows the report', async () => {
    const api = mockApi();
    const { user } = renderRoute('/segments');
    await heading();

    await fill(user, 'admin chose this', 'my own long passphrase');

    expect(await screen.findByRole('heading', { name: 'Customer Segments Report' })).toBeInTheDocument();
    expect(api.callsOf('ChangePassword')).toEqual([
      { operationName: 'ChangePassword', variables: { current: 'admin chose this', new: 'my own long passphrase' } },
    ]);
    const signIn = api.httpCalls.find((c) => c.path === '/auth/sign-in')!;
    expect(signIn.body).toEqual({ email: 'erin@example.com', password: 'my own long passphrase' });
    expect(await screen.findByText('Big spenders')).toBeInTheDocument();
  });

  it('reads out the server\'s refusal and stays on the page', async () => {
    const api = mockApi(() => ({
      errors: [{ message: 'the current password is wrong', extensions: { code: 'BAD_USER_INPUT' } }],
      data: null,
    }));
    const { user } = renderRoute('/segments');
    await heading();

    await fill(user, 'not it at all', 'my own long passphrase');

    await waitFor(() => expect(message()).toHaveTextContent('the current password is wrong'));
    expect(reportHeading()).not.toBeInTheDocument();
    expect(api.httpCalls.filter((c) => c.path === '/auth/sign-in')).toEqual([]);
  });

  it('asks again when the new passwords differ, without asking the server', async () => {
    const api = mockApi();
    const { user } = renderRoute('/segments');
    await heading();

    await fill(user, 'admin chose this', 'my own long passphrase', 'my own long passphrasE');

    await waitFor(() => expect(message()).toHaveTextContent('The new passwords do not match.'));
    expect(api.callsOf('ChangePassword')).toEqual([]);
  });
});
