/**
 * Purchasing (S1-5.4.2): the supplier master and purchasing organisation, purchase orders from
 * their demand sources, receiving with generated barcodes, inbound after incoming inspection on PC
 * and PDA, returns with and without a source, and the detail and progress views by supplier and by
 * material. Received goods are not stock until inspected: every check shows the ledger and the
 * balances after each step.
 *
 * S1-5.4.2-f as a whole needs purchase orders generated from production orders' material demand,
 * which does not exist yet; its other parts (incoming inspection, inbound and returns posting to the
 * ledger) are asserted here under -d and -e.
 */
import type { Operation } from '../../openapi.js';
import type { Check } from '../../types.js';
import { businessCheck, DUE, type Scenario, usccWithCheck } from './scenario.js';

export function purchasingChecks(ops: Operation[]): Check[] {
  const check = (name: string, title: string, clauses: string[], body: (s: Scenario) => Promise<void>) => businessCheck(ops, `purchasing/${name}`, title, clauses, body);
  return [
    check('supplier-master', 'supplier master with USCC, tax number, bank account, settlement and purchasing organisation', ['S1-5.4.2-a'], supplierMaster),
    check('orders-from-demand', 'purchase orders from shortage, production and safety-stock demand: material, quantity in the purchase unit, price, supplier, features, MTO number', ['S1-5.4.2-b'], ordersFromDemand),
    check('receiving', 'receiving by hand and automatically from the order records quantities and generates barcodes; nothing is stock yet', ['S1-5.4.2-c'], receiving),
    check('inbound-after-inspection', 'goods go into stock only through incoming inspection, received by PDA labels and inspected on a PC: warehouse, bin, quantity, barcode, batch, serial', ['S1-5.4.2-d'], inboundAfterInspection),
    check('returns', 'purchase returns: rejected at inspection, from stock with the inbound as source, and without a source', ['S1-5.4.2-e'], returns),
    check('reports', 'purchasing detail and progress by supplier and by material, exact', ['S1-5.4.2-g'], reports),
  ];
}

async function supplierMaster(s: Scenario) {
  const raw = await s.post('/v1/purchasing-groups', { code: 'RAW', name: 'Raw materials' });
  const li = await s.post('/v1/buyers', { code: 'LI', name: 'Li Na', groupId: raw.id });
  const salesGroup = await s.post('/v1/sales-groups', { code: 'EAST', name: 'East China' });
  const zhao = await s.post('/v1/salespersons', { code: 'ZHAO', name: 'Zhao Lei', groupId: salesGroup.id });
  const uscc = usccWithCheck('91330206MA2H7CDE1');
  const master = {
    code: 'S-STEEL',
    name: '宁波钢材有限公司',
    address: '宁波市北仑区新碶街道 88 号',
    taxNumber: uscc,
    uscc,
    bankAccounts: [{ bankName: '中国建设银行宁波北仑支行', accountNumber: '33150199501000123456', accountName: '宁波钢材有限公司' }],
    settlement: { method: 'transfer', days: 45 },
    personId: li.id,
    groupId: raw.id,
    overDeliveryTolerance: '5',
  };
  const created = await s.post('/v1/suppliers', master);
  const fields = (c: any) => Object.fromEntries(Object.keys(master).map((k) => [k, c[k]]));
  s.eq(fields(await s.get(`/v1/suppliers/${created.id}`)), master, 'the supplier as read back');
  s.eq((await s.all('/v1/buyers')).map((p) => [p.code, p.groupId]), [['LI', raw.id]], 'the purchasing organisation: buyer and group');
  // The same company may also be a customer: the credit code is unique per kind.
  await s.post('/v1/customers', { code: 'C-STEEL', name: master.name, uscc });

  // A salesperson is no buyer, and the credit code is taken by another supplier: both named, nothing saved.
  const bad = await s.call('POST', '/v1/suppliers', { code: 'S-COPY', name: 'Copy', uscc, personId: zhao.id });
  s.refused(bad, 422, 'PARTNER_INVALID', ['personId:UNKNOWN_PERSON', 'uscc:USCC_TAKEN']);
  s.eq((await s.all('/v1/suppliers')).map((c) => c.code), ['S-STEEL'], 'suppliers after the refused one');
}

async function ordersFromDemand(s: Scenario) {
  await s.units(['PCS', 0], ['BOX', 0]);
  await s.conversion('BOX', 'PCS', '12');
  await s.post('/v1/features', { code: 'COLOR', name: 'Colour', values: [{ code: 'RED', name: 'Red' }, { code: 'BLUE', name: 'Blue' }] });
  const bolt = await s.material('BOLT', { purchaseUnit: 'BOX' });
  const nut = await s.material('NUT');
  const main = await s.warehouse('MAIN');
  const raw = await s.post('/v1/purchasing-groups', { code: 'RAW', name: 'Raw materials' });
  const li = await s.post('/v1/buyers', { code: 'LI', name: 'Li Na', groupId: raw.id });
  const sup = await s.supplier('S1', { personId: li.id, groupId: raw.id });

  // A shortage the buyer raises by hand, in the purchase unit, with a feature and a make-to-order number.
  const shortage = await s.post('/v1/purchase-orders', {
    supplierId: sup,
    buyerId: li.id,
    groupId: raw.id,
    demandSource: 'shortage',
    lines: [
      { materialCode: 'BOLT', quantity: '2', price: '3.50', taxRate: '13', neededBy: '2030-04-01', mtoNumber: 'MTO-2030-007', features: { COLOR: 'RED' } },
      { materialId: nut, quantity: '10', price: '0.20' },
    ],
  });
  s.eq([shortage.supplierId, shortage.supplierCode, shortage.buyerId, shortage.groupId, shortage.demandSource, shortage.status], [sup, 'S1', li.id, raw.id, 'shortage', 'draft'], 'the shortage order');
  s.eq(shortage.lines.map((l: any) => [l.materialCode, l.quantity, l.unit, l.baseQuantity, l.baseUnit, l.price, l.taxRate, l.neededBy, l.mtoNumber, l.features, l.open]), [
    ['BOLT', '2', 'BOX', '24', 'PCS', '3.5', '13', '2030-04-01', 'MTO-2030-007', { COLOR: 'RED' }, '24'],
    ['NUT', '10', 'PCS', '10', 'PCS', '0.2', null, null, null, {}, '10'],
  ], 'its lines: 2 BOX of bolts are 24 PCS');
  // A production plan's demand, named by its reference.
  const production = await s.post('/v1/purchase-orders', { supplierId: sup, demandSource: 'production', demandRef: 'MO-2030-0042', lines: [{ materialId: nut, quantity: '500', price: '0.20', neededBy: DUE }] });
  s.eq([production.demandSource, production.demandRef, production.lines[0].baseQuantity], ['production', 'MO-2030-0042', '500'], 'the production-demand order');
  // Stock below its safety level: the suggestion orders the shortfall less what open orders bring.
  await s.ok('PUT', `/v1/materials/${nut}/safety-stock`, { quantity: '600' });
  await s.stockIn([{ materialId: nut, quantity: '20', warehouseId: main }]);
  await s.post('/v1/supplier-materials', { supplierId: sup, materialId: nut, price: '0.18', preferred: true });
  const run = await s.post('/v1/purchase-suggestions', {});
  s.eq(run.suggestions.map((x: any) => [x.supplierCode, x.lines.map((l: any) => [l.materialCode, l.shortfall, l.onOrder, l.quantity])]), [['S1', [['NUT', '580', '510', '70']]]], 'the suggestion: 600 − 20 on hand = 580 short, 510 on order, 70 to order');
  const suggested = await s.get(`/v1/purchase-orders/${run.suggestions[0].orderId}`);
  s.eq([suggested.demandSource, suggested.status, suggested.supplierId, suggested.lines.map((l: any) => [l.materialCode, l.quantity, l.unit, l.price])], ['safety_stock', 'draft', sup, [['NUT', '70', 'PCS', '0.18']]], 'the order the suggestion created');
  const approved = await s.action('approvePurchaseOrder', `/v1/purchase-orders/${shortage.id}/approve`, shortage.version);
  s.eq(approved.status, 'approved', 'the shortage order after approval');

  // Production demand without its reference and a colour the feature does not have: all named, nothing saved.
  const bad = await s.call('POST', '/v1/purchase-orders', { supplierId: sup, demandSource: 'production', lines: [{ materialId: bolt, quantity: '1', features: { COLOR: 'GREEN' } }] });
  s.refused(bad, 422, 'PURCHASE_ORDER_INVALID', ['demandRef:DEMAND_REF_REQUIRED', 'lines[0].features.COLOR:NOT_ALLOWED']);
  s.eq((await s.all('/v1/purchase-orders')).length, 3, 'purchase orders after the refused one');
}

async function receiving(s: Scenario) {
  await s.units(['PCS', 0], ['BOX', 0]);
  await s.conversion('BOX', 'PCS', '12');
  const bolt = await s.material('BOLT', { tracking: 'batch', purchaseUnit: 'BOX' });
  const nut = await s.material('NUT');
  const sup = await s.supplier('S1', { overDeliveryTolerance: '10' });
  const order = await s.approvedPurchaseOrder({ supplierId: sup, lines: [{ materialId: bolt, quantity: '2' }, { materialId: nut, quantity: '100' }] });

  // By hand: one box of bolts with the supplier's lot.
  const manual = await s.post('/v1/purchase-receipts', { orderId: order.id, lines: [{ orderLineId: order.lines[0].id, quantity: '1', supplierBatch: 'LOT-9', productionDate: '2030-01-15' }] });
  s.eq([manual.status, manual.lines.map((l: any) => [l.materialCode, l.quantity, l.unit, l.received, l.inspected, l.pending, l.supplierBatch, l.productionDate])], ['pending_inspection', [['BOLT', '1', 'BOX', '12', '0', '12', 'LOT-9', '2030-01-15']]], 'the manual receipt');
  const batchNo = manual.lines[0].batchNo;
  s.ctx.assert(typeof batchNo === 'string' && batchNo.length > 0, `the received bolts got no batch number: ${JSON.stringify(manual.lines[0])}`);
  // Its barcode: a label per line that names material, the new batch, quantity and the receipt.
  s.eq((await s.get(`/v1/purchase-receipts/${manual.id}/labels`)).items, manual.labels, 'the receipt\'s labels as read back');
  const label = await s.post('/v1/barcodes/resolve', { code: manual.labels[0].gs1 });
  s.eq([label.kind, label.material?.code, label.batch?.batchNo, label.gs1?.quantity, label.gs1?.document], ['batch', 'BOLT', batchNo, '12', manual.docNo], 'the label\'s barcode read back');

  // Automatically: everything still open, in the base unit.
  const auto = await s.post('/v1/purchase-receipts', { orderId: order.id });
  s.eq(auto.lines.map((l: any) => [l.materialCode, l.received]), [['BOLT', '12'], ['NUT', '100']], 'the automatic receipt takes what is open');
  s.eq(auto.labels.length, 2, 'a label for each line of the automatic receipt');
  s.eq(await s.balances(), [], 'received goods are not stock before inspection');
  const o = await s.get(`/v1/purchase-orders/${order.id}`);
  s.eq([o.status, o.lines.map((l: any) => [l.received, l.open])], ['receiving', [['24', '0'], ['100', '0']]], 'the order after both receipts');

  // 100 nuts received, tolerance 10 %: 11 more is refused on that line and nothing is received.
  const bad = await s.call('POST', '/v1/purchase-receipts', { orderId: order.id, lines: [{ orderLineId: order.lines[1].id, quantity: '11' }] });
  s.refused(bad, 422, 'OVER_TOLERANCE', ['lines[0].quantity:OVER_TOLERANCE']);
  s.eq([(await s.all('/v1/purchase-receipts')).length, (await s.get(`/v1/purchase-orders/${order.id}`)).lines[1].received], [2, '100'], 'receipts after the refused one');
}

async function inboundAfterInspection(s: Scenario) {
  await s.units(['PCS', 0]);
  const bolt = await s.material('BOLT', { tracking: 'batch' });
  const scooter = await s.material('SCOOTER', { tracking: 'serial' });
  const main = await s.warehouse('MAIN');
  const a01 = await s.bin(main, 'A-01');
  const sup = await s.supplier('S1');
  const order = await s.approvedPurchaseOrder({ supplierId: sup, lines: [{ materialId: bolt, quantity: '20' }, { materialId: scooter, quantity: '2' }] });

  // PDA at the dock: the supplier's GS1 label and a material code, sent with an Idempotency-Key; a resend counts once.
  const body = { orderId: order.id, lines: [{ barcode: '(240)BOLT(10)SUP-LOT-1(17)301231', quantity: '20' }, { barcode: 'SCOOTER', quantity: '2', serialNos: ['SC-0001', 'SC-0002'] }] };
  const receipt = await s.post('/v1/purchase-receipts', body, { 'idempotency-key': `${s.tenant.slug}-dock` });
  const resent = await s.post('/v1/purchase-receipts', body, { 'idempotency-key': `${s.tenant.slug}-dock` });
  s.eq(resent.id, receipt.id, 'the resent receipt is the first one');
  s.eq(receipt.lines.map((l: any) => [l.materialCode, l.received, l.supplierBatch, l.expiryDate, l.serialNo]), [['BOLT', '20', 'SUP-LOT-1', '2030-12-31', null], ['SCOOTER', '1', null, null, 'SC-0001'], ['SCOOTER', '1', null, null, 'SC-0002']], 'the scanned receipt');
  s.eq((await s.get(`/v1/purchase-orders/${order.id}`)).lines.map((l: any) => l.received), ['20', '2'], 'received on the order, counted once');
  s.eq(await s.balances(), [], 'nothing is stock before inspection');

  // On a PC the inspector accepts 18 bolts into bin A-01 (2 rejected) and both scooters.
  const [boltLine, sc1, sc2] = receipt.lines;
  const batchNo = boltLine.batchNo;
  const inspected = await s.post(`/v1/purchase-receipts/${receipt.id}/inspections`, {
    inspector: 'QC-Zhang',
    lines: [
      { receiptLineId: boltLine.id, accepted: '18', rejected: '2', warehouseCode: 'MAIN', binCode: 'A-01', remarks: '2 with stripped threads' },
      { receiptLineId: sc1.id, accepted: '1', rejected: '0', warehouseCode: 'MAIN' },
      { receiptLineId: sc2.id, accepted: '1', rejected: '0', warehouseCode: 'MAIN', binCode: 'A-01' },
    ],
  });
  s.eq([inspected.receipt.status, inspected.receipt.inspections.map((i: any) => [i.accepted, i.rejected, i.inspector])], ['inspected', [['18', '2', 'QC-Zhang'], ['1', '0', 'QC-Zhang'], ['1', '0', 'QC-Zhang']]], 'the inspection records');
  const inbound = inspected.inbound;
  s.eq(inbound.lines.map((l: any) => [l.materialCode, l.warehouseId, l.binId, l.quantity, l.batchNo, l.serialNo]), [
    ['BOLT', main, a01, '18', batchNo, null],
    ['SCOOTER', main, null, '1', null, 'SC-0001'],
    ['SCOOTER', main, a01, '1', null, 'SC-0002'],
  ], 'the purchase inbound: material, warehouse, bin, quantity, batch, serial');
  s.eq(await s.ledger(`sourceId=${inbound.id}`), [`purchase_in BOLT@MAIN/A-01#${batchNo} +18`, 'purchase_in SCOOTER@MAIN*SC-0001 +1', 'purchase_in SCOOTER@MAIN/A-01*SC-0002 +1'], 'the ledger rows of the inbound');
  const stock = [`BOLT@MAIN/A-01#${batchNo}=18`, 'SCOOTER@MAIN*SC-0001=1', 'SCOOTER@MAIN/A-01*SC-0002=1'].sort();
  s.eq(await s.balances(), stock, 'stock after the inbound');
  // Each inbound line's barcode: its receipt line's label names the same batch or serial.
  const labels = new Map((await s.get(`/v1/purchase-receipts/${receipt.id}/labels`)).items.map((l: any) => [l.receiptLineId, l]));
  for (const line of inbound.lines) {
    const read = await s.post('/v1/barcodes/resolve', { code: (labels.get(line.receiptLineId) as any)?.gs1 });
    s.eq([read.material?.code, read.batch?.batchNo ?? null, read.serial?.serialNo ?? null], [line.materialCode, line.batchNo, line.serialNo], `the label of inbound line ${line.lineNo}`);
  }

  // Nothing is pending any more: inspecting again is refused and moves nothing.
  const bad = await s.call('POST', `/v1/purchase-receipts/${receipt.id}/inspections`, { lines: [{ receiptLineId: boltLine.id, accepted: '1', rejected: '0', warehouseCode: 'MAIN' }] });
  s.refused(bad, 422, 'INSPECTION_EXCEEDS_PENDING');
  s.eq(await s.balances(), stock, 'stock after the refused inspection');
}

async function returns(s: Scenario) {
  await s.units(['PCS', 0]);
  const bolt = await s.material('BOLT', { tracking: 'batch' });
  await s.warehouse('MAIN');
  const sup = await s.supplier('S1');
  const order = await s.approvedPurchaseOrder({ supplierId: sup, lines: [{ materialId: bolt, quantity: '30' }] });
  const receipt = await s.post('/v1/purchase-receipts', { orderId: order.id });
  const batch = receipt.lines[0].batchNo;
  const inspected = await s.post(`/v1/purchase-receipts/${receipt.id}/inspections`, { lines: [{ receiptLineId: receipt.lines[0].id, accepted: '25', rejected: '5', warehouseCode: 'MAIN' }] });

  // Rejected at incoming inspection: a return to the supplier, with no stock movement (never in stock).
  const rejected = inspected.return;
  s.eq([rejected?.sourceKind, rejected?.sourceId, rejected?.lines.map((l: any) => [l.materialCode, l.baseQuantity, l.batchNo, l.warehouseId])], ['receipt', receipt.id, [['BOLT', '5', batch, null]]], 'the return of what inspection rejected');
  s.eq(await s.ledger(`materialId=${bolt}`), [`purchase_in BOLT@MAIN#${batch} +25`], 'the ledger after inspection: only the accepted 25');

  // From stock, with the inbound as source: 10 failed a later check.
  const inbound = inspected.inbound;
  const sourced = await s.post('/v1/purchase-returns', { inboundId: inbound.id, reason: 'corroded threads', lines: [{ inboundLineId: inbound.lines[0].id, quantity: '10' }] });
  s.eq([sourced.sourceKind, sourced.sourceId, sourced.orderId, sourced.reason, sourced.lines.map((l: any) => [l.baseQuantity, l.batchNo])], ['inbound', inbound.id, order.id, 'corroded threads', [['10', batch]]], 'the return with a source');
  s.eq(await s.ledger(`sourceId=${sourced.id}`), [`purchase_return BOLT@MAIN#${batch} -10`], 'the ledger rows of the return with a source');
  s.eq((await s.get(`/v1/purchase-inbounds/${inbound.id}`)).lines[0].returned, '10', 'returned on the inbound line');

  // Without a source, by scanning the batch label at the warehouse (a PDA).
  const free = await s.post('/v1/purchase-returns', { supplierId: sup, reason: 'wrong specification', lines: [{ barcode: `(240)BOLT(10)${batch}`, quantity: '3', warehouseCode: 'MAIN' }] });
  s.eq([free.sourceKind, free.sourceId, free.orderId, free.lines.map((l: any) => [l.materialCode, l.baseQuantity, l.batchNo])], ['none', null, null, [['BOLT', '3', batch]]], 'the return without a source');
  s.eq(await s.ledger(`sourceId=${free.id}`), [`purchase_return BOLT@MAIN#${batch} -3`], 'the ledger rows of the return without a source');
  const stock = [`BOLT@MAIN#${batch}=12`];
  s.eq(await s.balances(), stock, 'stock after both returns: 25 − 10 − 3');

  // 25 came in and 10 went back: 16 more is refused on that line; nothing is posted.
  const bad = await s.call('POST', '/v1/purchase-returns', { inboundId: inbound.id, lines: [{ inboundLineId: inbound.lines[0].id, quantity: '16' }] });
  s.refused(bad, 422, 'RETURN_EXCEEDS_RECEIVED', ['lines[0].quantity:RETURN_EXCEEDS_RECEIVED']);
  s.eq([await s.balances(), (await s.all('/v1/purchase-returns')).length], [stock, 3], 'stock and returns after the refused return');
}

async function reports(s: Scenario) {
  await s.units(['PCS', 0]);
  const axle = await s.material('AXLE');
  const bearing = await s.material('BEARING');
  await s.warehouse('MAIN');
  const s1 = await s.supplier('S1');
  const s2 = await s.supplier('S2');
  const po1 = await s.approvedPurchaseOrder({ supplierId: s1, lines: [{ materialId: axle, quantity: '100' }, { materialId: bearing, quantity: '50' }] });
  const po2 = await s.approvedPurchaseOrder({ supplierId: s2, lines: [{ materialId: axle, quantity: '40' }] });
  // A cancelled order counts in no figure.
  const po3 = await s.post('/v1/purchase-orders', { supplierId: s2, lines: [{ materialId: bearing, quantity: '9' }] });
  await s.action('cancelPurchaseOrder', `/v1/purchase-orders/${po3.id}/cancel`, po3.version, { reason: 'not needed' });

  const r1 = await s.post('/v1/purchase-receipts', { orderId: po1.id, lines: [{ orderLineId: po1.lines[0].id, quantity: '60' }, { orderLineId: po1.lines[1].id, quantity: '50' }] });
  const i1 = await s.post(`/v1/purchase-receipts/${r1.id}/inspections`, {
    lines: [{ receiptLineId: r1.lines[0].id, accepted: '55', rejected: '5', warehouseCode: 'MAIN' }, { receiptLineId: r1.lines[1].id, accepted: '50', rejected: '0', warehouseCode: 'MAIN' }],
  });
  const ret = await s.post('/v1/purchase-returns', { inboundId: i1.inbound.id, lines: [{ inboundLineId: i1.inbound.lines[0].id, quantity: '10' }] });
  const r2 = await s.post('/v1/purchase-receipts', { orderId: po2.id });

  // orders, lines, ordered, received, inspected, in, rejected, returned, pending, open (base unit).
  const rows = async (query: string) => (await s.all(`/v1/reports/purchasing-progress?${query}`)).map((r) => [r.key.code, r.orders, r.lines, r.ordered, r.received, r.inspected, r.in, r.rejected, r.returned, r.pending, r.open]);
  s.eq(await rows('groupBy=material'), [
    ['AXLE', 2, 2, '140', '100', '60', '55', '5', '15', '40', '45'],
    ['BEARING', 1, 1, '50', '50', '50', '50', '0', '0', '0', '0'],
  ], 'purchasing progress by material');
  s.eq(await rows('groupBy=supplier'), [
    ['S1', 1, 2, '150', '110', '110', '105', '5', '15', '0', '45'],
    ['S2', 1, 1, '40', '40', '0', '0', '0', '0', '40', '0'],
  ], 'purchasing progress by supplier');
  s.eq(await rows(`groupBy=material&supplierId=${s2}`), [['AXLE', 1, 1, '40', '40', '0', '0', '0', '0', '40', '0']], 'purchasing progress of supplier S2 by material');
  s.eq(await rows(`groupBy=supplier&materialId=${bearing}`), [['S1', 1, 1, '50', '50', '50', '50', '0', '0', '0', '0']], 'purchasing progress of material BEARING by supplier');

  // Detail: the documents of a supplier, and the orders of a material, each with its state.
  const docs = async (path: string) => (await s.all(path)).map((d) => `${d.docNo}${d.status ? ` ${d.status}` : ''}`).sort();
  s.eq(await docs(`/v1/purchase-orders?supplierId=${s2}`), [`${po2.docNo} receiving`, `${po3.docNo} cancelled`].sort(), 'the orders of supplier S2');
  s.eq(await docs(`/v1/purchase-orders?materialId=${axle}`), [`${po1.docNo} receiving`, `${po2.docNo} receiving`].sort(), 'the orders of material AXLE');
  s.eq([await docs(`/v1/purchase-receipts?supplierId=${s1}`), await docs('/v1/purchase-receipts?pendingInspection=true')], [[`${r1.docNo} inspected`], [`${r2.docNo} pending_inspection`]], 'the receipts of supplier S1, and those waiting for inspection');
  s.eq(await docs(`/v1/purchase-inbounds?supplierId=${s1}`), [i1.inbound.docNo], 'the inbounds of supplier S1');
  s.eq(await docs(`/v1/purchase-returns?supplierId=${s1}`), [i1.return.docNo, ret.docNo].sort(), 'the returns to supplier S1');
}
