// The app's languages: English and Swedish, with i18next and react-i18next.
//
// Every feature keeps its own message catalogs next to its code
// (features/<feature>/locales/en.json and sv.json), loaded here as the
// namespace named after the feature folder; strings shared by every screen
// are the `common` namespace (src/locales). The viewer's choice is kept in
// localStorage; without one, a browser that prefers Swedish gets Swedish.
import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';

export const languages = ['en', 'sv'] as const;
export type Language = (typeof languages)[number];

/** What each language is called in itself, for the language switch. */
export const languageNames: Record<Language, string> = { en: 'English', sv: 'Svenska' };

const storageKey = 'segments.language';

type Catalog = Record<string, unknown>;
const featureCatalogs = import.meta.glob<Catalog>('../features/*/locales/*.json', { eager: true, import: 'default' });
const commonCatalogs = import.meta.glob<Catalog>('../locales/*.json', { eager: true, import: 'default' });

/** The catalogs as i18next resources: { en: { common: {...}, segments: {...} }, sv: {...} }. */
function resources() {
  const out: Record<string, Record<string, Catalog>> = {};
  for (const [path, catalog] of Object.entries(featureCatalogs)) {
    const match = /features\/([^/]+)\/locales\/([a-z]+)\.json$/.exec(path);
    if (!match) continue;
    (out[match[2]] ??= {})[match[1]] = catalog;
  }
  for (const [path, catalog] of Object.entries(commonCatalogs)) {
    const match = /locales\/([a-z]+)\.json$/.exec(path);
    if (match) (out[match[1]] ??= {}).common = catalog;
  }
  return out;
}

function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (languages as readonly string[]).includes(value);
}

/** The remembered language, else the browser's preference (Swedish or English). */
export function initialLanguage(): Language {
  try {
    const saved = localStorage.getItem(storageKey);
    if (isLanguage(saved)) return saved;
  } catch {
    /* storage unavailable: fall through */
  }
  const preferred = typeof navigator === 'undefined' ? [] : (navigator.languages ?? [navigator.language]);
  return preferred.some((tag) => tag?.toLowerCase().startsWith('sv')) ? 'sv' : 'en';
}

function applyToDocument(language: string) {
  if (typeof document !== 'undefined') document.documentElement.lang = language;
}

void i18next.use(initReactI18next).init({
  resources: resources(),
  lng: initialLanguage(),
  fallbackLng: 'en',
  defaultNS: 'common',
  ns: ['common'],
  interpolation: { escapeValue: false }, // React escapes
  returnNull: false,
  initAsync: false,
});
applyToDocument(i18next.language);
i18next.on('languageChanged', applyToDocument);

/** Switches the app's language and remembers it for the next visit. */
export async function setLanguage(language: Language) {
  try {
    localStorage.setItem(storageKey, language);
  } catch {
    /* not remembered, still switched */
  }
  await i18next.changeLanguage(language);
}

/** The current language (for Intl formatting outside React). */
export function currentLanguage(): Language {
  return isLanguage(i18next.language) ? i18next.language : 'en';
}

export { i18next };
