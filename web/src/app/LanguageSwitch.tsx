import { Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { LANGUAGES, setLanguage, type Language } from './i18n';

export function LanguageSwitch({ dark }: { dark?: boolean }) {
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
      variant={dark ? 'borderless' : 'outlined'}
    />
  );
}
