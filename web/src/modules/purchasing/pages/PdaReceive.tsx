import type { PurchaseOrderSummary } from '@mes/sdk';
import { Alert, Button, Input, List, Select } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { friendly, type FriendlyError } from '../../../app/errors';
import { useSession } from '../../../app/session';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { ScanInput, type ScanInputHandle } from '../../../components/ScanInput';

interface Line {
  barcode: string;
  quantity: string;
}

/**
 * Receiving on a PDA: the order (its number scanned, or chosen), then item labels with quantities;
 * the receipt names each item by what was scanned and the server finds the order line.
 */
export default function PdaReceive() {
  const { t } = useTranslation('purchasing');
  const { client } = useSession();
  const [orders, setOrders] = useState<PurchaseOrderSummary[]>([]);
  const [orderId, setOrderId] = useState<string>();
  const [item, setItem] = useState<string>();
  const [quantity, setQuantity] = useState('');
  const [lines, setLines] = useState<Line[]>([]);
  const [error, setError] = useState<FriendlyError | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const scan = useRef<ScanInputHandle>(null);
  const qty = useRef<HTMLInputElement>(null);

  useEffect(() => {
    client.purchasing.orders.list({ status: 'open', limit: 100 } as never).then((r) => setOrders(r.items), (err) => setError(friendly(err, t)));
  }, [client, t]);

  function onScan(code: string) {
    setDone(null);
    setError(null);
    const order = orders.find((o) => o.docNo === code || code.endsWith(`92${o.docNo}`) || code.includes(`(92)${o.docNo}`));
    if (order) return setOrderId(order.id);
    setItem(code);
    setTimeout(() => qty.current?.focus(), 0);
  }

  function add() {
    if (!item || !quantity) return;
    setLines((l) => [...l, { barcode: item, quantity }]);
    setItem(undefined);
    setQuantity('');
    scan.current?.focus();
  }

  async function submit() {
    setBusy(true);
    setError(null);
    try {
      const receipt = await client.purchasing.receipts.create({ orderId: orderId!, lines });
      setDone(t('pdaReceive.done', { docNo: receipt.docNo }));
      setLines([]);
    } catch (err) {
      setError(friendly(err, t));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section>
      <h1 style={{ fontSize: 22 }}>{t('pdaReceive.title')}</h1>
      <p>{t('pdaReceive.help')}</p>
      <label htmlFor="pda-order">{t('pdaReceive.order')}</label>
      <Select id="pda-order" size="large" style={{ width: '100%', marginBottom: 12 }} placeholder={t('pdaReceive.scanOrder')} value={orderId} onChange={setOrderId} options={orders.map((o) => ({ value: o.id, label: `${o.docNo} · ${o.supplierCode}` }))} data-testid="pda-order" aria-label={t('pdaReceive.order')} />
      <ScanInput ref={scan} label={t('pdaReceive.item')} onScan={onScan} />
      {item && <Alert type="info" message={`${t('pdaReceive.item')}: ${item}`} style={{ marginTop: 8 }} data-testid="scanned-item" />}
      <Input ref={qty as never} size="large" inputMode="decimal" placeholder={t('pdaReceive.quantity')} aria-label={t('pdaReceive.quantity')} value={quantity} onChange={(e) => setQuantity(e.target.value)} onPressEnter={add} style={{ marginTop: 8, fontSize: 20, height: 56 }} data-testid="pda-quantity" />
      <Button block size="large" style={{ marginTop: 8, height: 56 }} disabled={!item || !quantity} onClick={add} data-testid="pda-add">
        {t('pdaReceive.add')}
      </Button>
      <List header={t('pdaReceive.lines')} bordered style={{ marginTop: 12 }} dataSource={lines} renderItem={(l) => <List.Item>{l.barcode} × {l.quantity}</List.Item>} data-testid="pda-lines" />
      <ErrorAlert error={error} />
      {done && <Alert type="success" showIcon message={done} style={{ marginTop: 12 }} data-testid="pda-done" />}
      <Button type="primary" block size="large" style={{ marginTop: 12, height: 64, fontSize: 20 }} disabled={!orderId || lines.length === 0} loading={busy} onClick={() => void submit()} data-testid="pda-submit">
        {t('pdaReceive.submit')}
      </Button>
    </section>
  );
}
