import { Button, Space, Spin } from 'antd';
import { Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Outlet, useLocation } from 'react-router';
import { MODULES } from '../modules';
import type { PageDef } from './module';
import { LanguageSwitch } from './LanguageSwitch';
import { SignedIn } from './SignedIn';
import { useSession } from './session';

/**
 * The narrow, large-touch layout of PDAs and phones: a top bar, one column, big buttons. `/pda` lists
 * the scan-driven jobs, `/m` the mobile reports.
 */
export default function PdaShell({ area }: { area: 'pda' | 'mobile' }) {
  return (
    <SignedIn>
      <PdaLayout area={area} />
    </SignedIn>
  );
}

function PdaLayout({ area }: { area: 'pda' | 'mobile' }) {
  const { t } = useTranslation();
  const { me, signOut } = useSession();
  const location = useLocation();
  const base = area === 'pda' ? '/pda' : '/m';
  const atHome = location.pathname.replace(/\/$/, '') === base;
  return (
    <div style={{ maxWidth: 520, margin: '0 auto', minHeight: '100vh', background: '#fff' }}>
      <header style={{ position: 'sticky', top: 0, zIndex: 10, background: '#0950b8', color: '#fff', padding: '8px 12px' }}>
        <Space style={{ width: '100%', justifyContent: 'space-between' }}>
          {atHome ? (
            <Link to="/" style={{ color: '#fff', fontSize: 18 }}>
              {t('appShort')}
            </Link>
          ) : (
            <Link to={base} style={{ color: '#fff', fontSize: 18 }} data-testid="pda-back">
              ‹ {t(area === 'pda' ? 'pda' : 'mobile')}
            </Link>
          )}
          <Space>
            <span style={{ fontSize: 12 }}>{me.user.username}</span>
            <LanguageSwitch />
          </Space>
        </Space>
      </header>
      <main style={{ padding: 12 }}>
        <Suspense fallback={<Spin />}>
          <Outlet />
        </Suspense>
        {atHome && (
          <Button block size="large" style={{ marginTop: 24 }} onClick={signOut}>
            {t('signOut')}
          </Button>
        )}
      </main>
    </div>
  );
}

/** The area's start page: one big button per job the user may do. */
export function AreaHome({ area }: { area: 'pda' | 'mobile' }) {
  const { t } = useTranslation();
  const { can } = useSession();
  const pages: PageDef[] = MODULES.flatMap((m) => (area === 'pda' ? m.pda : m.mobile) ?? []).filter((p) => p.menu !== false && can(p.permission));
  const base = area === 'pda' ? '/pda' : '/m';
  return (
    <nav aria-label={t(area === 'pda' ? 'pda' : 'mobile')}>
      <h1 style={{ fontSize: 22 }}>{t(area === 'pda' ? 'pda' : 'mobile')}</h1>
      <Space direction="vertical" style={{ width: '100%' }} size="middle">
        {pages.map((p) => (
          <Link key={p.path} to={`${base}/${p.path}`}>
            <Button block type="primary" size="large" style={{ height: 64, fontSize: 20 }}>
              {t(p.title)}
            </Button>
          </Link>
        ))}
      </Space>
    </nav>
  );
}
