import { ConfigProvider, Spin, theme } from 'antd';
import { Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Outlet, useLocation } from 'react-router';
import { MODULES } from '../modules';
import { SignedIn } from './SignedIn';
import { useSession } from './session';

/**
 * Shop-floor boards: full screen, dark, large type, readable across a workshop on a TV. Each board
 * is a page of a module (`boards` in its ModuleDef) and refreshes itself from the event stream.
 */
export default function BoardShell() {
  return (
    <SignedIn>
      <ConfigProvider theme={{ algorithm: theme.darkAlgorithm, token: { fontSize: 20 } }}>
        <div style={{ minHeight: '100vh', background: '#0b1220', color: '#e6edf7', padding: '16px 24px' }}>
          <Suspense fallback={<Spin />}>
            <Outlet />
          </Suspense>
        </div>
      </ConfigProvider>
    </SignedIn>
  );
}

/** /boards: the boards this user may show. */
export function BoardIndex() {
  const { t } = useTranslation();
  const { can } = useSession();
  const location = useLocation();
  const boards = MODULES.flatMap((m) => m.boards ?? []).filter((b) => can(b.permission));
  return (
    <main>
      <h1 style={{ fontSize: 40 }}>{t('boards')}</h1>
      <ul style={{ fontSize: 28, lineHeight: 2 }}>
        {boards.map((b) => (
          <li key={b.path}>
            <Link to={`${location.pathname.replace(/\/$/, '')}/${b.path}`} style={{ color: '#69b1ff' }}>
              {t(b.title)}
            </Link>
          </li>
        ))}
      </ul>
      <Link to="/" style={{ color: '#69b1ff' }}>
        {t('backHome')}
      </Link>
    </main>
  );
}
