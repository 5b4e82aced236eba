/**
 * Warehouse (S1-5.4.3): transfers and backflush transfers, variants from features with generated
 * codes, multiple units with exact conversion, batches and serials numbered by coding rule (or by
 * hand) and traced through receiving, moves and shipping, and FIFO suggestions in sales outbound.
 * The ledger and the balances are asserted after each step.
 */
import type { Operation } from '../../openapi.js';
import type { Check } from '../../types.js';
import { businessCheck, DUE, type Scenario } from './scenario.js';

export function warehouseChecks(ops: Operation[]): Check[] {
  const check = (name: string, title: string, clauses: string[], body: (s: Scenario) => Promise<void>) => businessCheck(ops, `warehouse/${name}`, title, clauses, body);
  return [
    check('transfers', 'transfers between warehouses and bins, and backflush transfers to WIP, as pairs of ledger rows', ['S1-5.4.3-c'], transfers),
    check('variants', 'feature values tell variants apart; variant codes are generated from them; variants are stocked and traded apart', ['S1-5.4.3-d'], variants),
    check('units', 'base, purchase, sales and stock units convert exactly, chained and per material', ['S1-5.4.3-e'], units),
    check('batches', 'batch numbers by coding rule or by hand, followed from receiving through inspection, transfer and shipping', ['S1-5.4.3-f'], batches),
    check('serials', 'serial numbers by coding rule, one per piece, traced where each came from and went', ['S1-5.4.3-h'], serials),
    check('fifo', 'FIFO (earliest expiry first) batch suggestions, also as the sales outbound\'s lines', ['S1-5.4.3-i'], fifo),
  ];
}

async function transfers(s: Scenario) {
  await s.units(['PCS', 0]);
  const blade = await s.material('BLADE');
  const motor = await s.material('MOTOR', { tracking: 'batch' });
  const main = await s.warehouse('MAIN');
  const a01 = await s.bin(main, 'A-01');
  await s.bin(main, 'A-02');
  const second = await s.warehouse('SECOND');
  const wip = await s.warehouse('WIP', 'wip');
  await s.stockIn([{ materialId: blade, quantity: '50', warehouseId: main, binId: a01 }, { materialId: motor, quantity: '9', warehouseId: main, batchNo: 'B1' }]);

  const transfer = await s.post('/v1/stock-documents', {
    type: 'transfer',
    post: true,
    lines: [
      { materialCode: 'BLADE', quantity: '20', warehouseCode: 'MAIN', binCode: 'A-01', toWarehouseCode: 'MAIN', toBinCode: 'A-02' },
      { materialCode: 'BLADE', quantity: '5', warehouseCode: 'MAIN', binCode: 'A-01', toWarehouseCode: 'SECOND' },
      { materialCode: 'MOTOR', quantity: '4', warehouseCode: 'MAIN', batchNo: 'B1', toWarehouseCode: 'SECOND' },
    ],
  });
  s.eq(transfer.lines.map((l: any) => [l.materialCode, l.warehouseId, l.toWarehouseId, l.baseQuantity, l.batchNo]), [['BLADE', main, main, '20', null], ['BLADE', main, second, '5', null], ['MOTOR', main, second, '4', 'B1']], 'the transfer: from, to, quantity');
  s.eq(await s.ledger(`sourceId=${transfer.id}`), [
    'transfer_out BLADE@MAIN/A-01 -20', 'transfer_in BLADE@MAIN/A-02 +20',
    'transfer_out BLADE@MAIN/A-01 -5', 'transfer_in BLADE@SECOND +5',
    'transfer_out MOTOR@MAIN#B1 -4', 'transfer_in MOTOR@SECOND#B1 +4',
  ], 'the ledger rows of the transfer');
  s.eq(await s.balances(), ['BLADE@MAIN/A-01=25', 'BLADE@MAIN/A-02=20', 'BLADE@SECOND=5', 'MOTOR@MAIN#B1=5', 'MOTOR@SECOND#B1=4'], 'stock after the transfer');

  // Backflush: stock moved to the line-side WIP warehouse, where production consumes it.
  const backflush = await s.post('/v1/stock-documents', {
    type: 'backflush_transfer',
    post: true,
    lines: [{ materialCode: 'BLADE', quantity: '3', warehouseCode: 'MAIN', binCode: 'A-01', toWarehouseId: wip }, { materialCode: 'MOTOR', quantity: '2', warehouseCode: 'SECOND', batchNo: 'B1', toWarehouseId: wip }],
  });
  s.eq([backflush.type, backflush.status], ['backflush_transfer', 'posted'], 'the backflush transfer');
  s.eq(await s.ledger(`sourceId=${backflush.id}`), ['transfer_out BLADE@MAIN/A-01 -3', 'transfer_in BLADE@WIP +3', 'transfer_out MOTOR@SECOND#B1 -2', 'transfer_in MOTOR@WIP#B1 +2'], 'the ledger rows of the backflush transfer');
  const after = ['BLADE@MAIN/A-01=22', 'BLADE@MAIN/A-02=20', 'BLADE@SECOND=5', 'BLADE@WIP=3', 'MOTOR@MAIN#B1=5', 'MOTOR@SECOND#B1=2', 'MOTOR@WIP#B1=2'];
  s.eq(await s.balances(), after, 'stock after the backflush transfer');

  // A backflush transfer goes to WIP only: to SECOND it is refused on that line; nothing moves.
  const bad = await s.call('POST', '/v1/stock-documents', { type: 'backflush_transfer', post: true, lines: [{ materialCode: 'BLADE', quantity: '1', warehouseCode: 'MAIN', binCode: 'A-01', toWarehouseId: second }] });
  s.refused(bad, 422, 'STOCK_DOCUMENT_INVALID', ['lines[0].toWarehouseId:NOT_WIP']);
  s.eq([await s.balances(), (await s.all('/v1/stock-documents')).length], [after, 3], 'stock and documents after the refused transfer');
}

async function variants(s: Scenario) {
  await s.units(['PCS', 0]);
  await s.post('/v1/features', { code: 'COLOR', name: 'Colour', values: [{ code: 'RED', name: 'Red' }, { code: 'BLUE', name: 'Blue' }] });
  await s.post('/v1/features', { code: 'SIZE', name: 'Size', values: [{ code: 'M', name: 'Medium' }, { code: 'L', name: 'Large' }] });
  await s.ok('PUT', '/v1/coding-rules/SHIRT_VARIANTS', { pattern: 'SH-{feature:SIZE}-{feature:COLOR}', reset: 'never' });
  const shirt = await s.material('SHIRT', { variantFeatures: ['COLOR', 'SIZE'], variantRule: 'SHIRT_VARIANTS' });
  const cap = await s.material('CAP', { variantFeatures: ['COLOR'] });
  const main = await s.warehouse('MAIN');

  // Codes come from the feature values: the template's rule, or the default {material}-{feature:…}.
  const red = await s.post(`/v1/materials/${shirt}/variants`, { featureValues: { COLOR: 'RED', SIZE: 'L' } });
  const blue = await s.post(`/v1/materials/${shirt}/variants`, { featureValues: { SIZE: 'M', COLOR: 'BLUE' } });
  const blueCap = await s.post(`/v1/materials/${cap}/variants`, { featureValues: { COLOR: 'BLUE' } });
  const variant = (m: any) => [m.code, m.variantOf, m.featureValues, m.baseUnit];
  s.eq([variant(red), variant(blue), variant(blueCap)], [
    ['SH-L-RED', shirt, { COLOR: 'RED', SIZE: 'L' }, 'PCS'],
    ['SH-M-BLUE', shirt, { COLOR: 'BLUE', SIZE: 'M' }, 'PCS'],
    ['CAP-BLUE', cap, { COLOR: 'BLUE' }, 'PCS'],
  ], 'the generated variants');
  s.eq((await s.all(`/v1/materials?variantOf=${shirt}`)).map((m) => m.code).sort(), ['SH-L-RED', 'SH-M-BLUE'], 'the variants of the shirt');

  // Variants are stocked apart; the template is not stock.
  await s.stockIn([{ materialCode: 'SH-L-RED', quantity: '3', warehouseId: main }, { materialId: blue.id, quantity: '2', warehouseId: main }]);
  s.eq(await s.balances(), ['SH-L-RED@MAIN=3', 'SH-M-BLUE@MAIN=2'], 'stock per variant');
  const template = await s.call('POST', '/v1/stock-documents', { type: 'other_in', post: true, lines: [{ materialId: shirt, quantity: '1', warehouseId: main }] });
  s.refused(template, 422, 'STOCK_DOCUMENT_INVALID', ['lines[0].materialId:TEMPLATE_NOT_STOCKED']);
  // Bought and sold by variant: the purchase line may not contradict the variant's own features.
  const sup = await s.supplier('S1');
  const po = await s.post('/v1/purchase-orders', { supplierId: sup, lines: [{ materialId: red.id, quantity: '10', features: { SIZE: 'L' } }] });
  s.eq(po.lines.map((l: any) => [l.materialCode, l.features]), [['SH-L-RED', { SIZE: 'L' }]], 'a purchase line of the red shirt');
  const contradicts = await s.call('POST', '/v1/purchase-orders', { supplierId: sup, lines: [{ materialId: red.id, quantity: '1', features: { COLOR: 'BLUE' } }] });
  s.refused(contradicts, 422, 'PURCHASE_ORDER_INVALID', ['lines[0].features.COLOR:CONFLICTS_WITH_VARIANT']);
  const c1 = await s.customer('C1');
  const so = await s.post('/v1/sales-orders', { customerId: c1, lines: [{ materialCode: 'SH-M-BLUE', quantity: '2', price: '59', deliveryDate: DUE }] });
  s.eq(so.lines.map((l: any) => [l.materialId, l.materialCode]), [[blue.id, 'SH-M-BLUE']], 'a sales line of the blue shirt');

  // A colour the feature does not have, and a variant that exists: refused; no variant is added.
  s.refused(await s.call('POST', `/v1/materials/${shirt}/variants`, { featureValues: { COLOR: 'GREEN', SIZE: 'L' } }), 422, 'VARIANT_FEATURES_INVALID', ['featureValues.COLOR:UNKNOWN_VALUE']);
  s.refused(await s.call('POST', `/v1/materials/${shirt}/variants`, { featureValues: { COLOR: 'RED', SIZE: 'L' } }), 409, 'VARIANT_EXISTS');
  s.eq((await s.all(`/v1/materials?variantOf=${shirt}`)).length, 2, 'the shirt\'s variants after the refused ones');
}

async function units(s: Scenario) {
  await s.units(['PCS', 0], ['BOX', 0], ['CTN', 0], ['PACK', 0], ['G', 0], ['LB', 3]);
  await s.conversion('BOX', 'PCS', '12');
  await s.conversion('CTN', 'BOX', '4');
  await s.conversion('PACK', 'PCS', '5');
  await s.conversion('LB', 'G', '453.59237');
  const fan = await s.material('FAN', { purchaseUnit: 'CTN', salesUnit: 'BOX', stockUnit: 'PACK' });
  // The fan's own pack holds 6, not the usual 5.
  await s.conversion('PACK', 'PCS', '6', fan);
  const grill = await s.material('GRILL', { stockUnit: 'PACK' });
  const salt = await s.material('SALT', { baseUnit: 'G', salesUnit: 'LB' });
  const main = await s.warehouse('MAIN');
  const m = await s.get(`/v1/materials/${fan}`);
  s.eq([m.baseUnit, m.purchaseUnit, m.salesUnit, m.stockUnit], ['PCS', 'CTN', 'BOX', 'PACK'], 'the fan\'s units');

  const convert = async (id: string, query: string) => (await s.get(`/v1/materials/${id}/convert?${query}`)).exact;
  s.eq([await convert(fan, 'quantity=2&from=CTN&to=PCS'), await convert(fan, 'quantity=3&from=PACK'), await convert(grill, 'quantity=3&from=PACK'), await convert(fan, 'quantity=30&from=PCS&to=BOX')], ['96', '18', '15', '2.5'], 'conversions: chained CTN→BOX→PCS, the fan\'s own pack, the usual pack, and back to boxes');

  // Each document takes the unit of its stage by default and keeps what was entered.
  const stock = await s.stockIn([{ materialId: fan, quantity: '3', warehouseId: main }, { materialId: grill, quantity: '3', warehouseId: main }]);
  s.eq((await s.all(`/v1/stock/movements?sourceId=${stock.id}`)).map((x) => [x.materialCode, x.enteredQuantity, x.enteredUnit, x.quantity]), [['FAN', '3', 'PACK', '18'], ['GRILL', '3', 'PACK', '15']], 'stock movements in the stock unit and the base unit');
  const supplier = await s.supplier('S1');
  const po = await s.post('/v1/purchase-orders', { supplierId: supplier, lines: [{ materialId: fan, quantity: '1' }] });
  s.eq(po.lines.map((l: any) => [l.quantity, l.unit, l.baseQuantity]), [['1', 'CTN', '48']], 'a purchase line in the purchase unit');
  const c1 = await s.customer('C1');
  const so = await s.post('/v1/sales-orders', { customerId: c1, lines: [{ materialId: fan, quantity: '2', price: '10', deliveryDate: DUE }] });
  s.eq(so.lines.map((l: any) => [l.quantity, l.unit, l.baseQuantity]), [['2', 'BOX', '24']], 'a sales line in the sales unit');
  const after = ['FAN@MAIN=18', 'GRILL@MAIN=15'];
  s.eq(await s.balances(), after, 'stock in the base unit');

  // A unit the material cannot convert, and a quantity grams cannot hold exactly: refused, never rounded.
  const noConversion = await s.call('POST', '/v1/stock-documents', { type: 'other_in', post: true, lines: [{ materialId: fan, quantity: '1', unit: 'LB', warehouseId: main }] });
  s.refused(noConversion, 422, 'STOCK_DOCUMENT_INVALID', ['lines[0].unit:UNIT_NOT_CONVERTIBLE']);
  const inexact = await s.call('POST', '/v1/sales-orders', { customerId: c1, lines: [{ materialId: salt, quantity: '1', price: '5', deliveryDate: DUE }] });
  s.refused(inexact, 422, 'SALES_ORDER_INVALID', ['lines[0].quantity:INEXACT_CONVERSION']);
  s.eq([await s.balances(), (await s.all('/v1/sales-orders')).length], [after, 1], 'stock and sales orders after the refusals');
}

async function batches(s: Scenario) {
  await s.units(['PCS', 0]);
  const motor = await s.material('MOTOR', { tracking: 'batch' });
  const main = await s.warehouse('MAIN');
  const second = await s.warehouse('SECOND');
  await s.ok('PUT', '/v1/coding-rules/batch', { pattern: 'LOT-{seq:5}', reset: 'never' });

  // By the coding rule (no number given), and by hand with its dates and the supplier's lot.
  const ruled = await s.stockIn([{ materialId: motor, quantity: '10', warehouseId: main }]);
  const manual = await s.stockIn([{ materialId: motor, quantity: '6', warehouseId: main, batchNo: 'HAND-7', productionDate: '2030-01-02', expiryDate: '2031-01-02', supplierBatch: 'S-LOT-3' }]);
  s.eq([ruled.lines[0].batchNo, manual.lines[0].batchNo], ['LOT-00001', 'HAND-7'], 'batch numbers from the rule and by hand');

  // Across the process: the receipt numbers its batch from the same rule; inspection, a transfer and a shipment follow it.
  const sup = await s.supplier('S1');
  const po = await s.approvedPurchaseOrder({ supplierId: sup, lines: [{ materialId: motor, quantity: '8' }] });
  const receipt = await s.post('/v1/purchase-receipts', { orderId: po.id });
  s.eq(receipt.lines[0].batchNo, 'LOT-00002', 'the receipt\'s batch from the rule');
  await s.post(`/v1/purchase-receipts/${receipt.id}/inspections`, { lines: [{ receiptLineId: receipt.lines[0].id, accepted: '8', rejected: '0', warehouseId: main }] });
  await s.post('/v1/stock-documents', { type: 'transfer', post: true, lines: [{ materialId: motor, quantity: '3', warehouseId: main, batchNo: 'LOT-00002', toWarehouseId: second }] });
  const c1 = await s.customer('C1');
  const order = await s.approvedSalesOrder({ customerId: c1, lines: [{ materialId: motor, quantity: '3', price: '80', deliveryDate: DUE }] });
  const plan = await s.post('/v1/delivery-plans', { customerId: c1, plannedDate: DUE, lines: [{ orderLineId: order.lines[0].id, quantity: '3' }] });
  const ob = await s.post('/v1/sales-outbounds', { planId: plan.id, warehouseId: second, lines: [{ materialId: motor, quantity: '3', batchNo: 'LOT-00002' }] });
  await s.post(`/v1/sales-outbounds/${ob.id}/post`);
  s.eq(await s.ledger('batchNo=LOT-00002'), ['purchase_in MOTOR@MAIN#LOT-00002 +8', 'transfer_out MOTOR@MAIN#LOT-00002 -3', 'transfer_in MOTOR@SECOND#LOT-00002 +3', 'sales_out MOTOR@SECOND#LOT-00002 -3'], 'the ledger of batch LOT-00002');
  s.eq((await s.get(`/v1/materials/${motor}/batches`)).items.map((b: any) => [b.batchNo, b.productionDate, b.expiryDate, b.supplierBatch, b.onHand]).sort(), [
    ['HAND-7', '2030-01-02', '2031-01-02', 'S-LOT-3', '6'],
    ['LOT-00001', null, null, null, '10'],
    ['LOT-00002', null, null, null, '5'],
  ], 'the batches of the motor with what is on hand');
  const stock = ['MOTOR@MAIN#HAND-7=6', 'MOTOR@MAIN#LOT-00001=10', 'MOTOR@MAIN#LOT-00002=5'];
  s.eq(await s.balances(), stock, 'stock by batch');

  // Issuing a batch-tracked material without naming the batch is refused; nothing moves.
  const bad = await s.call('POST', '/v1/stock-documents', { type: 'other_out', post: true, lines: [{ materialId: motor, quantity: '1', warehouseId: main }] });
  s.refused(bad, 422, 'STOCK_DOCUMENT_INVALID', ['lines[0].batchNo:BATCH_REQUIRED']);
  s.eq(await s.balances(), stock, 'stock after the refused issue');
}

async function serials(s: Scenario) {
  await s.units(['PCS', 0]);
  const scooter = await s.material('SCOOTER', { tracking: 'serial' });
  const main = await s.warehouse('MAIN');
  const second = await s.warehouse('SECOND');
  await s.warehouse('QC', 'quarantine');
  await s.ok('PUT', '/v1/coding-rules/serial', { pattern: '{material}-SN{seq:4}', reset: 'never' });

  // Received without numbers: one line per piece, numbered by the rule.
  const sup = await s.supplier('S1');
  const po = await s.approvedPurchaseOrder({ supplierId: sup, lines: [{ materialId: scooter, quantity: '2' }] });
  const receipt = await s.post('/v1/purchase-receipts', { orderId: po.id });
  s.eq(receipt.lines.map((l: any) => [l.serialNo, l.received]), [['SCOOTER-SN0001', '1'], ['SCOOTER-SN0002', '1']], 'serials from the rule, one per piece');
  const inspected = await s.post(`/v1/purchase-receipts/${receipt.id}/inspections`, { lines: receipt.lines.map((l: any) => ({ receiptLineId: l.id, accepted: '1', rejected: '0', warehouseId: main })) });
  const transfer = await s.post('/v1/stock-documents', { type: 'transfer', post: true, lines: [{ materialId: scooter, quantity: '1', warehouseId: main, serialNo: 'SCOOTER-SN0001', toWarehouseId: second }] });
  const c1 = await s.customer('C1');
  const order = await s.approvedSalesOrder({ customerId: c1, lines: [{ materialId: scooter, quantity: '1', price: '900', deliveryDate: DUE }] });
  const plan = await s.post('/v1/delivery-plans', { customerId: c1, plannedDate: DUE, lines: [{ orderLineId: order.lines[0].id, quantity: '1' }] });
  const ob = await s.post('/v1/sales-outbounds', { planId: plan.id, warehouseId: second, lines: [{ barcode: '(240)SCOOTER(21)SCOOTER-SN0001', quantity: '1' }] });
  await s.post(`/v1/sales-outbounds/${ob.id}/post`);
  const back = await s.post('/v1/sales-returns', { sourceOutboundId: ob.id, warehouseCode: 'QC', reasonCode: 'failed_inspection', lines: [{ outboundLineNo: 1, quantity: '1' }] });
  const third = await s.stockIn([{ materialId: scooter, quantity: '1', warehouseId: main }]);
  s.eq(third.lines[0].serialNo, 'SCOOTER-SN0003', 'a stock receipt takes the next number');

  // Where SCOOTER-SN0001 came from and went: every ledger row, with the document that moved it.
  const trace = await s.all('/v1/stock/movements?serialNo=SCOOTER-SN0001');
  s.eq(await s.ledger('serialNo=SCOOTER-SN0001'), [
    'purchase_in SCOOTER@MAIN*SCOOTER-SN0001 +1',
    'transfer_out SCOOTER@MAIN*SCOOTER-SN0001 -1',
    'transfer_in SCOOTER@SECOND*SCOOTER-SN0001 +1',
    'sales_out SCOOTER@SECOND*SCOOTER-SN0001 -1',
    'sales_return SCOOTER@QC*SCOOTER-SN0001 +1',
  ], 'the history of SCOOTER-SN0001');
  s.eq(trace.map((m) => m.sourceId), [inspected.inbound.id, transfer.id, transfer.id, ob.id, back.id], 'the documents that moved SCOOTER-SN0001');
  const label = await s.post('/v1/barcodes/resolve', { code: '(240)SCOOTER(21)SCOOTER-SN0002' });
  s.eq([label.kind, label.serial?.serialNo], ['serial', 'SCOOTER-SN0002'], 'a serial label read back');
  const stock = ['SCOOTER@MAIN*SCOOTER-SN0002=1', 'SCOOTER@MAIN*SCOOTER-SN0003=1', 'SCOOTER@QC*SCOOTER-SN0001=1'];
  s.eq(await s.balances(), stock, 'stock by serial');

  // A serial in stock cannot be received again; nothing moves.
  const bad = await s.call('POST', '/v1/stock-documents', { type: 'other_in', post: true, lines: [{ materialId: scooter, quantity: '1', warehouseId: main, serialNo: 'SCOOTER-SN0002' }] });
  s.refused(bad, 409, 'SERIAL_IN_STOCK', ['lines[0].serialNo:SERIAL_IN_STOCK']);
  s.eq(await s.balances(), stock, 'stock after the refused receipt');
}

async function fifo(s: Scenario) {
  await s.units(['PCS', 0]);
  const motor = await s.material('MOTOR', { tracking: 'batch' });
  const milk = await s.material('MILK', { tracking: 'batch', trackExpiry: true });
  const main = await s.warehouse('MAIN');
  const qc = await s.warehouse('QC', 'quarantine');
  // One receipt at a time, so the receipts are in this order; quarantine stock is oldest and never suggested.
  for (const [batchNo, warehouseId] of [['B-QC', qc], ['B-OLD', main], ['B-MID', main], ['B-NEW', main]]) await s.stockIn([{ materialId: motor, quantity: '10', warehouseId, batchNo }]);
  // The milk received first expires last: earliest expiry goes first.
  await s.stockIn([{ materialId: milk, quantity: '10', warehouseId: main, batchNo: 'E-LATE', expiryDate: '2099-12-31' }]);
  await s.stockIn([{ materialId: milk, quantity: '10', warehouseId: main, batchNo: 'E-SOON', expiryDate: '2099-06-30' }]);

  const suggest = async (material: string, quantity: string) => {
    const r = await s.get(`/v1/stock/fifo?materialId=${material}&quantity=${quantity}`);
    return [r.suggested, r.shortfall, r.picks.map((p: any) => [p.batchNo, p.quantity])];
  };
  s.eq(await suggest(motor, '25'), ['25', '0', [['B-OLD', '10'], ['B-MID', '10'], ['B-NEW', '5']]], 'FIFO for 25 motors');
  s.eq(await suggest(milk, '15'), ['15', '0', [['E-SOON', '10'], ['E-LATE', '5']]], 'earliest expiry first for 15 milk');

  // The sales outbound proposes the same picks as its lines.
  const c1 = await s.customer('C1');
  const order = await s.approvedSalesOrder({ customerId: c1, lines: [{ materialId: motor, quantity: '25', price: '80', deliveryDate: DUE }] });
  const plan = await s.post('/v1/delivery-plans', { customerId: c1, plannedDate: DUE, lines: [{ orderLineId: order.lines[0].id, quantity: '25' }] });
  const ob = await s.post('/v1/sales-outbounds', { planId: plan.id, warehouseCode: 'MAIN' });
  s.eq(ob.lines.map((l: any) => [l.batchNo, l.baseQuantity, l.origin]), [['B-OLD', '10', 'fifo'], ['B-MID', '10', 'fifo'], ['B-NEW', '5', 'fifo']], 'the outbound\'s suggested lines');
  await s.post(`/v1/sales-outbounds/${ob.id}/post`);
  s.eq(await s.balances(motor), ['MOTOR@MAIN#B-NEW=5', 'MOTOR@QC#B-QC=10'], 'motor stock after shipping the suggestion');
  s.eq(await suggest(motor, '8'), ['5', '3', [['B-NEW', '5']]], 'the next suggestion: what is left, and the shortfall');

  // A quantity below zero asks for nothing: refused as bad input.
  s.refused(await s.call('GET', `/v1/stock/fifo?materialId=${motor}&quantity=-1`), 422, 'FIFO_QUERY_INVALID', ['quantity:NOT_POSITIVE']);
}
