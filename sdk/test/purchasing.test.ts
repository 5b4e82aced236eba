import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MesClient, MesError } from '../src/index.js';
import { createTenant, startTestServer, type TestServer } from './support/server.js';

let t: TestServer;
let mes: MesClient;

beforeAll(async () => {
  t = await startTestServer();
  mes = new MesClient({ baseUrl: t.url, apiKey: (await createTenant(t, 'sdk-purchasing')).key });
});

afterAll(async () => {
  await t?.stop();
});

describe('purchasing', () => {
  it('S1-5.4.2-b/c/d/e/g: order, approve, receive, inspect, return and progress through the SDK', async () => {
    await mes.units.create({ code: 'PCS', name: 'Pieces', decimals: 0 });
    const motor = await mes.materials.create({ code: 'MOTOR-1', name: 'Motor', baseUnit: 'PCS', tracking: 'batch' });
    const main = await mes.warehouses.create({ code: 'MAIN', name: 'Main' });
    const supplier = await mes.suppliers.create({ code: 'V1', name: 'Motor Works', overDeliveryTolerance: '5' });
    const terms = await mes.purchasing.supplierMaterials.put({ supplierId: supplier.id, materialId: motor.id, price: '120', preferred: true });
    expect(terms).toMatchObject({ supplierCode: 'V1', materialCode: 'MOTOR-1', preferred: true });

    const order = await mes.purchasing.orders.create({ supplierId: supplier.id, lines: [{ materialId: motor.id, quantity: '20', price: '120' }] });
    expect(order).toMatchObject({ status: 'draft', version: 1 });
    const approved = await mes.purchasing.orders.approve(order.id, order.version);
    expect(approved.status).toBe('approved');

    const over = await mes.purchasing.receipts.create({ orderId: order.id, lines: [{ orderLineId: order.lines[0].id, quantity: '22' }] }).catch((e: MesError) => e);
    expect(over).toBeInstanceOf(MesError);
    expect({ status: (over as MesError).status, code: (over as MesError).code }).toEqual({ status: 422, code: 'OVER_TOLERANCE' });

    const receipt = await mes.purchasing.receipts.create({ orderId: order.id }, { idempotencyKey: 'pda-1' });
    expect(receipt.lines.map((l) => [l.received, l.pending])).toEqual([['20', '20']]);
    expect((await mes.purchasing.receipts.list({ pendingInspection: true })).items.map((r) => r.id)).toEqual([receipt.id]);
    expect((await mes.stock.balances({ materialId: motor.id })).items).toEqual([]);
    const labels = await mes.purchasing.receipts.labels(receipt.id);
    const image = await mes.barcodes.label({ fields: labels.items[0].fields as never, format: 'svg' });
    expect(image.contentType).toMatch(/svg/);

    const result = await mes.purchasing.receipts.inspect(receipt.id, { lines: [{ receiptLineId: receipt.lines[0].id, accepted: '18', rejected: '2', warehouseId: main.id }] });
    expect(result.inbound?.lines.map((l) => l.quantity)).toEqual(['18']);
    expect(result.return?.lines.map((l) => l.baseQuantity)).toEqual(['2']);
    expect((await mes.stock.balances({ materialId: motor.id })).items.map((b) => b.quantity)).toEqual(['18']);

    const ret = await mes.purchasing.returns.create({ inboundId: result.inbound!.id, lines: [{ inboundLineId: result.inbound!.lines[0].id, quantity: '3' }] });
    expect(ret.sourceKind).toBe('inbound');
    expect((await mes.stock.balances({ materialId: motor.id })).items.map((b) => b.quantity)).toEqual(['15']);

    const rows = [];
    for await (const r of mes.purchasing.iterateProgress({ groupBy: 'material' })) rows.push(r);
    expect(rows.map((r) => [r.key.code, r.ordered, r.received, r.in, r.rejected, r.returned, r.open])).toEqual([['MOTOR-1', '20', '20', '18', '2', '5', '2']]);
    expect((await mes.purchasing.orders.versions(order.id)).items.map((v) => v.version)).toEqual([2]);
    expect((await mes.purchasing.suggest({ dryRun: true })).suggestions).toEqual([]);
  });
});
