/**
 * Traceability over real HTTP (S1-5.4.5-d): one genealogy graph across purchasing, production,
 * the ledger and sales, backward and forward, by batch and by serial; the depth bound and a
 * genealogy cycle; the recall report with its CSV and XLSX exports, audited; bad input answered
 * with stable codes; tenant isolation.
 */
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, startTestServer, type TestServer } from './harness.js';
import { productionTenant } from './production-setup.js';
import { traceablePlant } from './trace-setup.js';
import { budget } from '../../vitest.shared.js';

let t: TestServer;
let P: Awaited<ReturnType<typeof traceablePlant>>;

beforeAll(async () => {
  t = await startTestServer();
  P = await traceablePlant(t, 'trace');
}, budget(120_000));
afterAll(async () => {
  await t?.stop();
});

const ids = (g: any) => g.nodes.map((n: any) => `${n.id}@${n.depth}`);
const edges = (g: any) => g.edges.map((e: any) => `${e.type}:${e.from}>${e.to}=${e.quantity}`).sort();
const node = (g: any, id: string) => g.nodes.find((n: any) => n.id === id);

describe('trace (S1-5.4.5-d)', () => {
  it('S1-5.4.5-d traces a finished batch backward to component batches, supplier, purchase order, BOM version, operators, station, equipment, times and the incoming inspection', async () => {
    const res = await P.as('GET', '/v1/trace/batches/P-1?direction=backward');
    expect(res.status).toBe(200);
    const g = res.body;
    const B = P.casingBatch;
    expect(g).toMatchObject({ direction: 'backward', depth: 10, root: 'batch:PUMP:P-1', truncated: false });
    expect(ids(g)).toEqual(['batch:PUMP:P-1@0', 'batch:HOUSING:H-1@1', `batch:CASING:${B}@2`, 'supplier:SUP-1@2', 'customer:C1@0']);
    expect(edges(g)).toEqual([
      `consumed_into:batch:CASING:${B}>batch:HOUSING:H-1=5`, 'consumed_into:batch:HOUSING:H-1>batch:PUMP:P-1=4',
      'delivered:batch:PUMP:P-1>customer:C1=3', `supplied:supplier:SUP-1>batch:CASING:${B}=10`,
    ]);
    const pump = node(g, 'batch:PUMP:P-1');
    expect(pump.made).toEqual([{
      orderId: P.pumpOrder.id, orderDocNo: P.pumpOrder.docNo, receiptId: P.pumpReceipt.id, receiptDocNo: P.pumpReceipt.docNo, quantity: '4',
      bomVersionId: P.pumpOrder.bomVersionId, bomRevision: 1, operators: ['W-007'], stationCodes: ['ST-1'], equipmentCodes: ['PRESS-01'],
      workStartedAt: '2026-03-03T08:00:00.000Z', workEndedAt: '2026-03-03T10:00:00.000Z', receivedAt: P.pumpReceipt.createdAt,
    }]);
    expect(pump.stock.map((s: any) => [s.warehouseCode, s.binCode, s.quantity])).toEqual([['MAIN', 'A-01', '1']]);
    expect(pump.ledger).toMatchObject({ movements: 2 });
    const supplied = g.edges.find((e: any) => e.type === 'supplied');
    expect(supplied.purchase).toMatchObject({
      purchaseOrderId: P.po.id, purchaseOrderDocNo: P.po.docNo, receiptDocNo: P.receipt.docNo, supplierBatch: 'LOT-77', accepted: '9', rejected: '1',
      inspections: [{ inspector: 'QC-Li', accepted: '9', rejected: '1', remarks: '1 dented', inspectedAt: expect.any(String) }],
    });
    expect(node(g, 'supplier:SUP-1')).toMatchObject({ type: 'supplier', partnerId: P.supplier.id, partnerName: 'Steel Co' });
    expect(g.edges.find((e: any) => e.to === 'batch:PUMP:P-1').production).toEqual({ orderId: P.pumpOrder.id, orderDocNo: P.pumpOrder.docNo, receiptId: P.pumpReceipt.id, receiptDocNo: P.pumpReceipt.docNo });
    expect(node(g, `batch:CASING:${B}`).stock.map((s: any) => [s.warehouseCode, s.binCode, s.quantity])).toEqual([['MAIN', 'A-01', '4']]);
  });

  it('S1-5.4.5-d traces a supplier batch forward to every batch and serial made from it and every customer it reached', async () => {
    const B = P.casingBatch;
    const g = (await P.as('GET', `/v1/trace/batches/${B}?direction=forward&materialCode=CASING`)).body;
    expect(g).toMatchObject({ direction: 'forward', root: `batch:CASING:${B}`, truncated: false });
    expect(ids(g)).toEqual([`batch:CASING:${B}@0`, 'batch:HOUSING:H-1@1', 'serial:METER:M-100@2', 'batch:PUMP:P-1@2', 'supplier:SUP-1@0', 'customer:C1@2']);
    expect(edges(g)).toEqual([
      `consumed_into:batch:CASING:${B}>batch:HOUSING:H-1=5`, 'consumed_into:batch:HOUSING:H-1>batch:PUMP:P-1=4', 'consumed_into:batch:HOUSING:H-1>serial:METER:M-100=1',
      'delivered:batch:PUMP:P-1>customer:C1=3', `supplied:supplier:SUP-1>batch:CASING:${B}=10`,
    ]);
    const delivered = g.edges.find((e: any) => e.type === 'delivered');
    expect(delivered.delivery).toMatchObject({ outboundId: P.outbound.id, outboundDocNo: P.outbound.docNo, deliveryPlanDocNo: P.plan.docNo, salesOrderDocNo: P.so.docNo, returned: '0' });
    expect(node(g, 'customer:C1')).toMatchObject({ type: 'customer', partnerCode: 'C1', partnerName: 'Customer one' });
  });

  it('S1-5.4.5-d traces a serial backward; the depth bound stops the walk and says so', async () => {
    const g = (await P.as('GET', '/v1/trace/serials/M-100')).body;
    expect(ids(g)).toEqual(['serial:METER:M-100@0', 'batch:HOUSING:H-1@1', `batch:CASING:${P.casingBatch}@2`, 'supplier:SUP-1@2']);
    expect(node(g, 'serial:METER:M-100')).toMatchObject({ type: 'serial', serialNo: 'M-100', stock: [{ warehouseCode: 'MAIN', quantity: '1' }] });
    const one = (await P.as('GET', '/v1/trace/batches/P-1?depth=1')).body;
    expect(one).toMatchObject({ depth: 1, truncated: true });
    expect(ids(one)).toEqual(['batch:PUMP:P-1@0', 'batch:HOUSING:H-1@1', 'customer:C1@0']);
    expect((await P.as('GET', '/v1/trace/batches/P-1?depth=2')).body.truncated).toBe(false);
  });

  it('S1-5.4.5-d bad input: unknown batch or serial 404, bad direction and depth out of range 422, a number used by two materials 422 until one is named', async () => {
    const unknown = await P.as('GET', '/v1/trace/batches/NOPE');
    expect([unknown.status, unknown.body.code]).toEqual([404, 'BATCH_NOT_FOUND']);
    expect((await P.as('GET', '/v1/trace/serials/NOPE')).body.code).toBe('SERIAL_NOT_FOUND');
    expect((await P.as('GET', '/v1/trace/batches/P-1?materialCode=CASING')).body.code).toBe('BATCH_NOT_FOUND');
    const dir = await P.as('GET', '/v1/trace/batches/P-1?direction=sideways');
    expect([dir.status, dir.body.code, dir.body.errors[0].field]).toEqual([422, 'TRACE_DIRECTION_INVALID', 'direction']);
    for (const depth of [0, 21]) {
      const d = await P.as('GET', `/v1/trace/batches/P-1?depth=${depth}`);
      expect([d.status, d.body.code]).toEqual([422, 'TRACE_DEPTH_OUT_OF_RANGE']);
    }
    expect((await P.as('GET', '/v1/trace/batches/P-1?depth=two')).status).toBe(400);
    await P.make('/v1/stock-documents', { type: 'other_in', post: true, lines: [{ materialCode: 'HOUSING', quantity: '1', warehouseCode: 'MAIN', batchNo: 'P-1' }] });
    const twice = await P.as('GET', '/v1/trace/batches/P-1');
    expect([twice.status, twice.body.code, twice.body.materialCodes]).toEqual([422, 'TRACE_MATERIAL_AMBIGUOUS', ['HOUSING', 'PUMP']]);
    expect((await P.as('GET', '/v1/trace/batches/P-1?materialCode=PUMP')).body.root).toBe('batch:PUMP:P-1');
    expect((await P.as('GET', '/v1/quality/recalls?batchNo=P-1')).body.code).toBe('TRACE_MATERIAL_AMBIGUOUS');
  });
});

describe('recall (S1-5.4.5-d)', () => {
  it('S1-5.4.5-d the recall report of a suspect batch lists every affected batch and serial where it is now: in stock per warehouse and bin, shipped per customer and delivery', async () => {
    const res = await P.as('GET', `/v1/quality/recalls?batchNo=${P.casingBatch}`);
    expect(res.status).toBe(200);
    const r = res.body;
    expect(r).toMatchObject({ suspect: { materialCode: 'CASING', batchNo: P.casingBatch }, truncated: false, affectedBatches: 4 });
    expect(r.customers).toEqual([{ customerCode: 'C1', customerName: 'Customer one', deliveries: [P.outbound.docNo] }]);
    expect(r.rows.map((x: any) => [x.materialCode, x.batchNo ?? x.serialNo, x.finished, x.status, x.warehouseCode ?? x.customerCode, x.binCode ?? x.outboundDocNo, x.quantity])).toEqual([
      ['CASING', P.casingBatch, false, 'in_stock', 'MAIN', 'A-01', '4'],
      ['METER', 'M-100', true, 'in_stock', 'MAIN', null, '1'],
      ['PUMP', 'P-1', true, 'in_stock', 'MAIN', 'A-01', '1'],
      ['PUMP', 'P-1', true, 'shipped', 'C1', P.outbound.docNo, '3'],
    ]);
    expect(r.rows[3]).toMatchObject({ deliveryPlanDocNo: P.plan.docNo, salesOrderDocNo: P.so.docNo, shippedAt: expect.any(String) });
  });

  it('S1-5.4.5-d the recall report exports as CSV and XLSX, every read on the audit record', async () => {
    const csv = await fetch(`${t.url}/v1/quality/recalls.csv?batchNo=${P.casingBatch}`, { headers: { authorization: `Bearer ${P.key}` } });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(csv.headers.get('content-disposition')).toBe(`attachment; filename="recall-CASING-${P.casingBatch}.csv"`);
    const lines = (await csv.text()).replace(/^\uFEFF/, '').trim().split(/\r?\n/);
    expect(lines[0]).toBe('materialCode,materialName,batchNo,serialNo,depth,finished,status,warehouseCode,binCode,customerCode,customerName,outboundDocNo,deliveryPlanDocNo,salesOrderDocNo,shippedAt,quantity,baseUnit');
    expect(lines).toHaveLength(5);
    expect(lines[4]).toMatch(new RegExp(`^PUMP,PUMP name,P-1,,2,true,shipped,,,C1,Customer one,${P.outbound.docNo},${P.plan.docNo},${P.so.docNo},.*,3,PCS$`));

    const xlsx = await fetch(`${t.url}/v1/quality/recalls.xlsx?batchNo=${P.casingBatch}`, { headers: { authorization: `Bearer ${P.key}` } });
    expect(xlsx.status).toBe(200);
    expect(xlsx.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(Buffer.from(await xlsx.arrayBuffer()) as never);
    const sheet = book.getWorksheet('Recall')!;
    expect(sheet.getRow(2).getCell(1).value).toBe('Material');
    expect([3, 4, 5, 6].map((r) => [sheet.getRow(r).getCell(1).value, sheet.getRow(r).getCell(7).value, sheet.getRow(r).getCell(16).value])).toEqual([
      ['CASING', 'in_stock', 4], ['METER', 'in_stock', 1], ['PUMP', 'in_stock', 1], ['PUMP', 'shipped', 3],
    ]);
    expect(book.getWorksheet('Customers')!.getRow(2).values).toEqual([undefined, 'C1', 'Customer one', P.outbound.docNo]);

    const audit = (await P.as('GET', '/v1/audit?limit=100')).body.items.filter((a: any) => String(a.resource).startsWith('recall/'));
    expect(audit.map((a: any) => [a.action, a.resource, a.details.rows]).sort()).toEqual([
      ['exportRecallReportCsv', `recall/CASING/${P.casingBatch}`, 4], ['exportRecallReportXlsx', `recall/CASING/${P.casingBatch}`, 4], ['getRecallReport', `recall/CASING/${P.casingBatch}`, 4],
    ]);
  });

  it('S1-5.4.5-d tenant isolation: another tenant neither traces nor recalls this tenant\'s batches (404), even with the same numbers in its own stock', async () => {
    const O = await productionTenant(t, 'trace-other');
    for (const path of ['/v1/trace/batches/P-1', '/v1/trace/serials/M-100', `/v1/quality/recalls?batchNo=${P.casingBatch}`, `/v1/quality/recalls.csv?batchNo=${P.casingBatch}`]) {
      const res = await O.as('GET', path);
      expect([path, res.status]).toEqual([path, 404]);
    }
    await O.make('/v1/materials', { code: 'PUMP', name: 'Pump', baseUnit: 'PCS', tracking: 'batch' });
    await O.make('/v1/warehouses', { code: 'MAIN', name: 'Main' });
    await O.make('/v1/stock-documents', { type: 'other_in', post: true, lines: [{ materialCode: 'PUMP', quantity: '2', warehouseCode: 'MAIN', batchNo: 'P-1' }] });
    const own = (await O.as('GET', '/v1/trace/batches/P-1?direction=forward')).body;
    expect(ids(own)).toEqual(['batch:PUMP:P-1@0']);
    expect(own.nodes[0]).toMatchObject({ made: [], stock: [{ warehouseCode: 'MAIN', quantity: '2' }], ledger: { movements: 1 } });
    expect(own.edges).toEqual([]);
  });

  it('S1-5.4.5-d trace and recall need quality:read: a key with production:read only is 403, one with quality:read reads', async () => {
    const keyWith = async (permissions: string[]) => (await P.make('/v1/api-keys', { name: permissions.join(','), permissions })).key as string;
    const production = await keyWith(['production:read']);
    for (const path of ['/v1/trace/batches/H-1', `/v1/quality/recalls?batchNo=${P.casingBatch}`]) {
      const res = await call(t.url, production, 'GET', path);
      expect([res.status, res.body.code]).toEqual([403, 'PERMISSION_DENIED']);
    }
    expect((await call(t.url, await keyWith(['quality:read']), 'GET', '/v1/trace/batches/H-1')).status).toBe(200);
  });
});

// Last: the cycle is written into this tenant's genealogy for good (genealogy is append-only for the app).
describe('cycles (S1-5.4.5-d)', () => {
  it('S1-5.4.5-d a genealogy cycle (a batch reworked into what it was made of) ends: the closing edge is shown, nothing is walked twice', async () => {
    const db = t.server.built.ctx.db;
    await db.transaction({ tenantId: P.id }, (tx) => tx.query(
      `INSERT INTO production_genealogy (tenant_id, receipt_id, line_no, order_id, produced_material_id, produced_batch_no, consumed_material_id, consumed_batch_no, consumed_quantity)
       VALUES ($1, $2, 1, $3, $4, $5, $6, 'P-1', 1)`,
      [P.id, P.pumpReceipt.id, P.pumpOrder.id, P.ids.casing, P.casingBatch, P.ids.pump],
    ));
    const g = (await P.as('GET', '/v1/trace/batches/P-1?materialCode=PUMP&depth=20')).body;
    expect(ids(g)).toEqual(['batch:PUMP:P-1@0', 'batch:HOUSING:H-1@1', `batch:CASING:${P.casingBatch}@2`, 'supplier:SUP-1@2', 'customer:C1@0']);
    expect(edges(g)).toContain(`consumed_into:batch:PUMP:P-1>batch:CASING:${P.casingBatch}=1`);
    expect(g.truncated).toBe(false);
    const fwd = (await P.as('GET', '/v1/trace/batches/H-1?direction=forward&depth=20')).body;
    expect(ids(fwd).filter((i: string) => i.startsWith('batch:')).sort()).toEqual(['batch:CASING:' + P.casingBatch + '@2', 'batch:HOUSING:H-1@0', 'batch:PUMP:P-1@1']);
  });

});
