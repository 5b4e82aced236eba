/**
 * Quality-caused sales returns over real HTTP (S1-5.4.5-e): a return for failed_inspection gets an
 * inspection of the returned goods (or is linked to an existing one); the return shows the
 * inspection and the batches its goods came from (the shipment's movements), the inspection shows
 * the return, and the trace of the batch shows both. Sales and quality keep their own tables.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './harness.js';
import { traceablePlant } from './trace-setup.js';
import { budget } from '../../vitest.shared.js';

let t: TestServer;
let P: Awaited<ReturnType<typeof traceablePlant>>;
let plan: any;

beforeAll(async () => {
  t = await startTestServer();
  P = await traceablePlant(t, 'qreturn');
  await P.make('/v1/quality-defect-codes', { code: 'NOISE', name: 'Noisy bearing', severity: 'major' });
  const std = await P.make('/v1/quality-standards', { code: 'STD-PUMP', name: 'Pump', materialId: P.ids.pump, items: [{ code: 'RUN', name: 'Runs quietly', kind: 'qualitative', defectCode: 'NOISE' }] });
  plan = await P.make('/v1/quality-plans', { code: 'FQC-PUMP', name: 'Pump final', inspectionType: 'final', standardId: std.id, sampling: 'full' });
}, budget(120_000));
afterAll(async () => t?.stop());

const qualityReturn = (quantity: string) => P.make('/v1/sales-returns', {
  sourceOutboundId: P.outbound.id, warehouseCode: 'MAIN', reasonCode: 'failed_inspection', reason: 'customer reports noise', lines: [{ outboundLineNo: 1, quantity }],
});

describe('quality-caused sales returns (S1-5.4.5-e)', () => {
  it('S1-5.4.5-e a return for failed inspection gets an inspection of the returned goods, linked both ways with the batch the goods came from, and in the batch\'s trace', async () => {
    const ret = await qualityReturn('2');
    expect(ret.lines[0]).toMatchObject({ batchNo: 'P-1', qualityInspection: null, sourceBatches: [{ batchNo: 'P-1', serialNo: null, quantity: '3' }] });

    const made = await P.as('POST', `/v1/sales-returns/${ret.id}/quality-inspections`, {});
    expect([made.status, made.body.detail ?? made.body.title]).toEqual([201, undefined]);
    expect(made.body.items).toHaveLength(1);
    const qi = made.body.items[0];
    expect(qi).toMatchObject({
      inspectionType: 'final', planCode: 'FQC-PUMP', sourceKind: 'sales_return', trigger: 'sales_return', materialCode: 'PUMP', batchNo: 'P-1',
      lotSize: '2', sampleSize: 2, warehouseId: P.main, status: 'open',
      salesReturns: [{ returnId: ret.id, docNo: ret.docNo, customerCode: 'C1', reasonCode: 'failed_inspection', lineNo: 1, quantity: '2', batchNo: 'P-1', serialNo: null }],
    });
    // Asked again: every line is linked, nothing more is made.
    const again = await P.as('POST', `/v1/sales-returns/${ret.id}/quality-inspections`, {});
    expect([again.status, again.body.code]).toEqual([409, 'NOTHING_TO_INSPECT']);
    expect((await P.as('GET', `/v1/quality-inspections?inspectionType=final&materialId=${P.ids.pump}`)).body.items).toHaveLength(1);

    const shown = (await P.as('GET', `/v1/sales-returns/${ret.id}`)).body;
    expect(shown.lines[0].qualityInspection).toEqual({ id: qi.id, docNo: qi.docNo, status: 'open', judgement: null });

    // One of the two returned pumps is noisy: the full inspection rejects it.
    const judged = await P.make(`/v1/quality-inspections/${qi.id}/results`, { results: [{ sampleNo: 1, itemCode: 'RUN', passed: false }, { sampleNo: 2, itemCode: 'RUN', passed: true }] });
    expect(judged).toMatchObject({ judgement: 'defective', defectives: 1, rejectedQuantity: '1' });

    const g = (await P.as('GET', '/v1/trace/batches/P-1?direction=forward')).body;
    const pump = g.nodes.find((n: any) => n.id === 'batch:PUMP:P-1');
    expect(pump.returned).toEqual([{
      returnId: ret.id, returnDocNo: ret.docNo, customerId: P.customer.id, customerCode: 'C1', quantity: '2', reasonCode: 'failed_inspection',
      reason: 'customer reports noise', returnedAt: ret.createdAt, inspection: { id: qi.id, docNo: qi.docNo, status: 'judged', judgement: 'defective' },
    }]);
  });

  it('S1-5.4.5-e a second return is linked to the existing inspection; bad links answer stable codes and write nothing', async () => {
    const qi = (await P.as('GET', `/v1/quality-inspections?inspectionType=final&materialId=${P.ids.pump}`)).body.items[0];
    const ret = await qualityReturn('1');
    const bad = async (body: Record<string, unknown>) => {
      const res = await P.as('POST', `/v1/sales-returns/${ret.id}/quality-inspections`, body);
      return [res.status, res.body.code, res.body.errors?.map((e: any) => `${e.field}:${e.code}`)];
    };
    expect(await bad({ lineNos: [9] })).toEqual([422, 'INSPECTION_INVALID', ['lineNos[0]:UNKNOWN_RETURN_LINE']]);
    expect(await bad({ inspectionId: qi.id, planId: plan.id })).toEqual([422, 'INSPECTION_INVALID', ['planId:PLAN_OR_INSPECTION']]);
    expect(await bad({ inspectionId: '00000000-0000-4000-8000-000000000000' })).toEqual([422, 'INSPECTION_INVALID', ['inspectionId:UNKNOWN_INSPECTION']]);
    expect((await P.as('GET', `/v1/sales-returns/${ret.id}`)).body.lines[0].qualityInspection).toBeNull();

    const linked = await P.as('POST', `/v1/sales-returns/${ret.id}/quality-inspections`, { inspectionId: qi.id, lineNos: [1] });
    expect(linked.status).toBe(201);
    expect(linked.body.items[0].salesReturns.map((r: any) => [r.lineNo, r.quantity])).toEqual([[1, '2'], [1, '1']]);
    expect(linked.body.items[0].salesReturns[1].docNo).toBe(ret.docNo);
    expect(await bad({ lineNos: [1] })).toEqual([422, 'INSPECTION_INVALID', ['lineNos[0]:LINE_ALREADY_LINKED']]);

    // A return for another reason is no quality return.
    const other = await P.make('/v1/sales-returns', { customerCode: 'C1', warehouseCode: 'MAIN', reasonCode: 'demand_change', lines: [{ materialCode: 'PUMP', quantity: '1', batchNo: 'P-1' }] });
    expect(other.lines[0].sourceBatches).toEqual([]);
    const refused = await P.as('POST', `/v1/sales-returns/${other.id}/quality-inspections`, {});
    expect([refused.status, refused.body.code]).toEqual([409, 'NOT_A_QUALITY_RETURN']);
    expect((await P.as('GET', '/v1/sales-returns/00000000-0000-4000-8000-000000000000')).status).toBe(404);
  });
});
