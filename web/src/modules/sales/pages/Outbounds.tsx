import type { SalesOutboundSummary } from '@mes/sdk';
import { Button, message } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { friendly } from '../../../app/errors';
import { useSession } from '../../../app/session';
import { Page } from '../../../components/Page';
import { ServerTable } from '../../../components/ServerTable';
import { StatusTag } from '../../../components/StatusTag';

export default function Outbounds() {
  const { t } = useTranslation('sales');
  const { client, can } = useSession();
  const [reload, setReload] = useState(0);
  const [msg, holder] = message.useMessage();
  return (
    <Page title={t('outbounds.title')} help={t('outbounds.help')}>
      {holder}
      <ServerTable<SalesOutboundSummary>
        rowKey="id"
        reloadKey={reload}
        load={(q) => client.sales.outbounds.list(q)}
        columns={[
          { title: t('outbounds.docNo'), dataIndex: 'docNo' },
          { title: t('outbounds.plan'), dataIndex: 'planDocNo' },
          { title: t('plans.customer'), dataIndex: 'customerCode' },
          { title: t('outbounds.status'), dataIndex: 'status', render: (s: string) => <StatusTag status={s} /> },
          { title: t('outbounds.createdAt'), dataIndex: 'createdAt', render: (v: string) => new Date(v).toLocaleString() },
          {
            key: 'actions',
            render: (_: unknown, o) =>
              o.status === 'draft' && can('sales:ship') ? (
                <Button size="small" type="primary" onClick={() => client.sales.outbounds.post(o.id).then(() => setReload((n) => n + 1), (err) => void msg.error(friendly(err, t).message))}>
                  {t('outbounds.post')}
                </Button>
              ) : null,
          },
        ]}
      />
    </Page>
  );
}
