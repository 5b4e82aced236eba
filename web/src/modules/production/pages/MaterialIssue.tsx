import type { FifoSuggestion, ProductionMaterialDocument, ProductionOrder } from '@mes/sdk';
import { Alert, Button, Card, Empty, Form, Select, Table, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { friendly, type FriendlyError } from '../../../app/errors';
import { useSession } from '../../../app/session';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { Field } from '../../../components/Fields';
import { toBody } from '../../../components/FormDrawer';
import { Page } from '../../../components/Page';
import { ServerTable } from '../../../components/ServerTable';
import { useSubmit } from '../../../components/useSubmit';

type Pick = FifoSuggestion['picks'][number] & { key: string; materialCode: string; shortfall: string };

/** Released and running orders to issue to, by number. */
function useIssuableOrders() {
  const { client } = useSession();
  const [options, setOptions] = useState<{ value: string; label: string }[]>([]);
  useEffect(() => {
    void Promise.all(['released', 'in_progress'].map((status) => client.production.orders.list({ status: status as never, limit: 100 }))).then(
      (pages) => setOptions(pages.flatMap((p) => p.items).map((o) => ({ value: o.id, label: `${o.docNo} · ${o.materialCode} × ${o.quantity}` }))),
      () => setOptions([]),
    );
  }, [client]);
  return options;
}

/** The components still open on an order: required − issued − backflushed. */
function openOf(c: ProductionOrder['components'][number]): number {
  return Number(c.requiredQuantity) - Number(c.issuedQuantity) - Number(c.backflushedQuantity);
}

/**
 * Material issue to a production order (S1-5.4.4-f): the order in the URL, its open components,
 * the FIFO/FEFO picks the stock ledger suggests (batches past expiry never), and the issue by
 * order or by operation, which the server posts on those picks. The order's material documents
 * are listed under it.
 */
export default function MaterialIssue() {
  const { t } = useTranslation('production');
  const { client, can } = useSession();
  const [params, setParams] = useSearchParams();
  const orderId = params.get('order') ?? '';
  const warehouseId = params.get('warehouse') ?? '';
  const orders = useIssuableOrders();
  const [order, setOrder] = useState<ProductionOrder | null>(null);
  const [picks, setPicks] = useState<Pick[]>([]);
  const [loadError, setLoadError] = useState<FriendlyError | null>(null);
  const [posted, setPosted] = useState<ProductionMaterialDocument | null>(null);
  const [reload, setReload] = useState(0);
  const [form] = Form.useForm();

  const load = useCallback(async () => {
    setLoadError(null);
    if (!orderId) return setOrder(null);
    try {
      const o = await client.production.orders.get(orderId);
      setOrder(o);
      const open = o.components.filter((c) => openOf(c) > 0);
      const suggestions = await Promise.all(open.map((c) => client.stock.fifo({ materialId: c.materialId, quantity: String(openOf(c)), ...(warehouseId ? { warehouseId } : {}) })));
      setPicks(suggestions.flatMap((s, i) => {
        const rows = s.picks.map((p, j) => ({ ...p, key: `${s.materialId}-${j}`, materialCode: open[i].materialCode, shortfall: s.shortfall }));
        return rows.length ? rows : [{ key: `${s.materialId}-none`, materialCode: open[i].materialCode, shortfall: s.shortfall, warehouseId: '', binId: null, batchId: null, batchNo: null, serialNo: null, expiryDate: null, receivedAt: null, available: '0', quantity: '0' }];
      }));
    } catch (err) {
      setOrder(null);
      setLoadError(friendly(err, t));
    }
  }, [client, orderId, warehouseId, t]);
  useEffect(() => {
    void load();
  }, [load, reload]);

  const { submit, submitting, error, unplaced } = useSubmit(form, (v: Record<string, unknown>) => client.production.execution.issue(orderId, toBody({ ...v, operationSeq: v.operationSeq ? Number(v.operationSeq) : undefined }) as never), (doc) => {
    setPosted(doc);
    setReload((n) => n + 1);
  });

  return (
    <Page title={t('issue.title')} help={t('issue.help')}>
      <Form layout="inline" style={{ marginBottom: 16, rowGap: 8 }}>
        <Form.Item label={t('issue.order')}>
          <Select
            style={{ minWidth: 320 }}
            showSearch
            optionFilterProp="label"
            value={orderId || undefined}
            options={orders}
            aria-label={t('issue.order')}
            data-testid="issue-order"
            onChange={(v: string) => {
              setPosted(null);
              setParams(v ? { order: v } : {});
            }}
          />
        </Form.Item>
      </Form>
      <ErrorAlert error={loadError} />
      {!order ? (
        <Empty description={t('issue.choose')} />
      ) : (
        <>
          <Typography.Paragraph>
            <Link to={`/production/orders/${order.id}`} style={{ textDecoration: 'underline' }}>{order.docNo}</Link> · {order.materialCode} · {order.materialName} × {order.quantity} {order.unit}
          </Typography.Paragraph>
          <Table
            size="middle"
            rowKey="id"
            data-testid="issue-components"
            pagination={false}
            scroll={{ x: 'max-content' }}
            dataSource={order.components}
            style={{ marginBottom: 16 }}
            columns={[
              { title: t('component.line'), dataIndex: 'lineNo' },
              { title: t('component.material'), dataIndex: 'materialCode', render: (v: string, c) => `${v} · ${c.materialName}` },
              { title: t('component.operationSeq'), dataIndex: 'operationSeq' },
              { title: t('component.required'), dataIndex: 'requiredQuantity', align: 'right', render: (v: string, c) => `${v} ${c.baseUnit}` },
              { title: t('component.issued'), dataIndex: 'issuedQuantity', align: 'right' },
              { title: t('issue.open'), key: 'open', align: 'right', render: (_: unknown, c) => String(Math.max(0, openOf(c))) },
            ]}
          />
          <Card size="small" title={t('issue.fifo')} style={{ marginBottom: 16 }}>
            <Table<Pick>
              size="small"
              rowKey="key"
              data-testid="issue-fifo"
              pagination={false}
              scroll={{ x: 'max-content' }}
              dataSource={picks}
              locale={{ emptyText: t('issue.nothingOpen') }}
              columns={[
                { title: t('component.material'), dataIndex: 'materialCode' },
                { title: t('issue.batch'), dataIndex: 'batchNo', render: (v: string | null, p) => v ?? p.serialNo ?? '—' },
                { title: t('issue.expiry'), dataIndex: 'expiryDate', render: (v: string | null) => v ?? '—' },
                { title: t('issue.receivedAt'), dataIndex: 'receivedAt', render: (v: string | null) => (v ? new Date(v).toLocaleDateString() : '—') },
                { title: t('issue.available'), dataIndex: 'available', align: 'right' },
                { title: t('issue.pick'), dataIndex: 'quantity', align: 'right' },
                { title: t('issue.shortfall'), dataIndex: 'shortfall', align: 'right', render: (v: string) => (Number(v) > 0 ? <Tag color="red" style={{ color: '#1f1f1f' }}>{v}</Tag> : v) },
              ]}
            />
          </Card>
          {can('production:write') && (
            <Card size="small" title={t('issue.post')} style={{ marginBottom: 16 }}>
              <ErrorAlert error={error} unplaced={unplaced} />
              <Form form={form} layout="inline" onFinish={submit} style={{ rowGap: 8 }} data-testid="issue-form" onValuesChange={(changed: Record<string, unknown>) => {
                if ('warehouseId' in changed) setParams({ order: orderId, ...(changed.warehouseId ? { warehouse: String(changed.warehouseId) } : {}) });
              }}>
                <Field spec={{ name: 'warehouseId', label: t('issue.warehouse'), kind: 'warehouse', initial: warehouseId || undefined }} />
                <Field spec={{ name: 'operationSeq', label: t('issue.operation'), kind: 'select', options: order.operations.map((o) => ({ value: String(o.seq), label: `${o.seq} · ${o.name}` })) }} />
                <Field spec={{ name: 'reason', label: t('issue.reason') }} />
                <Form.Item>
                  <Button type="primary" htmlType="submit" loading={submitting} data-testid="issue-submit">{t('issue.submit')}</Button>
                </Form.Item>
              </Form>
            </Card>
          )}
          {posted && (
            <Alert
              type="success"
              showIcon
              style={{ marginBottom: 16 }}
              data-testid="issue-posted"
              message={t('issue.posted', { docNo: posted.docNo })}
              description={<ul style={{ margin: 0 }}>{posted.lines.map((l) => <li key={l.lineNo}>{`${l.materialCode} ${l.baseQuantity} ${l.baseUnit} · ${l.warehouseCode}${l.binCode ? `/${l.binCode}` : ''}${l.batchNo ? ` · ${t('issue.batch')} ${l.batchNo}` : ''} (${t(`issue.origins.${l.origin}`)})`}</li>)}</ul>}
            />
          )}
          <ServerTable<ProductionMaterialDocument>
            testId="issue-documents"
            rowKey="id"
            reloadKey={`${orderId}-${reload}`}
            load={(q) => client.production.execution.materialDocuments(orderId, q)}
            columns={[
              { title: t('issue.docNo'), dataIndex: 'docNo' },
              { title: t('issue.kind'), dataIndex: 'kind', render: (v: string) => t(`issue.kinds.${v}`) },
              { title: t('issue.operation'), dataIndex: 'operationSeq', render: (v: number | null) => v ?? '—' },
              { title: t('issue.lines'), dataIndex: 'lines', render: (ls: ProductionMaterialDocument['lines']) => ls.map((l) => `${l.materialCode} ${l.baseQuantity}${l.batchNo ? ` (${l.batchNo})` : ''}`).join('; ') },
              { title: t('issue.by'), dataIndex: 'createdBy' },
              { title: t('issue.at'), dataIndex: 'createdAt', render: (v: string) => new Date(v).toLocaleString() },
            ]}
          />
        </>
      )}
    </Page>
  );
}
