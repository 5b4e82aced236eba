import type { ProductionOrder } from '@mes/sdk';
import { Button, Descriptions, Popconfirm, Space, Table, Tabs, Typography, message } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { friendly, type FriendlyError } from '../../../app/errors';
import { useSession } from '../../../app/session';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { Page } from '../../../components/Page';
import { ServerTable } from '../../../components/ServerTable';
import { StatusTag } from '../../../components/StatusTag';
import { reportColumns } from './columns';

type Action = 'approve' | 'release' | 'cancel' | 'complete' | 'close';

/** Which life-cycle actions the order's status allows (the server decides; this only hides the impossible). */
function actionsFor(o: ProductionOrder): Action[] {
  switch (o.status) {
    case 'planned':
      return [...(o.approvalRequired && !o.approvedAt ? (['approve'] as const) : []), 'release', 'cancel'];
    case 'released':
      return ['complete', 'cancel'];
    case 'in_progress':
      return ['complete'];
    case 'completed':
      return ['close'];
    default:
      return [];
  }
}

/** One production order: header, life-cycle actions with its version, operations, components, work reports. */
export default function OrderDetail() {
  const { t } = useTranslation('production');
  const { id = '' } = useParams();
  const { client, can } = useSession();
  const [order, setOrder] = useState<ProductionOrder | null>(null);
  const [error, setError] = useState<FriendlyError | null>(null);
  const [busy, setBusy] = useState(false);
  const [msg, holder] = message.useMessage();

  const load = useCallback(() => client.production.orders.get(id).then(setOrder, (err) => setError(friendly(err, t))), [client, id, t]);
  useEffect(() => {
    void load();
  }, [load]);

  async function act(action: Action) {
    if (!order) return;
    setBusy(true);
    setError(null);
    try {
      const o = client.production.orders;
      const next = action === 'cancel' ? await o.cancel(order.id, { version: order.version }) : await o[action](order.id, order.version);
      setOrder(next);
      void msg.success(t('order.done', { action: t(`order.${action}`), docNo: next.docNo }));
    } catch (err) {
      setError(friendly(err, t));
    } finally {
      setBusy(false);
    }
  }

  const allowed = (a: Action) => can(a === 'approve' ? 'production:approve' : 'production:write');
  const title = order ? t('order.title', { docNo: order.docNo }) : t('orders.title');
  return (
    <Page
      title={title}
      help={t('order.help')}
      extra={
        order && (
          <Space wrap>
            {order && <StatusTag status={order.status} />}
            {actionsFor(order).filter(allowed).map((a) => (
              <Popconfirm
                key={a}
                title={t('order.confirm', { action: t(`order.${a}`), docNo: order.docNo })}
                okText={t(`order.${a}`)}
                cancelText={t('common:actions.cancel')}
                okButtonProps={{ 'data-testid': `confirm-${a}` } as never}
                onConfirm={() => act(a)}
              >
                <Button type={a === 'release' || a === 'approve' ? 'primary' : 'default'} danger={a === 'cancel'} loading={busy} data-testid={`order-${a}`}>
                  {t(`order.${a}`)}
                </Button>
              </Popconfirm>
            ))}
          </Space>
        )
      }
    >
      {holder}
      <Typography.Paragraph>
        <Link to="/production/orders">← {t('order.back')}</Link>
      </Typography.Paragraph>
      <ErrorAlert error={error} />
      {order && (
        <>
          <Descriptions size="small" bordered column={{ xs: 1, md: 2, xl: 3 }} style={{ marginBottom: 16 }} data-testid="order-header">
            <Descriptions.Item label={t('orders.product')}>{`${order.materialCode} · ${order.materialName}`}</Descriptions.Item>
            <Descriptions.Item label={t('orders.quantity')}>{`${order.quantity} ${order.unit}`}</Descriptions.Item>
            <Descriptions.Item label={t('orders.status')}><span data-testid="order-status">{t(`common:status.${order.status}`)}</span></Descriptions.Item>
            <Descriptions.Item label={t('orders.plannedStart')}>{order.plannedStart}</Descriptions.Item>
            <Descriptions.Item label={t('orders.plannedFinish')}>{order.plannedFinish}</Descriptions.Item>
            <Descriptions.Item label={t('orders.dueDate')}>{order.dueDate ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={t('order.routing')}>{order.routingCode ? `${order.routingCode} / ${order.routingRevision}` : '—'}</Descriptions.Item>
            <Descriptions.Item label={t('order.bom')}>{order.bomRevision ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={t('order.workshop')}>{[order.workshopCode, order.lineCode].filter(Boolean).join(' / ') || '—'}</Descriptions.Item>
            <Descriptions.Item label={t('order.received')}>{`${order.received} ${order.baseUnit}`}</Descriptions.Item>
            <Descriptions.Item label={t('order.scrapped')}>{`${order.scrapped} ${order.baseUnit}`}</Descriptions.Item>
            <Descriptions.Item label={t('order.version')}>{order.version}</Descriptions.Item>
          </Descriptions>
          <Tabs
            items={[
              {
                key: 'operations',
                label: t('order.operations'),
                children: (
                  <Table
                    size="middle"
                    rowKey="id"
                    data-testid="order-operations"
                    pagination={false}
                    scroll={{ x: 'max-content' }}
                    dataSource={order.operations}
                    locale={{ emptyText: t('order.noOperations') }}
                    columns={[
                      { title: t('operation.seq'), dataIndex: 'seq' },
                      { title: t('operation.name'), dataIndex: 'name' },
                      { title: t('operation.workCentre'), dataIndex: 'workCentreCode' },
                      { title: t('operation.status'), dataIndex: 'status', render: (s: string) => <StatusTag status={s} /> },
                      { title: t('operation.good'), dataIndex: 'goodQuantity', align: 'right' },
                      { title: t('operation.scrap'), dataIndex: 'scrapQuantity', align: 'right' },
                      { title: t('operation.pending'), dataIndex: 'pendingInspectionQuantity', align: 'right' },
                      { title: t('operation.plannedMinutes'), dataIndex: 'plannedMinutes', align: 'right' },
                      { title: t('operation.actualStart'), dataIndex: 'actualStart', render: (v: string | null) => (v ? new Date(v).toLocaleString() : '—') },
                    ]}
                  />
                ),
              },
              {
                key: 'components',
                label: t('order.components'),
                children: (
                  <Table
                    size="middle"
                    rowKey="id"
                    pagination={false}
                    scroll={{ x: 'max-content' }}
                    dataSource={order.components}
                    locale={{ emptyText: t('order.noOperations') }}
                    columns={[
                      { title: t('component.line'), dataIndex: 'lineNo' },
                      { title: t('component.material'), dataIndex: 'materialCode', render: (v: string, c) => `${v} · ${c.materialName}` },
                      { title: t('component.operationSeq'), dataIndex: 'operationSeq' },
                      { title: t('component.required'), dataIndex: 'requiredQuantity', align: 'right', render: (v: string, c) => `${v} ${c.baseUnit}` },
                      { title: t('component.issued'), dataIndex: 'issuedQuantity', align: 'right' },
                      { title: t('component.backflushed'), dataIndex: 'backflushedQuantity', align: 'right' },
                    ]}
                  />
                ),
              },
              {
                key: 'reports',
                label: t('order.reports'),
                children: <ServerTable testId="order-reports" rowKey="id" load={(q) => client.production.execution.reports(order.id, q)} columns={reportColumns(t)} />,
              },
            ]}
          />
        </>
      )}
    </Page>
  );
}
