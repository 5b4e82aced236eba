import type { CountSheetSummary } from '@mes/sdk';
import { Alert, Button, Form, Input, Select } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { friendly, type FriendlyError } from '../../../app/errors';
import { useSession } from '../../../app/session';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { ScanInput, type ScanInputHandle } from '../../../components/ScanInput';

/** PDA count entry: pick the open sheet, scan (bin, then item), enter the count, record. */
export default function PdaCount() {
  const { t } = useTranslation('stock');
  const { client } = useSession();
  const [sheets, setSheets] = useState<CountSheetSummary[]>([]);
  const [sheetId, setSheetId] = useState<string>();
  const [location, setLocation] = useState<string>();
  const [item, setItem] = useState<string>();
  const [quantity, setQuantity] = useState('');
  const [error, setError] = useState<FriendlyError | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const scan = useRef<ScanInputHandle>(null);

  useEffect(() => {
    client.countSheets.list({ status: 'open' } as never).then((r) => {
      setSheets(r.items);
      if (r.items.length === 1) setSheetId(r.items[0].id);
    }, (err) => setError(friendly(err, t)));
  }, [client, t]);

  async function record() {
    if (!sheetId || !item) return;
    setError(null);
    try {
      await client.countSheets.addEntries(sheetId, { entries: [{ barcode: item, quantity, ...(location ? { locationBarcode: location } : {}) }] } as never);
      setDone(t('pdaCount.recorded', { material: item, quantity }));
      setItem(undefined);
      setQuantity('');
      scan.current?.focus();
    } catch (err) {
      setError(friendly(err, t));
    }
  }

  /** A bin label (AI 91) sets the location; anything else is the item. */
  function onScan(code: string) {
    setDone(null);
    if (/\(91\)|^(\]C1)?91/.test(code) && !item) setLocation(code);
    else setItem(code);
  }

  return (
    <section>
      <h1 style={{ fontSize: 22 }}>{t('pdaCount.title')}</h1>
      <p>{t('pdaCount.help')}</p>
      {sheets.length === 0 && <Alert type="info" message={t('pdaCount.none')} />}
      <Form layout="vertical">
        <Form.Item label={t('pdaCount.sheet')}>
          <Select size="large" value={sheetId} onChange={setSheetId} options={sheets.map((s) => ({ value: s.id, label: `${s.sheetNo} · ${s.warehouseCode}` }))} aria-label={t('pdaCount.sheet')} data-testid="count-sheet" />
        </Form.Item>
        <Form.Item label={t('pdaCount.item')}>
          <ScanInput ref={scan} label={t('pdaCount.item')} onScan={onScan} />
        </Form.Item>
        {location && <Alert type="info" message={`${t('pdaCount.location')}: ${location}`} />}
        {item && <Alert type="success" message={`${t('pdaCount.item')}: ${item}`} />}
        <Form.Item label={t('pdaCount.quantity')}>
          <Input size="large" inputMode="decimal" value={quantity} onChange={(e) => setQuantity(e.target.value)} style={{ fontSize: 20 }} aria-label={t('pdaCount.quantity')} data-testid="count-quantity" />
        </Form.Item>
        <ErrorAlert error={error} />
        {done && <Alert type="success" showIcon message={done} style={{ marginBottom: 12 }} />}
        <Button type="primary" size="large" block style={{ height: 56 }} disabled={!sheetId || !item || !quantity} onClick={() => void record()}>
          {t('pdaCount.add')}
        </Button>
      </Form>
    </section>
  );
}
