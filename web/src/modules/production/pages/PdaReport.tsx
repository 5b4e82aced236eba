import type { ProductionOrder, ProductionOrderSummary } from '@mes/sdk';
import { Alert, Button, Checkbox, Form, Input, Radio, Select, Space } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { friendly, type FriendlyError } from '../../../app/errors';
import { useSession } from '../../../app/session';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { ScanInput } from '../../../components/ScanInput';
import { StatusTag } from '../../../components/StatusTag';
import { useSubmit } from '../../../components/useSubmit';

type Action = 'start' | 'pause' | 'resume' | 'report';
interface Values {
  operator?: string;
  reason?: string;
  goodQuantity?: string;
  scrapQuantity?: string;
  scrapReason?: string;
  end?: boolean;
  /** Which button: not a form field. */
  action?: Action;
}
const OPERATOR_KEY = 'mes.pda.operator';
const RUNNING = new Set(['released', 'in_progress']);
const big = { height: 56, fontSize: 20 };

/**
 * PDA work reporting at the operation: scan or pick a released order, pick the operation, start /
 * pause (with a reason) / resume it, report good and scrap. Every field error lands on its field.
 */
export default function PdaReport() {
  const { t } = useTranslation('production');
  const { client } = useSession();
  const [form] = Form.useForm<Values>();
  const [orders, setOrders] = useState<ProductionOrderSummary[]>([]);
  const [order, setOrder] = useState<ProductionOrder | null>(null);
  const [seq, setSeq] = useState<number>();
  const [done, setDone] = useState<string | null>(null);
  const [loadError, setLoadError] = useState<FriendlyError | null>(null);

  useEffect(() => {
    client.production.orders.list({ status: 'open', limit: 200 }).then((p) => setOrders(p.items.filter((o) => RUNNING.has(o.status))), (err) => setLoadError(friendly(err, t)));
    form.setFieldsValue({ operator: localStorage.getItem(OPERATOR_KEY) ?? undefined });
  }, [client, form, t]);

  async function choose(id: string | undefined) {
    setDone(null);
    setLoadError(null);
    setOrder(null);
    if (!id) return;
    try {
      const o = await client.production.orders.get(id);
      setOrder(o);
      setSeq(o.operations.find((op) => op.status !== 'completed')?.seq);
    } catch (err) {
      setLoadError(friendly(err, t));
    }
  }

  /** A scanned order number (or the order's label text). */
  async function onScan(code: string) {
    const found = orders.find((o) => o.docNo === code) ?? (await client.production.orders.list({ docNo: code, limit: 1 })).items.find((o) => RUNNING.has(o.status));
    if (found) await choose(found.id);
    else setLoadError({ code: 'NOT_FOUND', status: 404, message: t('pdaReport.notFound', { code }), fields: [] });
  }

  const { submit, submitting, error, unplaced } = useSubmit(form, async (v: Values) => {
    if (!order || !seq) throw new Error(t('pdaReport.chooseOrder'));
    if (v.operator) localStorage.setItem(OPERATOR_KEY, v.operator);
    const terminal = { operator: v.operator ?? '' };
    if (v.action === 'report') {
      const r = await client.production.execution.report(order.id, {
        operationSeq: seq, ...terminal, goodQuantity: v.goodQuantity || undefined, scrapQuantity: v.scrapQuantity || undefined, scrapReason: v.scrapReason || undefined, end: v.end || undefined,
      });
      form.setFieldsValue({ goodQuantity: undefined, scrapQuantity: undefined, scrapReason: undefined, end: false });
      return t('pdaReport.reported', { docNo: r.docNo, good: r.goodQuantity, scrap: r.scrapQuantity });
    }
    await client.production.execution.operationEvent(order.id, seq, { event: v.action as 'start' | 'pause' | 'resume', ...terminal, reason: v.action === 'pause' ? v.reason : undefined });
    form.setFieldsValue({ reason: undefined });
    return t('pdaReport.event', { seq, event: t(`event.${v.action}`) });
  }, (text) => {
    setDone(text);
    void choose(order!.id).then(() => setDone(text));
  });

  const run = (action: Action) => {
    setDone(null);
    void submit({ ...form.getFieldsValue(), action });
  };
  const op = order?.operations.find((o) => o.seq === seq);

  return (
    <section>
      <h1 style={{ fontSize: 22 }}>{t('pdaReport.title')}</h1>
      <p>{t('pdaReport.help')}</p>
      <ScanInput label={t('pdaReport.order')} onScan={(c) => void onScan(c)} testId="report-scan" />
      <Select
        size="large"
        showSearch
        optionFilterProp="label"
        allowClear
        placeholder={t('pdaReport.chooseOrder')}
        aria-label={t('pdaReport.chooseOrder')}
        data-testid="report-order"
        style={{ width: '100%', marginTop: 12 }}
        value={order?.id}
        onChange={(id) => void choose(id)}
        options={orders.map((o) => ({ value: o.id, label: `${o.docNo} · ${o.materialCode} × ${o.quantity}` }))}
        notFoundContent={t('pdaReport.none')}
      />
      <ErrorAlert error={loadError} />
      {order && (
        <Radio.Group value={seq} onChange={(e) => setSeq(e.target.value as number)} style={{ width: '100%', margin: '12px 0' }} aria-label={t('pdaReport.operation')} data-testid="report-operations">
          <Space direction="vertical" style={{ width: '100%' }}>
            {order.operations.map((o) => (
              <Radio.Button key={o.seq} value={o.seq} style={{ width: '100%', height: 'auto', padding: '8px 12px', fontSize: 18 }} data-testid={`report-op-${o.seq}`}>
                {o.seq} · {o.name} <StatusTag status={o.status} /> {t('operation.good')} {o.goodQuantity}
              </Radio.Button>
            ))}
          </Space>
        </Radio.Group>
      )}
      <Form form={form} layout="vertical" disabled={!op || op.status === 'completed'}>
        <Form.Item name="operator" label={t('pdaReport.operator')}>
          <Input size="large" autoComplete="off" style={{ fontSize: 20 }} data-testid="report-operator" />
        </Form.Item>
        {op?.status === 'in_progress' && (
          <>
            <Form.Item name="goodQuantity" label={t('pdaReport.good')}>
              <Input size="large" inputMode="decimal" style={{ fontSize: 20 }} data-testid="report-good" />
            </Form.Item>
            <Form.Item name="scrapQuantity" label={t('pdaReport.scrap')}>
              <Input size="large" inputMode="decimal" style={{ fontSize: 20 }} data-testid="report-scrap" />
            </Form.Item>
            <Form.Item name="scrapReason" label={t('pdaReport.scrapReason')}>
              <Input size="large" style={{ fontSize: 20 }} data-testid="report-scrap-reason" />
            </Form.Item>
            <Form.Item name="end" valuePropName="checked">
              <Checkbox style={{ fontSize: 18 }} data-testid="report-end">{t('pdaReport.end')}</Checkbox>
            </Form.Item>
            <Form.Item name="reason" label={t('pdaReport.reason')}>
              <Input size="large" style={{ fontSize: 20 }} data-testid="report-reason" />
            </Form.Item>
          </>
        )}
        <ErrorAlert error={error} unplaced={unplaced} />
        {done && <Alert type="success" showIcon message={done} style={{ marginBottom: 12 }} data-testid="report-done" />}
        <Space direction="vertical" style={{ width: '100%' }}>
          {op?.status === 'pending' && <Button type="primary" block loading={submitting} style={big} onClick={() => run('start')} data-testid="report-start">{t('pdaReport.start')}</Button>}
          {op?.status === 'paused' && <Button type="primary" block loading={submitting} style={big} onClick={() => run('resume')} data-testid="report-resume">{t('pdaReport.resume')}</Button>}
          {op?.status === 'in_progress' && (
            <>
              <Button type="primary" block loading={submitting} style={big} onClick={() => run('report')} data-testid="report-submit">{t('pdaReport.report')}</Button>
              <Button block loading={submitting} style={big} onClick={() => run('pause')} data-testid="report-pause">{t('pdaReport.pause')}</Button>
            </>
          )}
        </Space>
      </Form>
    </section>
  );
}
