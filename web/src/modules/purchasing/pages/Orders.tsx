import type { PurchaseOrderSummary } from '@mes/sdk';
import { Button, Space, message } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { friendly } from '../../../app/errors';
import { useSession } from '../../../app/session';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { FormDrawer } from '../../../components/FormDrawer';
import { Page } from '../../../components/Page';
import { ServerTable } from '../../../components/ServerTable';
import { StatusTag } from '../../../components/StatusTag';
import type { FriendlyError } from '../../../app/errors';

const STATUSES = ['draft', 'approved', 'receiving', 'closed', 'cancelled'];

/** Purchase orders: create with lines, approve (the business review), cancel, close. */
export default function Orders() {
  const { t } = useTranslation('purchasing');
  const { client, can } = useSession();
  const [reload, setReload] = useState(0);
  const [error, setError] = useState<FriendlyError | null>(null);
  const [msg, holder] = message.useMessage();
  const act = async (p: Promise<{ docNo: string }>, done?: string) => {
    setError(null);
    try {
      const r = await p;
      if (done) void msg.success(t(done, { docNo: r.docNo }));
      setReload((n) => n + 1);
    } catch (err) {
      setError(friendly(err, t));
    }
  };
  return (
    <Page title={t('orders.title')} help={t('orders.help')}>
      {holder}
      <ErrorAlert error={error} />
      <ServerTable<PurchaseOrderSummary>
        testId="purchase-orders"
        rowKey="id"
        reloadKey={reload}
        load={(q) => client.purchasing.orders.list(q)}
        filters={[{ name: 'status', label: t('orders.status'), kind: 'select', options: STATUSES.map((s) => ({ value: s, label: t(`common:status.${s}`) })) }]}
        extra={
          can('purchasing:write') && (
            <FormDrawer
              testId="new-purchase-order"
              label={t('orders.new')}
              title={t('orders.new')}
              fields={[{ name: 'supplierId', label: t('orders.supplier'), kind: 'supplier', required: true }]}
              lines={[
                { name: 'materialId', label: t('orders.material'), kind: 'material', required: true },
                { name: 'quantity', label: t('orders.quantity'), kind: 'quantity', required: true },
                { name: 'price', label: t('orders.price'), kind: 'quantity' },
                { name: 'neededBy', label: t('orders.neededBy'), kind: 'date' },
              ]}
              send={(b) => client.purchasing.orders.create(b as never)}
              onDone={() => setReload((n) => n + 1)}
            />
          )
        }
        columns={[
          { title: t('orders.docNo'), dataIndex: 'docNo' },
          { title: t('orders.supplier'), dataIndex: 'supplierCode' },
          { title: t('orders.status'), dataIndex: 'status', render: (s: string) => <StatusTag status={s} /> },
          { title: t('orders.createdAt'), dataIndex: 'createdAt', render: (v: string) => new Date(v).toLocaleString() },
          {
            key: 'actions',
            render: (_: unknown, o) => (
              <Space>
                {o.status === 'draft' && can('purchasing:approve') && (
                  <Button size="small" type="primary" data-testid={`approve-${o.docNo}`} onClick={() => void act(client.purchasing.orders.approve(o.id, o.version), 'orders.approved')}>
                    {t('orders.approve')}
                  </Button>
                )}
                {(o.status === 'draft' || o.status === 'approved') && can('purchasing:write') && (
                  <Button size="small" onClick={() => void act(client.purchasing.orders.cancel(o.id, { version: o.version } as never))}>{t('orders.cancel')}</Button>
                )}
                {(o.status === 'approved' || o.status === 'receiving') && can('purchasing:write') && (
                  <Button size="small" onClick={() => void act(client.purchasing.orders.close(o.id, { version: o.version } as never))}>{t('orders.close')}</Button>
                )}
              </Space>
            ),
          },
        ]}
      />
    </Page>
  );
}
