import { ConfigProvider } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import { StrictMode, useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { useTranslation } from 'react-i18next';
import { RouterProvider } from 'react-router';
import { nonceScriptedStyles } from './app/csp';
import { initI18n } from './app/i18n';
import { buildRouter } from './app/router';
import { MODULES } from './modules';

initI18n(MODULES);
const router = buildRouter(MODULES);
/** The server's per-response nonce: antd's runtime <style> elements carry it, so the CSP allows them. */
const meta = document.querySelector<HTMLMetaElement>('meta[name="csp-nonce"]')?.content;
const nonce = meta && meta !== '__CSP_NONCE__' ? meta : undefined;
if (nonce) nonceScriptedStyles(nonce);

/** WCAG AA contrast (4.5:1) for links, placeholders, secondary text and field errors on white (antd's #ff4d4f is 3.3:1). */
// Hover colours darken instead of lightening: a pointer left resting on a link or a button (after a
// click that changed the page under it) must not drop its text below 4.5:1.
const THEME = { colorPrimary: '#0958d9', colorPrimaryHover: '#003eb3', colorLink: '#0950b8', colorLinkHover: '#003eb3', colorTextPlaceholder: '#6e6e6e', colorTextDisabled: '#6e6e6e', colorTextDescription: '#595959', colorTextSecondary: '#595959', colorError: '#cf1322',
  // Users who ask the system for reduced motion get none: no drawers sliding, no fades.
  motion: !window.matchMedia('(prefers-reduced-motion: reduce)').matches };

/** A two-character button reads as its word (记录), not two letters (antd spaces them out by default: 记 录). */
const BUTTON = { autoInsertSpace: false };

function App() {
  const { i18n } = useTranslation();
  const [lang, setLang] = useState(i18n.language);
  useEffect(() => {
    const on = (l: string) => setLang(l);
    i18n.on('languageChanged', on);
    return () => i18n.off('languageChanged', on);
  }, [i18n]);
  return (
    <ConfigProvider locale={lang === 'en' ? enUS : zhCN} csp={nonce ? { nonce } : undefined} theme={{ token: THEME }} button={BUTTON}>
      <RouterProvider router={router} />
    </ConfigProvider>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
