// The sign-in page in Swedish: the language switch changes every label,
// <html lang> and is remembered; the header line follows the language.
import { screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { mockGraphQL, json, testViewer } from '@/testing/mock-api';
import { renderRoute } from '@/testing/render';
import { describeViewer } from '../utils/describe-viewer';
import { i18next } from '@/lib/i18n';

afterEach(() => localStorage.removeItem('segments.language'));

describe('Swedish', () => {
  it('switches the sign-in page to Swedish and remembers it', async () => {
    mockGraphQL(
      {},
      {
        viewer: null,
        http: { 'POST /auth/sign-in': () => json({ error: { code: 'UNAUTHENTICATED', message: 'no' } }, 401) },
      },
    );
    const { user } = renderRoute('/sign-in');
    await screen.findByRole('heading', { level: 1, name: 'Sign in to Segments' });
    await user.selectOptions(screen.getByRole('combobox', { name: 'Language' }), 'sv');
    expect(await screen.findByRole('heading', { level: 1, name: 'Logga in i Segments' })).toBeInTheDocument();
    expect(document.documentElement.lang).toBe('sv');
    expect(localStorage.getItem('segments.language')).toBe('sv');

    await user.type(screen.getByLabelText(/^E-post/), 'ann@example.com');
    await user.type(screen.getByLabelText(/^Lösenord/), 'wrong password');
    await user.click(screen.getByRole('button', { name: 'Logga in' }));
    expect(await screen.findByText('Fel e-post eller lösenord.')).toBeInTheDocument();
  });

  it('says who is signed in, in Swedish', async () => {
    await i18next.changeLanguage('sv');
    expect(describeViewer({ ...testViewer, role: 'EDITOR', websites: [{ id: '2', code: 'nordic', name: 'Nordic Store' }] })).toBe(
      'Inloggad som erin@example.com (Redaktör, webbplatser: Nordic Store)',
    );
    expect(describeViewer({ ...testViewer, role: 'ADMIN' })).toBe('Inloggad som erin@example.com (Administratör, alla webbplatser)');
  });
});
