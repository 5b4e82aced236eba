/**
 * Production execution over real HTTP (S1-5.4.4-f..i): the order → issue → report → receipt path
 * with exact ledger rows and balances; FIFO/FEFO picks and PDA scans; over-issue tolerance;
 * returns; operation start/pause/resume/end; the quantity flow rule; backflush by operation and on
 * receipt without rounding drift; piece-rate wages; receipts with coding-rule batches and the
 * genealogy both ways; bad input answered with stable codes and nothing written; tenant isolation;
 * and, on PostgreSQL, parallel issues, reports and receipts on one order keeping it exact.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './harness.js';
import { fieldsOf, productionTenant } from './production-setup.js';
import { listAll } from './util.js';

let t: TestServer;

beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => {
  await t?.stop();
});

/**
 * A pump plant: PUMP (batch-tracked) = CASING (batch-tracked, issued by hand) at operation 10,
 * GREASE 35 g + 10 % scrap (KG base, 3 decimals, backflushed by operation 10) and BOLT × 4
 * (backflushed on receipt) at operation 20. Stock: CASING batch C1 (5, bin A-01, older) and C2
 * (10, bin A-02), 1 kg of grease, 100 bolts.
 */
async function pumpPlant(server: TestServer, slug: string, quantity = '10') {
  const T = await productionTenant(server, slug);
  const material = async (code: string, extra: Record<string, unknown> = {}) => (await T.make('/v1/materials', { code, name: code, baseUnit: 'PCS', ...extra })).id as string;
  const pm = {
    pump: await material('PUMP', { tracking: 'batch' }),
    casing: await material('CASING', { tracking: 'batch' }),
    grease: await material('GREASE', { baseUnit: 'KG', issueType: 'backflush_operation' }),
    bolt: await material('BOLT', { issueType: 'backflush_receipt' }),
    slag: await material('SLAG', { baseUnit: 'KG' }),
  };
  const bom = await T.make('/v1/boms', {
    materialCode: 'PUMP', type: 'manufacturing', effectiveFrom: '2026-01-01',
    lines: [
      { materialCode: 'CASING', quantity: '1', operationSeq: 10 },
      { materialCode: 'GREASE', quantity: '35', unit: 'G', scrapRate: '10', operationSeq: 10 },
      { materialCode: 'BOLT', quantity: '4', operationSeq: 20 },
    ],
  });
  await T.make(`/v1/boms/${bom.id}/release`, { version: bom.version });
  const rt = await T.make('/v1/routings', {
    code: 'RT-PUMP', name: 'Pump', effectiveFrom: '2026-01-01',
    operations: [{ seq: 10, name: 'Press', workCentreCode: 'WC-PRESS', runMinutes: '1' }, { seq: 20, name: 'Assemble', workCentreCode: 'WC-ASSY', runMinutes: '2', alternates: [{ workCentreCode: 'WC-ASSY2', runMinutes: '3' }] }],
  });
  await T.make(`/v1/routings/${rt.id}/release`, { version: rt.version });
  const pump = (await T.as('GET', `/v1/materials/${pm.pump}`)).body;
  await T.as('PATCH', `/v1/materials/${pm.pump}`, { version: pump.version, defaultRouting: 'RT-PUMP' });
  const station = await T.make('/v1/stations', { code: 'ST-1', name: 'Press 1', workCentreCode: 'WC-PRESS' });
  const main = (await T.make('/v1/warehouses', { code: 'MAIN', name: 'Main' })).id as string;
  await T.make(`/v1/warehouses/${main}/bins`, { code: 'A-01' });
  await T.make(`/v1/warehouses/${main}/bins`, { code: 'A-02' });
  const stockIn = (lines: unknown[]) => T.make('/v1/stock-documents', { type: 'other_in', post: true, lines });
  await stockIn([{ materialCode: 'CASING', quantity: '5', warehouseCode: 'MAIN', binCode: 'A-01', batchNo: 'C1' }]);
  await stockIn([
    { materialCode: 'CASING', quantity: '10', warehouseCode: 'MAIN', binCode: 'A-02', batchNo: 'C2' },
    { materialCode: 'GREASE', quantity: '1', warehouseCode: 'MAIN' },
    { materialCode: 'BOLT', quantity: '100', warehouseCode: 'MAIN' },
  ]);
  const created = await T.make('/v1/production-orders', { materialCode: 'PUMP', quantity, plannedStart: '2026-03-02', plannedFinish: '2026-03-06' });
  const order = await T.make(`/v1/production-orders/${created.id}/release`, { version: created.version });
  const balances = async () => (await listAll(server, T.key, '/v1/stock/balances')).map((b) => `${b.materialCode}@${b.warehouseCode}/${b.binCode ?? ''}/${b.batchNo ?? ''}=${b.quantity}`).sort();
  const movementsOf = async (sourceId: string) => (await listAll(server, T.key, `/v1/stock/movements?sourceId=${sourceId}`)).map((m) => [m.type, m.materialCode, m.binId ? 'bin' : '-', m.batchNo, m.quantity, m.enteredQuantity, m.enteredUnit, m.sourceLine]);
  const get = async () => (await T.as('GET', `/v1/production-orders/${order.id}`)).body;
  const component = async (code: string) => (await get()).components.find((c: any) => c.materialCode === code);
  const operation = async (seq: number) => (await get()).operations.find((o: any) => o.seq === seq);
  const path = (p: string) => `/v1/production-orders/${order.id}${p}`;
  return { ...T, pm, station, main, order, balances, movementsOf, get, component, operation, path };
}

const STOCK = ['BOLT@MAIN//=100', 'CASING@MAIN/A-01/C1=5', 'CASING@MAIN/A-02/C2=10', 'GREASE@MAIN//=1'];

describe('the order → issue → report → receipt path (S1-5.4.4-f..i)', () => {
  let P: Awaited<ReturnType<typeof pumpPlant>>;
  let firstReceipt: any;
  beforeAll(async () => {
    P = await pumpPlant(t, 'exec-path');
  });

  it('S1-5.4.4-g: issue by operation and by order picks FIFO batches and bins for the manual components; the first issue starts the order (S1-5.4.4-f)', async () => {
    expect(await P.balances()).toEqual(STOCK);
    expect(P.order.components.map((c: any) => [c.materialCode, c.operationSeq, c.perUnit, c.requiredQuantity, c.issueType])).toEqual([
      ['CASING', 10, '1', '10', 'manual'], ['GREASE', 10, '0.0385', '0.385', 'backflush_operation'], ['BOLT', 20, '4', '40', 'backflush_receipt'],
    ]);
    // By operation: 20 consumes only bolts, which are backflushed; 30 does not exist; 10 takes the casings.
    expect((await P.as('POST', P.path('/issues'), { operationSeq: 20 })).body.code).toBe('NOTHING_TO_ISSUE');
    expect(fieldsOf((await P.as('POST', P.path('/issues'), { operationSeq: 30 })).body)).toEqual(['operationSeq:NO_COMPONENTS_AT_OPERATION']);
    expect((await P.get()).status).toBe('released');
    const res = await P.as('POST', P.path('/issues'), { warehouseCode: 'MAIN', operationSeq: 10 });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ kind: 'issue', operationSeq: 10 });
    expect(res.body.docNo).toMatch(/^PI\d{8}-\d{4}$/);
    expect(res.body.lines.map((l: any) => [l.componentLineNo, l.materialCode, l.binCode, l.batchNo, l.baseQuantity, l.origin])).toEqual([
      [1, 'CASING', 'A-01', 'C1', '5', 'fifo'], [1, 'CASING', 'A-02', 'C2', '5', 'fifo'],
    ]);
    expect(await P.movementsOf(res.body.id)).toEqual([['issue', 'CASING', 'bin', 'C1', '-5', '5', 'PCS', 1], ['issue', 'CASING', 'bin', 'C2', '-5', '5', 'PCS', 2]]);
    expect(await P.balances()).toEqual(['BOLT@MAIN//=100', 'CASING@MAIN/A-02/C2=5', 'GREASE@MAIN//=1']);
    const order = await P.get();
    expect(order).toMatchObject({ status: 'in_progress', startedAt: expect.any(String) });
    expect(order.components[0]).toMatchObject({ issuedQuantity: '10', returnedQuantity: '0', backflushedQuantity: '0' });
    const events = (await P.as('GET', `/v1/events?aggregateId=${P.order.id}`)).body.items.map((e: any) => e.type);
    expect(events).toEqual(expect.arrayContaining(['production_order.started', 'production_material.issued']));
    expect((await P.as('POST', P.path('/issues'), { warehouseCode: 'MAIN' })).body).toMatchObject({ code: 'NOTHING_TO_ISSUE' });
  });

  it('S1-5.4.4-g: over-issue beyond the tolerance is 422 ISSUE_OVER_TOLERANCE with nothing written; within it a PDA scan issues once per Idempotency-Key', async () => {
    const scan = { warehouseCode: 'MAIN', scans: [{ barcode: '(240)CASING(10)C2', quantity: '1', binCode: 'A-02' }] };
    const over = await P.as('POST', P.path('/issues'), scan);
    expect(over.status).toBe(422);
    expect(over.body.code).toBe('ISSUE_OVER_TOLERANCE');
    expect(fieldsOf(over.body)).toEqual(['scans[0].quantity:ISSUE_OVER_TOLERANCE']);
    expect(await P.balances()).toEqual(['BOLT@MAIN//=100', 'CASING@MAIN/A-02/C2=5', 'GREASE@MAIN//=1']);
    expect((await P.component('CASING')).issuedQuantity).toBe('10');

    expect((await P.as('PATCH', '/v1/settings', { productionIssueTolerance: '10' })).body).toMatchObject({ productionIssueTolerance: '10' });
    const first = await P.as('POST', P.path('/issues'), scan, { 'idempotency-key': 'pda-casing-1' });
    expect(first.status).toBe(201);
    expect(first.body.lines.map((l: any) => [l.materialCode, l.batchNo, l.binCode, l.baseQuantity, l.origin])).toEqual([['CASING', 'C2', 'A-02', '1', 'scan']]);
    const again = await P.as('POST', P.path('/issues'), scan, { 'idempotency-key': 'pda-casing-1' });
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body.id).toBe(first.body.id);
    expect((await P.component('CASING')).issuedQuantity).toBe('11');
    expect(await P.balances()).toEqual(['BOLT@MAIN//=100', 'CASING@MAIN/A-02/C2=4', 'GREASE@MAIN//=1']);
    // 11 of 10 is the 10 % tolerance: one more is over it again.
    expect((await P.as('POST', P.path('/issues'), { ...scan }, { 'idempotency-key': 'pda-casing-2' })).body.code).toBe('ISSUE_OVER_TOLERANCE');
    // A backflushed component is not issued by hand.
    const bolt = await P.as('POST', P.path('/issues'), { warehouseCode: 'MAIN', lines: [{ materialCode: 'BOLT', quantity: '4' }] });
    expect(bolt.body).toMatchObject({ code: 'COMPONENT_BACKFLUSHED' });
    await P.as('PATCH', '/v1/settings', { productionIssueTolerance: '0' });
  });

  it('S1-5.4.4-g: production returns bring material back to a warehouse and bin, never more of a batch than was issued', async () => {
    const tooMuch = await P.as('POST', P.path('/returns'), { warehouseCode: 'MAIN', lines: [{ materialCode: 'CASING', batchNo: 'C1', quantity: '6', binCode: 'A-01' }] });
    expect(tooMuch.status).toBe(422);
    expect(tooMuch.body.code).toBe('RETURN_EXCEEDS_ISSUED');
    const res = await P.as('POST', P.path('/returns'), { warehouseCode: 'MAIN', reason: 'surplus', lines: [{ componentLineNo: 1, batchNo: 'C2', quantity: '1', binCode: 'A-01' }] });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ kind: 'return', reason: 'surplus' });
    expect(await P.movementsOf(res.body.id)).toEqual([['return', 'CASING', 'bin', 'C2', '1', '1', 'PCS', 1]]);
    expect(await P.balances()).toEqual(['BOLT@MAIN//=100', 'CASING@MAIN/A-01/C2=1', 'CASING@MAIN/A-02/C2=4', 'GREASE@MAIN//=1']);
    expect(await P.component('CASING')).toMatchObject({ issuedQuantity: '11', returnedQuantity: '1' });
  });

  it('S1-5.4.4-h: an operation starts, pauses with a reason, resumes; events are recorded with operator, station and equipment', async () => {
    const ev = (event: string, extra: Record<string, unknown> = {}) => P.as('POST', P.path('/operations/10/events'), { event, operator: 'W-007', stationCode: 'ST-1', equipmentCode: 'PRESS-01', ...extra });
    expect((await ev('resume')).body).toMatchObject({ code: 'OPERATION_TRANSITION_INVALID', documentStatus: 'pending' });
    const start = await ev('start', { at: '2026-03-03T08:00:00.000Z' });
    expect(start.status).toBe(201);
    expect(start.body).toMatchObject({ event: 'start', operationSeq: 10, operationStatus: 'in_progress', stationId: P.station.id, equipmentCode: 'PRESS-01' });
    const noReason = await ev('pause');
    expect(noReason.status).toBe(422);
    expect(fieldsOf(noReason.body)).toEqual(['reason:REASON_REQUIRED']);
    expect((await ev('pause', { reason: 'waiting for die change', at: '2026-03-03T08:30:00.000Z' })).body).toMatchObject({ operationStatus: 'paused', reason: 'waiting for die change' });
    expect((await ev('resume', { at: '2026-03-03T08:45:00.000Z' })).body.operationStatus).toBe('in_progress');
    expect(await P.operation(10)).toMatchObject({ status: 'in_progress', actualStart: '2026-03-03T08:00:00.000Z' });
    const listed = (await P.as('GET', P.path('/operation-events'))).body.items.map((e: any) => e.event);
    expect(listed).toEqual(['resume', 'pause', 'start']);
  });

  it('S1-5.4.4-j: dispatching reassigns an operation to an alternate work centre and back, re-sequences the queue, and keeps every change', async () => {
    const dispatch = (body: Record<string, unknown>) => P.as('POST', P.path('/operations/20/dispatch'), { cause: 'status', reason: 'WC-ASSY down for maintenance', ...body });
    const moved = await dispatch({ workCentreCode: 'WC-ASSY2' });
    expect(moved.status).toBe(201);
    expect(moved.body).toMatchObject({
      operationSeq: 20, cause: 'status', before: { workCentreCode: 'WC-ASSY', runMinutes: '2', plannedMinutes: '20', dispatchSeq: null },
      after: { workCentreCode: 'WC-ASSY2', runMinutes: '3', plannedMinutes: '30', dispatchSeq: null },
    });
    expect((await dispatch({ workCentreCode: 'WC-PRESS' })).body).toMatchObject({ code: 'NOT_AN_ALTERNATE' });
    expect(fieldsOf((await dispatch({ stationCode: 'ST-1' })).body)).toEqual(['stationCode:STATION_NOT_AT_WORK_CENTRE']);
    expect((await dispatch({ workCentreCode: 'WC-ASSY2' })).body.code).toBe('NOTHING_TO_CHANGE');
    const back = await dispatch({ workCentreCode: 'WC-ASSY', dispatchSeq: 1, cause: 'progress', reason: 'WC-ASSY back' });
    expect(back.body.after).toMatchObject({ workCentreCode: 'WC-ASSY', runMinutes: '2', plannedMinutes: '20', dispatchSeq: 1 });
    const queue = (await P.as('GET', '/v1/production-dispatch-list?workCentreCode=WC-ASSY')).body;
    expect(queue.items.map((i: any) => [i.orderDocNo, i.operationSeq, i.dispatchSeq, i.status])).toEqual([[P.order.docNo, 20, 1, 'pending']]);
    expect((await P.as('GET', '/v1/production-dispatch-list?workCentreCode=WC-ASSY2')).body.items).toEqual([]);
    const history = (await P.as('GET', P.path('/dispatch-changes'))).body.items;
    expect(history.map((c: any) => [c.cause, c.before.workCentreCode, c.after.workCentreCode])).toEqual([['progress', 'WC-ASSY2', 'WC-ASSY'], ['status', 'WC-ASSY', 'WC-ASSY2']]);
    const events = (await P.as('GET', `/v1/events?aggregateId=${P.order.id}&type=production_operation.dispatched`)).body.items;
    expect(events).toHaveLength(2);
    const audit = (await P.as('GET', '/v1/audit?limit=100')).body.items.filter((a: any) => String(a.resource).startsWith('production-dispatch-change/'));
    expect(audit).toHaveLength(2);
  });

  it('S1-5.4.4-h/g: reports of good quantity backflush grease on the cumulative figure: three reports of 1 take 0.116 kg, not 3 × 0.039', async () => {
    await P.make('/v1/piece-rates', { materialCode: 'PUMP', operationSeq: 10, rate: '0.8', effectiveFrom: '2026-01-01' });
    await P.make('/v1/piece-rates', { materialCode: 'PUMP', operationSeq: 20, rate: '1.25', effectiveFrom: '2026-01-01' });
    expect((await P.as('POST', '/v1/piece-rates', { materialCode: 'PUMP', operationSeq: 20, rate: '2', effectiveFrom: '2026-01-01' })).body.code).toBe('PIECE_RATE_EXISTS');
    const report = (seq: number, good: string, extra: Record<string, unknown> = {}) =>
      P.as('POST', P.path('/reports'), { operationSeq: seq, goodQuantity: good, operator: 'W-007', stationCode: 'ST-1', equipmentCode: 'PRESS-01', endedAt: '2026-03-03T10:00:00.000Z', ...extra });
    const flushed: string[] = [];
    for (let i = 0; i < 3; i++) {
      const r = await report(10, '1');
      expect(r.status).toBe(201);
      expect(r.body).toMatchObject({ goodQuantity: '1', pieceRate: '0.8', wageAmount: '0.8', operator: 'W-007', baseUnit: 'PCS' });
      flushed.push(...r.body.backflush.lines.map((l: any) => l.baseQuantity));
      expect(await P.movementsOf(r.body.backflush.id)).toEqual([['issue', 'GREASE', '-', null, `-${flushed[i]}`, flushed[i], 'KG', 1]]);
    }
    expect(flushed).toEqual(['0.039', '0.038', '0.039']);
    expect((await P.component('GREASE')).backflushedQuantity).toBe('0.116');
    const rest = await report(10, '7', { scrapQuantity: '0', end: true });
    expect(rest.body.backflush.lines.map((l: any) => l.baseQuantity)).toEqual(['0.269']);
    // Done: exactly the required 0.385 kg, no drift.
    expect(await P.component('GREASE')).toMatchObject({ backflushedQuantity: '0.385', requiredQuantity: '0.385' });
    expect(await P.operation(10)).toMatchObject({ status: 'completed', goodQuantity: '10', actualFinish: '2026-03-03T10:00:00.000Z' });
    expect(await P.balances()).toEqual(['BOLT@MAIN//=100', 'CASING@MAIN/A-01/C2=1', 'CASING@MAIN/A-02/C2=4', 'GREASE@MAIN//=0.615']);
    const events = (await P.as('GET', `/v1/events?aggregateId=${P.order.id}&type=production_operation.*`)).body.items.map((e: any) => e.type);
    expect(events.filter((e: string) => e === 'production_operation.reported')).toHaveLength(4);
  });

  it('S1-5.4.4-h: the quantity flow rule, unit conversion and a finished operation refuse with stable codes and write nothing', async () => {
    const before = await P.get();
    const report = (body: Record<string, unknown>) => P.as('POST', P.path('/reports'), { operator: 'W-009', endedAt: '2026-03-04T10:00:00.000Z', ...body });
    const flow = await report({ operationSeq: 20, goodQuantity: '11' });
    expect(flow.status).toBe(422);
    expect(flow.body.code).toBe('QUANTITY_FLOW_VIOLATION');
    expect(fieldsOf(flow.body)).toEqual(['goodQuantity:QUANTITY_FLOW_VIOLATION']);
    expect((await report({ operationSeq: 20, goodQuantity: '1', unit: 'BOX' })).body.code).toBe('QUANTITY_FLOW_VIOLATION');
    const unit = await report({ operationSeq: 20, goodQuantity: '1', unit: 'KG' });
    expect(unit.status).toBe(422);
    expect(unit.body.code).toBe('UNIT_NOT_CONVERTIBLE');
    expect((await report({ operationSeq: 10, goodQuantity: '1' })).body).toMatchObject({ code: 'OPERATION_COMPLETED', documentStatus: 'completed' });
    expect((await report({ operationSeq: 30, goodQuantity: '1' })).body.code).toBe('UNKNOWN_OPERATION');
    expect((await report({ operationSeq: 20 })).body.code).toBe('NOTHING_REPORTED');
    expect(await P.get()).toEqual(before);
    expect((await P.as('GET', P.path('/reports'))).body.items).toHaveLength(4);
  });

  it('S1-5.4.4-i: a receipt of product and by-product numbers the batch from the coding rule, backflushes bolts and records the genealogy', async () => {
    const r20 = await P.as('POST', P.path('/reports'), { operationSeq: 20, goodQuantity: '8', scrapQuantity: '1', scrapReason: 'dented', operator: 'W-009', endedAt: '2026-03-04T10:00:00.000Z' });
    expect(r20.body).toMatchObject({ goodQuantity: '8', scrapQuantity: '1', wageAmount: '10', backflush: null });
    const over = await P.as('POST', P.path('/receipts'), { warehouseCode: 'MAIN', lines: [{ quantity: '9' }] });
    expect(over.status).toBe(422);
    expect(over.body.code).toBe('RECEIPT_EXCEEDS_REPORTED');
    // Bolts backflushed on receipt from a warehouse without them: the whole receipt is refused.
    await P.make('/v1/warehouses', { code: 'EMPTY', name: 'Empty' });
    const short = await P.as('POST', P.path('/receipts'), { warehouseCode: 'MAIN', backflushWarehouseCode: 'EMPTY', lines: [{ quantity: '8', binCode: 'A-01' }] });
    expect(short.status).toBe(409);
    expect(short.body.code).toBe('BACKFLUSH_STOCK_INSUFFICIENT');
    expect(fieldsOf(short.body)).toEqual(['backflush[3].quantity:STOCK_INSUFFICIENT']);
    expect(await P.get()).toMatchObject({ received: '0' });
    expect(await P.balances()).toEqual(['BOLT@MAIN//=100', 'CASING@MAIN/A-01/C2=1', 'CASING@MAIN/A-02/C2=4', 'GREASE@MAIN//=0.615']);
    const res = await P.as('POST', P.path('/receipts'), { warehouseCode: 'MAIN', lines: [{ quantity: '8', binCode: 'A-01' }, { materialCode: 'SLAG', quantity: '500', unit: 'G' }] });
    expect(res.status).toBe(201);
    firstReceipt = res.body;
    const batch = res.body.lines[0].batchNo;
    expect(batch).toMatch(/^B\d{8}-001$/);
    expect(res.body.lines.map((l: any) => [l.kind, l.materialCode, l.baseQuantity, l.baseUnit, l.batchNo])).toEqual([['product', 'PUMP', '8', 'PCS', batch], ['by_product', 'SLAG', '0.5', 'KG', null]]);
    expect(res.body).toMatchObject({ operators: ['W-007', 'W-009'], stationIds: [P.station.id], equipmentCodes: ['PRESS-01'], bomVersionId: P.order.bomVersionId, workStartedAt: '2026-03-03T08:00:00.000Z', workEndedAt: '2026-03-04T10:00:00.000Z' });
    expect(await P.movementsOf(res.body.id)).toEqual([['production_in', 'PUMP', 'bin', batch, '8', '8', 'PCS', 1], ['production_in', 'SLAG', '-', null, '0.5', '500', 'G', 2]]);
    expect(await P.movementsOf(res.body.backflush.id)).toEqual([['issue', 'BOLT', '-', null, '-32', '32', 'PCS', 1]]);
    expect(await P.balances()).toEqual(['BOLT@MAIN//=68', 'CASING@MAIN/A-01/C2=1', 'CASING@MAIN/A-02/C2=4', 'GREASE@MAIN//=0.615', `PUMP@MAIN/A-01/${batch}=8`, 'SLAG@MAIN//=0.5']);
    expect(await P.get()).toMatchObject({ status: 'in_progress', received: '8' });

    const back = (await P.as('GET', `/v1/production-genealogy/backward?materialCode=PUMP&batchNo=${batch}`)).body;
    expect(back.links.map((l: any) => [l.level, l.produced.materialCode, l.consumed.materialCode, l.consumed.batchNo, l.consumedQuantity])).toEqual([
      [1, 'PUMP', 'BOLT', null, '32'], [1, 'PUMP', 'CASING', 'C1', '5'], [1, 'PUMP', 'CASING', 'C2', '5'], [1, 'PUMP', 'GREASE', null, '0.385'],
    ]);
    expect(back.links[0]).toMatchObject({ orderDocNo: P.order.docNo, receiptDocNo: res.body.docNo, operators: ['W-007', 'W-009'], bomVersionId: P.order.bomVersionId });
    const events = (await P.as('GET', `/v1/events?aggregateId=${P.order.id}&type=production_receipt.*`)).body.items;
    expect(events.map((e: any) => [e.type, e.payload.received])).toEqual([['production_receipt.posted', '8']]);
  });

  it('S1-5.4.4-f/i: receiving the rest completes the order; the genealogy runs forward from a component batch; a closed order takes no report', async () => {
    await P.as('POST', P.path('/reports'), { operationSeq: 20, goodQuantity: '2', operator: 'W-009', endedAt: '2026-03-05T10:00:00.000Z', end: true });
    const res = await P.as('POST', P.path('/receipts'), { warehouseCode: 'MAIN', lines: [{ quantity: '2', binCode: 'A-01', batchNo: 'PUMP-LOT-2' }] });
    expect(res.status).toBe(201);
    const order = await P.get();
    expect(order).toMatchObject({ status: 'completed', received: '10', completedAt: expect.any(String) });
    expect(order.components.map((c: any) => [c.materialCode, c.issuedQuantity, c.returnedQuantity, c.backflushedQuantity])).toEqual([
      ['CASING', '11', '1', '0'], ['GREASE', '0', '0', '0.385'], ['BOLT', '0', '0', '40'],
    ]);
    const fwd = (await P.as('GET', '/v1/production-genealogy/forward?materialCode=CASING&batchNo=C2')).body;
    expect(fwd.links.map((l: any) => [l.level, l.produced.batchNo ?? l.produced.materialCode, l.consumedQuantity])).toEqual([
      [1, firstReceipt.lines[0].batchNo, '5'], [1, 'SLAG', '5'], [1, 'PUMP-LOT-2', '5'],
    ]);
    const report = { operationSeq: 20, goodQuantity: '1', operator: 'W-009' };
    expect((await P.as('POST', P.path('/reports'), report)).body).toMatchObject({ code: 'ORDER_NOT_IN_PRODUCTION', documentStatus: 'completed' });
    await P.make(`/v1/production-orders/${order.id}/close`, { version: order.version });
    const closed = await P.as('POST', P.path('/reports'), report);
    expect(closed.status).toBe(409);
    expect(closed.body).toMatchObject({ code: 'ORDER_NOT_IN_PRODUCTION', documentStatus: 'closed' });
    expect((await P.as('POST', P.path('/issues'), { warehouseCode: 'MAIN' })).body.code).toBe('ORDER_NOT_IN_PRODUCTION');
    expect((await P.as('GET', P.path('/reports'))).body.items).toHaveLength(6);
  });

  it('S1-5.4.4-h: the wage report sums piece-rate wages by worker over a period', async () => {
    const res = await P.as('GET', '/v1/production-wages?from=2026-03-01&to=2026-03-31');
    expect(res.status).toBe(200);
    expect(res.body.total).toBe('20.5');
    expect(res.body.workers.map((w: any) => [w.operator, w.reports, w.wage, w.lines.map((l: any) => `${l.materialCode}/${l.operationSeq}:${l.goodQuantity}×${l.pieceRate}=${l.wage}`)])).toEqual([
      ['W-007', 4, '8', ['PUMP/10:10×0.8=8']], ['W-009', 2, '12.5', ['PUMP/20:10×1.25=12.5']],
    ]);
    expect((await P.as('GET', '/v1/production-wages?from=2026-03-04&to=2026-03-04&operator=W-009')).body.total).toBe('10');
    expect((await P.as('GET', '/v1/production-wages?from=2026-03-04&to=2026-03-01')).body.code).toBe('WAGE_PERIOD_INVALID');
  });

  it('S1-5.4.4-g: tenant isolation: another tenant neither sees nor books against the order', async () => {
    const O = await productionTenant(t, 'exec-other');
    expect((await O.as('POST', P.path('/issues'), {})).status).toBe(404);
    expect((await O.as('POST', P.path('/reports'), { operationSeq: 10, goodQuantity: '1', operator: 'X' })).status).toBe(404);
    expect((await O.as('GET', P.path('/reports'))).status).toBe(404);
    expect((await O.as('GET', P.path('/material-documents'))).status).toBe(404);
    expect((await O.as('GET', '/v1/production-wages?from=2026-03-01&to=2026-03-31')).body).toMatchObject({ total: '0', workers: [] });
    expect((await O.as('GET', '/v1/production-genealogy/backward?materialCode=PUMP&batchNo=PUMP-LOT-2')).body.code).toBe('UNKNOWN_MATERIAL');
  });
});

describe('serial-numbered goods (S1-5.4.4-i)', () => {
  it('S1-5.4.4-i: an order without operations receives serial-tracked goods one piece a line, numbered by the coding rule, up to its quantity', async () => {
    const T = await productionTenant(t, 'exec-serial');
    await T.make('/v1/materials', { code: 'METER', name: 'Meter', baseUnit: 'PCS', tracking: 'serial' });
    await T.make('/v1/warehouses', { code: 'FG', name: 'Finished goods' });
    const planned = await T.make('/v1/production-orders', { materialCode: 'METER', quantity: '3', workshopCode: 'WS-ASSY', plannedStart: '2026-03-02', plannedFinish: '2026-03-02' });
    const order = await T.make(`/v1/production-orders/${planned.id}/release`, { version: planned.version });
    const receive = (lines: unknown[]) => T.as('POST', `/v1/production-orders/${order.id}/receipts`, { warehouseCode: 'FG', lines });
    expect(fieldsOf((await receive([{ quantity: '2', serialNos: ['S-1'] }])).body)).toEqual(['lines[0].serialNos:SERIAL_COUNT']);
    expect((await receive([{ quantity: '4' }])).body.code).toBe('RECEIPT_EXCEEDS_REPORTED');
    const res = await receive([{ quantity: '1', serialNos: ['M-100'] }, { quantity: '2' }]);
    expect(res.status).toBe(201);
    expect(res.body.lines.map((l: any) => [l.lineNo, l.serialNo, l.baseQuantity])).toEqual([[1, 'M-100', '1'], [2, 'METER-000001', '1'], [3, 'METER-000002', '1']]);
    expect((await receive([{ quantity: '1' }])).body).toMatchObject({ code: 'ORDER_NOT_IN_PRODUCTION', documentStatus: 'completed' });
    expect((await T.as('GET', `/v1/production-orders/${order.id}`)).body).toMatchObject({ status: 'completed', received: '3' });
    expect((await T.as('GET', '/v1/production-genealogy/backward?materialCode=METER&serialNo=M-100')).body).toMatchObject({ links: [], truncated: false });
  });
});

describe('parallel postings on one order, on PostgreSQL (S1-5.4.4-g/h/i)', () => {
  let pg: TestServer;
  let P: Awaited<ReturnType<typeof pumpPlant>>;
  beforeAll(async () => {
    pg = await startTestServer({}, { postgres: true });
    P = await pumpPlant(pg, 'exec-parallel');
  });
  afterAll(async () => {
    await pg?.stop();
  });
  const codes = (results: { status: number; body: any }[]) => results.map((r) => (r.status === 201 ? 'ok' : r.body.code)).sort();
  const twelve = <T>(fn: (i: number) => Promise<T>) => Promise.all(Array.from({ length: 12 }, (_, i) => fn(i)));

  it('S1-5.4.4-g: 12 parallel issues of 1 against a requirement of 10: exactly 10 post, the ledger and the component agree', async () => {
    const results = await twelve(() => P.as('POST', P.path('/issues'), { warehouseCode: 'MAIN', lines: [{ materialCode: 'CASING', batchNo: 'C2', binCode: 'A-02', quantity: '1' }] }));
    expect(codes(results)).toEqual([...Array(10).fill('ok'), 'ISSUE_OVER_TOLERANCE', 'ISSUE_OVER_TOLERANCE'].sort());
    expect((await P.component('CASING')).issuedQuantity).toBe('10');
    expect(await P.balances()).toEqual(['BOLT@MAIN//=100', 'CASING@MAIN/A-01/C1=5', 'GREASE@MAIN//=1']);
    const docs = await listAll(pg, P.key, P.path('/material-documents?kind=issue'));
    expect(docs).toHaveLength(10);
    expect(new Set(docs.map((d) => d.docNo)).size).toBe(10);
  });

  it('S1-5.4.4-h: 12 parallel reports of 1 at each operation: 10 pass the flow rule, backflush is exact; 12 parallel receipts: 10 post, the order completes once', async () => {
    const report = (seq: number) => twelve(() => P.as('POST', P.path('/reports'), { operationSeq: seq, goodQuantity: '1', operator: `W-${seq}` }));
    expect(codes(await report(10))).toEqual([...Array(10).fill('ok'), 'QUANTITY_FLOW_VIOLATION', 'QUANTITY_FLOW_VIOLATION'].sort());
    expect(codes(await report(20))).toEqual([...Array(10).fill('ok'), 'QUANTITY_FLOW_VIOLATION', 'QUANTITY_FLOW_VIOLATION'].sort());
    expect(await P.operation(10)).toMatchObject({ goodQuantity: '10' });
    expect(await P.operation(20)).toMatchObject({ goodQuantity: '10' });
    expect(await P.component('GREASE')).toMatchObject({ backflushedQuantity: '0.385' });
    const receipts = await twelve(() => P.as('POST', P.path('/receipts'), { warehouseCode: 'MAIN', lines: [{ quantity: '1', batchNo: 'LOT-P' }] }));
    const got = codes(receipts);
    // The order completes with the 10th; later ones find it completed.
    expect(got.filter((c) => c === 'ok')).toHaveLength(10);
    expect(got.filter((c) => c !== 'ok').every((c) => c === 'ORDER_NOT_IN_PRODUCTION' || c === 'RECEIPT_EXCEEDS_REPORTED')).toBe(true);
    const order = await P.get();
    expect(order).toMatchObject({ status: 'completed', received: '10' });
    expect(order.components.map((c: any) => [c.materialCode, c.issuedQuantity, c.backflushedQuantity])).toEqual([['CASING', '10', '0'], ['GREASE', '0', '0.385'], ['BOLT', '0', '40']]);
    expect(await P.balances()).toEqual(['BOLT@MAIN//=60', 'CASING@MAIN/A-01/C1=5', 'GREASE@MAIN//=0.615', 'PUMP@MAIN//LOT-P=10']);
    const completed = (await P.as('GET', `/v1/events?aggregateId=${P.order.id}&type=production_order.completed`)).body.items;
    expect(completed).toHaveLength(1);
  });
});
