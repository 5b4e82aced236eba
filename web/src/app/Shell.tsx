import * as Icons from './icons';
import { Button, Layout, Menu, Space, Spin, Typography } from 'antd';
import { Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Outlet, useLocation, useNavigation } from 'react-router';
import { MODULES } from '../modules';
import { LanguageSwitch } from './LanguageSwitch';
import { SignedIn } from './SignedIn';
import { useSession } from './session';

/** The PC console: a side menu of every module's pages the user may open, a header, the page. */
export default function Shell() {
  return (
    <SignedIn>
      <ConsoleLayout />
    </SignedIn>
  );
}

function ConsoleLayout() {
  const { t } = useTranslation();
  const { me, can, signOut } = useSession();
  const location = useLocation();
  const navigation = useNavigation();
  const groups = MODULES.map((m) => ({
    key: m.id,
    icon: Icons.byName(m.icon),
    label: t(m.title),
    children: (m.pages ?? [])
      .filter((p) => p.menu !== false && can(p.permission))
      .map((p) => ({ key: `/${p.path}`, label: <Link to={`/${p.path}`}>{t(p.title)}</Link> })),
  })).filter((g) => g.children.length > 0);
  const selected = `/${location.pathname.split('/').filter(Boolean).slice(0, 2).join('/')}`;
  const open = groups.filter((g) => g.children.some((c) => selected.startsWith(c.key))).map((g) => g.key);

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Sider width={220} breakpoint="lg" collapsedWidth={0} theme="light" style={{ borderInlineEnd: '1px solid #f0f0f0' }}>
        <Link to="/" style={{ display: 'block', padding: '16px 24px', fontSize: 18, fontWeight: 600 }}>
          {t('appShort')} · {t('home')}
        </Link>
        <nav aria-label={t('appName')}>
          <Menu mode="inline" items={groups} selectedKeys={[selected]} defaultOpenKeys={open} data-testid="side-menu" />
        </nav>
      </Layout.Sider>
      <Layout>
        <Layout.Header style={{ background: '#fff', paddingInline: 24, borderBottom: '1px solid #f0f0f0' }}>
          <Space style={{ width: '100%', justifyContent: 'space-between' }}>
            <Typography.Text strong>{t('appName')}</Typography.Text>
            <Space size="middle" wrap>
              <Link to="/pda">{t('pda')}</Link>
              <Link to="/boards">{t('boards')}</Link>
              <Link to="/m">{t('mobile')}</Link>
              <span data-testid="current-user">
                {t('session.tenant')}: {me.tenant.slug} · {t('session.user')}: {me.user.username}
              </span>
              <LanguageSwitch />
              <Button size="small" onClick={signOut} data-testid="sign-out">
                {t('signOut')}
              </Button>
            </Space>
          </Space>
        </Layout.Header>
        <Layout.Content style={{ padding: 16 }}>
          <main>
            {navigation.state === 'loading' && <Spin style={{ position: 'fixed', top: 72, right: 24 }} />}
            <Suspense fallback={<Spin />}>
              <Outlet />
            </Suspense>
          </main>
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
