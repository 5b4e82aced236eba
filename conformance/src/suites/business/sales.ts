/**
 * Sales (S1-5.4.1): the customer master and sales organisation, orders in sales units, delivery
 * plans many-to-many with order lines, outbounds on PC and by PDA scans, returns with and without a
 * source document, and the detail and progress views by customer and by material. Every check
 * states the exact quantities, statuses, ledger rows and balances it caused, and sends one bad
 * input that must be refused with its code while changing nothing.
 *
 * S1-5.4.1-f (kitting on sales demand generating production orders) needs production: not here.
 */
import type { Operation } from '../../openapi.js';
import type { Check } from '../../types.js';
import { businessCheck, DUE, type Scenario, usccWithCheck } from './scenario.js';

export function salesChecks(ops: Operation[]): Check[] {
  const check = (name: string, title: string, clauses: string[], body: (s: Scenario) => Promise<void>) => businessCheck(ops, `sales/${name}`, title, clauses, body);
  return [
    check('customer-master', 'customer master with USCC, tax number, bank account, settlement and sales organisation', ['S1-5.4.1-a'], customerMaster),
    check('order-in-sales-units', 'a sales order records material, quantity in the sales unit and its base quantity, price, customer and delivery date', ['S1-5.4.1-b'], orderInSalesUnits),
    check('delivery-plans', 'delivery plans many-to-many with order lines; the outbound follows the latest plan', ['S1-5.4.1-c'], deliveryPlans),
    check('outbound-pc', 'a sales outbound entered on a PC posts material, warehouse, bin, quantity and batch to the ledger', ['S1-5.4.1-d'], outboundPc),
    check('outbound-pda', 'a sales outbound filled by PDA scans of batch and serial labels posts what was scanned, once', ['S1-5.4.1-d'], outboundPda),
    check('returns', 'sales returns with and without a source outbound post into the chosen warehouse', ['S1-5.4.1-e'], returns),
    check('reports', 'sales detail and progress by customer and by material, exact', ['S1-5.4.1-g'], reports),
  ];
}

async function customerMaster(s: Scenario) {
  const east = await s.post('/v1/sales-groups', { code: 'EAST', name: 'East China' });
  const west = await s.post('/v1/sales-groups', { code: 'WEST', name: 'West China' });
  const wang = await s.post('/v1/salespersons', { code: 'WANG', name: 'Wang Fang', groupId: east.id });
  const uscc = usccWithCheck('91310115MA1K4ABC0');
  const master = {
    code: 'C-HARBOUR',
    name: '上海港机电有限公司',
    address: '上海市浦东新区港城路 1 号',
    taxNumber: uscc,
    uscc,
    bankAccounts: [{ bankName: '中国工商银行上海外高桥支行', accountNumber: '6222020200112233445', accountName: '上海港机电有限公司' }],
    settlement: { method: 'acceptance_bill', days: 60 },
    personId: wang.id,
    groupId: east.id,
  };
  const created = await s.post('/v1/customers', master);
  const fields = (c: any) => Object.fromEntries(Object.keys(master).map((k) => [k, c[k]]));
  s.eq(fields(await s.get(`/v1/customers/${created.id}`)), master, 'the customer as read back');
  s.eq((await s.all('/v1/salespersons')).map((p) => [p.code, p.groupId]), [['WANG', east.id]], 'the sales organisation: salesperson and group');

  // Maintained: new settlement terms with the version read.
  const changed = await s.ok('PATCH', `/v1/customers/${created.id}`, { version: created.version, settlement: { method: 'credit', days: 30 } });
  s.eq([changed.version, changed.settlement], [created.version + 1, { method: 'credit', days: 30 }], 'the customer after changing its settlement terms');

  // A mistyped credit code (its check character) and a salesperson of another group: both named, nothing saved.
  const typo = uscc.slice(0, 17) + (uscc[17] === '0' ? '1' : '0');
  const bad = await s.call('POST', '/v1/customers', { ...master, code: 'C-TYPO', uscc: typo, taxNumber: typo, groupId: west.id });
  s.refused(bad, 422, 'PARTNER_INVALID', ['uscc:USCC_CHECK_CHARACTER', 'groupId:PERSON_NOT_IN_GROUP']);
  s.eq((await s.all('/v1/customers')).map((c) => c.code), ['C-HARBOUR'], 'customers after the refused one');
}

async function orderInSalesUnits(s: Scenario) {
  await s.units(['PCS', 0], ['BOX', 2], ['G', 0], ['LB', 3]);
  await s.conversion('BOX', 'PCS', '12');
  await s.conversion('LB', 'G', '453.59237');
  await s.material('FAN', { salesUnit: 'BOX' });
  const grill = await s.material('GRILL');
  const salt = await s.material('SALT', { baseUnit: 'G', salesUnit: 'LB' });
  const c1 = await s.customer('C1');
  const created = await s.post('/v1/sales-orders', {
    customerId: c1,
    orderDate: '2030-01-10',
    lines: [
      { materialCode: 'FAN', quantity: '2.5', price: '120.00', taxRate: '13', deliveryDate: '2030-02-01' },
      { materialId: grill, quantity: '7', unit: 'PCS', price: '9.99', taxRate: '13', deliveryDate: '2030-02-15' },
    ],
  });
  const header = (o: any) => [o.customerId, o.customerCode, o.orderDate, o.status, o.netTotal, o.taxTotal, o.grossTotal];
  const lines = (o: any) => o.lines.map((l: any) => [l.lineNo, l.materialCode, l.quantity, l.unit, l.baseQuantity, l.baseUnit, l.price, l.taxRate, l.netAmount, l.taxAmount, l.grossAmount, l.deliveryDate, l.open]);
  // 2.5 BOX of fans (the sales unit) are 30 PCS; 7 × 9.99 = 69.93, tax 9.0909 → 9.09.
  const expectedLines = [
    [1, 'FAN', '2.5', 'BOX', '30', 'PCS', '120', '13', '300', '39', '339', '2030-02-01', '30'],
    [2, 'GRILL', '7', 'PCS', '7', 'PCS', '9.99', '13', '69.93', '9.09', '79.02', '2030-02-15', '7'],
  ];
  s.eq(header(created), [c1, 'C1', '2030-01-10', 'draft', '369.93', '48.09', '418.02'], 'the new order: customer, date, status, totals');
  s.eq(lines(created), expectedLines, 'the new order\'s lines');
  const approved = await s.action('approveSalesOrder', `/v1/sales-orders/${created.id}/approve`, created.version);
  s.eq(approved.status, 'approved', 'the order after approval');
  s.eq(lines(await s.get(`/v1/sales-orders/${created.id}`)), expectedLines, 'the approved order\'s lines as read back');

  // 1 LB is 453.59237 G, which grams cannot hold: refused, never rounded; nothing saved.
  const bad = await s.call('POST', '/v1/sales-orders', { customerId: c1, lines: [{ materialId: salt, quantity: '1', price: '5', deliveryDate: DUE }] });
  s.refused(bad, 422, 'SALES_ORDER_INVALID', ['lines[0].quantity:INEXACT_CONVERSION']);
  s.eq((await s.all('/v1/sales-orders')).map((o) => o.docNo), [created.docNo], 'sales orders after the refused one');
}

async function deliveryPlans(s: Scenario) {
  await s.units(['PCS', 0], ['BOX', 2]);
  await s.conversion('BOX', 'PCS', '12');
  const fan = await s.material('FAN', { salesUnit: 'BOX' });
  const blade = await s.material('BLADE');
  const main = await s.warehouse('MAIN');
  await s.stockIn([{ materialId: fan, quantity: '100', unit: 'PCS', warehouseId: main }, { materialId: blade, quantity: '50', warehouseId: main }]);
  const c1 = await s.customer('C1', { address: 'No. 1 Harbour Road, Ningbo', overDeliveryTolerance: '0' });
  const o1 = await s.approvedSalesOrder({ customerId: c1, lines: [{ materialId: fan, quantity: '2', price: '100', deliveryDate: DUE }, { materialId: blade, quantity: '10', price: '5', deliveryDate: DUE }] });
  const o2 = await s.approvedSalesOrder({ customerId: c1, lines: [{ materialId: fan, quantity: '1', price: '100', deliveryDate: DUE }] });

  // Plan 1 merges lines of two orders; o1's fan line is split over plans 1 and 2.
  const p1 = await s.post('/v1/delivery-plans', {
    customerId: c1,
    plannedDate: '2030-03-01',
    consignee: { name: '李雷', phone: '13800000001' },
    lines: [{ orderLineId: o1.lines[0].id, quantity: '1' }, { orderDocNo: o2.docNo, lineNo: 1, quantity: '1' }],
  });
  const planLines = (p: any) => p.lines.map((l: any) => [l.orderDocNo, l.orderLineNo, l.materialCode, l.quantity, l.unit, l.baseQuantity]);
  s.eq([p1.status, p1.address, p1.consignee], ['open', 'No. 1 Harbour Road, Ningbo', { name: '李雷', phone: '13800000001' }], 'plan 1: status, the customer\'s address, consignee');
  s.eq(planLines(p1), [[o1.docNo, 1, 'FAN', '1', 'BOX', '12'], [o2.docNo, 1, 'FAN', '1', 'BOX', '12']], 'plan 1 holds lines of two orders');
  const p2 = await s.post('/v1/delivery-plans', { customerId: c1, plannedDate: '2030-03-05', lines: [{ orderId: o1.id, lineNo: 1, quantity: '1' }, { orderLineId: o1.lines[1].id, quantity: '10' }] });
  s.eq(planLines(p2), [[o1.docNo, 1, 'FAN', '1', 'BOX', '12'], [o1.docNo, 2, 'BLADE', '10', 'PCS', '10']], 'plan 2 holds the rest of order 1');
  const planned = async (o: any) => (await s.get(`/v1/sales-orders/${o.id}`)).lines.map((l: any) => l.planned);
  s.eq([await planned(o1), await planned(o2)], [['24', '10'], ['12']], 'planned per order line (base unit) over both plans');
  const plansOf = async (o: any) => (await s.all(`/v1/delivery-plans?orderId=${o.id}`)).map((p) => p.docNo).sort();
  s.eq([await plansOf(o1), await plansOf(o2)], [[p1.docNo, p2.docNo].sort(), [p1.docNo]], 'the plans of each order');

  // The plan changes: a later date, another address and consignee, half a box less of order 1.
  const latest = { plannedDate: '2030-03-08', address: 'Gate 3, No. 9 Port Road, Ningbo', consignee: { name: '韩梅梅', phone: '13900000002' } };
  const p1v2 = await s.ok('PATCH', `/v1/delivery-plans/${p1.id}`, { version: p1.version, ...latest, lines: [{ orderLineId: o1.lines[0].id, quantity: '0.5' }, { orderLineId: o2.lines[0].id, quantity: '1' }] });
  s.eq([p1v2.version, p1v2.plannedDate, p1v2.address, p1v2.consignee, p1v2.lines.map((l: any) => l.baseQuantity)], [p1.version + 1, latest.plannedDate, latest.address, latest.consignee, ['6', '12']], 'plan 1 after the change');
  s.eq(await planned(o1), ['18', '10'], 'order 1 planned after plan 1 changed');

  // The outbound made from plan 1 ships what its latest version says, to its latest address.
  const ob = await s.post('/v1/sales-outbounds', { planId: p1.id, warehouseCode: 'MAIN' });
  s.eq([ob.planId, ob.planDocNo], [p1.id, p1.docNo], 'the outbound names its delivery plan');
  s.eq(ob.lines.map((l: any) => [l.planLineNo, l.orderDocNo, l.orderLineNo, l.materialCode, l.baseQuantity]), [[1, o1.docNo, 1, 'FAN', '6'], [2, o2.docNo, 1, 'FAN', '12']], 'the outbound\'s lines follow the latest plan');
  const plan = await s.get(`/v1/delivery-plans/${ob.planId}`);
  s.eq([plan.plannedDate, plan.address, plan.consignee, plan.version], [latest.plannedDate, latest.address, latest.consignee, p1v2.version], 'the outbound\'s plan is the latest one');

  // More than order 2's line holds (tolerance 0): refused on that line, nothing changes.
  const bad = await s.call('POST', '/v1/delivery-plans', { customerId: c1, plannedDate: DUE, lines: [{ orderLineId: o2.lines[0].id, quantity: '0.25' }] });
  s.refused(bad, 422, 'OVER_TOLERANCE', ['lines[0].quantity:OVER_TOLERANCE']);
  s.eq([(await s.all('/v1/delivery-plans')).length, await planned(o2)], [2, ['12']], 'plans and order 2 after the refused plan');
}

/** PCS, a batch-tracked MOTOR, warehouse MAIN and customer C1. */
async function shippable(s: Scenario) {
  await s.units(['PCS', 0]);
  const motor = await s.material('MOTOR', { tracking: 'batch' });
  const main = await s.warehouse('MAIN');
  const c1 = await s.customer('C1');
  return { motor, main, c1 };
}

async function outboundPc(s: Scenario) {
  const { motor, main, c1 } = await shippable(s);
  const a01 = await s.bin(main, 'A-01');
  const a02 = await s.bin(main, 'A-02');
  await s.stockIn([{ materialId: motor, quantity: '30', warehouseId: main, binId: a01, batchNo: 'B1' }, { materialId: motor, quantity: '20', warehouseId: main, binId: a02, batchNo: 'B2' }]);
  const order = await s.approvedSalesOrder({ customerId: c1, lines: [{ materialId: motor, quantity: '25', price: '80', deliveryDate: DUE }] });
  const plan = await s.post('/v1/delivery-plans', { customerId: c1, plannedDate: DUE, lines: [{ orderLineId: order.lines[0].id, quantity: '25' }] });
  const opening = ['MOTOR@MAIN/A-01#B1=30', 'MOTOR@MAIN/A-02#B2=20'];

  // A line the clerk typed (bin, batch) and a line read from the batch label.
  const draft = await s.post('/v1/sales-outbounds', {
    planId: plan.id,
    warehouseCode: 'MAIN',
    lines: [{ materialCode: 'MOTOR', quantity: '15', binCode: 'A-01', batchNo: 'B1' }, { barcode: '(240)MOTOR(10)B2', quantity: '10', binCode: 'A-02' }],
  });
  s.eq(draft.lines.map((l: any) => [l.materialCode, l.warehouseId, l.binId, l.quantity, l.unit, l.batchNo]), [['MOTOR', main, a01, '15', 'PCS', 'B1'], ['MOTOR', main, a02, '10', 'PCS', 'B2']], 'the draft outbound: material, warehouse, bin, quantity, batch');
  s.eq([draft.status, await s.balances()], ['draft', opening], 'a draft outbound moves no stock');
  await unknownBatchRefused(s, plan.id, opening);

  const posted = await s.post(`/v1/sales-outbounds/${draft.id}/post`);
  s.eq(posted.status, 'posted', 'the outbound after posting');
  s.eq(await s.ledger(`sourceId=${draft.id}`), ['sales_out MOTOR@MAIN/A-01#B1 -15', 'sales_out MOTOR@MAIN/A-02#B2 -10'], 'the ledger rows of the outbound');
  s.eq(await s.balances(), ['MOTOR@MAIN/A-01#B1=15', 'MOTOR@MAIN/A-02#B2=10'], 'stock after the outbound');
  const p = await s.get(`/v1/delivery-plans/${plan.id}`);
  const o = await s.get(`/v1/sales-orders/${order.id}`);
  s.eq([p.status, p.lines[0].shipped, o.status, o.lines[0].shipped, o.lines[0].open], ['shipped', '25', 'closed', '25', '0'], 'plan and order after shipping everything');
}

/** A draft naming a batch that does not exist cannot be posted: refused with its line, nothing moves. */
async function unknownBatchRefused(s: Scenario, planId: string, stock: string[]) {
  const draft = await s.post('/v1/sales-outbounds', { planId, warehouseCode: 'MAIN', lines: [{ materialCode: 'MOTOR', quantity: '1', batchNo: 'NO-SUCH-BATCH' }] });
  const bad = await s.call('POST', `/v1/sales-outbounds/${draft.id}/post`);
  s.refused(bad, 422, 'SALES_OUTBOUND_INVALID', ['lines[0].batchNo:UNKNOWN_BATCH']);
  s.eq([(await s.get(`/v1/sales-outbounds/${draft.id}`)).status, await s.balances()], ['draft', stock], 'the refused outbound and the stock');
}

async function outboundPda(s: Scenario) {
  const { motor, main, c1 } = await shippable(s);
  const scooter = await s.material('SCOOTER', { tracking: 'serial' });
  await s.material('BLADE');
  await s.stockIn([
    { materialId: motor, quantity: '30', warehouseId: main, batchNo: 'B1' },
    { materialId: scooter, quantity: '1', warehouseId: main, serialNo: 'SN-1' },
    { materialId: scooter, quantity: '1', warehouseId: main, serialNo: 'SN-2' },
  ]);
  const order = await s.approvedSalesOrder({ customerId: c1, lines: [{ materialId: motor, quantity: '12', price: '80', deliveryDate: DUE }, { materialId: scooter, quantity: '2', price: '900', deliveryDate: DUE }] });
  const plan = await s.post('/v1/delivery-plans', { customerId: c1, plannedDate: DUE, lines: [{ orderLineId: order.lines[0].id, quantity: '12' }, { orderLineId: order.lines[1].id, quantity: '2' }] });
  const ob = await s.post('/v1/sales-outbounds', { planId: plan.id, warehouseCode: 'MAIN', lines: [] });
  const scan = (scans: unknown[], key: string) => s.call('POST', `/v1/sales-outbounds/${ob.id}/scans`, { scans }, { 'idempotency-key': `${s.tenant.slug}-${key}` });
  const lines = (o: any) => o.lines.map((l: any) => [l.materialCode, l.batchNo, l.serialNo, l.baseQuantity]);

  const first = await scan([{ barcode: '(240)MOTOR(10)B1', quantity: '5' }, { barcode: '(240)SCOOTER(21)SN-1' }], 'scan-1');
  s.eq(first.status, 200, 'the first scans');
  // The PDA lost the answer and sends the same scans again with the same key: counted once.
  const resent = await scan([{ barcode: '(240)MOTOR(10)B1', quantity: '5' }, { barcode: '(240)SCOOTER(21)SN-1' }], 'scan-1');
  s.eq([resent.status, lines(resent.json)], [200, lines(first.json)], 'the resent scans answer as the first');
  const second = await scan([{ barcode: '(240)MOTOR(10)B1(30)7' }, { barcode: '(240)SCOOTER(21)SN-2' }], 'scan-2');
  s.eq(lines(second.json), [['MOTOR', 'B1', null, '12'], ['SCOOTER', null, 'SN-1', '1'], ['SCOOTER', null, 'SN-2', '1']], 'the outbound after both scans (5 + the label\'s 7 of B1, two serials)');

  // A serial scanned twice and a material not on the plan: both named, nothing added.
  const bad = await scan([{ barcode: '(240)SCOOTER(21)SN-1' }, { barcode: 'BLADE' }], 'scan-3');
  s.refused(bad, 422, 'SCAN_INVALID', ['scans[0].barcode:SERIAL_ALREADY_SCANNED', 'scans[1].barcode:NOT_ON_PLAN']);
  s.eq(lines(await s.get(`/v1/sales-outbounds/${ob.id}`)), lines(second.json), 'the outbound after the refused scans');

  await s.post(`/v1/sales-outbounds/${ob.id}/post`, undefined, { 'idempotency-key': `${s.tenant.slug}-post` });
  s.eq(await s.ledger(`sourceId=${ob.id}`), ['sales_out MOTOR@MAIN#B1 -12', 'sales_out SCOOTER@MAIN*SN-1 -1', 'sales_out SCOOTER@MAIN*SN-2 -1'], 'the ledger rows of the scanned outbound');
  s.eq(await s.balances(), ['MOTOR@MAIN#B1=18'], 'stock after the scanned outbound');
}

async function returns(s: Scenario) {
  const { motor, main, c1 } = await shippable(s);
  await s.warehouse('QC', 'quarantine');
  await s.stockIn([{ materialId: motor, quantity: '30', warehouseId: main, batchNo: 'B1' }]);
  const order = await s.approvedSalesOrder({ customerId: c1, lines: [{ materialId: motor, quantity: '25', price: '80', deliveryDate: DUE }] });
  const plan = await s.post('/v1/delivery-plans', { customerId: c1, plannedDate: DUE, lines: [{ orderLineId: order.lines[0].id, quantity: '20' }] });
  const ob = await s.post('/v1/sales-outbounds', { planId: plan.id, warehouseCode: 'MAIN' });
  await s.post(`/v1/sales-outbounds/${ob.id}/post`);
  s.eq(await s.balances(), ['MOTOR@MAIN#B1=10'], 'stock after shipping 20');

  // With a source: 5 failed the customer's inspection and go to quarantine, batch kept.
  const sourced = await s.post('/v1/sales-returns', { sourceOutboundId: ob.id, warehouseCode: 'QC', reasonCode: 'failed_inspection', reason: 'bearing noise', lines: [{ outboundLineNo: 1, quantity: '5' }] });
  s.eq([sourced.customerId, sourced.sourceOutboundDocNo, sourced.reasonCode, sourced.reason], [c1, ob.docNo, 'failed_inspection', 'bearing noise'], 'the return with a source');
  s.eq(sourced.lines.map((l: any) => [l.outboundLineNo, l.orderLineNo, l.materialCode, l.batchNo, l.baseQuantity]), [[1, 1, 'MOTOR', 'B1', '5']], 'its lines');
  s.eq(await s.ledger(`sourceId=${sourced.id}`), ['sales_return MOTOR@QC#B1 +5'], 'the ledger rows of the return with a source');
  const line = async () => {
    const o = await s.get(`/v1/sales-orders/${order.id}`);
    return [o.status, o.lines[0].shipped, o.lines[0].returned, o.lines[0].open];
  };
  s.eq(await line(), ['in_delivery', '20', '5', '10'], 'the order line after the return: 25 ordered − 20 shipped + 5 back');

  // Without a source (the customer's demand changed), from a PDA with an Idempotency-Key: posted once.
  const body = { customerId: c1, warehouseCode: 'MAIN', reasonCode: 'demand_change', lines: [{ materialCode: 'MOTOR', quantity: '2', batchNo: 'B1' }] };
  const free = await s.post('/v1/sales-returns', body, { 'idempotency-key': `${s.tenant.slug}-return` });
  const again = await s.post('/v1/sales-returns', body, { 'idempotency-key': `${s.tenant.slug}-return` });
  s.eq([free.sourceOutboundId, again.id, free.lines.map((l: any) => [l.outboundLineNo, l.orderLineNo, l.batchNo, l.baseQuantity])], [null, free.id, [[null, null, 'B1', '2']]], 'the return without a source');
  s.eq(await s.ledger(`sourceId=${free.id}`), ['sales_return MOTOR@MAIN#B1 +2'], 'the ledger rows of the return without a source');
  s.eq(await line(), ['in_delivery', '20', '5', '10'], 'a return without a source does not touch the order');
  const after = ['MOTOR@MAIN#B1=12', 'MOTOR@QC#B1=5'];
  s.eq(await s.balances(), after, 'stock after both returns');

  // 20 shipped, 5 back: 16 more is refused on that line; nothing is posted.
  const bad = await s.call('POST', '/v1/sales-returns', { sourceOutboundId: ob.id, warehouseCode: 'QC', reasonCode: 'failed_inspection', lines: [{ outboundLineNo: 1, quantity: '16' }] });
  s.refused(bad, 422, 'RETURN_EXCEEDS_SHIPPED', ['lines[0].quantity:RETURN_EXCEEDS_SHIPPED']);
  s.eq([await s.balances(), (await s.all('/v1/sales-returns')).length], [after, 2], 'stock and returns after the refused return');
}

async function reports(s: Scenario) {
  await s.units(['PCS', 0], ['BOX', 0]);
  await s.conversion('BOX', 'PCS', '12');
  const fan = await s.material('FAN', { salesUnit: 'BOX' });
  const blade = await s.material('BLADE');
  const main = await s.warehouse('MAIN');
  await s.stockIn([{ materialId: fan, quantity: '200', unit: 'PCS', warehouseId: main }, { materialId: blade, quantity: '100', warehouseId: main }]);
  const c1 = await s.customer('C1');
  const c2 = await s.customer('C2');
  const o1 = await s.approvedSalesOrder({ customerId: c1, lines: [{ materialId: fan, quantity: '5', price: '100', taxRate: '13', deliveryDate: DUE }, { materialId: blade, quantity: '40', price: '2.50', taxRate: '13', deliveryDate: DUE }] });
  const o2 = await s.approvedSalesOrder({ customerId: c2, lines: [{ materialId: fan, quantity: '2', price: '110', taxRate: '0', deliveryDate: DUE }] });
  // A draft and a cancelled order count in no figure.
  const o3 = await s.post('/v1/sales-orders', { customerId: c1, lines: [{ materialId: blade, quantity: '7', price: '1', deliveryDate: DUE }] });
  const o4 = await s.approvedSalesOrder({ customerId: c2, lines: [{ materialId: blade, quantity: '3', price: '1', deliveryDate: DUE }] });
  await s.action('cancelSalesOrder', `/v1/sales-orders/${o4.id}/cancel`, o4.version, { reason: 'customer withdrew' });

  const p1 = await s.post('/v1/delivery-plans', { customerId: c1, plannedDate: DUE, lines: [{ orderLineId: o1.lines[0].id, quantity: '3' }, { orderLineId: o1.lines[1].id, quantity: '40' }] });
  const ob1 = await s.post('/v1/sales-outbounds', { planId: p1.id, warehouseCode: 'MAIN' });
  await s.post(`/v1/sales-outbounds/${ob1.id}/post`);
  const p2 = await s.post('/v1/delivery-plans', { customerId: c2, plannedDate: DUE, lines: [{ orderLineId: o2.lines[0].id, quantity: '2' }] });
  const ob2 = await s.post('/v1/sales-outbounds', { planId: p2.id, warehouseCode: 'MAIN', lines: [{ materialCode: 'FAN', quantity: '12', unit: 'PCS' }] });
  await s.post(`/v1/sales-outbounds/${ob2.id}/post`);
  const r1 = await s.post('/v1/sales-returns', { sourceOutboundId: ob1.id, warehouseCode: 'MAIN', reasonCode: 'failed_inspection', lines: [{ outboundLineNo: 2, quantity: '4' }] });
  const r2 = await s.post('/v1/sales-returns', { customerId: c2, warehouseCode: 'MAIN', reasonCode: 'demand_change', lines: [{ materialCode: 'FAN', quantity: '1' }] });

  // Progress, base unit: ordered, planned, shipped, returned (with source), open, returned without source, gross amount.
  const rows = async (query: string) =>
    (await s.all(`/v1/reports/sales-progress?${query}`)).map((r) => [r.customerCode, r.materialCode, r.ordered, r.planned, r.shipped, r.returned, r.open, r.returnedWithoutSource, r.orderedAmount]);
  const c1Blade = ['C1', 'BLADE', '40', '40', '40', '4', '4', '0', '113.00'];
  const c1Fan = ['C1', 'FAN', '60', '36', '36', '0', '24', '0', '565.00'];
  const c2Fan = ['C2', 'FAN', '24', '24', '12', '0', '12', '12', '220.00'];
  s.eq(await rows('groupBy=customer'), [c1Blade, c1Fan, c2Fan], 'sales progress by customer (and material)');
  s.eq(await rows('groupBy=material'), [[null, 'BLADE', '40', '40', '40', '4', '4', '0', '113.00'], [null, 'FAN', '84', '60', '48', '0', '36', '12', '785.00']], 'sales progress by material');
  s.eq(await rows(`groupBy=customer&customerId=${c2}`), [c2Fan], 'sales progress of customer C2');
  s.eq(await rows(`groupBy=customer&materialId=${blade}`), [c1Blade], 'sales progress of material BLADE by customer');

  // Detail: the documents of a customer, and the orders of a material, each with its state.
  const docs = async (path: string, state = 'status') => (await s.all(path)).map((d) => `${d.docNo} ${d[state]}`).sort();
  s.eq(await docs(`/v1/sales-orders?customerId=${c1}`), [`${o1.docNo} in_delivery`, `${o3.docNo} draft`].sort(), 'the orders of customer C1');
  s.eq(await docs(`/v1/sales-orders?materialId=${blade}`), [`${o1.docNo} in_delivery`, `${o3.docNo} draft`, `${o4.docNo} cancelled`].sort(), 'the orders of material BLADE');
  s.eq(await docs(`/v1/delivery-plans?customerId=${c2}`), [`${p2.docNo} partially_shipped`], 'the delivery plans of customer C2');
  s.eq(await docs(`/v1/sales-outbounds?customerId=${c1}`), [`${ob1.docNo} posted`], 'the outbounds of customer C1');
  s.eq([await docs(`/v1/sales-returns?customerId=${c1}`, 'reasonCode'), await docs(`/v1/sales-returns?customerId=${c2}`, 'reasonCode')], [[`${r1.docNo} failed_inspection`], [`${r2.docNo} demand_change`]], 'the returns of each customer');
}
