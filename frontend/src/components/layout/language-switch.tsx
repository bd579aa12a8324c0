// The header's language switch: English or Swedish, remembered for the next visit.
import { NativeSelect } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { languageNames, languages, setLanguage, type Language } from '@/lib/i18n';

export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  return (
    <NativeSelect
      size="xs"
      aria-label={t('app.language')}
      value={i18n.language}
      data={languages.map((language) => ({ value: language, label: languageNames[language] }))}
      onChange={(event) => void setLanguage(event.currentTarget.value as Language)}
    />
  );
}
