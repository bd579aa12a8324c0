// Vitest setup: jest-dom matchers, DOM APIs jsdom lacks (Mantine uses them),
// and a clean DOM, fetch and notifications after every test.
import '@testing-library/jest-dom/vitest';
import { notifications } from '@mantine/notifications';
import { cleanup, configure } from '@testing-library/react';
import { afterEach, vi } from 'vitest';
import { i18next } from '@/lib/i18n';

// Component tests read English labels unless a test switches language.
void i18next.changeLanguage('en');

// Skip the costly "is it hidden by CSS?" walk of every *ByRole query: jsdom
// applies no stylesheet here (css: false), so it would find nothing anyway.
configure({ defaultHidden: true });
// Every screen first waits for the session check (GET /auth/session); the
// first render of a file is slow on a busy machine. findBy* waits this long.
configure({ asyncUtilTimeout: 5000 });

afterEach(() => {
  cleanup();
  // Mantine keeps notifications in a global store: one shown at the end of
  // a test would otherwise appear in the next one.
  notifications.clean();
  if (i18next.language !== 'en') void i18next.changeLanguage('en');
  vi.unstubAllGlobals();
});

if (!window.matchMedia) {
  window.matchMedia = (query: string): MediaQueryList => ({
    matches: false,
    media: query,
    onchange: null,
    addListener: () => {},
    removeListener: () => {},
    addEventListener: () => {},
    removeEventListener: () => {},
    dispatchEvent: () => false,
  });
}

globalThis.ResizeObserver ??= class {
  observe() {}
  unobserve() {}
  disconnect() {}
};

// Mantine's scroll helpers call this; jsdom does not implement it.
Element.prototype.scrollIntoView ??= function scrollIntoView() {};
