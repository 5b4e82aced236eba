/**
 * Inspection orders started by production events, through real HTTP (S1-5.4.5-b): the first report
 * of an operation (first article), an operation's inspection point (in-process), reported pieces
 * crossing a patrol plan's N (patrol), a patrol round every N hours, a production receipt (final);
 * each once, however often the event is replayed. Purchasing's inspection gate recorded in the one
 * inspection model; a rework disposition making a rework order (S1-5.4.5-e).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPatrolRounds } from '../src/modules/quality/jobs.js';
import { startTestServer, type TestServer } from './harness.js';
import { productionTenant } from './production-setup.js';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => t?.stop());

/**
 * WIDGET (category widgets) made on a routing Press (10) → Check (20, an inspection point naming
 * plan IPQC-W); plans for the category: first article (every operation), in-process, final,
 * patrol every 5 pieces at operation 10 and patrol every 2 hours.
 */
async function widgetPlant(slug: string) {
  const P = await productionTenant(t, slug);
  const widget = (await P.make('/v1/materials', { code: 'WIDGET', name: 'Widget', baseUnit: 'PCS', category: 'widgets' })).id as string;
  const rt = await P.make('/v1/routings', {
    code: 'RT-W', name: 'Widget', effectiveFrom: '2026-01-01',
    operations: [
      { seq: 10, name: 'Press', workCentreCode: 'WC-PRESS', runMinutes: '1' },
      { seq: 20, name: 'Check', workCentreCode: 'WC-ASSY', runMinutes: '1', inspectionPoint: true, inspectionRef: 'IPQC-W' },
    ],
  });
  await P.make(`/v1/routings/${rt.id}/release`, { version: rt.version });
  const m = (await P.as('GET', `/v1/materials/${widget}`)).body;
  await P.as('PATCH', `/v1/materials/${widget}`, { version: m.version, defaultRouting: 'RT-W' });
  const fg = (await P.make('/v1/warehouses', { code: 'FG', name: 'Finished goods' })).id as string;
  await P.make('/v1/quality-defect-codes', { code: 'BURR', name: 'Burr', severity: 'major' });
  const std = await P.make('/v1/quality-standards', { code: 'STD-W', name: 'Widgets', materialCategory: 'widgets', items: [{ code: 'LOOK', name: 'Look', kind: 'qualitative', defectCode: 'BURR' }] });
  const plan = (body: Record<string, unknown>) => P.make('/v1/quality-plans', { standardId: std.id, sampling: 'fixed', sampleSize: 1, ...body });
  const plans = {
    fai: await plan({ code: 'FAI-W', name: 'First article', inspectionType: 'first_article' }),
    ipqc: await plan({ code: 'IPQC-W', name: 'In-process', inspectionType: 'in_process', sampling: 'full', sampleSize: undefined }),
    fqc: await plan({ code: 'FQC-W', name: 'Final', inspectionType: 'final', sampleSize: 2 }),
    patrolPieces: await plan({ code: 'PQC-5', name: 'Patrol every 5', inspectionType: 'patrol', everyPieces: 5, operationSeq: 10 }),
    patrolHours: await plan({ code: 'PQC-2H', name: 'Patrol every 2 h', inspectionType: 'patrol', everyHours: '2' }),
  };
  const created = await P.make('/v1/production-orders', { materialCode: 'WIDGET', quantity: '10', plannedStart: '2026-03-02', plannedFinish: '2026-03-06' });
  const order = await P.make(`/v1/production-orders/${created.id}/release`, { version: created.version });
  const report = (operationSeq: number, goodQuantity: string, extra: Record<string, unknown> = {}) =>
    P.make(`/v1/production-orders/${order.id}/reports`, { operationSeq, goodQuantity, operator: 'W-1', endedAt: '2026-03-03T10:00:00.000Z', ...extra });
  /** The order's inspections, oldest first: [trigger, plan, operation, lot, sample]. */
  const inspections = async () => (await P.as('GET', `/v1/quality-inspections?productionOrderId=${order.id}&limit=100`)).body.items.reverse();
  const rows = async () => (await inspections()).map((i: any) => [i.trigger, i.planCode, i.operationSeq, i.lotSize, i.sampleSize]);
  return { ...P, widget, fg, std, plans, order, report, inspections, rows };
}

describe('inspection orders from production events (S1-5.4.5-b)', () => {
  it('S1-5.4.5-b: the first report of each operation starts a first-article inspection, an inspection point an in-process one per report, crossing every 5 pieces a patrol one', async () => {
    const P = await widgetPlant('qt-ops');
    expect(await P.rows()).toEqual([]);
    const first = await P.report(10, '3');
    let rows = await P.rows();
    expect(rows).toEqual([['first_report', 'FAI-W', 10, '3', 1]]);
    expect((await P.inspections())[0]).toMatchObject({ inspectionType: 'first_article', sourceKind: 'production_order', workReportId: first.id, materialId: P.widget, status: 'open' });
    // 3 + 4 = 7 crosses 5: a patrol order; no second first article.
    await P.report(10, '4');
    // 7 + 3 = 10 crosses 10.
    await P.report(10, '3');
    rows = await P.rows();
    expect(rows).toEqual([['first_report', 'FAI-W', 10, '3', 1], ['patrol_pieces', 'PQC-5', 10, '5', 1], ['patrol_pieces', 'PQC-5', 10, '5', 1]]);
    // Operation 20 is an inspection point naming IPQC-W (full inspection of what passed); its first report is also a first article; PQC-5 covers operation 10 only.
    await P.report(20, '6', { pendingInspectionQuantity: '1' });
    await P.report(20, '2');
    // (Orders of one report share its transaction's time: compared as a set.)
    expect((await P.rows()).slice(3).sort()).toEqual([
      ['first_report', 'FAI-W', 20, '7', 1], ['inspection_point', 'IPQC-W', 20, '7', 7], ['inspection_point', 'IPQC-W', 20, '2', 2],
    ].sort());
    // A report of scrap only passes nothing: no in-process order for it, but its pieces count for patrol.
    const scrapOnly = await P.as('POST', `/v1/production-orders/${P.order.id}/reports`, { operationSeq: 20, scrapQuantity: '1', operator: 'W-1' });
    expect(scrapOnly.status).toBe(201);
    expect(await P.inspections()).toHaveLength(6);
  });

  it('S1-5.4.5-b: a production receipt starts one final inspection of the lot in its warehouse; the receipt replayed (same Idempotency-Key) starts none more', async () => {
    const P = await widgetPlant('qt-final');
    await P.report(10, '10');
    await P.report(20, '10');
    const before = (await P.inspections()).length;
    const headers = { 'Idempotency-Key': 'receipt-qt-final-1' };
    const r1 = await P.as('POST', `/v1/production-orders/${P.order.id}/receipts`, { warehouseCode: 'FG', lines: [{ quantity: '6' }] }, headers);
    expect(r1.status).toBe(201);
    const r2 = await P.as('POST', `/v1/production-orders/${P.order.id}/receipts`, { warehouseCode: 'FG', lines: [{ quantity: '6' }] }, headers);
    expect(r2.body.id).toBe(r1.body.id);
    const finals = (await P.inspections()).slice(before);
    expect(finals.map((i: any) => [i.trigger, i.inspectionType, i.planCode, i.lotSize, i.sampleSize, i.warehouseId, i.productionReceiptId])).toEqual([
      ['production_receipt', 'final', 'FQC-W', '6', 2, P.fg, r1.body.id],
    ]);
    expect((await P.as('GET', '/v1/quality-inspections?inspectionType=final')).body.items).toHaveLength(1);
  });

  it('S1-5.4.5-b: the patrol timer runs every active time patrol plan of every tenant; per plan, order and window one inspection, however often it ticks, even two replicas at once', async () => {
    const P = await widgetPlant('qt-timer');
    const db = t.server.built.ctx.db;
    const mine = async () => (await P.inspections()).filter((i: any) => i.trigger === 'patrol_hours').map((i: any) => [i.planCode, i.createdBy, i.lotSize]);
    // Nothing runs yet: the timer finds the plan but no order in progress.
    const idle = await runPatrolRounds(db, new Date('2026-03-05T08:10:00.000Z'));
    expect(idle.failed).toBe(0);
    expect(idle.plans).toBeGreaterThanOrEqual(1);
    expect(await mine()).toEqual([]);
    await P.report(10, '1');
    await runPatrolRounds(db, new Date('2026-03-05T08:10:00.000Z'));
    expect(await mine()).toEqual([['PQC-2H', 'system:quality-patrol', '10']]);
    // A restart ticking again in the same window (08:00–10:00) creates nothing anywhere.
    expect((await runPatrolRounds(db, new Date('2026-03-05T09:59:00.000Z'))).created).toBe(0);
    expect(await mine()).toHaveLength(1);
    // Two replicas ticking at once in the next window: one inspection, not two.
    const [a, b] = await Promise.all([runPatrolRounds(db, new Date('2026-03-05T10:01:00.000Z')), runPatrolRounds(db, new Date('2026-03-05T10:02:00.000Z'))]);
    expect([a.failed, b.failed]).toEqual([0, 0]);
    expect(await mine()).toHaveLength(2);
    // A retired plan is not run.
    const plan = (await P.as('GET', `/v1/quality-plans/${P.plans.patrolHours.id}`)).body;
    await P.as('PATCH', `/v1/quality-plans/${plan.id}`, { version: plan.version, status: 'retired' });
    await runPatrolRounds(db, new Date('2026-03-05T12:30:00.000Z'));
    expect(await mine()).toHaveLength(2);
  });

  it('S1-5.4.5-b: a patrol round every 2 hours gives each running order one inspection per window; asked again in the window it creates nothing', async () => {
    const P = await widgetPlant('qt-patrol');
    // Not started yet: no order in progress, nothing due.
    expect((await P.make(`/v1/quality-plans/${P.plans.patrolHours.id}/patrol-due`, { at: '2026-03-03T08:10:00.000Z' })).items).toEqual([]);
    await P.report(10, '1');
    const round = (at: string) => P.make(`/v1/quality-plans/${P.plans.patrolHours.id}/patrol-due`, { at });
    const a = await round('2026-03-03T08:10:00.000Z');
    expect(a.items.map((i: any) => [i.trigger, i.planCode, i.productionOrderId, i.lotSize, i.sampleSize])).toEqual([['patrol_hours', 'PQC-2H', P.order.id, '10', 1]]);
    const again = await round('2026-03-03T09:50:00.000Z');
    expect(again.items.map((i: any) => i.id)).toEqual([a.items[0].id]);
    const next = await round('2026-03-03T10:00:00.000Z');
    expect(next.items).toHaveLength(1);
    expect(next.items[0].id).not.toBe(a.items[0].id);
    expect((await P.inspections()).filter((i: any) => i.trigger === 'patrol_hours')).toHaveLength(2);
    // Only time-based patrol plans have rounds; bad input is a clear 4xx.
    expect((await P.as('POST', `/v1/quality-plans/${P.plans.patrolPieces.id}/patrol-due`, {})).body.code).toBe('NOT_TIME_PATROL');
    expect((await P.as('POST', `/v1/quality-plans/${P.plans.patrolHours.id}/patrol-due`, { at: 'yesterday' })).status).toBe(400);
    expect((await P.as('POST', '/v1/quality-plans/00000000-0000-4000-8000-000000000000/patrol-due', {})).status).toBe(404);
    // A final or incoming plan does not name an operation.
    const bad = await P.as('POST', '/v1/quality-plans', { code: 'FQC-OP', name: 'x', inspectionType: 'final', standardId: P.std.id, sampling: 'full', operationSeq: 10 });
    expect(bad.status).toBe(422);
    expect(bad.body.errors.map((e: any) => [e.field, e.code])).toEqual([['operationSeq', 'NOT_AN_OPERATION_PLAN']]);
  });
});

/** An order operation as [seq, name, work centre, planned minutes, good quantity, inspection point, inspection ref]. */
const opRow = (o: any) => [o.seq, o.name, o.workCentreCode, o.plannedMinutes, o.goodQuantity, o.inspectionPoint, o.inspectionRef];

describe('rework (S1-5.4.5-e)', () => {
  it('S1-5.4.5-c/e: the final inspection of a receipt judged defective goes to rework: a rework order linked to the production order, the lot issued to it through the ledger, received back when reworked', async () => {
    const P = await widgetPlant('qt-rework');
    await P.report(10, '10');
    await P.report(20, '10');
    await P.make(`/v1/production-orders/${P.order.id}/receipts`, { warehouseCode: 'FG', lines: [{ quantity: '4' }] });
    const final = (await P.inspections()).find((i: any) => i.trigger === 'production_receipt');
    const judged = await P.make(`/v1/quality-inspections/${final.id}/results`, { results: [{ sampleNo: 1, itemCode: 'LOOK', passed: true }, { sampleNo: 2, itemCode: 'LOOK', passed: false }] });
    expect(judged).toMatchObject({ judgement: 'defective', defectives: 1, rejectedQuantity: '4' });
    const done = await P.make(`/v1/quality-inspections/${final.id}/dispositions`, { lines: [{ kind: 'rework', quantity: '4', reason: 'deburr' }] });
    expect(done.status).toBe('closed');
    const d = done.dispositions[0];
    expect(d).toMatchObject({ kind: 'rework', quantity: '4', productionOrderId: P.order.id, reworkOrderId: expect.any(String) });
    const rework = (await P.as('GET', `/v1/production-orders/${d.reworkOrderId}`)).body;
    // Found after the last operation: the rework order goes back through Check (20) only, planned for its 4 pieces.
    expect(rework).toMatchObject({ source: 'rework', reworkOfOrderId: P.order.id, sourceRef: final.docNo, materialId: P.widget, baseQuantity: '4', bomVersionId: null, routingVersionId: P.order.routingVersionId });
    expect(rework.operations.map(opRow)).toEqual([[20, 'Check', 'WC-ASSY', '4', '0', true, 'IPQC-W']]);
    expect((await P.as('GET', `/v1/production-orders?source=rework`)).body.items.map((o: any) => o.id)).toEqual([rework.id]);
    const balance = async () => (await P.as('GET', `/v1/stock/balances?materialId=${P.widget}`)).body.items.map((b: any) => [b.warehouseCode, b.quantity]);
    expect(await balance()).toEqual([]);
    expect((await P.as('GET', `/v1/stock/movements?sourceId=${d.id}`)).body.items.map((m: any) => [m.type, m.warehouseId, m.quantity])).toEqual([['issue', P.fg, '-4']]);
    // The rework order runs like any order: released, it receives the reworked pieces back (and they get a final inspection of their own).
    // Its receipt is limited by what Check passed as good on the rework order.
    const released = await P.make(`/v1/production-orders/${rework.id}/release`, { version: rework.version });
    const early = await P.as('POST', `/v1/production-orders/${released.id}/receipts`, { warehouseCode: 'FG', lines: [{ quantity: '4' }] });
    expect([early.status, early.body.code]).toEqual([422, 'RECEIPT_EXCEEDS_REPORTED']);
    await P.make(`/v1/production-orders/${released.id}/reports`, { operationSeq: 20, goodQuantity: '4', operator: 'W-1' });
    await P.make(`/v1/production-orders/${released.id}/receipts`, { warehouseCode: 'FG', lines: [{ quantity: '4' }] });
    expect(await balance()).toEqual([['FG', '4']]);
    const reworkInspections = (await P.as('GET', `/v1/quality-inspections?productionOrderId=${rework.id}`)).body.items.map((i: any) => [i.trigger, i.planCode, i.operationSeq, i.lotSize]);
    expect(reworkInspections.sort()).toEqual([['first_report', 'FAI-W', 20, '4'], ['inspection_point', 'IPQC-W', 20, '4'], ['production_receipt', 'FQC-W', null, '4']]);
    // Creating a rework order by hand is not a thing: it comes from a disposition.
    expect((await P.as('POST', '/v1/production-orders', { materialCode: 'WIDGET', quantity: '1', source: 'rework', plannedStart: '2026-03-02', plannedFinish: '2026-03-02' })).status).toBe(400);
  });

  it('S1-5.4.5-e a rework order follows the original routing from the failing operation onward: Press and Check for a first article failed at Press, Check only for pieces failed at Check (its inspection, or one by hand whose plan the inspection point of Check names)', async () => {
    const P = await widgetPlant('qt-rework-route');
    expect(P.order.operations.map(opRow)).toEqual([[10, 'Press', 'WC-PRESS', '10', '0', false, null], [20, 'Check', 'WC-ASSY', '10', '0', true, 'IPQC-W']]);
    const reworkOf = async (inspection: any, results: { sampleNo: number; passed: boolean }[], quantity: string) => {
      await P.make(`/v1/quality-inspections/${inspection.id}/results`, { results: results.map((r) => ({ ...r, itemCode: 'LOOK' })) });
      const done = await P.make(`/v1/quality-inspections/${inspection.id}/dispositions`, { lines: [{ kind: 'rework', quantity, reason: 'redo' }] });
      // The lot lies at an operation, not in stock: the disposition moves nothing.
      expect((await P.as('GET', `/v1/stock/movements?sourceId=${done.dispositions[0].id}`)).body.items).toEqual([]);
      return (await P.as('GET', `/v1/production-orders/${done.dispositions[0].reworkOrderId}`)).body;
    };
    // The first article of Press (lot 3, sample 1) fails: all 3 go back through Press and Check, 1 minute a piece each.
    await P.report(10, '3');
    const fai = (await P.inspections()).find((i: any) => i.trigger === 'first_report' && i.operationSeq === 10);
    const fromPress = await reworkOf(fai, [{ sampleNo: 1, passed: false }], '3');
    expect([fromPress.routingVersionId, fromPress.baseQuantity]).toEqual([P.order.routingVersionId, '3']);
    expect(fromPress.operations.map(opRow)).toEqual([[10, 'Press', 'WC-PRESS', '3', '0', false, null], [20, 'Check', 'WC-ASSY', '3', '0', true, 'IPQC-W']]);
    // Check's in-process inspection (full, 3 pieces) finds 2 defective: those 2 go back through Check only.
    await P.report(20, '3');
    const ipqc = (await P.inspections()).find((i: any) => i.trigger === 'inspection_point');
    expect([ipqc.operationSeq, ipqc.sampleSize]).toEqual([20, 3]);
    const fromCheck = await reworkOf(ipqc, [{ sampleNo: 1, passed: false }, { sampleNo: 2, passed: true }, { sampleNo: 3, passed: false }], '2');
    expect(fromCheck.operations.map(opRow)).toEqual([[20, 'Check', 'WC-ASSY', '2', '0', true, 'IPQC-W']]);
    // An in-process inspection made by hand names no operation: Check's inspection point names its plan, so Check is where it failed.
    const byHand = await P.make('/v1/quality-inspections', { planId: P.plans.ipqc.id, productionOrderId: P.order.id, lotSize: '2' });
    expect(byHand.operationSeq).toBeNull();
    const fromPlan = await reworkOf(byHand, [{ sampleNo: 1, passed: false }, { sampleNo: 2, passed: true }], '1');
    expect(fromPlan.operations.map(opRow)).toEqual([[20, 'Check', 'WC-ASSY', '1', '0', true, 'IPQC-W']]);
    // The Press rework runs its own operations in order; what Check passes is what it may receive.
    const released = await P.make(`/v1/production-orders/${fromPress.id}/release`, { version: fromPress.version });
    await P.make(`/v1/production-orders/${released.id}/reports`, { operationSeq: 10, goodQuantity: '3', operator: 'W-1' });
    await P.make(`/v1/production-orders/${released.id}/reports`, { operationSeq: 20, goodQuantity: '2', scrapQuantity: '1', operator: 'W-1' });
    const over = await P.as('POST', `/v1/production-orders/${released.id}/receipts`, { warehouseCode: 'FG', lines: [{ quantity: '3' }] });
    expect([over.status, over.body.code]).toEqual([422, 'RECEIPT_EXCEEDS_REPORTED']);
    await P.make(`/v1/production-orders/${released.id}/receipts`, { warehouseCode: 'FG', lines: [{ quantity: '2' }] });
    expect((await P.as('GET', `/v1/production-orders/${released.id}`)).body.operations.map(opRow)).toEqual([
      [10, 'Press', 'WC-PRESS', '3', '3', false, null], [20, 'Check', 'WC-ASSY', '3', '2', true, 'IPQC-W'],
    ]);
  });
});

describe("purchasing's gate in the one inspection model (S1-5.4.5-b)", () => {
  it('S1-5.4.5-b: POST /v1/purchase-receipts/{id}/inspections keeps its answer and records a closed incoming inspection per line, disposed by the inbound and the return', async () => {
    const P = await productionTenant(t, 'qt-gate');
    const main = (await P.make('/v1/warehouses', { code: 'MAIN', name: 'Main' })).id;
    const supplier = (await P.make('/v1/suppliers', { code: 'SUP-1', name: 'Steel Co' })).id;
    const receipt = async (quantity: string) => {
      const o = await P.make('/v1/purchase-orders', { supplierId: supplier, lines: [{ materialId: P.m.blade, quantity }] });
      await P.make(`/v1/purchase-orders/${o.id}/approve`, { version: o.version });
      return P.make('/v1/purchase-receipts', { orderId: o.id });
    };
    const r = await receipt('10');
    const res = await P.as('POST', `/v1/purchase-receipts/${r.id}/inspections`, {
      lines: [{ receiptLineId: r.lines[0].id, accepted: '5', rejected: '0', warehouseId: main }, { receiptLineId: r.lines[0].id, accepted: '3', rejected: '2', warehouseCode: 'MAIN' }],
    });
    expect(res.status).toBe(201);
    expect(Object.keys(res.body).sort()).toEqual(['inbound', 'receipt', 'return']);
    expect(res.body.inbound.lines.map((l: any) => l.quantity)).toEqual(['5', '3']);
    const list = (await P.as('GET', `/v1/quality-inspections?receiptId=${r.id}`)).body.items;
    expect(list).toHaveLength(1);
    const insp = (await P.as('GET', `/v1/quality-inspections/${list[0].id}`)).body;
    expect(insp).toMatchObject({
      inspectionType: 'incoming', trigger: 'receipt_gate', planId: null, planCode: null, sourceKind: 'purchase_receipt', receiptLineId: r.lines[0].id, supplierId: supplier,
      lotSize: '10', status: 'closed', judgement: 'defective', rejectedQuantity: '2', disposedAccepted: '8', disposedRejected: '2', results: [],
    });
    expect(insp.docNo).toMatch(/^QI\d{8}-\d{4}$/);
    expect(insp.dispositions.map((d: any) => [d.kind, d.quantity, d.warehouseId, d.purchaseInboundId, d.purchaseReturnId])).toEqual([
      ['accept', '5', main, res.body.inbound.id, null], ['accept', '3', main, res.body.inbound.id, null], ['return', '2', null, null, res.body.return.id],
    ]);
    // A closed gate inspection takes no results.
    expect((await P.as('POST', `/v1/quality-inspections/${insp.id}/results`, { results: [{ sampleNo: 1, itemCode: 'X', passed: true }] })).body.code).toBe('ALREADY_JUDGED');

    // A line with an open quality inspection order is inspected there, not at the gate; nothing is written.
    await P.make('/v1/quality-defect-codes', { code: 'BEND', name: 'Bent', severity: 'major' });
    const std = await P.make('/v1/quality-standards', { code: 'STD-BLADE', name: 'Blade', materialId: P.m.blade, items: [{ code: 'FLAT', name: 'Flat', kind: 'qualitative', defectCode: 'BEND' }] });
    const plan = await P.make('/v1/quality-plans', { code: 'IQC-BLADE', name: 'Incoming blades', inspectionType: 'incoming', standardId: std.id, sampling: 'fixed', sampleSize: 2 });
    const r2 = await receipt('4');
    const open = await P.make('/v1/quality-inspections', { planId: plan.id, receiptLineId: r2.lines[0].id });
    const refused = await P.as('POST', `/v1/purchase-receipts/${r2.id}/inspections`, { lines: [{ receiptLineId: r2.lines[0].id, accepted: '4', rejected: '0', warehouseId: main }] });
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('INSPECTION_OPEN');
    expect((await P.as('GET', `/v1/purchase-receipts/${r2.id}`)).body.lines[0]).toMatchObject({ accepted: '0', rejected: '0' });
    expect((await P.as('GET', `/v1/quality-inspections?receiptId=${r2.id}`)).body.items.map((i: any) => i.id)).toEqual([open.id]);
  });
});

describe('changing standards and plans (S1-5.4.5-a)', () => {
  it('S1-5.4.5-a: a plan changes its sampling and retires with the version read, audited; a retired plan or standard starts no inspection; bad changes write nothing', async () => {
    const P = await widgetPlant('qt-patch');
    const fai = P.plans.fai;
    expect(fai.version).toBe(1);
    const changed = await P.as('PATCH', `/v1/quality-plans/${fai.id}`, { version: 1, name: 'First article (2 pieces)', sampleSize: 2 });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ version: 2, name: 'First article (2 pieces)', sampling: 'fixed', sampleSize: 2, acceptNumber: 0 });
    const stale = await P.as('PATCH', `/v1/quality-plans/${fai.id}`, { version: 1, name: 'x' });
    expect([stale.status, stale.body.code]).toEqual([409, 'VERSION_CONFLICT']);
    const bad = await P.as('PATCH', `/v1/quality-plans/${fai.id}`, { version: 2, sampling: 'aql', everyPieces: 5 });
    expect(bad.status).toBe(422);
    expect(bad.body.errors.map((e: any) => [e.field, e.code])).toEqual([['aql', 'REQUIRED'], ['everyHours', 'NOT_PATROL']]);
    expect((await P.as('GET', `/v1/quality-plans/${fai.id}`)).body).toMatchObject({ version: 2, sampling: 'fixed', sampleSize: 2 });
    const aql = await P.as('PATCH', `/v1/quality-plans/${fai.id}`, { version: 2, sampling: 'aql', aql: '1.0' });
    expect(aql.body).toMatchObject({ version: 3, sampling: 'aql', sampleSize: null, acceptNumber: null, aql: '1.0', inspectionLevel: 'II' });
    // Every change is audited, the refused ones too.
    const audit = (await P.as('GET', '/v1/audit?action=updateQualityPlan')).body.items;
    expect(audit.map((r: any) => r.statusCode)).toEqual([200, 409, 422, 200]);
    expect(audit.filter((r: any) => r.statusCode === 200).map((r: any) => [r.resource, r.details.version, r.details.changed])).toEqual([
      [`quality-plan/${fai.id}`, 2, ['name', 'sampleSize']], [`quality-plan/${fai.id}`, 3, ['sampling', 'aql']],
    ]);
    // Retired: the first report starts no first-article order; the patrol plan still counts.
    expect((await P.as('PATCH', `/v1/quality-plans/${fai.id}`, { version: 3, status: 'retired' })).body.status).toBe('retired');
    await P.report(10, '5');
    expect(await P.rows()).toEqual([['patrol_pieces', 'PQC-5', 10, '5', 1]]);
    // A retired standard: none of its plans starts an order.
    const std = (await P.as('GET', `/v1/quality-standards/${P.std.id}`)).body;
    const retired = await P.as('PATCH', `/v1/quality-standards/${P.std.id}`, { version: std.version, status: 'retired', name: 'Widgets (old)' });
    expect(retired.body).toMatchObject({ status: 'retired', name: 'Widgets (old)', version: std.version + 1 });
    expect((await P.as('PATCH', `/v1/quality-standards/${P.std.id}`, { version: std.version, status: 'active' })).body.code).toBe('VERSION_CONFLICT');
    await P.report(10, '5');
    expect(await P.inspections()).toHaveLength(1);
  });
});
