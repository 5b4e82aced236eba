import type { Kitting as KittingResult } from '@mes/sdk';
import { Alert, Button, Card, Empty, Form, Select, Space, Table, Tag } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { friendly, type FriendlyError } from '../../../app/errors';
import { useSession } from '../../../app/session';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { Page } from '../../../components/Page';

type Order = KittingResult['orders'][number];
/** antd's tag text colours are too light on their backgrounds for WCAG AA: dark text, the colour stays in the tag. */
const DARK = { color: '#1f1f1f' };
type Component = Order['components'][number];

/** Released and running orders to pick from, by number (the first 200, newest first). */
function useOpenOrders() {
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

/**
 * Kitting (齐套, S1-5.4.4-e, -k): the orders picked (in the URL, in the sequence they take free stock)
 * with each one's kit rate, shortages and the earliest date open supply covers them; allocating
 * sets the free stock aside for them.
 */
export default function Kitting() {
  const { t } = useTranslation('production');
  const { client, can } = useSession();
  const [params, setParams] = useSearchParams();
  const ids = (params.get('orders') ?? '').split(',').filter(Boolean);
  const options = useOpenOrders();
  const [result, setResult] = useState<KittingResult | null>(null);
  const [error, setError] = useState<FriendlyError | null>(null);
  const [busy, setBusy] = useState(false);
  const key = ids.join(',');

  const run = useCallback(async (allocate: boolean) => {
    if (!key) return setResult(null);
    setBusy(true);
    setError(null);
    try {
      const list = key.split(',');
      setResult(allocate ? await client.production.kitting.allocate(list) : await client.production.kitting.get(list));
    } catch (err) {
      setResult(null);
      setError(friendly(err, t));
    } finally {
      setBusy(false);
    }
  }, [client, key, t]);
  useEffect(() => {
    void run(false);
  }, [run]);

  const componentColumns = [
    { title: t('component.line'), dataIndex: 'lineNo' },
    { title: t('component.material'), dataIndex: 'materialCode' },
    { title: t('kitting.required'), dataIndex: 'required', align: 'right' as const, render: (v: string, c: Component) => `${v} ${c.baseUnit}` },
    { title: t('kitting.allocated'), dataIndex: 'allocated', align: 'right' as const },
    { title: t('kitting.available'), dataIndex: 'available', align: 'right' as const },
    { title: t('kitting.shortage'), dataIndex: 'shortage', align: 'right' as const, render: (v: string) => (Number(v) > 0 ? <Tag color="red" style={DARK}>{v}</Tag> : v) },
    { title: t('kitting.earliest'), dataIndex: 'earliestDate', render: (v: string | null, c: Component) => (Number(c.shortage) > 0 ? v ?? t('kitting.never') : '—') },
  ];

  return (
    <Page title={t('kitting.title')} help={t('kitting.help')}>
      <Form layout="inline" style={{ marginBottom: 16, rowGap: 8 }}>
        <Form.Item label={t('kitting.orders')} style={{ minWidth: 420 }}>
          <Select
            mode="multiple"
            showSearch
            optionFilterProp="label"
            value={ids}
            options={options}
            aria-label={t('kitting.orders')}
            data-testid="kitting-orders"
            onChange={(v: string[]) => setParams(v.length ? { orders: v.join(',') } : {})}
          />
        </Form.Item>
        <Form.Item>
          <Space>
            <Button onClick={() => void run(false)} disabled={!key} loading={busy} data-testid="kitting-check">{t('kitting.check')}</Button>
            {can('production:write') && <Button type="primary" onClick={() => void run(true)} disabled={!key} loading={busy} data-testid="kitting-allocate">{t('kitting.allocate')}</Button>}
          </Space>
        </Form.Item>
      </Form>
      <ErrorAlert error={error} />
      {!result ? (
        <Empty description={t('kitting.choose')} />
      ) : (
        <>
          {result.allocated && <Alert type="success" showIcon style={{ marginBottom: 16 }} message={t('kitting.allocatedNote')} data-testid="kitting-allocated" />}
          <Card size="small" title={t('kitting.shortages')} style={{ marginBottom: 16 }}>
            <Table
              size="small"
              rowKey="materialId"
              data-testid="kitting-shortages"
              pagination={false}
              dataSource={result.shortages}
              locale={{ emptyText: t('kitting.noShortage') }}
              columns={[
                { title: t('component.material'), dataIndex: 'materialCode' },
                { title: t('kitting.shortage'), dataIndex: 'shortage', align: 'right', render: (v: string, s) => `${v} ${s.baseUnit}` },
                { title: t('kitting.shortOrders'), dataIndex: 'orders', render: (v: string[]) => v.join(', ') },
              ]}
            />
          </Card>
          <Table<Order>
            size="middle"
            rowKey="orderId"
            data-testid="kitting-result"
            pagination={false}
            scroll={{ x: 'max-content' }}
            dataSource={result.orders}
            expandable={{ defaultExpandAllRows: true, expandedRowRender: (o) => <Table<Component> size="small" rowKey="componentId" pagination={false} dataSource={o.components} columns={componentColumns} /> }}
            columns={[
              { title: t('orders.docNo'), dataIndex: 'docNo', render: (v: string, o) => <Link to={`/production/orders/${o.orderId}`}>{v}</Link> },
              { title: t('orders.status'), dataIndex: 'status', render: (v: string) => t(`common:status.${v}`, { defaultValue: v }) },
              { title: t('kitting.rate'), dataIndex: 'kitRate', render: (v: string, o) => <Tag color={o.kitted ? 'green' : 'red'} style={DARK} data-testid={`kit-rate-${o.docNo}`}>{`${v}%`}</Tag> },
              { title: t('kitting.kitted'), dataIndex: 'kitted', render: (v: boolean) => (v ? <Tag color="green" style={DARK}>{t('kitting.yes')}</Tag> : <Tag color="red" style={DARK}>{t('kitting.no')}</Tag>) },
              { title: t('kitting.earliestKit'), dataIndex: 'earliestKitDate', render: (v: string | null, o) => (o.kitted ? t('kitting.now') : v ?? t('kitting.never')) },
            ]}
          />
        </>
      )}
    </Page>
  );
}
