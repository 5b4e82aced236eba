/**
 * Production on the shop floor (S1-5.4.4-f..l, S1-5.4.1-f), checked through the HTTP API only:
 * material issue by operation, order and PDA scan with FIFO batches and a tolerance, backflush by
 * operation and on receipt; returns; work reporting with pause and resume, the quantity flow rule
 * and piece-rate wages; receipts of product and by-product with the genealogy; dispatching;
 * sales demand planned by MRP into a made-to-order production order, kitted and issued; and the
 * live progress board with its event feed.
 *
 * Every check makes its own product and components (unique codes), stocks them and releases its
 * own order, so the ledger figures it asserts are its own whatever ran before.
 */
import { readEventStream } from '../http.js';
import type { CheckContext } from '../types.js';
import { codesOf, made, released, type World } from './production-common.js';

const WAREHOUSE = 'W-PR';

/** A warehouse with two bins, a work centre that is no alternate, a two-operation routing with an alternate at 10, and a station. */
export async function prepareFloor(w: World): Promise<void> {
  const wh = await made(w.call, '/v1/warehouses', { code: WAREHOUSE, name: 'Production stores' });
  for (const code of ['A-01', 'A-02']) await made(w.call, `/v1/warehouses/${wh.id}/bins`, { code });
  await made(w.call, '/v1/work-centres', { code: 'WC-PACK', name: 'Packing', workshopCode: 'WS-ASM', capacityUnit: 'labour_hours' });
  await released(w.call, '/v1/routings', {
    code: 'RT-SHOP', name: 'Shop', effectiveFrom: '2026-01-01',
    operations: [
      { seq: 10, name: 'Press', workCentreCode: 'WC-ASM', runMinutes: '1', alternates: [{ workCentreCode: 'WC-ASM2', runMinutes: '2' }] },
      { seq: 20, name: 'Assemble', workCentreCode: 'WC-ASM', runMinutes: '1' },
    ],
  });
  w.ids.station = (await made(w.call, '/v1/stations', { code: 'ST-1', name: 'Press 1', workCentreCode: 'WC-ASM' })).id;
}

/**
 * A released order of `quantity` of a new batch-tracked product: a batch-tracked casing issued by
 * hand at 10 (batch C1: 6 in bin A-01, received first; C2: 10 in A-02), grease 35 g a piece
 * backflushed by operation 10 (1 kg), bolts × 4 backflushed on receipt at 20 (100).
 */
async function shopOrder(w: World, quantity = '10') {
  const code = w.code('SH');
  const material = (suffix: string, extra: Record<string, unknown> = {}) => made(w.call, '/v1/materials', { code: `${code}-${suffix}`, name: `${code} ${suffix}`, baseUnit: 'PCS', ...extra });
  const product = await material('P', { tracking: 'batch', defaultRouting: 'RT-SHOP' });
  const casing = await material('C', { tracking: 'batch' });
  const grease = await material('G', { baseUnit: 'KG', issueType: 'backflush_operation' });
  const bolt = await material('B', { issueType: 'backflush_receipt' });
  await released(w.call, '/v1/boms', {
    materialId: product.id, type: 'manufacturing', effectiveFrom: '2026-01-01',
    lines: [{ materialId: casing.id, quantity: '1', operationSeq: 10 }, { materialId: grease.id, quantity: '35', unit: 'G', operationSeq: 10 }, { materialId: bolt.id, quantity: '4', operationSeq: 20 }],
  });
  const stockIn = (lines: unknown[]) => made(w.call, '/v1/stock-documents', { type: 'other_in', post: true, lines });
  await stockIn([{ materialId: casing.id, quantity: '6', warehouseCode: WAREHOUSE, binCode: 'A-01', batchNo: 'C1' }]);
  await stockIn([
    { materialId: casing.id, quantity: '10', warehouseCode: WAREHOUSE, binCode: 'A-02', batchNo: 'C2' },
    { materialId: grease.id, quantity: '1', warehouseCode: WAREHOUSE },
    { materialId: bolt.id, quantity: '100', warehouseCode: WAREHOUSE },
  ]);
  const created = await made(w.call, '/v1/production-orders', { materialId: product.id, quantity, workshopCode: 'WS-ASM', plannedStart: '2026-03-02', plannedFinish: '2026-03-06' });
  const order = await made(w.call, `/v1/production-orders/${created.id}/release`, { version: created.version });
  const path = (p = '') => `/v1/production-orders/${order.id}${p}`;
  return {
    product, casing, grease, bolt, order, path,
    get: async () => (await w.call('GET', path())).json,
    /** A material's balances as `bin/batch=quantity`, sorted. */
    stock: async (m: { id: string }) => ((await w.call('GET', `/v1/stock/balances?materialId=${m.id}`)).json.items as any[]).map((b) => `${b.binCode ?? ''}/${b.batchNo ?? ''}=${b.quantity}`).sort(),
    /** A document's ledger movements as `type material batch quantity`. */
    movements: async (sourceId: string) => ((await w.call('GET', `/v1/stock/movements?sourceId=${sourceId}`)).json.items as any[]).map((m) => `${m.type} ${m.materialCode} ${m.batchNo ?? '-'} ${m.quantity}`).sort(),
  };
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

export async function materialIssue(ctx: CheckContext, w: World): Promise<void> {
  const S = await shopOrder(w);
  const c = S.casing.code;
  const byOp = await w.call('POST', S.path('/issues'), { warehouseCode: WAREHOUSE, operationSeq: 10 });
  ctx.assert(byOp.status === 201, `issuing by operation answered ${byOp.status} ${byOp.json?.code ?? ''}`);
  const lines = byOp.json.lines.map((l: any) => `${l.materialCode}@${l.binCode}/${l.batchNo}=${l.baseQuantity} ${l.origin}`);
  ctx.record('issue by operation', lines);
  ctx.assert(same(lines, [`${c}@A-01/C1=6 fifo`, `${c}@A-02/C2=4 fifo`]), `10 casings were picked as ${lines.join(', ')}, not FIFO C1 6 then C2 4`);
  ctx.assert(same(await S.movements(byOp.json.id), [`issue ${c} C1 -6`, `issue ${c} C2 -4`]), 'the issue did not post its two movements to the ledger');
  ctx.assert(same(await S.stock(S.casing), ['A-02/C2=6']), `casings left: ${(await S.stock(S.casing)).join(', ')}`);
  ctx.assert((await S.get()).status === 'in_progress', 'the first issue did not start the order');
  const byOrder = await w.call('POST', S.path('/issues'), { warehouseCode: WAREHOUSE });
  ctx.assert(byOrder.json?.code === 'NOTHING_TO_ISSUE', `issuing by BOM again after everything was issued answered ${byOrder.status} ${byOrder.json?.code}`);
  const scan = await w.call('POST', S.path('/issues'), { warehouseCode: WAREHOUSE, scans: [{ barcode: `(240)${c}(10)C2`, quantity: '1', binCode: 'A-02' }] });
  ctx.assert(scan.status === 422 && scan.json.code === 'ISSUE_OVER_TOLERANCE' && codesOf(scan) === 'scans[0].quantity:ISSUE_OVER_TOLERANCE', `a PDA scan beyond the tolerance answered ${scan.status} ${scan.json?.code} ${codesOf(scan)}`);
  ctx.assert(same(await S.stock(S.casing), ['A-02/C2=6']), 'a refused scan moved stock');
  // Grease is backflushed by operation 10: 4 good pieces take 4 × 35 g.
  const report = await w.call('POST', S.path('/reports'), { operationSeq: 10, goodQuantity: '4', operator: w.code('W') });
  ctx.assert(report.status === 201 && report.json.backflush, `a report of operation 10 answered ${report.status} ${report.json?.code ?? ''} without a backflush`);
  ctx.assert(same(await S.movements(report.json.backflush.id), [`issue ${S.grease.code} - -0.14`]), `the backflush by operation posted ${(await S.movements(report.json.backflush.id)).join(', ')}`);
  ctx.assert(same(await S.stock(S.grease), ['/=0.86']), 'grease left is not 0.86 kg');
}

export async function materialReturn(ctx: CheckContext, w: World): Promise<void> {
  const S = await shopOrder(w);
  await made(w.call, S.path('/issues'), { warehouseCode: WAREHOUSE, operationSeq: 10 });
  const res = await w.call('POST', S.path('/returns'), { warehouseCode: WAREHOUSE, reason: 'surplus', lines: [{ componentLineNo: 1, batchNo: 'C2', quantity: '1', binCode: 'A-01' }] });
  ctx.assert(res.status === 201 && res.json.kind === 'return', `returning material answered ${res.status} ${res.json?.code ?? ''}`);
  ctx.assert(same(await S.movements(res.json.id), [`return ${S.casing.code} C2 1`]), 'the return did not post one movement back into stock');
  const stock = await S.stock(S.casing);
  ctx.record('casings after the return', stock);
  ctx.assert(same(stock, ['A-01/C2=1', 'A-02/C2=6']), `casings after returning 1 of C2 to bin A-01: ${stock.join(', ')}`);
  const casing = (await S.get()).components[0];
  ctx.assert(casing.issuedQuantity === '10' && casing.returnedQuantity === '1', `the component shows issued ${casing.issuedQuantity}, returned ${casing.returnedQuantity}`);
  const tooMuch = await w.call('POST', S.path('/returns'), { warehouseCode: WAREHOUSE, lines: [{ materialId: S.casing.id, batchNo: 'C1', quantity: '7', binCode: 'A-01' }] });
  ctx.assert(tooMuch.status === 422 && tooMuch.json.code === 'RETURN_EXCEEDS_ISSUED', `returning 7 of the 6 issued from C1 answered ${tooMuch.status} ${tooMuch.json?.code}`);
  ctx.assert(same(await S.stock(S.casing), stock), 'a refused return moved stock');
}

export async function workReporting(ctx: CheckContext, w: World): Promise<void> {
  const S = await shopOrder(w);
  const operator = w.code('W');
  await made(w.call, '/v1/piece-rates', { materialId: S.product.id, operationSeq: 10, rate: '0.5', effectiveFrom: '2026-01-01' });
  const event = (ev: string, at: string, extra: Record<string, unknown> = {}) =>
    w.call('POST', S.path('/operations/10/events'), { event: ev, operator, stationCode: 'ST-1', equipmentCode: 'PRESS-1', at, ...extra });
  const start = await event('start', '2026-03-03T08:00:00.000Z');
  ctx.assert(start.status === 201 && start.json.operationStatus === 'in_progress' && start.json.stationId === w.ids.station, `starting operation 10 answered ${start.status} ${start.json?.code ?? ''}`);
  const noReason = await event('pause', '2026-03-03T08:30:00.000Z');
  ctx.assert(noReason.status === 422 && codesOf(noReason) === 'reason:REASON_REQUIRED', `a pause without a reason answered ${noReason.status} ${codesOf(noReason)}`);
  const pause = await event('pause', '2026-03-03T08:30:00.000Z', { reason: 'die change' });
  const resume = await event('resume', '2026-03-03T08:45:00.000Z');
  ctx.assert(pause.json?.operationStatus === 'paused' && resume.json?.operationStatus === 'in_progress', `pause and resume left the operation ${pause.json?.operationStatus} then ${resume.json?.operationStatus}`);
  const report = (seq: number, body: Record<string, unknown>) => w.call('POST', S.path('/reports'), { operationSeq: seq, operator, stationCode: seq === 10 ? 'ST-1' : undefined, endedAt: '2026-03-03T10:00:00.000Z', ...body });
  const r10 = await report(10, { goodQuantity: '5', scrapQuantity: '1', pendingInspectionQuantity: '1', scrapReason: 'crack' });
  ctx.assert(r10.status === 201 && r10.json.wageAmount === '2.5', `reporting 5 good at 0.5 a piece answered ${r10.status} ${r10.json?.code ?? ''}, wage ${r10.json?.wageAmount}`);
  const flow = await report(20, { goodQuantity: '6' });
  ctx.assert(flow.status === 422 && flow.json.code === 'QUANTITY_FLOW_VIOLATION', `reporting 6 good at 20 after 5 passed 10 answered ${flow.status} ${flow.json?.code}`);
  ctx.assert((await report(20, { goodQuantity: '5' })).status === 201, 'reporting the 5 that passed 10 was refused');
  const op = (await S.get()).operations[0];
  const shown = [op.status, op.goodQuantity, op.scrapQuantity, op.pendingInspectionQuantity];
  ctx.record('operation 10', shown);
  ctx.assert(same(shown, ['in_progress', '5', '1', '1']), `operation 10 reads back as ${shown.join(' ')}`);
  const events = (await w.call('GET', S.path('/operation-events'))).json.items.map((e: any) => `${e.event} ${e.reason}`.trim());
  ctx.assert(same(events, ['resume', 'pause die change', 'start']), `the operation's events are ${events.join(', ')}`);
  const wages = (await w.call('GET', `/v1/production-wages?from=2026-03-03&to=2026-03-03&operator=${operator}`)).json;
  ctx.assert(wages?.total === '2.5' && wages.workers[0]?.reports === 2, `the wage report of the day says ${wages?.total} over ${wages?.workers?.[0]?.reports} reports`);
}

export async function receipt(ctx: CheckContext, w: World): Promise<void> {
  const S = await shopOrder(w);
  const slag = await made(w.call, '/v1/materials', { code: w.code('SLAG'), name: 'Slag', baseUnit: 'KG' });
  const operator = w.code('W');
  await made(w.call, S.path('/issues'), { warehouseCode: WAREHOUSE, operationSeq: 10 });
  await made(w.call, S.path('/reports'), { operationSeq: 10, goodQuantity: '10', operator, end: true });
  await made(w.call, S.path('/reports'), { operationSeq: 20, goodQuantity: '8', scrapQuantity: '1', operator });
  const over = await w.call('POST', S.path('/receipts'), { warehouseCode: WAREHOUSE, lines: [{ quantity: '9' }] });
  ctx.assert(over.status === 422 && over.json.code === 'RECEIPT_EXCEEDS_REPORTED', `receiving 9 of 8 reported good answered ${over.status} ${over.json?.code}`);
  const res = await w.call('POST', S.path('/receipts'), { warehouseCode: WAREHOUSE, lines: [{ quantity: '8', binCode: 'A-01' }, { materialId: slag.id, quantity: '500', unit: 'G' }] });
  ctx.assert(res.status === 201, `the receipt answered ${res.status} ${res.json?.code ?? ''}`);
  const batch = res.json.lines[0].batchNo;
  const lines = res.json.lines.map((l: any) => `${l.kind} ${l.materialCode} ${l.baseQuantity} ${l.baseUnit}`);
  ctx.record('receipt', { lines, batch });
  ctx.assert(typeof batch === 'string' && batch.length > 0, 'the batch-tracked product was received without a batch number');
  ctx.assert(same(lines, [`product ${S.product.code} 8 PCS`, `by_product ${slag.code} 0.5 KG`]), `the receipt's lines are ${lines.join(', ')}`);
  ctx.assert(same(await S.movements(res.json.id), [`production_in ${S.product.code} ${batch} 8`, `production_in ${slag.code} - 0.5`].sort()), 'the receipt did not post product and by-product into stock');
  ctx.assert(same(await S.stock(S.product), [`A-01/${batch}=8`]), 'the product is not in bin A-01 under its batch');
  ctx.assert(same(await S.movements(res.json.backflush.id), [`issue ${S.bolt.code} - -32`]), 'bolts were not backflushed on receipt (8 × 4)');
  const back = (await w.call('GET', `/v1/production-genealogy/backward?materialId=${S.product.id}&batchNo=${encodeURIComponent(batch)}`)).json;
  const consumed = (back?.links ?? []).map((l: any) => `${l.consumed.materialCode}${l.consumed.batchNo ? `/${l.consumed.batchNo}` : ''}`).sort();
  ctx.record('genealogy', consumed);
  ctx.assert(same(consumed, [S.bolt.code, `${S.casing.code}/C1`, `${S.casing.code}/C2`, S.grease.code].sort()), `the batch's genealogy names ${consumed.join(', ')}`);
  ctx.assert(back.links.every((l: any) => l.orderDocNo === S.order.docNo && l.operators.includes(operator)), 'the genealogy does not name the order and its operator');
}

export async function dispatching(ctx: CheckContext, w: World): Promise<void> {
  const S = await shopOrder(w);
  const dispatch = (body: Record<string, unknown>) => w.call('POST', S.path('/operations/10/dispatch'), { cause: 'status', reason: 'WC-ASM down', ...body });
  const moved = await dispatch({ workCentreCode: 'WC-ASM2' });
  ctx.assert(moved.status === 201, `reassigning to the alternate answered ${moved.status} ${moved.json?.code ?? ''}`);
  const change = [moved.json.before.workCentreCode, moved.json.after.workCentreCode, moved.json.after.runMinutes, moved.json.after.plannedMinutes];
  ctx.record('reassigned', change);
  ctx.assert(same(change, ['WC-ASM', 'WC-ASM2', '2', '20']), `the reassignment reads ${change.join(' ')}`);
  const notAlternate = await dispatch({ workCentreCode: 'WC-PACK' });
  ctx.assert(notAlternate.json?.code === 'NOT_AN_ALTERNATE', `reassigning to a work centre that is no alternate answered ${notAlternate.status} ${notAlternate.json?.code}`);
  const back = await dispatch({ workCentreCode: 'WC-ASM', dispatchSeq: 1, cause: 'progress', reason: 'WC-ASM back' });
  ctx.assert(back.status === 201 && back.json.after.dispatchSeq === 1, `moving back and re-sequencing answered ${back.status} ${back.json?.code ?? ''}`);
  const queue = (await w.call('GET', '/v1/production-dispatch-list?workCentreCode=WC-ASM')).json.items.filter((i: any) => i.orderDocNo === S.order.docNo).map((i: any) => `${i.operationSeq}#${i.dispatchSeq}`);
  ctx.assert(same(queue, ['10#1', '20#null']), `the work centre's queue shows the order as ${queue.join(', ')}`);
  const history = (await w.call('GET', S.path('/dispatch-changes'))).json.items.map((c: any) => `${c.cause} ${c.before.workCentreCode}→${c.after.workCentreCode}`);
  ctx.assert(same(history, ['progress WC-ASM2→WC-ASM', 'status WC-ASM→WC-ASM2']), `the dispatch history is ${history.join(', ')}`);
  const events = (await w.call('GET', `/v1/events?aggregateId=${S.order.id}&type=production_operation.dispatched`)).json.items;
  ctx.assert(events.length === 2, `${events.length} dispatch events on the outbox, not 2`);
}

export async function salesDemand(ctx: CheckContext, w: World): Promise<void> {
  const product = await made(w.call, '/v1/materials', { code: w.code('MTO'), name: 'Made to order', baseUnit: 'PCS', defaultRouting: 'RT-SHOP' });
  const part = await made(w.call, '/v1/materials', { code: w.code('PART'), name: 'Part', baseUnit: 'PCS' });
  await released(w.call, '/v1/boms', { materialId: product.id, type: 'manufacturing', effectiveFrom: '2026-01-01', lines: [{ materialId: part.id, quantity: '2' }] });
  const customer = await made(w.call, '/v1/customers', { code: w.code('C'), name: 'Customer' });
  const draft = await made(w.call, '/v1/sales-orders', { customerId: customer.id, lines: [{ materialId: product.id, quantity: '5', price: '100', taxRate: '13', deliveryDate: '2026-04-20' }] });
  const so = await made(w.call, `/v1/sales-orders/${draft.id}/approve`, { version: draft.version });
  const run = await w.call('POST', '/v1/mrp-runs', { asOf: '2026-04-01', safetyStock: false });
  ctx.assert(run.status === 201 || run.status === 200, `the MRP run answered ${run.status} ${run.json?.code ?? ''}`);
  const planned = async (m: { id: string }) => (await w.call('GET', `/v1/mrp-runs/${run.json.id}?materialId=${m.id}`)).json.plannedOrders as any[];
  const make = (await planned(product)).map((p) => `${p.kind} ${p.quantity} ${p.mtoNo} ${p.dueDate}`);
  const buy = (await planned(part)).map((p) => `${p.kind} ${p.quantity} ${p.mtoNo}`);
  ctx.record('planned', { make, buy });
  ctx.assert(same(make, [`make 5 ${so.docNo} 2026-04-20`]), `the sales line was planned as ${make.join(', ')}`);
  ctx.assert(same(buy, [`buy 10 ${so.docNo}`]), `its part was planned as ${buy.join(', ')}`);
  const line = (await planned(product))[0];
  const firmed = await w.call('POST', `/v1/mrp-runs/${run.json.id}/firm`, { lineNos: [line.lineNo] });
  ctx.assert(firmed.status === 200 && firmed.json.productionOrders.length === 1, `firming answered ${firmed.status} ${firmed.json?.code ?? ''}`);
  const order = (await w.call('GET', `/v1/production-orders/${firmed.json.productionOrders[0].id}`)).json;
  const shown = [order.source, order.mtoNo, order.salesOrderId, order.baseQuantity, order.dueDate];
  ctx.assert(same(shown, ['sales_demand', so.docNo, so.id, '5', '2026-04-20']), `the production order made from the sales line reads ${shown.join(' ')}`);
  const rel = await made(w.call, `/v1/production-orders/${order.id}/release`, { version: order.version });
  const kit = async () => (await w.call('POST', '/v1/production-kitting', { orderIds: [rel.id] })).json;
  const short = await kit();
  ctx.assert(short.orders[0].kitRate === '0.00' && !short.orders[0].kitted && same(short.shortages.map((s: any) => `${s.materialCode} ${s.shortage}`), [`${part.code} 10`]),
    `kitting without parts shows ${short.orders[0].kitRate} % and shortages ${JSON.stringify(short.shortages.map((s: any) => s.shortage))}`);
  await made(w.call, '/v1/stock-documents', { type: 'other_in', post: true, lines: [{ materialId: part.id, quantity: '10', warehouseCode: WAREHOUSE }] });
  const full = await kit();
  ctx.assert(full.orders[0].kitRate === '100.00' && full.orders[0].kitted && full.shortages.length === 0, `kitting with 10 parts in stock shows ${full.orders[0].kitRate} %`);
  const issue = await w.call('POST', `/v1/production-orders/${rel.id}/issues`, { warehouseCode: WAREHOUSE });
  ctx.assert(issue.status === 201, `issuing the kitted order answered ${issue.status} ${issue.json?.code ?? ''}`);
  const moves = ((await w.call('GET', `/v1/stock/movements?sourceId=${issue.json.id}`)).json.items as any[]).map((m) => `${m.type} ${m.materialCode} ${m.quantity}`);
  ctx.assert(same(moves, [`issue ${part.code} -10`]), `the issue posted ${moves.join(', ')} to the ledger`);
}

export async function liveProgress(ctx: CheckContext, w: World): Promise<void> {
  const S = await shopOrder(w);
  const operator = w.code('W');
  const board = async () => (await w.call('GET', `/v1/production-progress?workshopId=${w.ids.workshop}&asOf=2026-03-10&limit=500`)).json;
  const before = await board();
  const mine = (b: any) => b.orders.find((o: any) => o.orderId === S.order.id);
  const late = mine(before);
  ctx.assert(late?.late === true && late.daysLate === 4, `an order planned to finish 2026-03-06 is ${late ? `late ${late.late}, ${late.daysLate} days` : 'missing'} on 2026-03-10`);
  await made(w.call, S.path('/operations/10/events'), { event: 'start', operator, stationCode: 'ST-1' });
  await made(w.call, S.path('/reports'), { operationSeq: 10, goodQuantity: '3', scrapQuantity: '1', pendingInspectionQuantity: '1', operator, stationCode: 'ST-1' });
  const after = await board();
  const op = mine(after).operations[0];
  const shown = [op.status, op.planned, op.good, op.scrap, op.pendingInspection, op.remaining, op.stationCode, op.operator];
  ctx.record('operation 10 on the board', shown);
  ctx.assert(same(shown, ['in_progress', '10', '3', '1', '1', '5', 'ST-1', operator]), `operation 10 shows ${shown.join(' ')}`);
  ctx.assert(after.active.some((a: any) => a.orderId === S.order.id && a.seq === 10 && a.operator === operator), 'the running operation is not among the active ones');
  const shop = after.workshops.find((x: any) => x.workshopId === w.ids.workshop);
  ctx.assert(shop?.openOrders >= 1 && shop.lateOrders >= 1 && shop.operations.inProgress >= 1, `the workshop shows ${JSON.stringify(shop && { open: shop.openOrders, late: shop.lateOrders, ops: shop.operations })}`);
  const feed = await readEventStream(w.target, '/v1/production-progress/feed', {
    key: w.tenant.adminKey, query: { after: before.lastSeq, workshopId: w.ids.workshop }, timeoutMs: 15_000,
    enough: (events) => events.filter((e) => e.aggregateId === S.order.id).length >= 3,
  });
  const types = feed.events.filter((e) => e.aggregateId === S.order.id).map((e) => e.type);
  ctx.record('feed', types);
  ctx.assert(feed.status === 200 && String(feed.contentType).startsWith('text/event-stream'), `the feed answered ${feed.status} ${feed.contentType}`);
  ctx.assert(same(types, ['production_order.started', 'production_operation.started', 'production_operation.reported']), `the feed carried ${types.join(', ')}`);
  ctx.assert(feed.events.every((e) => e.payload.workshopId === w.ids.workshop), 'the feed of one workshop carried another workshop\'s events');
  const unknown = await w.call('GET', `/v1/production-progress?workshopCode=${w.code('NOPE')}`);
  ctx.assert(unknown.status === 422 && unknown.json.code === 'UNKNOWN_WORKSHOP', `an unknown workshop answered ${unknown.status} ${unknown.json?.code}`);
}
