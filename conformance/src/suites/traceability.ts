/**
 * Traceability (S1-5.4.5-d), checked through the HTTP API only: the check builds its own history,
 * purchase order → receipt → incoming inspection → production order → issue → work report →
 * production receipt → sales order → delivery plan → posted outbound, then traces the finished
 * batch backward and the supplier batch forward and asserts the exact nodes and edges; the recall
 * report of the supplier batch says where every affected batch is; bad input has its own codes.
 *
 * `prepare` builds one tenant's plant, warehouse, supplier and customer; the history is the
 * check's own, under codes no other run uses.
 */
import type { HttpResponse } from '../http.js';
import type { Check, CheckContext, Suite, SuiteContext, SuitePlan } from '../types.js';

const D = 'S1-5.4.5-d';
const E = 'S1-5.4.5-e';

type Call = (method: string, path: string, body?: unknown) => Promise<HttpResponse>;

interface History {
  raw: string; product: string; rawBatch: string; productBatch: string; supplier: string; customer: string;
  poDocNo: string; orderDocNo: string; outboundDocNo: string; productId: string; outboundId: string;
}

async function made(call: Call, path: string, body: unknown = {}): Promise<any> {
  const res = await call('POST', path, body);
  if (res.status !== 201 && res.status !== 200) throw new Error(`POST ${path}: ${res.status} ${res.text.slice(0, 300)}`);
  return res.json;
}

export const traceabilitySuite: Suite = {
  id: 'traceability',
  title: 'Traceability: one genealogy graph from purchase to customer, and the recall report',
  proves: [D, E],
  async prepare(ctx: SuiteContext): Promise<SuitePlan> {
    const tenant = await ctx.tenants.create('traceability');
    const call: Call = (method, path, body) => ctx.target.request(method, path, { key: tenant.adminKey, body });
    const tag = `TR${ctx.config.runId.slice(0, 6).toUpperCase()}`;
    await made(call, '/v1/units', { code: 'PCS', name: 'Pieces', decimals: 0 });
    const cal = await made(call, '/v1/calendars', { code: 'CAL', name: 'Days', shifts: [1, 2, 3, 4, 5].map((weekday) => ({ weekday, start: '08:00', end: '17:00', breakMinutes: 60 })) });
    await made(call, '/v1/plants', { code: 'P1', name: 'Plant', calendarId: cal.id });
    await made(call, '/v1/workshops', { code: 'WS', name: 'Assembly', plantCode: 'P1' });
    await made(call, '/v1/production-lines', { code: 'L1', name: 'Line 1', workshopCode: 'WS' });
    await made(call, '/v1/work-centres', { code: 'WC', name: 'Assembly', lineCode: 'L1', capacityUnit: 'labour_hours' });
    await made(call, '/v1/stations', { code: 'ST', name: 'Station', workCentreCode: 'WC' });
    const main = await made(call, '/v1/warehouses', { code: 'MAIN', name: 'Main' });
    await made(call, `/v1/warehouses/${main.id}/bins`, { code: 'A-01' });
    const supplier = await made(call, '/v1/suppliers', { code: `SUP-${tag}`, name: 'Supplier' });
    const customer = await made(call, '/v1/customers', { code: `CUS-${tag}`, name: 'Customer' });
    ctx.log(`tenant ${tenant.slug}: plant, warehouse, supplier and customer`);
    let history: History | undefined;
    const built = async () => (history ??= await buildHistory(call, tag, supplier, customer));
    const check = (id: string, title: string, run: (c: CheckContext, h: History) => Promise<void>): Check => ({
      id: `traceability/${id}`, title, clauses: [D], run: async (c) => run(c, await built()),
    });
    return {
      checks: [
        check('backward', 'a finished batch traces back to its component batch, supplier, purchase order, inspection, BOM, operator, station and equipment', (c, h) => backward(c, call, h)),
        check('forward', 'a supplier batch traces forward to the batch made from it and the customer it reached', (c, h) => forward(c, call, h)),
        check('recall', 'the recall report of a supplier batch: in stock per warehouse and bin, shipped per customer and delivery; CSV export', (c, h) => recall(c, call, h)),
        {
          id: 'traceability/quality-return', clauses: [D, E],
          title: 'a quality-caused sales return gets an inspection of the returned goods: linked both ways, with the batch the goods came from, and in the batch\'s trace',
          // A history of its own: the return changes stock and deliveries the other checks count.
          run: async (c) => qualityReturn(c, call, await buildHistory(call, `${tag}Q`, supplier, customer)),
        },
        check('bad-input', 'unknown batch 404, bad direction and depth out of range 422, with their codes', (c, h) => badInput(c, call, h)),
      ],
      notes: () => ({ tenant: tenant.slug }),
    };
  },
};

/** The history every check reads: 10 raw bought (9 accepted), 4 made into products, 3 shipped. */
async function buildHistory(call: Call, tag: string, supplier: any, customer: any): Promise<History> {
  const raw = `RAW-${tag}`;
  const product = `PRD-${tag}`;
  await made(call, '/v1/materials', { code: raw, name: 'Raw', baseUnit: 'PCS', tracking: 'batch' });
  const rt = await made(call, '/v1/routings', { code: `RT-${tag}`, name: 'Route', effectiveFrom: '2026-01-01', operations: [{ seq: 10, name: 'Build', workCentreCode: 'WC', runMinutes: '1' }] });
  await made(call, `/v1/routings/${rt.id}/release`, { version: rt.version });
  const productMaterial = await made(call, '/v1/materials', { code: product, name: 'Product', baseUnit: 'PCS', tracking: 'batch', defaultRouting: `RT-${tag}` });
  const bom = await made(call, '/v1/boms', { materialCode: product, type: 'manufacturing', effectiveFrom: '2026-01-01', lines: [{ materialCode: raw, quantity: '1', operationSeq: 10 }] });
  await made(call, `/v1/boms/${bom.id}/release`, { version: bom.version });

  const po = await made(call, '/v1/purchase-orders', { supplierId: supplier.id, lines: [{ materialCode: raw, quantity: '10' }] });
  await made(call, `/v1/purchase-orders/${po.id}/approve`, { version: po.version });
  const receipt = await made(call, '/v1/purchase-receipts', { orderId: po.id, lines: [{ orderLineId: po.lines[0].id, quantity: '10' }] });
  await made(call, `/v1/purchase-receipts/${receipt.id}/inspections`, {
    inspector: 'QC', lines: [{ receiptLineId: receipt.lines[0].id, accepted: '9', rejected: '1', warehouseCode: 'MAIN', binCode: 'A-01' }],
  });

  const planned = await made(call, '/v1/production-orders', { materialCode: product, quantity: '4', workshopCode: 'WS', plannedStart: '2026-03-02', plannedFinish: '2026-03-03' });
  const order = await made(call, `/v1/production-orders/${planned.id}/release`, { version: planned.version });
  await made(call, `/v1/production-orders/${order.id}/issues`, { warehouseCode: 'MAIN' });
  await made(call, `/v1/production-orders/${order.id}/reports`, { operationSeq: 10, goodQuantity: '4', operator: 'OP-1', stationCode: 'ST', equipmentCode: 'EQ-1', endedAt: '2026-03-02T12:00:00.000Z' });
  const productBatch = `P-${tag}`;
  await made(call, `/v1/production-orders/${order.id}/receipts`, { warehouseCode: 'MAIN', lines: [{ quantity: '4', binCode: 'A-01', batchNo: productBatch }] });

  const so = await made(call, '/v1/sales-orders', { customerId: customer.id, lines: [{ materialCode: product, quantity: '3', price: '10', deliveryDate: '2026-07-15' }] });
  await made(call, `/v1/sales-orders/${so.id}/approve`, { version: so.version });
  const plan = await made(call, '/v1/delivery-plans', { customerId: customer.id, plannedDate: '2026-07-01', lines: [{ orderLineId: so.lines[0].id, quantity: '3' }] });
  const outbound = await made(call, '/v1/sales-outbounds', { planId: plan.id, warehouseCode: 'MAIN' });
  await made(call, `/v1/sales-outbounds/${outbound.id}/post`);
  return {
    raw, product, rawBatch: receipt.lines[0].batchNo, productBatch, supplier: supplier.code, customer: customer.code,
    poDocNo: po.docNo, orderDocNo: order.docNo, outboundDocNo: outbound.docNo, productId: productMaterial.id, outboundId: outbound.id,
  };
}

const nodeIds = (g: any) => (g.nodes ?? []).map((n: any) => n.id).sort();
const edgeIds = (g: any) => (g.edges ?? []).map((e: any) => `${e.type} ${e.from} > ${e.to} ${e.quantity}`).sort();
const same = (a: string[], b: string[]) => JSON.stringify(a) === JSON.stringify([...b].sort());

async function backward(ctx: CheckContext, call: Call, h: History): Promise<void> {
  const res = await call('GET', `/v1/trace/batches/${encodeURIComponent(h.productBatch)}?direction=backward`);
  ctx.assert(res.status === 200, `tracing ${h.productBatch} backward answered ${res.status} ${res.json?.code ?? ''}`);
  const g = res.json;
  const p = `batch:${h.product}:${h.productBatch}`;
  const r = `batch:${h.raw}:${h.rawBatch}`;
  const nodes = [p, r, `supplier:${h.supplier}`, `customer:${h.customer}`];
  ctx.assert(same(nodeIds(g), nodes), `backward nodes are ${JSON.stringify(nodeIds(g))}, not ${JSON.stringify(nodes)}`);
  const edges = [`consumed_into ${r} > ${p} 4`, `supplied supplier:${h.supplier} > ${r} 10`, `delivered ${p} > customer:${h.customer} 3`];
  ctx.assert(same(edgeIds(g), edges), `backward edges are ${JSON.stringify(edgeIds(g))}`);
  const made = g.nodes.find((n: any) => n.id === p)?.made?.[0];
  ctx.assert(made?.orderDocNo === h.orderDocNo && made.bomRevision === 1 && JSON.stringify(made.operators) === '["OP-1"]' && JSON.stringify(made.stationCodes) === '["ST"]'
    && JSON.stringify(made.equipmentCodes) === '["EQ-1"]' && made.workEndedAt === '2026-03-02T12:00:00.000Z', `how ${h.productBatch} was made reads ${JSON.stringify(made)}`);
  const bought = g.edges.find((e: any) => e.type === 'supplied')?.purchase;
  ctx.assert(bought?.purchaseOrderDocNo === h.poDocNo && bought.accepted === '9' && bought.rejected === '1' && bought.inspections?.[0]?.inspector === 'QC',
    `the purchase of ${h.rawBatch} reads ${JSON.stringify(bought)}`);
  ctx.assert(g.truncated === false && g.depth === 10, `truncated ${g.truncated}, depth ${g.depth}`);
}

async function forward(ctx: CheckContext, call: Call, h: History): Promise<void> {
  const res = await call('GET', `/v1/trace/batches/${encodeURIComponent(h.rawBatch)}?materialCode=${encodeURIComponent(h.raw)}&direction=forward&depth=5`);
  ctx.assert(res.status === 200, `tracing ${h.rawBatch} forward answered ${res.status} ${res.json?.code ?? ''}`);
  const g = res.json;
  const p = `batch:${h.product}:${h.productBatch}`;
  const r = `batch:${h.raw}:${h.rawBatch}`;
  ctx.assert(g.root === r, `the root is ${g.root}`);
  ctx.assert(same(nodeIds(g), [r, p, `supplier:${h.supplier}`, `customer:${h.customer}`]), `forward nodes are ${JSON.stringify(nodeIds(g))}`);
  const delivered = g.edges.find((e: any) => e.type === 'delivered');
  ctx.assert(delivered?.from === p && delivered.to === `customer:${h.customer}` && delivered.delivery?.outboundDocNo === h.outboundDocNo, `the delivery reads ${JSON.stringify(delivered)}`);
  const depth = Object.fromEntries(g.nodes.map((n: any) => [n.id, n.depth]));
  ctx.assert(depth[r] === 0 && depth[p] === 1, `depths are ${JSON.stringify(depth)}`);
}

async function recall(ctx: CheckContext, call: Call, h: History): Promise<void> {
  const q = `batchNo=${encodeURIComponent(h.rawBatch)}&materialCode=${encodeURIComponent(h.raw)}`;
  const res = await call('GET', `/v1/quality/recalls?${q}`);
  ctx.assert(res.status === 200, `the recall report answered ${res.status} ${res.json?.code ?? ''}`);
  const rows = (res.json.rows ?? []).map((x: any) => [x.materialCode, x.batchNo, x.status, x.warehouseCode ?? x.customerCode, x.binCode ?? x.outboundDocNo, x.quantity].join(' '));
  const expected = [`${h.raw} ${h.rawBatch} in_stock MAIN A-01 5`, `${h.product} ${h.productBatch} in_stock MAIN A-01 1`, `${h.product} ${h.productBatch} shipped ${h.customer} ${h.outboundDocNo} 3`];
  ctx.assert(JSON.stringify(rows) === JSON.stringify(expected), `recall rows are ${JSON.stringify(rows)}, not ${JSON.stringify(expected)}`);
  ctx.assert(res.json.affectedBatches === 2, `affected batches ${res.json.affectedBatches}, not 2`);
  const csv = await call('GET', `/v1/quality/recalls.csv?${q}`);
  ctx.assert(csv.status === 200 && /^text\/csv/.test(csv.headers.get('content-type') ?? ''), `the CSV export answered ${csv.status} ${csv.headers.get('content-type')}`);
  ctx.assert(csv.text.replace(/^\uFEFF/, '').trim().split(/\r?\n/).length === 4, 'the CSV export has not a header and three rows');
}

async function qualityReturn(ctx: CheckContext, call: Call, h: History): Promise<void> {
  const std = await made(call, '/v1/quality-standards', { code: `STD-${h.product}`, name: 'Runs', materialId: h.productId, items: [{ code: 'RUN', name: 'Runs', kind: 'qualitative' }] });
  await made(call, '/v1/quality-plans', { code: `FQC-${h.product}`, name: 'Final', inspectionType: 'final', standardId: std.id, sampling: 'full' });
  const ret = await made(call, '/v1/sales-returns', { sourceOutboundId: h.outboundId, warehouseCode: 'MAIN', reasonCode: 'failed_inspection', reason: 'noise', lines: [{ outboundLineNo: 1, quantity: '2' }] });
  ctx.assert(JSON.stringify(ret.lines[0].sourceBatches) === JSON.stringify([{ batchNo: h.productBatch, serialNo: null, quantity: '3' }]), `the return's goods came from ${JSON.stringify(ret.lines[0].sourceBatches)}`);
  const res = await call('POST', `/v1/sales-returns/${ret.id}/quality-inspections`, {});
  ctx.assert(res.status === 201 && res.json.items?.length === 1, `inspecting the returned goods answered ${res.status} ${res.json?.code ?? ''}`);
  const qi = res.json.items[0];
  ctx.assert(qi.sourceKind === 'sales_return' && qi.lotSize === '2' && qi.sampleSize === 2 && qi.batchNo === h.productBatch, `the inspection reads ${qi.sourceKind} lot ${qi.lotSize} n ${qi.sampleSize} batch ${qi.batchNo}`);
  ctx.assert(qi.salesReturns?.[0]?.docNo === ret.docNo && qi.salesReturns[0].quantity === '2', `the inspection shows the returns ${JSON.stringify(qi.salesReturns)}`);
  const again = await call('POST', `/v1/sales-returns/${ret.id}/quality-inspections`, {});
  ctx.assert(again.status === 409 && again.json?.code === 'NOTHING_TO_INSPECT', `asking again answered ${again.status} ${again.json?.code}`);
  const shown = (await call('GET', `/v1/sales-returns/${ret.id}`)).json;
  ctx.assert(shown.lines[0].qualityInspection?.docNo === qi.docNo, `the return shows the inspection ${JSON.stringify(shown.lines[0].qualityInspection)}`);
  const g = (await call('GET', `/v1/trace/batches/${encodeURIComponent(h.productBatch)}?direction=backward`)).json;
  const returned = g.nodes?.find((n: any) => n.id === `batch:${h.product}:${h.productBatch}`)?.returned;
  ctx.assert(returned?.length === 1 && returned[0].returnDocNo === ret.docNo && returned[0].inspection?.docNo === qi.docNo, `the trace shows the returns ${JSON.stringify(returned)}`);
}

async function badInput(ctx: CheckContext, call: Call, h: History): Promise<void> {
  const unknown = await call('GET', `/v1/trace/batches/NO-SUCH-${h.productBatch}`);
  ctx.assert(unknown.status === 404 && unknown.json?.code === 'BATCH_NOT_FOUND', `an unknown batch answered ${unknown.status} ${unknown.json?.code}`);
  const dir = await call('GET', `/v1/trace/batches/${encodeURIComponent(h.productBatch)}?direction=sideways`);
  ctx.assert(dir.status === 422 && dir.json?.code === 'TRACE_DIRECTION_INVALID', `direction=sideways answered ${dir.status} ${dir.json?.code}`);
  const deep = await call('GET', `/v1/trace/batches/${encodeURIComponent(h.productBatch)}?depth=21`);
  ctx.assert(deep.status === 422 && deep.json?.code === 'TRACE_DEPTH_OUT_OF_RANGE', `depth=21 answered ${deep.status} ${deep.json?.code}`);
}
