import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import type { ModuleDef } from './module';
import { common } from './locales';

export const LANGUAGES = [
  { code: 'zh-CN', label: '简体中文' },
  { code: 'en', label: 'English' },
] as const;
export type Language = (typeof LANGUAGES)[number]['code'];

const STORED = 'mes.language';

/** zh-CN unless the user chose English on this browser. */
export function initialLanguage(): Language {
  return localStorage.getItem(STORED) === 'en' ? 'en' : 'zh-CN';
}

/** Every module's texts are its own namespace; `common` holds the shell's and the error messages. */
export function initI18n(modules: ModuleDef[]): typeof i18n {
  const resources: Record<string, Record<string, unknown>> = { 'zh-CN': { common: common['zh-CN'] }, en: { common: common.en } };
  for (const m of modules) {
    resources['zh-CN'][m.id] = m.messages['zh-CN'];
    resources.en[m.id] = m.messages.en;
  }
  void i18n.use(initReactI18next).init({
    lng: initialLanguage(),
    fallbackLng: 'zh-CN',
    resources: resources as never,
    ns: ['common', ...modules.map((m) => m.id)],
    defaultNS: 'common',
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  document.documentElement.lang = i18n.language;
  return i18n;
}

export function setLanguage(lng: Language): void {
  localStorage.setItem(STORED, lng);
  void i18n.changeLanguage(lng);
  document.documentElement.lang = lng;
}
