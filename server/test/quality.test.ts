/**
 * Quality through real HTTP (S1-5.4.5 a, b, c, e): standards and plans, AQL sampling, inspection
 * orders from a purchase receipt and by hand, results and automatic judgement, review, switching
 * rules, and dispositions whose stock effects are checked in the ledger.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createTenant, startTestServer, type TestServer } from './harness.js';
import { fanBoms, productionTenant } from './production-setup.js';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => t?.stop());

async function setup(slug: string) {
  const tenant = await createTenant(t, slug);
  const api = (method: string, path: string, body?: unknown) => call(t.url, tenant.key, method, path, body);
  const make = async (path: string, body: unknown, status = 201) => {
    const res = await api('POST', path, body);
    if (res.status !== status) throw new Error(`${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };
  await make('/v1/units', { code: 'PCS', name: 'Pieces', decimals: 0 });
  const main = (await make('/v1/warehouses', { code: 'MAIN', name: 'Main' })).id as string;
  const quarantine = (await make('/v1/warehouses', { code: 'QUAR', name: 'Quarantine', kind: 'quarantine' })).id as string;
  const supplier = (await make('/v1/suppliers', { code: 'SUP-1', name: 'Steel Co' })).id as string;
  const shaft = await make('/v1/materials', { code: 'SHAFT', name: 'Shaft', baseUnit: 'PCS', category: 'shafts' });
  await make('/v1/quality-defect-codes', { code: 'DIA-OOT', name: 'Diameter out of tolerance', severity: 'major' });
  await make('/v1/quality-defect-codes', { code: 'CRACK', name: 'Crack', severity: 'critical' });
  await make('/v1/quality-defect-codes', { code: 'SCRATCH', name: 'Scratch', severity: 'minor' });
  const standard = await make('/v1/quality-standards', {
    code: 'STD-SHAFT', name: 'Shafts', materialCategory: 'shafts',
    items: [
      { code: 'DIA', name: 'Diameter', kind: 'quantitative', nominal: '10.00', lowerLimit: '9.95', upperLimit: '10.05', unit: 'mm', decimals: 2, defectCode: 'DIA-OOT', instrument: 'micrometer' },
      { code: 'SURFACE', name: 'Surface', kind: 'qualitative', defectCode: 'SCRATCH', method: 'visual' },
    ],
  });
  const incoming = await make('/v1/quality-plans', { code: 'IQC-SHAFT', name: 'Incoming shafts', inspectionType: 'incoming', standardId: standard.id, sampling: 'aql', aql: '1.0', inspectionLevel: 'II' });
  const order = async (quantity: string) => {
    const o = await make('/v1/purchase-orders', { supplierId: supplier, lines: [{ materialId: shaft.id, quantity }] });
    await make(`/v1/purchase-orders/${o.id}/approve`, { version: o.version }, 200);
    return make('/v1/purchase-receipts', { orderId: o.id });
  };
  /** Every item of every sample; the first `bad` samples have their diameter out of limits, `cracked` ones a crack. */
  const results = (n: number, bad = 0, cracked = 0) => Array.from({ length: n }, (_, k) => [
    { sampleNo: k + 1, itemCode: 'DIA', value: k < bad ? '10.07' : '10.01', unit: 'mm' },
    k >= bad && k < bad + cracked ? { sampleNo: k + 1, itemCode: 'SURFACE', passed: false, defectCode: 'CRACK' } : { sampleNo: k + 1, itemCode: 'SURFACE', passed: true },
  ]).flat();
  const balances = async (materialId: string) =>
    (await api('GET', `/v1/stock/balances?materialId=${materialId}`)).body.items.map((b: any) => [b.warehouseCode, b.batchNo, b.quantity]);
  const movements = async (materialId: string) =>
    (await api('GET', `/v1/stock/movements?materialId=${materialId}`)).body.items.map((m: any) => [m.type, m.warehouseCode ?? m.warehouseId, m.quantity]);
  return { ...tenant, api, make, main, quarantine, supplier, shaft, standard, incoming, order, results, balances, movements };
}

describe('standards and plans', () => {
  it('S1-5.4.5-a keeps standards with quantitative and qualitative items, defect codes and plans; refuses inconsistent items', async () => {
    const T = await setup('q-std');
    const got = (await T.api('GET', `/v1/quality-standards/${T.standard.id}`)).body;
    expect(got.items.map((i: any) => [i.itemNo, i.code, i.kind, i.nominal, i.lowerLimit, i.upperLimit, i.unit, i.decimals, i.defectCode])).toEqual([
      [1, 'DIA', 'quantitative', '10.00', '9.95', '10.05', 'mm', 2, 'DIA-OOT'],
      [2, 'SURFACE', 'qualitative', null, null, null, null, null, 'SCRATCH'],
    ]);
    const bad = await T.api('POST', '/v1/quality-standards', {
      code: 'STD-BAD', name: 'Bad', materialId: T.shaft.id,
      items: [
        { code: 'LEN', name: 'Length', kind: 'quantitative', lowerLimit: '5.123', unit: 'mm', decimals: 2 },
        { code: 'LOOK', name: 'Look', kind: 'qualitative', upperLimit: '3', defectCode: 'NOPE' },
      ],
    });
    expect(bad.status).toBe(422);
    expect(bad.body.errors.map((e: any) => [e.field, e.code])).toEqual([
      ['items[0].lowerLimit', 'TOO_MANY_DECIMALS'],
      ['items[1].upperLimit', 'NOT_QUANTITATIVE'],
      ['items[1].defectCode', 'UNKNOWN_DEFECT_CODE'],
    ]);
    expect((await T.api('GET', '/v1/quality-standards')).body.items.map((s: any) => s.code)).toEqual(['STD-SHAFT']);
    const patrol = await T.api('POST', '/v1/quality-plans', { code: 'PATROL', name: 'Patrol', inspectionType: 'patrol', standardId: T.standard.id, itemCodes: ['DIA'], sampling: 'fixed', sampleSize: 5 });
    expect(patrol.status).toBe(422);
    expect(patrol.body.errors.map((e: any) => e.code)).toEqual(['REQUIRED']);
    const ok = await T.make('/v1/quality-plans', { code: 'PATROL', name: 'Patrol', inspectionType: 'patrol', standardId: T.standard.id, itemCodes: ['DIA'], sampling: 'fixed', sampleSize: 5, everyHours: '2' });
    expect(ok).toMatchObject({ inspectionType: 'patrol', itemCodes: ['DIA'], sampleSize: 5, acceptNumber: 0, everyHours: '2' });
    expect((await T.api('GET', '/v1/quality-plans?inspectionType=incoming')).body.items.map((p: any) => p.code)).toEqual(['IQC-SHAFT']);
  });

  it('S1-5.4.5-a answers the GB/T 2828.1 sampling plan for a lot', async () => {
    const T = await setup('q-aql');
    const p = (await T.api('GET', '/v1/quality-sampling-plan?lotSize=1000&aql=1.0&level=II')).body;
    expect(p).toMatchObject({ codeLetter: 'J', sampleSize: 80, ac: 2, re: 3, severity: 'normal', fullInspection: false });
    expect((await T.api('GET', '/v1/quality-sampling-plan?lotSize=1000&aql=1.0&severity=tightened')).body).toMatchObject({ sampleSize: 80, ac: 1, re: 2 });
    expect((await T.api('GET', '/v1/quality-sampling-plan?lotSize=1000&aql=1.0&severity=reduced')).body).toMatchObject({ sampleSize: 32, ac: 1, re: 2 });
    expect((await T.api('GET', '/v1/quality-sampling-plan?lotSize=1000&aql=3.0')).status).toBe(400);
  });
});

describe('incoming inspection', () => {
  it('S1-5.4.5-b/c/e a purchase receipt starts an AQL inspection; bad results write nothing; 3 of 80 defective rejects the lot; a concession and a return go through the ledger', async () => {
    const T = await setup('q-incoming');
    const receipt = await T.order('1000');
    const made = await T.make(`/v1/purchase-receipts/${receipt.id}/quality-inspections`, {});
    expect(made.items).toHaveLength(1);
    const insp = made.items[0];
    expect(insp).toMatchObject({
      inspectionType: 'incoming', sourceKind: 'purchase_receipt', receiptId: receipt.id, supplierId: T.supplier, lotSize: '1000', severity: 'normal',
      codeLetter: 'J', sampleSize: 80, acceptNumber: 2, rejectNumber: 3, status: 'open', planCode: 'IQC-SHAFT',
    });
    expect(insp.docNo).toMatch(/^QI\d{8}-\d{4}$/);
    // A line is not inspected twice at once.
    expect((await T.api('POST', '/v1/quality-inspections', { planId: T.incoming.id, receiptLineId: receipt.lines[0].id })).body.code).toBe('INSPECTION_OPEN');

    // Bad input: nothing written.
    const short = await T.api('POST', `/v1/quality-inspections/${insp.id}/results`, { results: T.results(79) });
    expect(short.status).toBe(422);
    expect(short.body.errors.map((e: any) => e.code)).toEqual(['SAMPLE_COUNT_MISMATCH']);
    const wrong = T.results(80);
    wrong[0] = { sampleNo: 1, itemCode: 'DIA', value: '10.012', unit: 'mm' };
    wrong[2] = { sampleNo: 2, itemCode: 'DIA', value: '0.01', unit: 'm' };
    const bad = await T.api('POST', `/v1/quality-inspections/${insp.id}/results`, { results: wrong });
    expect(bad.status).toBe(422);
    expect(bad.body.errors.map((e: any) => [e.field, e.code])).toEqual([['results[0].value', 'TOO_MANY_DECIMALS'], ['results[2].unit', 'UNIT_MISMATCH']]);
    expect((await T.api('GET', `/v1/quality-inspections/${insp.id}`)).body).toMatchObject({ status: 'open', results: [], judgement: null });

    // 3 of 80 defective ≥ Re 3: the lot is not accepted.
    const judged = await T.make(`/v1/quality-inspections/${insp.id}/results`, { results: T.results(80, 3) }, 200);
    expect(judged).toMatchObject({ status: 'judged', defectives: 3, judgement: 'defective', automaticJudgement: 'defective', rejectedQuantity: '1000' });
    expect(judged.judgementReason).toContain('3 of 80 pieces defective ≥ Re 3');
    expect(judged.results).toHaveLength(160);
    expect(judged.results.filter((r: any) => !r.passed).map((r: any) => [r.sampleNo, r.itemCode, r.value, r.defectCode])).toEqual([
      [1, 'DIA', '10.07', 'DIA-OOT'], [2, 'DIA', '10.07', 'DIA-OOT'], [3, 'DIA', '10.07', 'DIA-OOT'],
    ]);
    expect((await T.api('POST', `/v1/quality-inspections/${insp.id}/results`, { results: T.results(80) })).body.code).toBe('ALREADY_JUDGED');

    // Disposition beyond the rejected quantity, and a concession without approval: nothing written.
    const over = await T.api('POST', `/v1/quality-inspections/${insp.id}/dispositions`, { lines: [{ kind: 'return', quantity: '900' }, { kind: 'return', quantity: '101' }] });
    expect(over.status).toBe(422);
    expect(over.body.errors.map((e: any) => [e.field, e.code])).toEqual([['lines[1].quantity', 'DISPOSITION_EXCEEDS_REJECTED']]);
    const unapproved = await T.api('POST', `/v1/quality-inspections/${insp.id}/dispositions`, { lines: [{ kind: 'concession', quantity: '10', warehouseId: T.main, reason: 'cosmetic' }] });
    expect(unapproved.body.errors.map((e: any) => e.code)).toEqual(['CONCESSION_NEEDS_APPROVAL']);
    expect((await T.api('POST', `/v1/quality-inspections/${insp.id}/dispositions`, { lines: [{ kind: 'scrap', quantity: '10' }] })).body.errors.map((e: any) => e.code)).toEqual(['DISPOSITION_NOT_ALLOWED']);
    expect(await T.balances(T.shaft.id)).toEqual([]);

    // 200 used under concession into MAIN, 100 quarantined, 700 returned to the supplier.
    const disposed = await T.make(`/v1/quality-inspections/${insp.id}/dispositions`, {
      lines: [
        { kind: 'concession', quantity: '200', warehouseId: T.main, approvedBy: 'QA manager Wang', reason: 'diameter within assembly tolerance' },
        { kind: 'quarantine', quantity: '100', warehouseId: T.quarantine },
        { kind: 'return', quantity: '700', reason: 'diameter' },
      ],
    }, 200);
    expect(disposed.status).toBe('closed');
    expect(disposed.dispositions.map((d: any) => [d.kind, d.quantity, d.approvedBy, !!d.purchaseInboundId, !!d.purchaseReturnId])).toEqual([
      ['concession', '200', 'QA manager Wang', true, false], ['quarantine', '100', null, true, false], ['return', '700', null, false, true],
    ]);
    expect(await T.balances(T.shaft.id)).toEqual(expect.arrayContaining([['MAIN', null, '200'], ['QUAR', null, '100']]));
    expect((await T.balances(T.shaft.id)).length).toBe(2);
    const r = (await T.api('GET', `/v1/purchase-receipts/${receipt.id}`)).body;
    expect(r.status).toBe('inspected');
    expect(r.lines.map((l: any) => [l.accepted, l.rejected, l.pending])).toEqual([['300', '700', '0']]);
    const ret = (await T.api('GET', `/v1/purchase-returns/${disposed.dispositions[2].purchaseReturnId}`)).body;
    expect(ret.lines.map((l: any) => l.baseQuantity)).toEqual(['700']);
    expect((await T.api('POST', `/v1/quality-inspections/${insp.id}/dispositions`, { lines: [{ kind: 'return', quantity: '1' }] })).body.code).toBe('INSPECTION_CLOSED');
    const events = (await T.api('GET', `/v1/events?aggregateId=${insp.id}&limit=100`)).body.items.map((e: any) => e.type);
    expect(events).toEqual(['quality_inspection.created', 'quality_inspection.judged', 'quality_inspection.disposed']);
  });

  it('S1-5.4.5-a two rejected lots of a supplier\'s material switch it to tightened inspection; the next lot is sampled tightened', async () => {
    const T = await setup('q-switch');
    const state = () => T.api('GET', `/v1/quality-switching-state?supplierId=${T.supplier}&materialId=${T.shaft.id}`);
    expect((await state()).body).toMatchObject({ severity: 'normal', recent: [] });
    for (let lot = 0; lot < 2; lot++) {
      const receipt = await T.order('1000');
      const [insp] = (await T.make(`/v1/purchase-receipts/${receipt.id}/quality-inspections`, {})).items;
      expect(insp).toMatchObject({ severity: 'normal', sampleSize: 80, acceptNumber: 2 });
      await T.make(`/v1/quality-inspections/${insp.id}/results`, { results: T.results(80, 3) }, 200);
    }
    expect((await state()).body).toMatchObject({ severity: 'tightened', recent: [] });
    const receipt = await T.order('1000');
    const [insp] = (await T.make(`/v1/purchase-receipts/${receipt.id}/quality-inspections`, {})).items;
    expect(insp).toMatchObject({ severity: 'tightened', codeLetter: 'J', sampleSize: 80, acceptNumber: 1, rejectNumber: 2 });
    // 2 defective passes normal inspection (Ac 2) but not tightened (Re 2).
    const judged = await T.make(`/v1/quality-inspections/${insp.id}/results`, { results: T.results(80, 2) }, 200);
    expect(judged).toMatchObject({ judgement: 'defective' });
    expect(judged.judgementReason).toContain('tightened');
    expect((await state()).body).toMatchObject({ severity: 'tightened', tightenedRejections: 1 });
  });
});

describe('inspections by hand, review and in-stock dispositions', () => {
  async function stocked(slug: string) {
    const T = await setup(slug);
    await T.make('/v1/stock-documents', { type: 'other_in', post: true, lines: [{ materialId: T.shaft.id, warehouseId: T.main, quantity: '100' }] });
    const final = await T.make('/v1/quality-plans', { code: 'FQC', name: 'Final', inspectionType: 'final', standardId: T.standard.id, sampling: 'fixed', sampleSize: 5, acceptNumber: 0 });
    const create = () => T.make('/v1/quality-inspections', { planId: final.id, materialId: T.shaft.id, lotSize: '100', warehouseId: T.main });
    return { ...T, final, create };
  }

  it('S1-5.4.5-c a critical defect judges the lot scrap; scrap and quarantine move stock through the ledger; rework needs a production order', async () => {
    const T = await stocked('q-scrap');
    const insp = await T.create();
    expect(insp).toMatchObject({ sourceKind: 'manual', inspectionType: 'final', sampleSize: 5, acceptNumber: 0, rejectNumber: 1 });
    const judged = await T.make(`/v1/quality-inspections/${insp.id}/results`, { results: T.results(5, 0, 1) }, 200);
    expect(judged).toMatchObject({ judgement: 'scrap', defectives: 1, rejectedQuantity: '100' });
    expect(judged.judgementReason).toContain('critical defect CRACK');
    const rework = await T.api('POST', `/v1/quality-inspections/${insp.id}/dispositions`, { lines: [{ kind: 'rework', quantity: '10' }, { kind: 'return', quantity: '1' }] });
    expect(rework.body.errors.map((e: any) => [e.field, e.code])).toEqual([['lines[0].productionOrderId', 'REQUIRED'], ['lines[1].kind', 'DISPOSITION_NOT_ALLOWED']]);
    const notQuarantine = await T.api('POST', `/v1/quality-inspections/${insp.id}/dispositions`, { lines: [{ kind: 'quarantine', quantity: '10', warehouseId: T.main }] });
    expect(notQuarantine.body.errors.map((e: any) => e.code)).toEqual(['NOT_QUARANTINE_WAREHOUSE']);
    const done = await T.make(`/v1/quality-inspections/${insp.id}/dispositions`, {
      lines: [{ kind: 'scrap', quantity: '60', reason: 'cracked' }, { kind: 'quarantine', quantity: '40', warehouseId: T.quarantine }],
    }, 200);
    expect(done.status).toBe('closed');
    expect(await T.balances(T.shaft.id)).toEqual(expect.arrayContaining([['QUAR', null, '40']]));
    expect((await T.balances(T.shaft.id)).find((b: any) => b[0] === 'MAIN')?.[2] ?? '0').toBe('0');
    const moves = await T.movements(T.shaft.id);
    expect(moves.map((m: any) => [m[0], m[2]])).toEqual(expect.arrayContaining([['other_out', '-60'], ['transfer_out', '-40'], ['transfer_in', '40']]));
  });

  it('S1-5.4.5-c a judgement is overturned only with a reason, by quality:review, before disposition; who and when are kept', async () => {
    const T = await stocked('q-review');
    const insp = await T.create();
    const judged = await T.make(`/v1/quality-inspections/${insp.id}/results`, { results: T.results(5, 1) }, 200);
    expect(judged).toMatchObject({ judgement: 'defective', judgedBy: expect.any(String), judgedAt: expect.any(String) });
    const noReason = await T.api('POST', `/v1/quality-inspections/${insp.id}/review`, { judgement: 'good', reason: '', version: judged.version });
    expect(noReason.status).toBe(400);
    const stale = await T.api('POST', `/v1/quality-inspections/${insp.id}/review`, { judgement: 'good', reason: 'gauge out of calibration', version: 1 });
    expect(stale.body.code).toBe('VERSION_CONFLICT');
    const inspector = await T.make('/v1/api-keys', { name: 'inspector', permissions: ['quality:inspect', 'quality:read'] });
    const denied = await call(t.url, inspector.key, 'POST', `/v1/quality-inspections/${insp.id}/review`, { judgement: 'good', reason: 'x', version: judged.version });
    expect(denied.status).toBe(403);
    const reviewed = await T.make(`/v1/quality-inspections/${insp.id}/review`, { judgement: 'good', reason: 'gauge out of calibration; re-measured 10.03', version: judged.version }, 200);
    expect(reviewed).toMatchObject({
      judgement: 'good', automaticJudgement: 'defective', reviewReason: 'gauge out of calibration; re-measured 10.03', reviewedBy: expect.any(String), reviewedAt: expect.any(String), rejectedQuantity: '0',
    });
    const accepted = await T.make(`/v1/quality-inspections/${insp.id}/dispositions`, { lines: [{ kind: 'accept', quantity: '100' }] }, 200);
    expect(accepted.status).toBe('closed');
    expect(await T.balances(T.shaft.id)).toEqual([['MAIN', null, '100']]);
    const again = await T.api('POST', `/v1/quality-inspections/${insp.id}/review`, { judgement: 'defective', reason: 'x', version: accepted.version });
    expect(again.body.code).toBe('ALREADY_DISPOSED');
    const list = (await T.api('GET', '/v1/quality-inspections?status=closed')).body.items;
    expect(list.map((i: any) => i.id)).toEqual([insp.id]);
  });

  it('S1-5.3.2-a another tenant\'s inspection, standard and plan are not found', async () => {
    const A = await stocked('q-ten-a');
    const B = await setup('q-ten-b');
    const insp = await A.create();
    expect((await B.api('GET', `/v1/quality-inspections/${insp.id}`)).status).toBe(404);
    expect((await B.api('POST', `/v1/quality-inspections/${insp.id}/results`, { results: A.results(5) })).status).toBe(404);
    expect((await B.api('GET', `/v1/quality-standards/${A.standard.id}`)).status).toBe(404);
    expect((await B.api('POST', '/v1/quality-inspections', { planId: A.final.id, materialId: B.shaft.id, lotSize: '5' })).status).toBe(404);
  });
});

describe('inspections of a production order', () => {
  it('S1-5.4.5-b/e a final inspection of a production order\'s output (full inspection); the defective pieces go to a rework order linked to the order, issued to it through the ledger; the rest is accepted', async () => {
    const P = await productionTenant(t, 'q-production');
    await fanBoms(P);
    const order = await P.make('/v1/production-orders', { materialCode: 'FAN-A', quantity: '10', workshopCode: 'WS-ASSY', lineCode: 'L1', plannedStart: '2026-03-02', plannedFinish: '2026-03-06' });
    const fg = (await P.make('/v1/warehouses', { code: 'FG', name: 'Finished goods' })).id;
    await P.make('/v1/stock-documents', { type: 'other_in', post: true, lines: [{ materialId: P.m.fan, warehouseId: fg, quantity: '10' }] });
    await P.make('/v1/quality-defect-codes', { code: 'NOISE', name: 'Noisy bearing', severity: 'major' });
    const std = await P.make('/v1/quality-standards', { code: 'STD-FAN', name: 'Fan', materialId: P.m.fan, items: [{ code: 'RUN', name: 'Run test', kind: 'qualitative', defectCode: 'NOISE' }] });
    const plan = await P.make('/v1/quality-plans', { code: 'FQC-FAN', name: 'Final fan', inspectionType: 'final', standardId: std.id, sampling: 'full' });
    const other = await P.as('POST', '/v1/quality-inspections', { planId: plan.id, productionOrderId: order.id, materialId: P.m.motor, lotSize: '10' });
    expect(other.body.errors.map((e: any) => e.code)).toEqual(['NOT_ORDER_OUTPUT', 'PLAN_NOT_FOR_MATERIAL']);
    const insp = await P.make('/v1/quality-inspections', { planId: plan.id, productionOrderId: order.id, lotSize: '10', warehouseId: fg });
    expect(insp).toMatchObject({ sourceKind: 'production_order', productionOrderId: order.id, materialId: P.m.fan, sampleSize: 10, acceptNumber: 0 });
    const results = Array.from({ length: 10 }, (_, k) => ({ sampleNo: k + 1, itemCode: 'RUN', passed: k >= 2 }));
    const judged = await P.make(`/v1/quality-inspections/${insp.id}/results`, { results });
    expect(judged).toMatchObject({ judgement: 'defective', defectives: 2, rejectedQuantity: '2' });
    const overRework = await P.as('POST', `/v1/quality-inspections/${insp.id}/dispositions`, { lines: [{ kind: 'rework', quantity: '3', productionOrderId: order.id }] });
    expect(overRework.body.errors.map((e: any) => e.code)).toEqual(['DISPOSITION_EXCEEDS_REJECTED']);
    const done = await P.make(`/v1/quality-inspections/${insp.id}/dispositions`, { lines: [{ kind: 'rework', quantity: '2', productionOrderId: order.id, reason: 'replace bearing' }, { kind: 'accept', quantity: '8' }] });
    expect(done.status).toBe('closed');
    expect(done.dispositions.map((d: any) => [d.kind, d.quantity, d.productionOrderId])).toEqual([['rework', '2', order.id], ['accept', '8', null]]);
    // The rework order is a production order of its own (source rework), linked to the order and naming the inspection.
    const rework = (await P.as('GET', `/v1/production-orders/${done.dispositions[0].reworkOrderId}`)).body;
    expect(rework).toMatchObject({ source: 'rework', reworkOfOrderId: order.id, sourceRef: insp.docNo, materialId: P.m.fan, baseQuantity: '2', status: 'planned', bomVersionId: null });
    expect(done.dispositions[1].reworkOrderId).toBeNull();
    // The 2 pieces leave FG for the rework order through the ledger.
    const stock = (await P.as('GET', `/v1/stock/balances?materialId=${P.m.fan}`)).body.items.map((b: any) => [b.warehouseCode, b.quantity]);
    expect(stock).toEqual([['FG', '8']]);
    const moves = (await P.as('GET', `/v1/stock/movements?sourceId=${done.dispositions[0].id}`)).body.items.map((m: any) => [m.type, m.quantity]);
    expect(moves).toEqual([['issue', '-2']]);
  });
});
