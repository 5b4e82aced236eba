import { Card, Col, Row, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { MODULES } from '../modules';
import { Page } from '../components/Page';
import { useSession } from './session';

/** The start page: every module's pages as tiles, plus the PDA, boards and mobile areas. */
export default function Home() {
  const { t } = useTranslation();
  const { can, me } = useSession();
  return (
    <Page title={t('home')} help={t('homeHelp', { tenant: me.tenant.slug, defaultValue: '' }) || undefined}>
      <Row gutter={[16, 16]}>
        {MODULES.map((m) => {
          const pages = (m.pages ?? []).filter((p) => p.menu !== false && can(p.permission));
          if (!pages.length) return null;
          return (
            <Col key={m.id} xs={24} md={12} xl={8}>
              <Card title={t(m.title)} size="small">
                {pages.map((p) => (
                  <div key={p.path}>
                    <Link to={`/${p.path}`}>{t(p.title)}</Link>
                  </div>
                ))}
              </Card>
            </Col>
          );
        })}
        <Col xs={24} md={12} xl={8}>
          <Card title={t('console')} size="small">
            <Typography.Paragraph>
              <Link to="/pda">{t('pda')}</Link>
            </Typography.Paragraph>
            <Typography.Paragraph>
              <Link to="/boards">{t('boards')}</Link>
            </Typography.Paragraph>
            <Typography.Paragraph>
              <Link to="/m">{t('mobile')}</Link>
            </Typography.Paragraph>
          </Card>
        </Col>
      </Row>
    </Page>
  );
}
