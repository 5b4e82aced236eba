import { Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { LANGUAGES, setLanguage, type Language } from './i18n';

/**
 * The language picker: outlined, on its own white background, so its text keeps WCAG AA contrast
 * on any header (on the PDA's blue header a borderless one showed dark text on blue, 2.7:1).
 */
export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  return (
    <Select
      size="small"
      aria-label={t('language')}
      data-testid="language-switch"
      value={i18n.language as Language}
      onChange={(v: Language) => setLanguage(v)}
      options={LANGUAGES.map((l) => ({ value: l.code, label: l.label }))}
      style={{ width: 110 }}
    />
  );
}
