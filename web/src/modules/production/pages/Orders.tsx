import type { ProductionOrderSummary } from '@mes/sdk';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { useSession } from '../../../app/session';
import { FormDrawer } from '../../../components/FormDrawer';
import { Page } from '../../../components/Page';
import { ServerTable } from '../../../components/ServerTable';
import { StatusTag } from '../../../components/StatusTag';

export const ORDER_STATUSES = ['planned', 'released', 'in_progress', 'completed', 'closed', 'cancelled'];

/** Production orders: a server-paged list filtered by status, number, product and due dates; a new planned order opens its detail. */
export default function Orders() {
  const { t } = useTranslation('production');
  const { client, can } = useSession();
  const navigate = useNavigate();
  const [reload, setReload] = useState(0);
  return (
    <Page title={t('orders.title')} help={t('orders.help')}>
      <ServerTable<ProductionOrderSummary>
        testId="production-orders"
        rowKey="id"
        reloadKey={reload}
        load={(q) => client.production.orders.list(q)}
        filters={[
          { name: 'status', label: t('orders.status'), kind: 'select', options: [{ value: 'open', label: t('common:status.open') }, ...ORDER_STATUSES.map((s) => ({ value: s, label: t(`common:status.${s}`) }))] },
          { name: 'docNo', label: t('orders.docNo') },
          { name: 'materialId', label: t('orders.product'), kind: 'material' },
          { name: 'dueFrom', label: t('orders.dueFrom'), kind: 'date' },
          { name: 'dueTo', label: t('orders.dueTo'), kind: 'date' },
        ]}
        extra={
          can('production:write') && (
            <FormDrawer
              testId="new-production-order"
              label={t('orders.new')}
              title={t('orders.new')}
              fields={[
                { name: 'materialId', label: t('orders.product'), kind: 'material', required: true },
                { name: 'quantity', label: t('orders.quantity'), kind: 'quantity', required: true },
                { name: 'plannedStart', label: t('orders.plannedStart'), kind: 'date', required: true },
                { name: 'plannedFinish', label: t('orders.plannedFinish'), kind: 'date', required: true },
                { name: 'dueDate', label: t('orders.dueDate'), kind: 'date' },
                { name: 'priority', label: t('orders.priority'), kind: 'integer' },
                { name: 'remark', label: t('orders.remark'), kind: 'textarea' },
              ]}
              send={(b) => client.production.orders.create(b as never)}
              onDone={(o) => {
                setReload((n) => n + 1);
                navigate(`/production/orders/${o.id}`);
              }}
            />
          )
        }
        columns={[
          { title: t('orders.docNo'), dataIndex: 'docNo', render: (v: string, o) => <Link to={`/production/orders/${o.id}`} data-testid={`order-${v}`}>{v}</Link> },
          { title: t('orders.product'), dataIndex: 'materialCode', render: (v: string, o) => `${v} · ${o.materialName}` },
          { title: t('orders.quantity'), dataIndex: 'quantity', align: 'right', render: (v: string, o) => `${v} ${o.unit}` },
          { title: t('orders.status'), dataIndex: 'status', render: (s: string) => <StatusTag status={s} /> },
          { title: t('orders.plannedStart'), dataIndex: 'plannedStart' },
          { title: t('orders.plannedFinish'), dataIndex: 'plannedFinish' },
          { title: t('orders.dueDate'), dataIndex: 'dueDate' },
          { title: t('orders.priority'), dataIndex: 'priority', align: 'right' },
          { title: t('orders.source'), dataIndex: 'source', render: (v: string) => t(`source.${v}`, { defaultValue: v }) },
        ]}
      />
    </Page>
  );
}
