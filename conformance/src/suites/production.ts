/**
 * Production engineering data and orders (S1-5.4.4-a..e), checked through the HTTP API only (the
 * shop floor, S1-5.4.4-f..l and S1-5.4.1-f, in production-floor.ts):
 * material production parameters, BOMs of the four types with exact unit usage, a multi-level
 * explosion through a phantom with scrap, cycles refused, released revisions immutable, routings
 * with standard times and inspection data, process drawings uploaded and viewed by their type, and
 * production orders entered by hand with product, quantity, workshop, line, start and finish.
 *
 * `prepare` builds one tenant's plant, materials, routing and BOM structure; every check creates
 * what it changes under its own codes, so checks run in any order.
 */
import { createHash } from 'node:crypto';
import type { Check, CheckContext, Suite, SuiteContext, SuitePlan } from '../types.js';
import { codesOf, made, released, type Call, type World } from './production-common.js';
import * as floor from './production-floor.js';

const A = 'S1-5.4.4-a';
const B = 'S1-5.4.4-b';
const C = 'S1-5.4.4-c';
const D = 'S1-5.4.4-d';
const E = 'S1-5.4.4-e';
const F = 'S1-5.4.4-f';
const G = 'S1-5.4.4-g';
const H = 'S1-5.4.4-h';
const I = 'S1-5.4.4-i';
const J = 'S1-5.4.4-j';
const K = 'S1-5.4.4-k';
const L = 'S1-5.4.4-l';
const SALES_F = 'S1-5.4.1-f';

export const productionSuite: Suite = {
  id: 'production',
  title: 'Production: engineering data, orders, planning and the shop floor',
  proves: [A, B, C, D, E, F, G, H, I, J, K, L, SALES_F],
  async prepare(ctx: SuiteContext): Promise<SuitePlan> {
    const tenant = await ctx.tenants.create('production');
    const call: Call = (method, path, body, headers) => ctx.target.request(method, path, { key: tenant.adminKey, body, headers });
    const tag = `PR${ctx.config.runId.slice(0, 6).toUpperCase()}`;
    let n = 0;
    const world: World = { tenant, target: ctx.target, call, code: (prefix) => `${prefix}-${tag}-${++n}`, ids: {} };
    for (const u of [{ code: 'PCS', name: 'Pieces', decimals: 0 }, { code: 'KG', name: 'Kilogram', decimals: 3 }, { code: 'G', name: 'Gram', decimals: 1 }]) await made(call, '/v1/units', u);
    await made(call, '/v1/unit-conversions', { fromUnit: 'KG', toUnit: 'G', factor: '1000' });
    const cal = await made(call, '/v1/calendars', { code: 'CAL', name: 'Days', shifts: [1, 2, 3, 4, 5].map((weekday) => ({ weekday, start: '08:00', end: '17:00', breakMinutes: 60 })) });
    await made(call, '/v1/plants', { code: 'P1', name: 'Plant', calendarId: cal.id });
    world.ids.workshop = (await made(call, '/v1/workshops', { code: 'WS-ASM', name: 'Assembly', plantCode: 'P1' })).id;
    world.ids.line = (await made(call, '/v1/production-lines', { code: 'L1', name: 'Line 1', workshopCode: 'WS-ASM' })).id;
    await made(call, '/v1/work-centres', { code: 'WC-ASM', name: 'Assembly', lineCode: 'L1', capacityUnit: 'labour_hours', parallelCount: 4 });
    await made(call, '/v1/work-centres', { code: 'WC-ASM2', name: 'Assembly 2', workshopCode: 'WS-ASM', capacityUnit: 'labour_hours' });
    await released(call, '/v1/routings', {
      code: 'RT-FAN', name: 'Fan', effectiveFrom: '2026-01-01',
      operations: [{ seq: 10, name: 'Assemble', workCentreCode: 'WC-ASM', runMinutes: '3' }, { seq: 20, name: 'Pack', workCentreCode: 'WC-ASM', runMinutes: '1' }],
    });
    for (const [code, baseUnit, extra] of [
      ['FAN', 'PCS', { defaultRouting: 'RT-FAN' }], ['MOTOR', 'PCS', {}], ['STATOR', 'PCS', {}], ['CORE', 'PCS', {}], ['STEEL', 'KG', {}], ['WIRE', 'KG', { productionUnit: 'G' }],
      ['KIT', 'PCS', {}], ['SCREW', 'PCS', {}], ['BLADE', 'PCS', {}],
    ] as const) world.ids[code] = (await made(call, '/v1/materials', { code, name: code, baseUnit, ...extra })).id;
    const bom = (materialCode: string, lines: unknown[]) => released(call, '/v1/boms', { materialCode, type: 'manufacturing', effectiveFrom: '2026-01-01', lines });
    await bom('CORE', [{ materialCode: 'STEEL', quantity: '0.04', unit: 'KG', scrapRate: '5' }]);
    await bom('STATOR', [{ materialCode: 'CORE', quantity: '1' }, { materialCode: 'WIRE', quantity: '150', unit: 'G', scrapRate: '2' }]);
    await bom('MOTOR', [{ materialCode: 'STATOR', quantity: '1' }]);
    await bom('KIT', [{ materialCode: 'SCREW', quantity: '4' }]);
    world.ids.fanBom = (await bom('FAN', [
      { materialCode: 'MOTOR', quantity: '1', operationSeq: 10 },
      { materialCode: 'KIT', quantity: '1', phantom: true, operationSeq: 10 },
      { materialCode: 'BLADE', quantity: '3', scrapRate: '5', operationSeq: 10 },
    ])).id;
    await floor.prepareFloor(world);
    ctx.log(`tenant ${tenant.slug}: plant, routings, a four-level fan structure and production stores`);
    const check = (id: string, title: string, clauses: string[], run: (c: CheckContext) => Promise<void>): Check => ({ id: `production/${id}`, title, clauses, run });
    return {
      checks: [
        check('material-parameters', 'material production parameters: issue type, kitting, production unit, default routing', [A], (c) => materialParameters(c, world)),
        check('bom-types-and-usage', 'BOMs of the four types; usage in any unit of the component, converted exactly', [B], (c) => bomTypes(c, world)),
        check('bom-explosion', 'multi-level explosion: phantom blown through, scrap applied, exact; where-used', [B], (c) => explosion(c, world)),
        check('bom-cycle', 'a BOM cycle is refused with its path', [B], (c) => cycle(c, world)),
        check('bom-released-immutable', 'a released BOM revision cannot change; a newer release supersedes it', [B], (c) => immutable(c, world)),
        check('routing', 'routings: operations, work centres, standard times, inspection data', [C], (c) => routing(c, world)),
        check('drawings', 'process drawings uploaded, viewed by type and hash; a lying type refused', [D], (c) => drawings(c, world)),
        check('order-by-hand', 'production orders by hand: product, quantity, workshop, line, start and finish', [E], (c) => orderByHand(c, world)),
        check('material-issue', 'material issue by operation (FIFO batches), by BOM and by PDA scan within a tolerance; backflush by operation', [F], (c) => floor.materialIssue(c, world)),
        check('material-return', 'production returns to a warehouse and bin, never more than was issued', [G], (c) => floor.materialReturn(c, world)),
        check('work-reporting', 'work reports: start, pause with reason, resume; good, scrap, pending inspection; the quantity flow rule; piece-rate wages', [H], (c) => floor.workReporting(c, world)),
        check('receipt', 'receipt of product and by-product to warehouse and bin with a batch, backflush on receipt, genealogy', [I], (c) => floor.receipt(c, world)),
        check('dispatching', 'dispatching: reassign to an alternate work centre, re-sequence, every change kept and published', [J], (c) => floor.dispatching(c, world)),
        check('sales-demand', 'sales demand planned by MRP into a made-to-order production order, kitted, issued through the ledger', [K, SALES_F], (c) => floor.salesDemand(c, world)),
        check('live-progress', 'live progress per workshop and operation, and the e-kanban event feed', [L], (c) => floor.liveProgress(c, world)),
      ],
      notes: () => ({ tenant: tenant.slug }),
    };
  },
};

async function materialParameters(ctx: CheckContext, w: World): Promise<void> {
  const code = w.code('M');
  const res = await w.call('POST', '/v1/materials', { code, name: 'Screw', baseUnit: 'PCS', issueType: 'backflush_operation', includeInKitting: false, productionUnit: 'PCS', defaultRouting: 'RT-FAN' });
  ctx.assert(res.status === 201, `creating a material with production parameters answered ${res.status} ${res.json?.code ?? ''}`);
  const got = (await w.call('GET', `/v1/materials/${res.json.id}`)).json;
  ctx.assert(JSON.stringify(got.production) === JSON.stringify({ issueType: 'backflush_operation', includeInKitting: false, productionUnit: 'PCS', defaultRouting: 'RT-FAN' }),
    `the material's production parameters read back as ${JSON.stringify(got.production)}`);
  const changed = await w.call('PATCH', `/v1/materials/${got.id}`, { version: got.version, issueType: 'backflush_receipt', includeInKitting: true });
  ctx.assert(changed.status === 200 && changed.json.production.issueType === 'backflush_receipt' && changed.json.production.includeInKitting === true, `changing the issue type answered ${changed.status}`);
  const unknown = await w.call('PATCH', `/v1/materials/${got.id}`, { version: changed.json.version, defaultRouting: w.code('RT') });
  ctx.assert(unknown.status === 422 && codesOf(unknown) === 'defaultRouting:UNKNOWN_ROUTING', `a default routing that does not exist answered ${unknown.status} ${codesOf(unknown)}`);
}

async function bomTypes(ctx: CheckContext, w: World): Promise<void> {
  const product = await made(w.call, '/v1/materials', { code: w.code('P'), name: 'Product', baseUnit: 'PCS' });
  for (const type of ['engineering', 'process', 'manufacturing', 'sales']) {
    const res = await w.call('POST', '/v1/boms', { materialId: product.id, type, lines: [{ materialCode: 'WIRE', quantity: '250', unit: 'G' }] });
    ctx.assert(res.status === 201 && res.json.type === type, `a ${type} BOM answered ${res.status} ${res.json?.code ?? ''}`);
    ctx.assert(res.json.lines[0].baseQuantity === '0.25' && res.json.lines[0].baseUnit === 'KG', `250 G of wire is ${res.json.lines[0].baseQuantity} ${res.json.lines[0].baseUnit}, not 0.25 KG`);
  }
  const other = await made(w.call, '/v1/materials', { code: w.code('P'), name: 'Product', baseUnit: 'PCS' });
  const inexact = await w.call('POST', '/v1/boms', { materialId: other.id, type: 'manufacturing', lines: [{ materialCode: 'WIRE', quantity: '0.5', unit: 'G' }] });
  ctx.assert(inexact.status === 422 && inexact.json.code === 'INEXACT_CONVERSION', `0.5 G of a material kept in KG (3 decimals) answered ${inexact.status} ${inexact.json?.code}`);
  const none = await w.call('GET', `/v1/boms?materialId=${other.id}`);
  ctx.assert(none.json.items.length === 0, 'a refused BOM was saved anyway');
}

async function explosion(ctx: CheckContext, w: World): Promise<void> {
  const res = await w.call('GET', `/v1/materials/${w.ids.FAN}/bom-explosion?quantity=10&date=2026-03-02`);
  ctx.assert(res.status === 200, `the explosion answered ${res.status}`);
  const rows = res.json.items.map((i: any) => `${i.level}:${i.materialCode}=${i.quantity}`);
  const expected = ['1:MOTOR=10', '2:STATOR=10', '3:CORE=10', '4:STEEL=0.42', '3:WIRE=1.53', '1:SCREW=40', '1:BLADE=31.5'];
  ctx.record('explosion', rows);
  ctx.assert(JSON.stringify(rows) === JSON.stringify(expected), `the explosion of 10 fans is ${rows.join(', ')}, not ${expected.join(', ')}`);
  const blade = res.json.items.find((i: any) => i.materialCode === 'BLADE');
  ctx.assert(blade.roundedQuantity === '32', `31.5 blades round up to ${blade.roundedQuantity}, not 32`);
  const screw = res.json.items.find((i: any) => i.materialCode === 'SCREW');
  ctx.assert(JSON.stringify(screw.viaPhantoms) === '["KIT"]', 'the phantom KIT was not blown through');
  const used = await w.call('GET', `/v1/materials/${w.ids.STEEL}/where-used?date=2026-03-02`);
  const parents = used.json.items.map((i: any) => `${i.level}:${i.materialCode}`);
  ctx.assert(JSON.stringify(parents) === JSON.stringify(['1:CORE', '2:STATOR', '3:MOTOR', '4:FAN']), `steel is used in ${parents.join(', ')}`);
}

async function cycle(ctx: CheckContext, w: World): Promise<void> {
  const res = await w.call('POST', '/v1/boms', { materialCode: 'CORE', type: 'manufacturing', effectiveFrom: '2027-01-01', lines: [{ materialCode: 'FAN', quantity: '1' }] });
  ctx.record('response', { status: res.status, code: res.json?.code, cycle: res.json?.cycle });
  ctx.assert(res.status === 422 && res.json.code === 'BOM_CYCLE', `a BOM closing a cycle answered ${res.status} ${res.json?.code}`);
  ctx.assert(String(res.json.detail).includes('CORE → FAN → MOTOR → STATOR → CORE'), `the refusal does not name the path: ${res.json.detail}`);
}

async function immutable(ctx: CheckContext, w: World): Promise<void> {
  const product = await made(w.call, '/v1/materials', { code: w.code('P'), name: 'Product', baseUnit: 'PCS' });
  const r1 = await released(w.call, '/v1/boms', { materialId: product.id, type: 'manufacturing', effectiveFrom: '2026-01-01', lines: [{ materialCode: 'SCREW', quantity: '2' }] });
  const patch = await w.call('PATCH', `/v1/boms/${r1.id}`, { version: r1.version, lines: [{ materialCode: 'SCREW', quantity: '3' }] });
  ctx.assert(patch.status === 409 && patch.json.code === 'RELEASED_IMMUTABLE', `changing a released BOM answered ${patch.status} ${patch.json?.code}`);
  await released(w.call, '/v1/boms', { materialId: product.id, type: 'manufacturing', effectiveFrom: '2026-06-01', lines: [{ materialCode: 'SCREW', quantity: '3' }] });
  const old = (await w.call('GET', `/v1/boms/${r1.id}`)).json;
  ctx.assert(old.status === 'obsolete' && old.effectiveTo === '2026-06-01' && old.lines[0].quantity === '2', `the superseded revision is ${old.status} until ${old.effectiveTo} with ${old.lines[0].quantity}`);
  const screws = async (date: string) => (await w.call('GET', `/v1/materials/${product.id}/bom-explosion?date=${date}`)).json.items[0]?.quantity;
  ctx.assert((await screws('2026-05-31')) === '2' && (await screws('2026-06-01')) === '3', 'explosions do not follow the revision in effect on their date');
}

async function routing(ctx: CheckContext, w: World): Promise<void> {
  const code = w.code('RT');
  const res = await w.call('POST', '/v1/routings', {
    code, name: 'Motor', operations: [
      { seq: 10, name: 'Wind', workCentreCode: 'WC-ASM', setupMinutes: '15', runMinutes: '4.5', queueMinutes: '30', alternates: [{ workCentreCode: 'WC-ASM2', runMinutes: '6' }] },
      { seq: 20, name: 'Test', workCentreCode: 'WC-ASM', runMinutes: '0.5', inspectionPoint: true, inspectionText: 'insulation 500 V' },
    ],
  });
  ctx.assert(res.status === 201, `creating a routing answered ${res.status} ${res.json?.code ?? ''}`);
  const got = (await w.call('GET', `/v1/routings/${res.json.id}`)).json;
  const ops = got.operations.map((o: any) => `${o.seq}@${o.workCentreCode}:${o.setupMinutes}+${o.runMinutes}/u q${o.queueMinutes}${o.inspectionPoint ? ` inspect(${o.inspectionText})` : ''}`);
  ctx.record('operations', ops);
  ctx.assert(JSON.stringify(ops) === JSON.stringify(['10@WC-ASM:15+4.5/u q30', '20@WC-ASM:0+0.5/u q0 inspect(insulation 500 V)']), `the routing reads back as ${ops.join(', ')}`);
  ctx.assert(got.operations[0].alternates[0]?.workCentreCode === 'WC-ASM2', 'the alternate work centre was not kept');
  const bad = await w.call('POST', '/v1/routings', { code: w.code('RT'), name: 'Bad', operations: [{ seq: 10, name: 'x', workCentreCode: 'WC-ASM', runMinutes: '1', inspectionPoint: true }] });
  ctx.assert(bad.status === 422 && codesOf(bad) === 'operations[0].inspectionText:INSPECTION_UNDEFINED', `an inspection point without what to inspect answered ${bad.status} ${codesOf(bad)}`);
}

async function drawings(ctx: CheckContext, w: World): Promise<void> {
  const d = await made(w.call, '/v1/drawings', { code: w.code('DWG'), name: 'Fan', kind: 'product', materialCode: 'FAN' });
  const pdf = new TextEncoder().encode('%PDF-1.4\n1 0 obj << >> endobj\n%%EOF\n');
  const up = await w.call('POST', `/v1/drawings/${d.id}/revisions?fileName=fan.pdf`, pdf, { 'content-type': 'application/pdf' });
  ctx.assert(up.status === 201 && up.json.revisions[0].contentType === 'application/pdf', `uploading a PDF answered ${up.status} ${up.json?.code ?? ''}`);
  const sha = createHash('sha256').update(pdf).digest('hex');
  ctx.assert(up.json.revisions[0].sha256 === sha, 'the recorded hash is not the SHA-256 of the file');
  const view = await w.call('GET', `/v1/drawings/${d.id}/content`);
  ctx.assert(view.status === 200 && view.headers.get('content-type') === 'application/pdf', `viewing answered ${view.status} ${view.headers.get('content-type')}`);
  ctx.assert(Buffer.from(view.bytes).equals(Buffer.from(pdf)), 'the file read back differs from the one uploaded');
  const listed = (await w.call('GET', `/v1/drawings?materialId=${w.ids.FAN}`)).json.items.map((x: any) => x.code);
  ctx.assert(listed.includes(d.code), 'the drawing is not found by its product');
  const lie = await w.call('POST', `/v1/drawings/${d.id}/revisions`, pdf, { 'content-type': 'image/png' });
  ctx.assert(lie.status === 422 && lie.json.code === 'DRAWING_TYPE_MISMATCH', `a PDF declared as PNG answered ${lie.status} ${lie.json?.code}`);
}

async function orderByHand(ctx: CheckContext, w: World): Promise<void> {
  const body = { materialCode: 'FAN', quantity: '12', workshopCode: 'WS-ASM', lineCode: 'L1', plannedStart: '2026-03-02', plannedFinish: '2026-03-04', dueDate: '2026-03-06', remark: w.code('MO') };
  const res = await w.call('POST', '/v1/production-orders', body);
  ctx.assert(res.status === 201, `creating an order by hand answered ${res.status} ${res.json?.code ?? ''} ${codesOf(res)}`);
  const o = (await w.call('GET', `/v1/production-orders/${res.json.id}`)).json;
  const shown = { material: o.materialCode, quantity: o.baseQuantity, workshop: o.workshopCode, line: o.lineCode, start: o.plannedStart, finish: o.plannedFinish, source: o.source };
  ctx.record('order', shown);
  ctx.assert(JSON.stringify(shown) === JSON.stringify({ material: 'FAN', quantity: '12', workshop: 'WS-ASM', line: 'L1', start: '2026-03-02', finish: '2026-03-04', source: 'manual' }), `the order reads back as ${JSON.stringify(shown)}`);
  const listed = (await w.call('GET', `/v1/production-orders?workshopId=${w.ids.workshop}&dueFrom=2026-03-06&dueTo=2026-03-06`)).json.items.map((x: any) => x.id);
  ctx.assert(listed.includes(o.id), 'the order is not listed by its workshop and due date');
  const rel = await w.call('POST', `/v1/production-orders/${o.id}/release`, { version: o.version });
  ctx.assert(rel.status === 200 && rel.json.operations.length === 2 && rel.json.components.length === 3, `releasing answered ${rel.status} ${rel.json?.code ?? ''}`);
  const bad = await w.call('POST', '/v1/production-orders', { ...body, plannedFinish: '2026-03-01', lineCode: 'NO-SUCH-LINE' });
  ctx.assert(bad.status === 422 && codesOf(bad) === 'lineCode:UNKNOWN_LINE plannedFinish:FINISH_BEFORE_START', `a bad order answered ${bad.status} ${codesOf(bad)}`);
}
