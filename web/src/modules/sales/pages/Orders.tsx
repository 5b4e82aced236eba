import type { SalesOrderSummary } from '@mes/sdk';
import { Button, Space, message } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { friendly, type FriendlyError } from '../../../app/errors';
import { useSession } from '../../../app/session';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { FormDrawer } from '../../../components/FormDrawer';
import { Page } from '../../../components/Page';
import { ServerTable } from '../../../components/ServerTable';
import { StatusTag } from '../../../components/StatusTag';

const STATUSES = ['draft', 'approved', 'in_delivery', 'closed', 'cancelled'];

/** Sales orders: create with lines, approve, cancel, close. */
export default function Orders() {
  const { t } = useTranslation('sales');
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
      <ServerTable<SalesOrderSummary>
        testId="sales-orders"
        rowKey="id"
        reloadKey={reload}
        load={(q) => client.sales.orders.list(q)}
        filters={[{ name: 'status', label: t('orders.status'), kind: 'select', options: STATUSES.map((s) => ({ value: s, label: t(`common:status.${s}`) })) }]}
        extra={
          can('sales:write') && (
            <FormDrawer
              testId="new-sales-order"
              label={t('orders.new')}
              title={t('orders.new')}
              fields={[{ name: 'customerId', label: t('orders.customer'), kind: 'customer', required: true }]}
              lines={[
                { name: 'materialId', label: t('orders.material'), kind: 'material', required: true },
                { name: 'quantity', label: t('orders.quantity'), kind: 'quantity', required: true },
                { name: 'price', label: t('orders.price'), kind: 'quantity', required: true },
                { name: 'deliveryDate', label: t('orders.deliveryDate'), kind: 'date', required: true },
              ]}
              send={(b) => client.sales.orders.create(b as never)}
              onDone={() => setReload((n) => n + 1)}
            />
          )
        }
        columns={[
          { title: t('orders.docNo'), dataIndex: 'docNo' },
          { title: t('orders.customer'), dataIndex: 'customerName' },
          { title: t('orders.orderDate'), dataIndex: 'orderDate' },
          { title: t('orders.total'), dataIndex: 'grossTotal', align: 'right' },
          { title: t('orders.status'), dataIndex: 'status', render: (s: string) => <StatusTag status={s} /> },
          {
            key: 'actions',
            render: (_: unknown, o) => (
              <Space>
                {o.status === 'draft' && can('sales:approve') && (
                  <Button size="small" type="primary" data-testid={`approve-${o.docNo}`} onClick={() => void act(client.sales.orders.approve(o.id, o.version), 'orders.approved')}>
                    {t('orders.approve')}
                  </Button>
                )}
                {o.status === 'draft' && can('sales:write') && <Button size="small" onClick={() => void act(client.sales.orders.cancel(o.id, { version: o.version }))}>{t('orders.cancel')}</Button>}
                {(o.status === 'approved' || o.status === 'in_delivery') && can('sales:write') && <Button size="small" onClick={() => void act(client.sales.orders.close(o.id, { version: o.version }))}>{t('orders.close')}</Button>}
              </Space>
            ),
          },
        ]}
      />
    </Page>
  );
}
