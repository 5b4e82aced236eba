/**
 * Quality (S1-5.4.5-a, -b, -c, -e, -f), checked through the HTTP API only: standards with
 * quantitative and qualitative items per product class, plans per inspection type, the GB/T
 * 2828.1 tables, inspection orders of every type (incoming from a purchase receipt), automatic
 * judgement good / defective / scrap with bad input refused and nothing written, review with a
 * reason, dispositions (concession, return, quarantine, scrap, rework) seen in the ledger, and
 * the quality reports (-f): defect Pareto, first-pass yield, X̄-R chart; a final inspection order
 * started by a production receipt made through the API (-b).
 *
 * `prepare` builds one tenant's units, warehouses, supplier, defect codes, a standard and plans;
 * every check makes its own materials, lots and inspections, so checks run in any order.
 */
import type { HttpResponse } from '../http.js';
import type { TestTenant } from '../tenants.js';
import type { Check, CheckContext, Suite, SuiteContext, SuitePlan } from '../types.js';

const A = 'S1-5.4.5-a';
const B = 'S1-5.4.5-b';
const C = 'S1-5.4.5-c';
const E = 'S1-5.4.5-e';
const F = 'S1-5.4.5-f';

type Call = (method: string, path: string, body?: unknown, headers?: Record<string, string>) => Promise<HttpResponse>;

interface World {
  tenant: TestTenant;
  call: Call;
  code(prefix: string): string;
  ids: Record<string, string>;
  /** The product class the prepared standard and plans apply to. */
  category: string;
}

const codesOf = (res: HttpResponse) => (res.json?.errors ?? []).map((e: { field: string; code: string }) => `${e.field}:${e.code}`).sort().join(' ');

async function made(call: Call, path: string, body: unknown): Promise<any> {
  const res = await call('POST', path, body);
  if (res.status !== 201 && res.status !== 200) throw new Error(`POST ${path}: ${res.status} ${res.text.slice(0, 300)}`);
  return res.json;
}

/** Every item of every sample: the first `bad` have the diameter out of limits, the next `cracked` a crack. */
function results(n: number, bad = 0, cracked = 0) {
  return Array.from({ length: n }, (_, k) => [
    { sampleNo: k + 1, itemCode: 'DIA', value: k < bad ? '10.07' : '10.01', unit: 'mm' },
    k >= bad && k < bad + cracked ? { sampleNo: k + 1, itemCode: 'SURFACE', passed: false, defectCode: 'CRACK' } : { sampleNo: k + 1, itemCode: 'SURFACE', passed: true },
  ]).flat();
}

export const qualitySuite: Suite = {
  id: 'quality',
  title: 'Quality: standards, plans, AQL sampling, inspections, judgement and disposition',
  proves: [A, B, C, E, F],
  async prepare(ctx: SuiteContext): Promise<SuitePlan> {
    const tenant = await ctx.tenants.create('quality');
    const call: Call = (method, path, body, headers) => ctx.target.request(method, path, { key: tenant.adminKey, body, headers });
    const tag = `QA${ctx.config.runId.slice(0, 6).toUpperCase()}`;
    let n = 0;
    const world: World = { tenant, call, code: (prefix) => `${prefix}-${tag}-${++n}`, ids: {}, category: `shafts-${tag}` };
    await made(call, '/v1/units', { code: 'PCS', name: 'Pieces', decimals: 0 });
    world.ids.main = (await made(call, '/v1/warehouses', { code: world.code('MAIN'), name: 'Main' })).id;
    world.ids.quarantine = (await made(call, '/v1/warehouses', { code: world.code('QUAR'), name: 'Quarantine', kind: 'quarantine' })).id;
    world.ids.supplier = (await made(call, '/v1/suppliers', { code: world.code('SUP'), name: 'Steel Co' })).id;
    for (const [code, severity] of [['DIA-OOT', 'major'], ['CRACK', 'critical'], ['SCRATCH', 'minor']]) await made(call, '/v1/quality-defect-codes', { code, name: code, severity });
    world.ids.standard = (await made(call, '/v1/quality-standards', {
      code: world.code('STD'), name: 'Shafts', materialCategory: world.category,
      items: [
        { code: 'DIA', name: 'Diameter', kind: 'quantitative', nominal: '10.00', lowerLimit: '9.95', upperLimit: '10.05', unit: 'mm', decimals: 2, defectCode: 'DIA-OOT', instrument: 'micrometer' },
        { code: 'SURFACE', name: 'Surface', kind: 'qualitative', defectCode: 'SCRATCH', method: 'visual' },
      ],
    })).id;
    const plan = async (type: string, extra: Record<string, unknown>) =>
      (await made(call, '/v1/quality-plans', { code: world.code(type.toUpperCase()), name: type, inspectionType: type, standardId: world.ids.standard, ...extra })).id as string;
    world.ids.incoming = await plan('incoming', { sampling: 'aql', aql: '1.0', inspectionLevel: 'II' });
    world.ids.final = await plan('final', { sampling: 'fixed', sampleSize: 5, acceptNumber: 0 });
    world.ids.first_article = await plan('first_article', { sampling: 'fixed', sampleSize: 3 });
    world.ids.patrol = await plan('patrol', { sampling: 'fixed', sampleSize: 2, itemCodes: ['DIA'], everyHours: '2' });
    world.ids.in_process = await plan('in_process', { sampling: 'full', itemCodes: ['DIA'] });
    ctx.log(`tenant ${tenant.slug}: defect codes, a standard for ${world.category} and a plan per inspection type`);
    const check = (id: string, title: string, clauses: string[], run: (c: CheckContext) => Promise<void>): Check => ({ id: `quality/${id}`, title, clauses, run });
    return {
      checks: [
        check('standards-and-plans', 'standards per product class with quantitative and qualitative items; plans per inspection type; inconsistent items refused', [A], (c) => standardsAndPlans(c, world)),
        check('aql-tables', 'GB/T 2828.1 code letters and single sampling plans (normal, tightened, reduced), arrows followed', [A], (c) => aqlTables(c, world)),
        check('inspection-types', 'inspection orders of every type: incoming from a purchase receipt, in-process, final, first-article, patrol', [B], (c) => inspectionTypes(c, world)),
        check('inspections-from-events', 'a final inspection order appears when a production receipt brings the product into stock, once however often the receipt is replayed', [B], (c) => fromEvents(c, world)),
        check('judgement', 'automatic judgement good / defective / scrap with the reason; bad results refused with nothing written; review only with a reason', [C], (c) => judgement(c, world)),
        check('reports', 'defect Pareto, first-pass yield and an X̄-R chart with limits and Western Electric flags over judged inspections', [F], (c) => qualityReports(c, world)),
        check('drawing-revision', 'a defect found by an inspection requests a revision of the product\'s drawing; accepted, done only with a newer revision, rejected with a note; listed per drawing; an unfound defect or unlinked drawing refused', [E], (c) => drawingRevision(c, world)),
        check('disposition', 'rejected lots: concession with approval and return to the supplier (purchasing), quarantine and scrap through the ledger; beyond the rejected quantity refused', [E, C], (c) => disposition(c, world)),
      ],
      notes: () => ({ tenant: tenant.slug }),
    };
  },
};

async function material(w: World): Promise<{ id: string; code: string }> {
  return made(w.call, '/v1/materials', { code: w.code('SHAFT'), name: 'Shaft', baseUnit: 'PCS', category: w.category });
}

async function receipt(w: World, materialId: string, quantity: string): Promise<any> {
  const o = await made(w.call, '/v1/purchase-orders', { supplierId: w.ids.supplier, lines: [{ materialId, quantity }] });
  await made(w.call, `/v1/purchase-orders/${o.id}/approve`, { version: o.version });
  return made(w.call, '/v1/purchase-receipts', { orderId: o.id });
}

async function standardsAndPlans(ctx: CheckContext, w: World): Promise<void> {
  const std = (await w.call('GET', `/v1/quality-standards/${w.ids.standard}`)).json;
  const items = std.items.map((i: any) => `${i.code}:${i.kind}:${i.lowerLimit ?? ''}..${i.upperLimit ?? ''}${i.unit ?? ''}/${i.decimals ?? ''}:${i.defectCode}`);
  ctx.record('items', items);
  ctx.assert(std.materialCategory === w.category, `the standard applies to ${std.materialCategory}, not the product class ${w.category}`);
  ctx.assert(JSON.stringify(items) === JSON.stringify(['DIA:quantitative:9.95..10.05mm/2:DIA-OOT', 'SURFACE:qualitative:../:SCRATCH']), `the items read back as ${items.join(', ')}`);
  const bad = await w.call('POST', '/v1/quality-standards', {
    code: w.code('STD'), name: 'Bad', materialCategory: w.category,
    items: [{ code: 'LEN', name: 'Length', kind: 'quantitative', lowerLimit: '5.123', unit: 'mm', decimals: 2 }, { code: 'LOOK', name: 'Look', kind: 'qualitative', upperLimit: '3' }],
  });
  ctx.assert(bad.status === 422 && codesOf(bad) === 'items[0].lowerLimit:TOO_MANY_DECIMALS items[1].upperLimit:NOT_QUANTITATIVE', `inconsistent items answered ${bad.status} ${codesOf(bad)}`);
  const types = new Set<string>();
  for (const type of ['incoming', 'in_process', 'final', 'first_article', 'patrol']) {
    const p = (await w.call('GET', `/v1/quality-plans/${w.ids[type]}`)).json;
    if (p.inspectionType === type && p.standardId === w.ids.standard) types.add(type);
  }
  ctx.assert(types.size === 5, `plans per type read back for ${[...types].join(', ')}`);
  const patrol = (await w.call('GET', `/v1/quality-plans/${w.ids.patrol}`)).json;
  ctx.assert(patrol.everyHours === '2' && JSON.stringify(patrol.itemCodes) === '["DIA"]', `the patrol plan reads back every ${patrol.everyHours} hours with ${patrol.itemCodes}`);
  const noInterval = await w.call('POST', '/v1/quality-plans', { code: w.code('PATROL'), name: 'x', inspectionType: 'patrol', standardId: w.ids.standard, sampling: 'fixed', sampleSize: 2 });
  ctx.assert(noInterval.status === 422 && codesOf(noInterval) === 'everyHours:REQUIRED', `a patrol plan without an interval answered ${noInterval.status} ${codesOf(noInterval)}`);
  // Items change in versions: the old set stays readable for the inspections that used it.
  const own = await made(w.call, '/v1/quality-standards', { code: w.code('STD'), name: 'Versioned', materialCategory: w.category, items: [{ code: 'SURFACE', name: 'Surface', kind: 'qualitative' }] });
  const next = await w.call('PUT', `/v1/quality-standards/${own.id}/items`, { version: own.version, items: [{ code: 'SURFACE', name: 'Surface', kind: 'qualitative' }, { code: 'BURR', name: 'Burr-free', kind: 'qualitative' }] });
  ctx.assert(next.status === 200 && next.json.itemsVersion === 2 && next.json.items.length === 2, `changing the items answered ${next.status} items version ${next.json?.itemsVersion}`);
  const first = (await w.call('GET', `/v1/quality-standards/${own.id}?itemsVersion=1`)).json;
  ctx.assert(first?.itemsVersion === 1 && first.items.length === 1, `items version 1 reads ${JSON.stringify(first?.items?.map((i: any) => i.code))}`);
}

async function aqlTables(ctx: CheckContext, w: World): Promise<void> {
  const cases: [string, string][] = [
    ['lotSize=1000&aql=1.0&level=II', 'J/J n80 Ac2 Re3'],
    ['lotSize=1000&aql=1.0&level=II&severity=tightened', 'J/J n80 Ac1 Re2'],
    ['lotSize=1000&aql=1.0&level=II&severity=reduced', 'J/J n32 Ac1 Re2'],
    ['lotSize=400&aql=0.40&level=II', 'H/G n32 Ac0 Re1'],
    ['lotSize=400&aql=0.65&level=II', 'H/J n80 Ac1 Re2'],
    ['lotSize=5000&aql=2.5&level=II', 'L/L n200 Ac10 Re11'],
    ['lotSize=10000&aql=4.0&level=S-4', 'G/G n32 Ac3 Re4'],
  ];
  for (const [q, want] of cases) {
    const p = (await w.call('GET', `/v1/quality-sampling-plan?${q}`)).json;
    const got = `${p.codeLetter}/${p.planLetter} n${p.sampleSize} Ac${p.ac} Re${p.re}`;
    ctx.assert(got === want, `${q}: ${got}, not ${want}`);
  }
}

async function inspectionTypes(ctx: CheckContext, w: World): Promise<void> {
  const m = await material(w);
  const r = await receipt(w, m.id, '1000');
  const incoming = await w.call('POST', `/v1/purchase-receipts/${r.id}/quality-inspections`, {});
  ctx.assert(incoming.status === 201 && incoming.json.items.length === 1, `inspections from a receipt answered ${incoming.status} ${incoming.json?.code ?? ''}`);
  const i = incoming.json.items[0];
  ctx.assert(i.inspectionType === 'incoming' && i.receiptLineId === r.lines[0].id && i.lotSize === '1000' && i.sampleSize === 80 && i.acceptNumber === 2 && i.rejectNumber === 3,
    `the incoming inspection is ${i.inspectionType} of ${i.lotSize} with n=${i.sampleSize} Ac ${i.acceptNumber} Re ${i.rejectNumber}`);
  const sizes: string[] = [];
  for (const type of ['in_process', 'final', 'first_article', 'patrol']) {
    const res = await w.call('POST', '/v1/quality-inspections', { planId: w.ids[type], materialId: m.id, lotSize: '20', warehouseId: w.ids.main });
    ctx.assert(res.status === 201 && res.json.inspectionType === type, `a ${type} inspection answered ${res.status} ${res.json?.code ?? ''} ${codesOf(res)}`);
    sizes.push(`${type}:${res.json?.sampleSize}`);
  }
  ctx.record('sample sizes', sizes);
  ctx.assert(sizes.join(' ') === 'in_process:20 final:5 first_article:3 patrol:2', `sample sizes by plan: ${sizes.join(' ')}`);
  const listed = (await w.call('GET', `/v1/quality-inspections?materialId=${m.id}`)).json.items.map((x: any) => x.inspectionType).sort();
  ctx.assert(listed.join(',') === 'final,first_article,in_process,incoming,patrol', `listed: ${listed.join(',')}`);
  const wrong = await w.call('POST', '/v1/quality-inspections', { planId: w.ids.incoming, materialId: m.id, lotSize: '20' });
  ctx.assert(wrong.status === 422 && codesOf(wrong) === 'planId:PLAN_TYPE_MISMATCH', `an incoming plan without a receipt line answered ${wrong.status} ${codesOf(wrong)}`);
}

/** A production order of a shaft, received through the API: the final plan for the category starts an inspection of the lot. */
async function fromEvents(ctx: CheckContext, w: World): Promise<void> {
  const m = await material(w);
  const calendar = await made(w.call, '/v1/calendars', { code: w.code('CAL'), name: 'Standard', shifts: [1, 2, 3, 4, 5].map((weekday) => ({ weekday, name: 'Day', start: '08:00', end: '17:00', breakMinutes: 60 })) });
  const plant = await made(w.call, '/v1/plants', { code: w.code('PLANT'), name: 'Plant', calendarId: calendar.id });
  const workshop = await made(w.call, '/v1/workshops', { code: w.code('WS'), name: 'Workshop', plantId: plant.id });
  const planned = await made(w.call, '/v1/production-orders', { materialId: m.id, quantity: '20', workshopCode: workshop.code, plannedStart: '2026-03-02', plannedFinish: '2026-03-06' });
  const order = await made(w.call, `/v1/production-orders/${planned.id}/release`, { version: planned.version });
  const before = (await w.call('GET', `/v1/quality-inspections?productionOrderId=${order.id}`)).json.items.length;
  const key = `conf-${w.code('RCPT')}`;
  const receive = () => w.call('POST', `/v1/production-orders/${order.id}/receipts`, { warehouseId: w.ids.main, lines: [{ quantity: '20' }] }, { 'Idempotency-Key': key });
  const first = await receive();
  ctx.assert(first.status === 201, `the production receipt answered ${first.status} ${first.text.slice(0, 200)}`);
  const again = await receive();
  ctx.assert(again.status === 201 && again.json?.id === first.json?.id, `the replayed receipt answered ${again.status} ${again.json?.id}`);
  const found = (await w.call('GET', `/v1/quality-inspections?productionOrderId=${order.id}`)).json.items;
  ctx.record('inspections from the receipt', found.map((i: any) => ({ docNo: i.docNo, type: i.inspectionType, trigger: i.trigger, lot: i.lotSize, sample: i.sampleSize })));
  ctx.assert(before === 0 && found.length === 1, `${found.length} inspections of the order after the receipt (before: ${before})`);
  const i = found[0];
  ctx.assert(i?.inspectionType === 'final' && i.trigger === 'production_receipt' && i.productionReceiptId === first.json.id && i.lotSize === '20' && i.sampleSize === 5 && i.warehouseId === w.ids.main,
    `the inspection is ${i?.inspectionType} (${i?.trigger}) of ${i?.lotSize} with n=${i?.sampleSize} in ${i?.warehouseId}`);
}

async function judgement(ctx: CheckContext, w: World): Promise<void> {
  const m = await material(w);
  const make = async () => made(w.call, '/v1/quality-inspections', { planId: w.ids.final, materialId: m.id, lotSize: '100' });
  const good = await make();
  const short = await w.call('POST', `/v1/quality-inspections/${good.id}/results`, { results: results(4) });
  ctx.assert(short.status === 422 && codesOf(short) === 'results:SAMPLE_COUNT_MISMATCH', `4 of 5 samples answered ${short.status} ${codesOf(short)}`);
  const off = results(5);
  off[0] = { sampleNo: 1, itemCode: 'DIA', value: '10.012', unit: 'mm' };
  off[2] = { sampleNo: 2, itemCode: 'DIA', value: '0.01', unit: 'm' };
  const badValues = await w.call('POST', `/v1/quality-inspections/${good.id}/results`, { results: off });
  ctx.assert(badValues.status === 422 && codesOf(badValues) === 'results[0].value:TOO_MANY_DECIMALS results[2].unit:UNIT_MISMATCH', `values beyond decimals and unit answered ${badValues.status} ${codesOf(badValues)}`);
  const untouched = (await w.call('GET', `/v1/quality-inspections/${good.id}`)).json;
  ctx.assert(untouched.status === 'open' && untouched.results.length === 0, `refused results left ${untouched.results.length} results, status ${untouched.status}`);
  const verdicts: string[] = [];
  const judged = await made(w.call, `/v1/quality-inspections/${good.id}/results`, { results: results(5) });
  verdicts.push(judged.judgement);
  const defective = await made(w.call, `/v1/quality-inspections/${(await make()).id}/results`, { results: results(5, 1) });
  verdicts.push(defective.judgement);
  const scrap = await made(w.call, `/v1/quality-inspections/${(await make()).id}/results`, { results: results(5, 0, 1) });
  verdicts.push(scrap.judgement);
  ctx.record('judgements', { verdicts, reasons: [judged.judgementReason, defective.judgementReason, scrap.judgementReason] });
  ctx.assert(verdicts.join(' ') === 'good defective scrap', `0 defective, 1 out of limits and 1 cracked judged ${verdicts.join(' ')}`);
  ctx.assert(/1 of 5 pieces defective ≥ Re 1/.test(defective.judgementReason) && /CRACK/.test(scrap.judgementReason), `reasons: ${defective.judgementReason} / ${scrap.judgementReason}`);
  ctx.assert(!!defective.judgedBy && !!defective.judgedAt, 'who judged and when are not recorded');
  const noReason = await w.call('POST', `/v1/quality-inspections/${defective.id}/review`, { judgement: 'good', reason: '', version: defective.version });
  ctx.assert(noReason.status === 400 || noReason.status === 422, `a review without a reason answered ${noReason.status}`);
  const review = await w.call('POST', `/v1/quality-inspections/${defective.id}/review`, { judgement: 'good', reason: 'gauge out of calibration', version: defective.version });
  ctx.assert(review.status === 200 && review.json.judgement === 'good' && review.json.automaticJudgement === 'defective' && review.json.reviewReason === 'gauge out of calibration' && !!review.json.reviewedBy,
    `the review answered ${review.status} ${review.json?.judgement} (automatic ${review.json?.automaticJudgement}, reason ${review.json?.reviewReason})`);
}

async function drawingRevision(ctx: CheckContext, w: World): Promise<void> {
  const m = await material(w);
  const i = await made(w.call, '/v1/quality-inspections', { planId: w.ids.final, materialId: m.id, lotSize: '100' });
  await made(w.call, `/v1/quality-inspections/${i.id}/results`, { results: results(5, 1) });
  const drawing = await made(w.call, '/v1/drawings', { code: w.code('DWG'), name: 'Shaft', kind: 'product', materialId: m.id });
  const unlinked = await made(w.call, '/v1/drawings', { code: w.code('DWG'), name: 'Other', kind: 'inspection', inspectionRef: w.code('NOPLAN') });
  const path = `/v1/quality-inspections/${i.id}/drawing-revision-requests`;
  const notFound = await w.call('POST', path, { drawingId: drawing.id, defectCode: 'CRACK', reason: 'x' });
  ctx.assert(notFound.status === 422 && codesOf(notFound) === 'defectCode:DEFECT_NOT_FOUND', `a defect the inspection did not find answered ${notFound.status} ${codesOf(notFound)}`);
  const other = await w.call('POST', path, { drawingId: unlinked.id, defectCode: 'DIA-OOT', reason: 'x' });
  ctx.assert(other.status === 422 && codesOf(other) === 'drawingId:DRAWING_NOT_LINKED', `a drawing of something else answered ${other.status} ${codesOf(other)}`);
  const res = await w.call('POST', path, { drawingId: drawing.id, defectCode: 'DIA-OOT', reason: 'tighten the diameter tolerance' });
  const r = res.json;
  ctx.assert(res.status === 201 && r.state === 'requested' && r.inspectionId === i.id && r.defectCode === 'DIA-OOT' && r.revisionAtRequest === 0, `the request answered ${res.status} ${JSON.stringify(r)}`);
  const accepted = await w.call('PATCH', `/v1/drawing-revision-requests/${r.id}`, { version: r.version, state: 'accepted' });
  ctx.assert(accepted.status === 200 && accepted.json.state === 'accepted', `accepting answered ${accepted.status} ${accepted.json?.state}`);
  const early = await w.call('PATCH', `/v1/drawing-revision-requests/${r.id}`, { version: accepted.json.version, state: 'done' });
  ctx.assert(early.status === 409 && early.json?.code === 'NO_NEW_REVISION', `done without a new revision answered ${early.status} ${early.json?.code}`);
  const rejected = await w.call('PATCH', `/v1/drawing-revision-requests/${r.id}`, { version: accepted.json.version, state: 'rejected', note: 'tolerance is set by the customer' });
  ctx.assert(rejected.status === 200 && rejected.json.state === 'rejected' && rejected.json.decisionNote === 'tolerance is set by the customer', `rejecting answered ${rejected.status} ${rejected.json?.state}`);
  const listed = (await w.call('GET', `/v1/drawings/${drawing.id}/revision-requests`)).json?.items ?? [];
  ctx.assert(listed.length === 1 && listed[0].id === r.id && (await w.call('GET', `/v1/drawing-revision-requests/${r.id}`)).json?.state === 'rejected', `the drawing lists ${JSON.stringify(listed.map((x: any) => x.state))}`);
}

async function disposition(ctx: CheckContext, w: World): Promise<void> {
  const balances = async (materialId: string) =>
    (await w.call('GET', `/v1/stock/balances?materialId=${materialId}`)).json.items.map((b: any) => `${b.warehouseId === w.ids.main ? 'MAIN' : b.warehouseId === w.ids.quarantine ? 'QUAR' : b.warehouseId}:${b.quantity}`).sort();
  // Incoming: 3 of 80 defective rejects the lot of 1000.
  const m = await material(w);
  const r = await receipt(w, m.id, '1000');
  const [i] = (await made(w.call, `/v1/purchase-receipts/${r.id}/quality-inspections`, {})).items;
  const judged = await made(w.call, `/v1/quality-inspections/${i.id}/results`, { results: results(80, 3) });
  ctx.assert(judged.judgement === 'defective' && judged.rejectedQuantity === '1000', `3 of 80 judged ${judged.judgement}, rejecting ${judged.rejectedQuantity}`);
  const over = await w.call('POST', `/v1/quality-inspections/${i.id}/dispositions`, { lines: [{ kind: 'return', quantity: '1001' }] });
  ctx.assert(over.status === 422 && codesOf(over) === 'lines[0].quantity:DISPOSITION_EXCEEDS_REJECTED', `returning more than rejected answered ${over.status} ${codesOf(over)}`);
  const unapproved = await w.call('POST', `/v1/quality-inspections/${i.id}/dispositions`, { lines: [{ kind: 'concession', quantity: '10', warehouseId: w.ids.main, reason: 'cosmetic' }] });
  ctx.assert(unapproved.status === 422 && codesOf(unapproved) === 'lines[0].approvedBy:CONCESSION_NEEDS_APPROVAL', `a concession without approval answered ${unapproved.status} ${codesOf(unapproved)}`);
  ctx.assert((await balances(m.id)).length === 0, 'refused dispositions moved stock');
  const done = await w.call('POST', `/v1/quality-inspections/${i.id}/dispositions`, {
    lines: [
      { kind: 'concession', quantity: '200', warehouseId: w.ids.main, approvedBy: 'QA manager', reason: 'within assembly tolerance' },
      { kind: 'quarantine', quantity: '100', warehouseId: w.ids.quarantine },
      { kind: 'return', quantity: '700' },
    ],
  });
  ctx.assert(done.status === 200 && done.json.status === 'closed', `disposing answered ${done.status} ${done.json?.code ?? ''} ${codesOf(done)}`);
  const afterIncoming = await balances(m.id);
  ctx.record('incoming balances', afterIncoming);
  ctx.assert(afterIncoming.join(' ') === 'MAIN:200 QUAR:100', `after concession and quarantine the stock is ${afterIncoming.join(' ')}`);
  const ret = (await w.call('GET', `/v1/purchase-returns/${done.json.dispositions[2].purchaseReturnId}`)).json;
  ctx.assert(ret?.lines?.[0]?.baseQuantity === '700', `the purchase return carries ${ret?.lines?.[0]?.baseQuantity}, not 700`);
  const line = (await w.call('GET', `/v1/purchase-receipts/${r.id}`)).json.lines[0];
  ctx.assert(line.accepted === '300' && line.rejected === '700' && line.pending === '0', `the receipt line reads accepted ${line.accepted}, rejected ${line.rejected}, pending ${line.pending}`);

  // In stock: a cracked sample scraps the lot; scrap and quarantine through the ledger; rework on a production order.
  const s = await material(w);
  await made(w.call, '/v1/stock-documents', { type: 'other_in', post: true, lines: [{ materialId: s.id, warehouseId: w.ids.main, quantity: '100' }] });
  const f = await made(w.call, '/v1/quality-inspections', { planId: w.ids.final, materialId: s.id, lotSize: '100', warehouseId: w.ids.main });
  const scrapped = await made(w.call, `/v1/quality-inspections/${f.id}/results`, { results: results(5, 0, 1) });
  ctx.assert(scrapped.judgement === 'scrap', `a cracked piece judged ${scrapped.judgement}`);
  const rework = await w.call('POST', `/v1/quality-inspections/${f.id}/dispositions`, { lines: [{ kind: 'rework', quantity: '10' }] });
  ctx.assert(rework.status === 422 && codesOf(rework) === 'lines[0].productionOrderId:REQUIRED', `rework without a production order answered ${rework.status} ${codesOf(rework)}`);
  const moved = await w.call('POST', `/v1/quality-inspections/${f.id}/dispositions`, { lines: [{ kind: 'scrap', quantity: '60', reason: 'cracked' }, { kind: 'quarantine', quantity: '40', warehouseId: w.ids.quarantine }] });
  ctx.assert(moved.status === 200 && moved.json.status === 'closed', `scrap and quarantine answered ${moved.status} ${moved.json?.code ?? ''} ${codesOf(moved)}`);
  const movements = (await w.call('GET', `/v1/stock/movements?materialId=${s.id}`)).json.items.map((x: any) => `${x.type}:${x.quantity}`).sort();
  ctx.record('in-stock movements', movements);
  ctx.assert(['other_out:-60', 'transfer_in:40', 'transfer_out:-40'].every((x) => movements.includes(x)), `the ledger shows ${movements.join(' ')}`);
  const left = (await balances(s.id)).filter((b: string) => !b.endsWith(':0'));
  ctx.assert(left.join(' ') === 'QUAR:40', `after scrap and quarantine the stock is ${left.join(' ')}`);
}

async function qualityReports(ctx: CheckContext, w: World): Promise<void> {
  const from = new Date(Date.now() - 60_000).toISOString();
  const m = await material(w);
  const plan = await made(w.call, '/v1/quality-plans', { code: w.code('FQC'), name: 'chart', inspectionType: 'final', standardId: w.ids.standard, sampling: 'fixed', sampleSize: 4, acceptNumber: 1 });
  const series = [['10.00', '10.02', '10.01', '9.99'], ['10.03', '10.03', '10.01', '10.01'], ['9.97', '10.00', '10.06', '9.97']];
  const verdicts: string[] = [];
  for (const values of series) {
    const i = await made(w.call, '/v1/quality-inspections', { planId: plan.id, materialId: m.id, lotSize: '40' });
    const judged = await made(w.call, `/v1/quality-inspections/${i.id}/results`, {
      results: values.flatMap((v, k) => [{ sampleNo: k + 1, itemCode: 'DIA', value: v }, { sampleNo: k + 1, itemCode: 'SURFACE', passed: true }]),
    });
    verdicts.push(judged.judgement);
  }
  ctx.assert(verdicts.join(' ') === 'good good good', `the three lots judged ${verdicts.join(' ')} (one piece out of limits each at most)`);
  const q = `from=${encodeURIComponent(from)}&to=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`;
  const chart = await w.call('GET', `/v1/reports/quality-control-chart?${q}&planId=${plan.id}&itemCode=DIA`);
  ctx.assert(chart.status === 200, `the chart answered ${chart.status} ${chart.json?.code ?? ''}`);
  const means = series.map((v) => v.reduce((s, x) => s + Number(x), 0) / 4);
  const ranges = series.map((v) => Math.max(...v.map(Number)) - Math.min(...v.map(Number)));
  const grand = means.reduce((s, x) => s + x, 0) / 3;
  const rBar = ranges.reduce((s, x) => s + x, 0) / 3;
  const near = (a: number, b: number) => Math.abs(a - b) < 1e-5;
  ctx.record('chart', chart.json);
  ctx.assert(chart.json.subgroupSize === 4 && near(chart.json.xBar.centre, grand) && near(chart.json.xBar.ucl, grand + 0.729 * rBar) && near(chart.json.xBar.lcl, grand - 0.729 * rBar),
    `X̄ limits ${JSON.stringify(chart.json.xBar)}, expected centre ${grand}, A2 = 0.729, R̄ = ${rBar}`);
  ctx.assert(near(chart.json.range.ucl, 2.282 * rBar) && chart.json.range.lcl === 0, `R limits ${JSON.stringify(chart.json.range)}, expected UCL ${2.282 * rBar}`);
  ctx.assert(chart.json.points.every((p: any) => Array.isArray(p.violations)), 'points carry no Western Electric flags');
  const fpy = (await w.call('GET', `/v1/reports/quality-yield?${q}`)).json.items.find((r: any) => r.materialId === m.id);
  ctx.assert(fpy?.lots === 3 && fpy?.passedFirst === 3 && fpy?.firstPassYield === 100, `first-pass yield of the material: ${JSON.stringify(fpy)}`);
  const pareto = (await w.call('GET', `/v1/reports/quality-defects?${q}&groupBy=material`)).json;
  const mine = pareto.items.find((r: any) => r.key === m.code);
  const counts = pareto.items.map((r: any) => r.count);
  ctx.assert(mine?.count === 1, `the Pareto by material counts ${mine?.count} defects for ${m.code}, not 1 (10.06 out of limits)`);
  ctx.assert(counts.every((c: number, i: number) => i === 0 || counts[i - 1] >= c) && (pareto.items.at(-1)?.cumulativeShare ?? 100) === 100, 'the Pareto is not sorted or does not add up to 100 %');
}
