/**
 * A traceable history made through the API: steel casings bought from SUP-1 (batch inspected:
 * 9 accepted, 1 rejected) → housings H-1 (order without routing) → pumps P-1 (one operation with
 * operator, station and equipment) and meter M-100 (serial) → 3 pumps shipped to customer C1.
 */
import type { TestServer } from './harness.js';
import { productionTenant } from './production-setup.js';

export async function traceablePlant(t: TestServer, slug: string) {
  const T = await productionTenant(t, slug);
  const material = async (code: string, tracking: string) => (await T.make('/v1/materials', { code, name: `${code} name`, baseUnit: 'PCS', tracking })).id as string;
  const ids = { casing: await material('CASING', 'batch'), housing: await material('HOUSING', 'batch'), pump: await material('PUMP', 'batch'), meter: await material('METER', 'serial') };
  const main = (await T.make('/v1/warehouses', { code: 'MAIN', name: 'Main' })).id as string;
  await T.make(`/v1/warehouses/${main}/bins`, { code: 'A-01' });

  // Purchase: 10 casings, incoming inspection accepts 9 into MAIN/A-01.
  const supplier = await T.make('/v1/suppliers', { code: 'SUP-1', name: 'Steel Co' });
  const po = await T.make('/v1/purchase-orders', { supplierId: supplier.id, lines: [{ materialCode: 'CASING', quantity: '10' }] });
  await T.make(`/v1/purchase-orders/${po.id}/approve`, { version: po.version });
  const receipt = await T.make('/v1/purchase-receipts', { orderId: po.id, lines: [{ orderLineId: po.lines[0].id, quantity: '10', supplierBatch: 'LOT-77' }] });
  const casingBatch = receipt.lines[0].batchNo as string;
  await T.make(`/v1/purchase-receipts/${receipt.id}/inspections`, {
    inspector: 'QC-Li', lines: [{ receiptLineId: receipt.lines[0].id, accepted: '9', rejected: '1', warehouseCode: 'MAIN', binCode: 'A-01', remarks: '1 dented' }],
  });

  const bom = async (materialCode: string, lines: unknown[]) => {
    const b = await T.make('/v1/boms', { materialCode, type: 'manufacturing', effectiveFrom: '2026-01-01', lines });
    return T.make(`/v1/boms/${b.id}/release`, { version: b.version });
  };
  const released = async (body: Record<string, unknown>) => {
    const o = await T.make('/v1/production-orders', { plannedStart: '2026-03-02', plannedFinish: '2026-03-06', ...body });
    return T.make(`/v1/production-orders/${o.id}/release`, { version: o.version });
  };

  // Housings: 5 from 5 casings, no operations.
  await bom('HOUSING', [{ materialCode: 'CASING', quantity: '1' }]);
  const housingOrder = await released({ materialCode: 'HOUSING', quantity: '5', workshopCode: 'WS-ASSY' });
  await T.make(`/v1/production-orders/${housingOrder.id}/issues`, { warehouseCode: 'MAIN' });
  const housingReceipt = await T.make(`/v1/production-orders/${housingOrder.id}/receipts`, { warehouseCode: 'MAIN', lines: [{ quantity: '5', batchNo: 'H-1' }] });

  // Pumps: 4 from housings at operation 10, worked by W-007 at ST-1 on PRESS-01.
  const pumpBom = await bom('PUMP', [{ materialCode: 'HOUSING', quantity: '1', operationSeq: 10 }]);
  const rt = await T.make('/v1/routings', { code: 'RT-PUMP', name: 'Pump', effectiveFrom: '2026-01-01', operations: [{ seq: 10, name: 'Press', workCentreCode: 'WC-PRESS', runMinutes: '1' }] });
  await T.make(`/v1/routings/${rt.id}/release`, { version: rt.version });
  const pump = (await T.as('GET', `/v1/materials/${ids.pump}`)).body;
  await T.as('PATCH', `/v1/materials/${ids.pump}`, { version: pump.version, defaultRouting: 'RT-PUMP' });
  await T.make('/v1/stations', { code: 'ST-1', name: 'Press 1', workCentreCode: 'WC-PRESS' });
  const pumpOrder = await released({ materialCode: 'PUMP', quantity: '4' });
  await T.make(`/v1/production-orders/${pumpOrder.id}/issues`, { warehouseCode: 'MAIN' });
  await T.make(`/v1/production-orders/${pumpOrder.id}/reports`, {
    operationSeq: 10, goodQuantity: '4', operator: 'W-007', stationCode: 'ST-1', equipmentCode: 'PRESS-01', startedAt: '2026-03-03T08:00:00.000Z', endedAt: '2026-03-03T10:00:00.000Z',
  });
  const pumpReceipt = await T.make(`/v1/production-orders/${pumpOrder.id}/receipts`, { warehouseCode: 'MAIN', lines: [{ quantity: '4', binCode: 'A-01', batchNo: 'P-1' }] });

  // A meter, serial M-100, from the last housing.
  await bom('METER', [{ materialCode: 'HOUSING', quantity: '1' }]);
  const meterOrder = await released({ materialCode: 'METER', quantity: '1', workshopCode: 'WS-ASSY' });
  await T.make(`/v1/production-orders/${meterOrder.id}/issues`, { warehouseCode: 'MAIN' });
  await T.make(`/v1/production-orders/${meterOrder.id}/receipts`, { warehouseCode: 'MAIN', lines: [{ quantity: '1', serialNos: ['M-100'] }] });

  // Sales: 3 pumps to C1.
  const customer = await T.make('/v1/customers', { code: 'C1', name: 'Customer one' });
  const so = await T.make('/v1/sales-orders', { customerId: customer.id, lines: [{ materialCode: 'PUMP', quantity: '3', price: '100', deliveryDate: '2026-07-15' }] });
  await T.make(`/v1/sales-orders/${so.id}/approve`, { version: so.version });
  const plan = await T.make('/v1/delivery-plans', { customerId: customer.id, plannedDate: '2026-07-01', lines: [{ orderLineId: so.lines[0].id, quantity: '3' }] });
  const outbound = await T.make('/v1/sales-outbounds', { planId: plan.id, warehouseCode: 'MAIN' });
  await T.make(`/v1/sales-outbounds/${outbound.id}/post`);
  return {
    ...T, ids, main, casingBatch, supplier, po, receipt, housingOrder, housingReceipt, pumpOrder, pumpReceipt, pumpBom, meterOrder, customer, so, plan, outbound,
  };
}
