import type { PurchaseReceipt, PurchaseReceiptSummary } from '@mes/sdk';
import { Alert, Button, Form, Input, List, Table } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { friendly, type FriendlyError } from '../../../app/errors';
import { useSession } from '../../../app/session';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { Page } from '../../../components/Page';
import { RefSelect } from '../../../components/RefSelect';
import { useSubmit } from '../../../components/useSubmit';

/** The inspector's worklist: pick a receipt, enter accepted/rejected per line, choose the warehouse. */
export default function Inspection() {
  const { t } = useTranslation('purchasing');
  const { client } = useSession();
  const [pending, setPending] = useState<PurchaseReceiptSummary[]>([]);
  const [receipt, setReceipt] = useState<PurchaseReceipt | null>(null);
  const [loadError, setLoadError] = useState<FriendlyError | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [reload, setReload] = useState(0);
  const [form] = Form.useForm();

  useEffect(() => {
    client.purchasing.receipts.list({ pendingInspection: true, limit: 100 }).then((r) => setPending(r.items), (err) => setLoadError(friendly(err, t)));
  }, [client, reload, t]);

  async function open(id: string) {
    setDone(null);
    const r = await client.purchasing.receipts.get(id);
    setReceipt(r);
    form.setFieldsValue({ warehouseId: undefined, lines: r.lines.map((l) => ({ receiptLineId: l.id, accepted: l.pending, rejected: '0' })) });
  }

  const { submit, submitting, error, unplaced } = useSubmit(
    form,
    (v: { warehouseId?: string; lines: { receiptLineId: string; accepted: string; rejected: string }[] }) =>
      client.purchasing.receipts.inspect(receipt!.id, { lines: v.lines.map((l) => ({ ...l, ...(v.warehouseId ? { warehouseId: v.warehouseId } : {}) })) }),
    () => {
      setDone(t('inspection.done', { docNo: receipt!.docNo }));
      setReceipt(null);
      setReload((n) => n + 1);
    },
  );

  return (
    <Page title={t('inspection.title')} help={t('inspection.help')}>
      <ErrorAlert error={loadError} />
      {done && <Alert type="success" showIcon message={done} style={{ marginBottom: 16 }} data-testid="inspection-done" />}
      <List
        bordered
        dataSource={pending}
        locale={{ emptyText: t('inspection.none') }}
        renderItem={(r) => (
          <List.Item actions={[<Button key="open" onClick={() => void open(r.id)} data-testid={`inspect-${r.docNo}`}>{t('common:actions.open')}</Button>]}>
            {r.docNo} · {r.orderDocNo} · {new Date(r.createdAt).toLocaleString()}
          </List.Item>
        )}
      />
      {receipt && (
        <Form form={form} layout="vertical" onFinish={submit} style={{ marginTop: 24 }} data-testid="inspection-form">
          <h2 style={{ fontSize: 18 }}>{t('inspection.receipt')}: {receipt.docNo}</h2>
          <ErrorAlert error={error} unplaced={unplaced} />
          <Form.Item name="warehouseId" label={t('inspection.warehouse')} rules={[{ required: true, message: t('common:form.required', { label: t('inspection.warehouse') }) }]}>
            <RefSelect kind="warehouse" testId="inspection-warehouse" aria-label={t('inspection.warehouse')} />
          </Form.Item>
          <Table
            rowKey="id"
            pagination={false}
            dataSource={receipt.lines.map((l, i) => ({ ...l, i }))}
            columns={[
              { title: t('inspection.line'), dataIndex: 'lineNo' },
              { title: t('inspection.material'), dataIndex: 'materialCode' },
              { title: t('inspection.received'), render: (_: unknown, l) => `${l.pending} ${l.baseUnit}` },
              { title: t('inspection.accepted'), render: (_: unknown, l) => <><Form.Item name={['lines', l.i, 'receiptLineId']} hidden><Input /></Form.Item><Form.Item name={['lines', l.i, 'accepted']} style={{ margin: 0 }}><Input aria-label={t('inspection.accepted')} data-testid={`accepted-${l.i}`} /></Form.Item></> },
              { title: t('inspection.rejected'), render: (_: unknown, l) => <Form.Item name={['lines', l.i, 'rejected']} style={{ margin: 0 }}><Input aria-label={t('inspection.rejected')} data-testid={`rejected-${l.i}`} /></Form.Item> },
            ]}
          />
          <Button type="primary" htmlType="submit" loading={submitting} style={{ marginTop: 16 }} data-testid="inspection-submit">
            {t('inspection.inspect')}
          </Button>
        </Form>
      )}
    </Page>
  );
}
