import type { DeliveryPlan, DeliveryPlanSummary, FifoSuggestion, SalesOutbound, Warehouse } from '@mes/sdk';
import { Alert, Button, Input, List, Select } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { friendly, type FriendlyError } from '../../../app/errors';
import { useSession } from '../../../app/session';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { ScanInput, type ScanInputHandle } from '../../../components/ScanInput';

/**
 * Pick and ship on a PDA: choose the plan and the warehouse, see where first-in-first-out says to
 * pick each material (batch, bin), scan each item into the outbound, post it.
 */
export default function PdaShip() {
  const { t } = useTranslation('sales');
  const { client } = useSession();
  const [plans, setPlans] = useState<DeliveryPlanSummary[]>([]);
  const [warehouses, setWarehouses] = useState<Warehouse[]>([]);
  const [planId, setPlanId] = useState<string>();
  const [warehouseId, setWarehouseId] = useState<string>();
  const [plan, setPlan] = useState<DeliveryPlan | null>(null);
  const [fifo, setFifo] = useState<FifoSuggestion[]>([]);
  const [outbound, setOutbound] = useState<SalesOutbound | null>(null);
  const [quantity, setQuantity] = useState('');
  const [error, setError] = useState<FriendlyError | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const scan = useRef<ScanInputHandle>(null);
  const fail = (err: unknown) => setError(friendly(err, t));

  useEffect(() => {
    Promise.all([client.sales.deliveryPlans.list({ limit: 100 }), client.warehouses.list()]).then(([p, w]) => {
      setPlans(p.items.filter((x) => x.status === 'open' || x.status === 'partially_shipped'));
      setWarehouses(w.items.filter((x) => x.kind === 'normal'));
      if (w.items.length === 1) setWarehouseId(w.items[0].id);
    }, fail);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [client]);

  async function start() {
    setError(null);
    setDone(null);
    try {
      const p = await client.sales.deliveryPlans.get(planId!);
      setPlan(p);
      setFifo(await Promise.all(p.lines.filter((l) => Number(l.open) > 0).map((l) => client.stock.fifo({ materialId: l.materialId, quantity: l.open, warehouseId }))));
      setOutbound(await client.sales.outbounds.create({ planId: planId!, warehouseId, lines: [] }));
    } catch (err) {
      fail(err);
    }
  }

  async function onScan(code: string) {
    setError(null);
    try {
      setOutbound(await client.sales.outbounds.scan(outbound!.id, { scans: [{ barcode: code, ...(quantity ? { quantity } : {}) }] }));
      setQuantity('');
    } catch (err) {
      fail(err);
    }
    scan.current?.focus();
  }

  async function post() {
    setError(null);
    try {
      const posted = await client.sales.outbounds.post(outbound!.id);
      setDone(t('pdaShip.posted', { docNo: posted.docNo }));
      setOutbound(null);
      setPlan(null);
    } catch (err) {
      fail(err);
    }
  }

  return (
    <section>
      <h1 style={{ fontSize: 22 }}>{t('pdaShip.title')}</h1>
      <p>{t('pdaShip.help')}</p>
      {done && <Alert type="success" showIcon message={done} data-testid="ship-done" style={{ marginBottom: 12 }} />}
      {!outbound && (
        <>
          {plans.length === 0 && <Alert type="info" message={t('pdaShip.none')} />}
          <label htmlFor="ship-plan">{t('pdaShip.plan')}</label>
          <Select id="ship-plan" size="large" style={{ width: '100%', marginBottom: 12 }} value={planId} onChange={setPlanId} options={plans.map((p) => ({ value: p.id, label: `${p.docNo} · ${p.customerCode} · ${p.plannedDate}` }))} data-testid="ship-plan" aria-label={t('pdaShip.plan')} />
          <label htmlFor="ship-warehouse">{t('pdaShip.warehouse')}</label>
          <Select id="ship-warehouse" size="large" style={{ width: '100%', marginBottom: 12 }} value={warehouseId} onChange={setWarehouseId} options={warehouses.map((w) => ({ value: w.id, label: `${w.code} · ${w.name}` }))} data-testid="ship-warehouse" aria-label={t('pdaShip.warehouse')} />
          <Button type="primary" block size="large" style={{ height: 56 }} disabled={!planId || !warehouseId} onClick={() => void start()} data-testid="ship-start">
            {t('pdaShip.start')}
          </Button>
        </>
      )}
      {outbound && plan && (
        <>
          <List
            header={t('pdaShip.fifo')}
            bordered
            data-testid="fifo"
            dataSource={fifo.flatMap((f) => f.picks.map((p, i) => ({ key: `${f.materialId}-${i}`, code: plan.lines.find((l) => l.materialId === f.materialId)?.materialCode, ...p })))}
            renderItem={(p) => (
              <List.Item style={{ fontSize: 18 }}>
                {t('pdaShip.pick')} {p.code} × {p.quantity} {p.batchNo ? `· ${t('pdaShip.batch')} ${p.batchNo}` : ''} {p.expiryDate ? `· ${p.expiryDate}` : ''}
              </List.Item>
            )}
          />
          <Input size="large" inputMode="decimal" placeholder={t('pdaShip.quantity')} aria-label={t('pdaShip.quantity')} value={quantity} onChange={(e) => setQuantity(e.target.value)} style={{ margin: '12px 0 8px', fontSize: 20, height: 56 }} data-testid="ship-quantity" />
          <ScanInput ref={scan} label={t('pdaShip.item')} onScan={(c) => void onScan(c)} testId="ship-scan" />
          <List header={t('pdaShip.scanned')} bordered style={{ marginTop: 12 }} dataSource={outbound.lines} data-testid="ship-lines" renderItem={(l) => <List.Item>{l.materialCode} × {l.quantity} {l.unit} {l.batchNo ? `· ${l.batchNo}` : ''}</List.Item>} />
          <ErrorAlert error={error} />
          <Button type="primary" block size="large" style={{ marginTop: 12, height: 64, fontSize: 20 }} disabled={outbound.lines.length === 0} onClick={() => void post()} data-testid="ship-post">
            {t('pdaShip.post')}
          </Button>
        </>
      )}
      {!outbound && <ErrorAlert error={error} />}
    </section>
  );
}
