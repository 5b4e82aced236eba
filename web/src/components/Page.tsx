import { QuestionCircleOutlined } from '@ant-design/icons';
import { Card, Space, Typography } from 'antd';
import { useEffect, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * Every console page looks the same: its title (the browser tab's too), one line of help saying
 * what the page is for and what to do on it, the page's actions, then its content.
 */
export function Page({ title, help, extra, children }: { title: string; help?: string; extra?: ReactNode; children: ReactNode }) {
  const { t } = useTranslation();
  useEffect(() => {
    document.title = `${title} · ${t('appShort')}`;
  }, [title, t]);
  return (
    <Card variant="borderless" style={{ minHeight: '100%' }}>
      <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 8 }} align="start" wrap>
        <Typography.Title level={1} style={{ fontSize: 22, margin: 0 }}>
          {title}
        </Typography.Title>
        {extra}
      </Space>
      {help && (
        <Typography.Paragraph type="secondary" data-testid="page-help">
          <QuestionCircleOutlined aria-hidden /> {help}
        </Typography.Paragraph>
      )}
      {children}
    </Card>
  );
}
