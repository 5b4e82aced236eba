/**
 * Pending-inspection settlement over real HTTP (S1-5.4.4-h, S1-5.4.5-c): a work report's pending
 * pieces wait for the in-process inspection the report started; quality's judgement settles them
 * into good and scrap on the operation (rejected pieces out of the pending ones first), the
 * quantity flow rule follows the settled good, a review re-settles, and a review that would take
 * good a later operation already passed is refused with nothing written.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './harness.js';
import { productionTenant } from './production-setup.js';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => t?.stop());

/** WIDGET on Press (10) → Check (20, inspection point, full in-process inspection IPQC-W) → Pack (30); an order of 10. */
async function plant(slug: string) {
  const P = await productionTenant(t, slug);
  const widget = (await P.make('/v1/materials', { code: 'WIDGET', name: 'Widget', baseUnit: 'PCS', category: 'widgets' })).id as string;
  const rt = await P.make('/v1/routings', {
    code: 'RT-W', name: 'Widget', effectiveFrom: '2026-01-01',
    operations: [
      { seq: 10, name: 'Press', workCentreCode: 'WC-PRESS', runMinutes: '1' },
      { seq: 20, name: 'Check', workCentreCode: 'WC-ASSY', runMinutes: '1', inspectionPoint: true, inspectionRef: 'IPQC-W' },
      { seq: 30, name: 'Pack', workCentreCode: 'WC-ASSY', runMinutes: '1' },
    ],
  });
  await P.make(`/v1/routings/${rt.id}/release`, { version: rt.version });
  const m = (await P.as('GET', `/v1/materials/${widget}`)).body;
  await P.as('PATCH', `/v1/materials/${widget}`, { version: m.version, defaultRouting: 'RT-W' });
  await P.make('/v1/quality-defect-codes', { code: 'BURR', name: 'Burr', severity: 'major' });
  const std = await P.make('/v1/quality-standards', { code: 'STD-W', name: 'Widgets', materialCategory: 'widgets', items: [{ code: 'LOOK', name: 'Look', kind: 'qualitative', defectCode: 'BURR' }] });
  await P.make('/v1/quality-plans', { standardId: std.id, code: 'IPQC-W', name: 'In-process', inspectionType: 'in_process', sampling: 'full' });
  const created = await P.make('/v1/production-orders', { materialCode: 'WIDGET', quantity: '10', plannedStart: '2026-03-02', plannedFinish: '2026-03-06' });
  const order = await P.make(`/v1/production-orders/${created.id}/release`, { version: created.version });
  const report = (operationSeq: number, body: Record<string, unknown>) =>
    P.as('POST', `/v1/production-orders/${order.id}/reports`, { operationSeq, operator: 'W-1', endedAt: '2026-03-03T10:00:00.000Z', ...body });
  /** [seq, good, scrap, pending] per operation. */
  const ops = async () => (await P.as('GET', `/v1/production-orders/${order.id}`)).body.operations.map((o: any) => [o.seq, o.goodQuantity, o.scrapQuantity, o.pendingInspectionQuantity]);
  const inspectionOf = async (reportId: string) => (await P.as('GET', `/v1/quality-inspections?productionOrderId=${order.id}&limit=100`)).body.items.find((i: any) => i.workReportId === reportId && i.trigger === 'inspection_point');
  const reportRow = async (id: string) => (await P.as('GET', `/v1/production-orders/${order.id}/reports?limit=100`)).body.items.find((r: any) => r.id === id);
  /** Full inspection of `lot` pieces, `bad` of them defective. */
  const judge = (id: string, lot: number, bad: number) => P.as('POST', `/v1/quality-inspections/${id}/results`, {
    results: Array.from({ length: lot }, (_, k) => ({ sampleNo: k + 1, itemCode: 'LOOK', passed: k >= bad })),
  });
  return { ...P, order, report, ops, inspectionOf, reportRow, judge };
}

describe('pending-inspection settlement (S1-5.4.4-h, S1-5.4.5-c)', () => {
  it('S1-5.4.4-h S1-5.4.5-c: the judgement of the in-process inspection settles the report\'s pending pieces into good and scrap; the flow rule follows', async () => {
    const P = await plant('settle');
    expect((await P.report(10, { goodQuantity: '10' })).status).toBe(201);
    const wr = (await P.report(20, { goodQuantity: '4', pendingInspectionQuantity: '4' })).body;
    expect(await P.ops()).toEqual([[10, '10', '0', '0'], [20, '4', '0', '4'], [30, '0', '0', '0']]);
    // Pending pieces are not passed as good: Pack may take 4, not 5.
    const early = await P.report(30, { goodQuantity: '5' });
    expect([early.status, early.body.code]).toEqual([422, 'QUANTITY_FLOW_VIOLATION']);
    const insp = await P.inspectionOf(wr.id);
    expect(insp).toMatchObject({ lotSize: '8', operationSeq: 20, status: 'open' });
    expect((await P.reportRow(wr.id)).settlement).toBeNull();

    // 3 of the 8 defective: the 3 rejected come out of the 4 pending; 1 pending piece is good.
    const judged = await P.judge(insp.id, 8, 3);
    expect(judged.status, JSON.stringify(judged.body)).toBe(200);
    expect(judged.body).toMatchObject({ judgement: 'defective', rejectedQuantity: '3' });
    expect(await P.ops()).toEqual([[10, '10', '0', '0'], [20, '5', '3', '0'], [30, '0', '0', '0']]);
    expect((await P.reportRow(wr.id))).toMatchObject({
      goodQuantity: '4', scrapQuantity: '0', pendingInspectionQuantity: '4', settlement: { good: '1', scrap: '3', inspectionId: insp.id, inspectionDocNo: insp.docNo },
    });
    // Pack may now take the 5 good, not 6.
    const six = await P.report(30, { goodQuantity: '6' });
    expect([six.status, six.body.code]).toEqual([422, 'QUANTITY_FLOW_VIOLATION']);
    expect((await P.report(30, { goodQuantity: '5' })).status).toBe(201);

    // The feed carries the settlement.
    const events = (await P.as('GET', '/v1/events?type=production_operation.settled&limit=10')).body;
    expect(events.items?.map((e: any) => [e.payload.operationSeq, e.payload.good, e.payload.scrap, e.payload.inspectionDocNo])).toEqual([[20, '1', '3', insp.docNo]]);
  });

  it('S1-5.4.5-c: a review re-settles the difference; one that would take good a later operation already passed is refused, nothing written', async () => {
    const P = await plant('settle-review');
    await P.report(10, { goodQuantity: '10' });
    const wr = (await P.report(20, { goodQuantity: '2', pendingInspectionQuantity: '6' })).body;
    const insp = await P.inspectionOf(wr.id);
    await P.judge(insp.id, 8, 2);
    expect(await P.ops()).toEqual([[10, '10', '0', '0'], [20, '6', '2', '0'], [30, '0', '0', '0']]);
    // Overturned to good: all 6 pending pieces are good.
    let cur = (await P.as('GET', `/v1/quality-inspections/${insp.id}`)).body;
    const good = await P.as('POST', `/v1/quality-inspections/${insp.id}/review`, { version: cur.version, judgement: 'good', reason: 'burr within drawing tolerance' });
    expect(good.status, JSON.stringify(good.body)).toBe(200);
    expect(await P.ops()).toEqual([[10, '10', '0', '0'], [20, '8', '0', '0'], [30, '0', '0', '0']]);
    expect((await P.reportRow(wr.id)).settlement).toMatchObject({ good: '6', scrap: '0' });
    // Pack passes all 8; rejecting 2 again would leave Check 6 good under Pack's 8: refused, nothing changes.
    expect((await P.report(30, { goodQuantity: '8' })).status).toBe(201);
    cur = (await P.as('GET', `/v1/quality-inspections/${insp.id}`)).body;
    const back = await P.as('POST', `/v1/quality-inspections/${insp.id}/review`, { version: cur.version, judgement: 'defective', reason: 'recount' });
    expect([back.status, back.body.code, back.body.errors?.[0]?.field]).toEqual([422, 'QUANTITY_FLOW_VIOLATION', 'judgement']);
    expect((await P.as('GET', `/v1/quality-inspections/${insp.id}`)).body).toMatchObject({ judgement: 'good', version: cur.version });
    expect(await P.ops()).toEqual([[10, '10', '0', '0'], [20, '8', '0', '0'], [30, '8', '0', '0']]);
  });
});
