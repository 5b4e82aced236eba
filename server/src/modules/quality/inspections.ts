/**
 * Inspection orders (S1-5.4.5-b, -c): the one inspection model for incoming, in-process, final,
 * first-article and patrol inspections and those made by hand. An order fixes its sample (by the
 * plan's sampling; AQL plans at the severity the supplier–material pair stands at), takes the
 * results per sample and item in one go, and judges automatically: good, defective or scrap, with
 * the reason. A reviewer may overturn the judgement only with a recorded reason.
 */
import { randomUUID } from 'node:crypto';
import type { Sql } from '../../platform/db.js';
import { conflict, fieldError, notFound, unprocessable, type FieldError } from '../../platform/errors.js';
import { recordEvent } from '../../platform/outbox.js';
import { formatQty, qty } from '../../platform/quantity.js';
import { nextCode } from '../masterdata/coding.js';
import * as masterdata from '../masterdata/service.js';
import * as production from '../production/orders.js';
import { settlePendingInspection } from '../production/settlement.js';
import * as purchasing from '../purchasing/service.js';
import * as sales from '../sales/quality.js';
import * as repo from './repo.js';
import { nextState, samplingPlan, stricterAql, type Aql, type InspectionLevel, type Severity } from './sampling.js';
import type { CreateInspectionInput, Inspection, InspectionSummary, Plan, ResultsInput, ReviewInput, StandardItem } from './schema.js';
import { decimalsOf, getPlan, planItems } from './standards.js';

/** An inspection with its results, dispositions and the sales return lines linked to it (sales' service says which). */
export async function getInspection(tx: Sql, t: string, id: string): Promise<Inspection> {
  const i = await repo.findInspection(tx, t, id);
  if (!i) throw notFound('quality inspection', id);
  return { ...i, salesReturns: await sales.returnsOfInspection(tx, t, id) };
}

const emit = (tx: Sql, t: string, type: string, i: { id: string }, payload: Record<string, unknown>) =>
  recordEvent(tx, { tenantId: t, type: `quality_inspection.${type}`, aggregateType: 'quality_inspection', aggregateId: i.id, payload: { id: i.id, ...payload } });

interface Sample { severity: Severity | null; codeLetter: string | null; sampleSize: number; acceptNumber: number; rejectNumber: number }

/** The sample a plan takes from a lot; AQL plans at the supplier–material pair's severity. */
async function sampleOf(tx: Sql, t: string, plan: Plan, lot: string, supplierId: string | null, materialId: string): Promise<Sample> {
  const size = qty(lot);
  const whole = size.isInteger() ? size.toNumber() : Math.ceil(size.toNumber());
  if (plan.sampling === 'full') return { severity: null, codeLetter: null, sampleSize: whole, acceptNumber: 0, rejectNumber: 1 };
  if (plan.sampling === 'fixed') {
    const n = Math.min(plan.sampleSize!, whole);
    const ac = Math.min(plan.acceptNumber ?? 0, n - 1);
    return { severity: null, codeLetter: null, sampleSize: n, acceptNumber: ac, rejectNumber: ac + 1 };
  }
  const state = supplierId ? await repo.switchingState(tx, t, supplierId, materialId) : undefined;
  if (state?.severity === 'discontinued') {
    throw conflict('SUPPLIER_DISCONTINUED', 'acceptance inspection of this supplier\'s material is discontinued (5 lots not accepted under tightened inspection, GB/T 2828.1 9.3.4); the supplier must improve before inspection resumes');
  }
  if (whole < 2) return { severity: state?.severity ?? 'normal', codeLetter: null, sampleSize: 1, acceptNumber: 0, rejectNumber: 1 };
  const p = samplingPlan(whole, plan.inspectionLevel as InspectionLevel, plan.aql as Aql, state?.severity ?? 'normal');
  return { severity: p.severity, codeLetter: p.planLetter, sampleSize: p.sampleSize, acceptNumber: p.ac, rejectNumber: p.re };
}

export async function assertPlanFits(tx: Sql, t: string, plan: Plan, materialId: string, field: string, errors: FieldError[]): Promise<void> {
  if (plan.status !== 'active') errors.push(fieldError('planId', 'PLAN_RETIRED', `plan ${plan.code} is retired`));
  const material = await masterdata.findMaterial(tx, t, materialId);
  if (!material) {
    errors.push(fieldError(field, 'UNKNOWN_MATERIAL', `no material ${materialId}`));
    return;
  }
  const standard = (await repo.findStandard(tx, t, plan.standardId))!;
  const fits = standard.materialId ? standard.materialId === materialId : standard.materialCategory === material.category;
  if (!fits) errors.push(fieldError('planId', 'PLAN_NOT_FOR_MATERIAL', `plan ${plan.code}'s standard ${standard.code} does not apply to material ${material.code}`));
}

export async function number(tx: Sql, t: string, id: string): Promise<string> {
  const docNo = await nextCode(tx, t, 'quality_inspection', {}, { pattern: 'QI{yyyy}{mm}{dd}-{seq:4}', reset: 'daily', description: 'Quality inspection numbers' });
  await repo.setDocNo(tx, t, id, docNo);
  return docNo;
}

export type Start = Omit<repo.NewInspection, 'id' | 'docNo' | 'createdBy' | 'severity' | 'codeLetter' | 'sampleSize' | 'acceptNumber' | 'rejectNumber' | 'inspectionType' | 'planId'>;

/**
 * Inserts, numbers and announces an inspection order of a plan, its sample drawn from the lot.
 * With a trigger key already taken (the event was seen before) nothing is written: undefined.
 */
export async function startInspection(tx: Sql, t: string, who: string, plan: Plan, base: Start): Promise<string | undefined> {
  const sample = await sampleOf(tx, t, plan, base.lotSize, base.supplierId, base.materialId);
  const id = randomUUID();
  // The standard's items as they are now: the inspection keeps them if the standard changes later.
  const standardItemsVersion = (await repo.findStandard(tx, t, plan.standardId))!.itemsVersion;
  const row = { ...base, ...sample, inspectionType: plan.inspectionType, planId: plan.id, id, docNo: `~${id}`, createdBy: who, standardItemsVersion };
  if (!(await repo.insertInspection(tx, t, row))) return undefined;
  const docNo = await number(tx, t, id);
  emit(tx, t, 'created', { id }, {
    docNo, inspectionType: plan.inspectionType, materialId: base.materialId, lotSize: base.lotSize, sampleSize: sample.sampleSize, receiptLineId: base.receiptLineId,
    productionOrderId: base.productionOrderId, operationSeq: base.operationSeq ?? null, trigger: base.trigger ?? null,
  });
  return id;
}

/** An inspection by hand, of a purchase receipt line awaiting inspection, or of a production order's output. */
export async function createInspection(tx: Sql, t: string, who: string, input: CreateInspectionInput): Promise<Inspection> {
  const plan = await getPlan(tx, t, input.planId);
  const errors: FieldError[] = [];
  let materialId = input.materialId;
  let lot = input.lotSize;
  let receipt: { receiptId: string; supplierId: string } | undefined;
  if (input.receiptLineId) {
    if (plan.inspectionType !== 'incoming') errors.push(fieldError('planId', 'PLAN_TYPE_MISMATCH', `a receipt line takes an incoming plan; ${plan.code} is ${plan.inspectionType}`));
    if (input.materialId || input.lotSize || input.warehouseId || input.batchNo) errors.push(fieldError('receiptLineId', 'FROM_RECEIPT_LINE', 'the receipt line gives the material, lot size and batch; leave them out'));
    receipt = await purchasing.receiptOfLine(tx, t, input.receiptLineId);
    if (!receipt) throw notFound('purchase receipt line', input.receiptLineId);
    const line = (await purchasing.receiptLines(tx, t, receipt.receiptId, true)).find((l) => l.id === input.receiptLineId)!;
    const pending = purchasing.pendingOf(line);
    if (!pending.gt(0)) throw conflict('NOTHING_PENDING', `receipt line ${line.line_no} (${line.material_code}) has nothing awaiting inspection`);
    if ((await repo.openInspectionsOfLines(tx, t, [line.id])).length) throw conflict('INSPECTION_OPEN', `receipt line ${line.line_no} (${line.material_code}) already has an open inspection`);
    materialId = line.material_id;
    lot = formatQty(pending);
    input = { ...input, batchNo: line.batch_no ?? undefined };
  } else {
    if (!materialId && !input.productionOrderId) errors.push(fieldError('materialId', 'REQUIRED', 'name the material inspected (or the production order whose output it is)'));
    if (!lot) errors.push(fieldError('lotSize', 'REQUIRED', 'the lot size is the quantity the sample is drawn from'));
    if (plan.inspectionType === 'incoming') errors.push(fieldError('planId', 'PLAN_TYPE_MISMATCH', 'an incoming plan inspects purchase receipt lines: give receiptLineId'));
  }
  if (input.productionOrderId) {
    const order = await production.findOrder(tx, t, input.productionOrderId);
    if (!order) errors.push(fieldError('productionOrderId', 'UNKNOWN_PRODUCTION_ORDER', `no production order ${input.productionOrderId}`));
    else if (materialId && materialId !== order.materialId && plan.inspectionType === 'final') errors.push(fieldError('materialId', 'NOT_ORDER_OUTPUT', `production order ${order.docNo} makes another material`));
    else materialId ??= order.materialId;
  }
  if (input.warehouseId && !(await masterdata.findWarehouse(tx, t, input.warehouseId))) errors.push(fieldError('warehouseId', 'UNKNOWN_WAREHOUSE', `no warehouse ${input.warehouseId}`));
  if (lot && qty(lot).lte(0)) errors.push(fieldError('lotSize', 'NOT_POSITIVE', 'the lot size must be above 0'));
  if (materialId) await assertPlanFits(tx, t, plan, materialId, input.materialId ? 'materialId' : 'receiptLineId', errors);
  if (errors.length) throw unprocessable('INSPECTION_INVALID', 'the inspection cannot be created as given; nothing was saved', errors);
  const id = (await startInspection(tx, t, who, plan, {
    materialId: materialId!, sourceKind: receipt ? 'purchase_receipt' : input.productionOrderId ? 'production_order' : 'manual',
    receiptId: receipt?.receiptId ?? null, receiptLineId: input.receiptLineId ?? null, productionOrderId: input.productionOrderId ?? null,
    supplierId: receipt?.supplierId ?? null, warehouseId: input.warehouseId ?? null, batchNo: input.batchNo ?? null, lotSize: lot!,
  }))!;
  return getInspection(tx, t, id);
}

/** Incoming inspections for every line of a purchase receipt awaiting inspection (the receipt is the event that starts them). */
export async function inspectionsFromReceipt(tx: Sql, t: string, who: string, receiptId: string, planId: string | undefined): Promise<Inspection[]> {
  const lines = await purchasing.receiptLines(tx, t, receiptId, true);
  if (!lines.length) throw notFound('purchase receipt', receiptId);
  const open = new Set(await repo.openInspectionsOfLines(tx, t, lines.map((l) => l.id)));
  const errors: FieldError[] = [];
  const todo: { lineId: string; planId: string }[] = [];
  for (const l of lines) {
    if (!purchasing.pendingOf(l).gt(0) || open.has(l.id)) continue;
    const material = (await masterdata.findMaterial(tx, t, l.material_id))!;
    const plan = planId ? { id: planId } : await repo.planFor(tx, t, 'incoming', l.material_id, material.category);
    if (!plan) errors.push(fieldError('planId', 'NO_INCOMING_PLAN', `no active incoming plan for material ${l.material_code} (line ${l.line_no}); create one or name a plan`));
    else todo.push({ lineId: l.id, planId: plan.id });
  }
  if (errors.length) throw unprocessable('INSPECTION_INVALID', 'the inspections cannot be created; nothing was saved', errors);
  if (!todo.length) throw conflict('NOTHING_PENDING', 'no line of the receipt awaits inspection without an open inspection');
  const made: Inspection[] = [];
  for (const x of todo) made.push(await createInspection(tx, t, who, { planId: x.planId, receiptLineId: x.lineId }));
  return made;
}

// ---------------------------------------------------------------- results and judgement

interface Checked { sampleNo: number; itemCode: string; value: string | null; passed: boolean; defectCode: string | null }

function checkResults(input: ResultsInput, items: StandardItem[], sampleSize: number, errors: FieldError[]): Checked[] {
  const byCode = new Map(items.map((i) => [i.code, i]));
  const seen = new Set<string>();
  const out: Checked[] = [];
  input.results.forEach((r, k) => {
    const at = `results[${k}]`;
    const err = (f: string, code: string, msg: string) => errors.push(fieldError(`${at}.${f}`, code, msg));
    const item = byCode.get(r.itemCode);
    if (!item) return err('itemCode', 'UNKNOWN_ITEM', `the plan inspects no item ${r.itemCode}`);
    if (r.sampleNo > sampleSize) return err('sampleNo', 'SAMPLE_OUT_OF_RANGE', `the sample has ${sampleSize} pieces (1…${sampleSize})`);
    const key = `${r.sampleNo}|${r.itemCode}`;
    if (seen.has(key)) return err('itemCode', 'DUPLICATE_RESULT', `sample ${r.sampleNo} has ${r.itemCode} twice`);
    seen.add(key);
    if (item.kind === 'quantitative') {
      if (r.value === undefined) return err('value', 'VALUE_REQUIRED', `${item.code} is measured: give the value in ${item.unit}`);
      if (r.unit !== undefined && r.unit !== item.unit) return err('unit', 'UNIT_MISMATCH', `${item.code} is measured in ${item.unit}, not ${r.unit}`);
      if (decimalsOf(r.value) > item.decimals!) return err('value', 'TOO_MANY_DECIMALS', `${item.code} is measured to ${item.decimals} decimals; ${r.value} has more`);
      if (r.passed !== undefined) return err('passed', 'MEASURED_ITEM', `${item.code} is judged from its value against the limits; leave passed out`);
      const v = qty(r.value);
      const passed = (item.lowerLimit === null || v.gte(qty(item.lowerLimit))) && (item.upperLimit === null || v.lte(qty(item.upperLimit)));
      out.push({ sampleNo: r.sampleNo, itemCode: item.code, value: r.value, passed, defectCode: passed ? null : item.defectCode });
    } else {
      if (r.value !== undefined || r.unit !== undefined) return err('value', 'NOT_QUANTITATIVE', `${item.code} is pass or fail: give passed`);
      if (r.passed === undefined) return err('passed', 'PASSED_REQUIRED', `${item.code} is pass or fail: give passed`);
      if (r.passed && r.defectCode) return err('defectCode', 'PASSED_WITH_DEFECT', 'a passed item has no defect');
      out.push({ sampleNo: r.sampleNo, itemCode: item.code, value: null, passed: r.passed, defectCode: r.passed ? null : r.defectCode ?? item.defectCode });
    }
  });
  return out;
}

/** The whole sample, every item of every piece, comes at once: nothing is judged on part of it. */
function checkComplete(results: Checked[], items: StandardItem[], sampleSize: number, errors: FieldError[]): void {
  const expected = sampleSize * items.length;
  if (results.length !== expected) {
    const samples = new Set(results.map((r) => r.sampleNo)).size;
    errors.push(fieldError('results', 'SAMPLE_COUNT_MISMATCH', `the plan asks for ${sampleSize} samples × ${items.length} items = ${expected} results; got ${results.length} results for ${samples} samples`));
  }
}

export async function recordResults(tx: Sql, t: string, who: string, id: string, input: ResultsInput): Promise<Inspection> {
  const head = await repo.findInspectionSummary(tx, t, id, true);
  if (!head) throw notFound('quality inspection', id);
  if (head.status !== 'open') throw conflict('ALREADY_JUDGED', `${head.docNo} is judged already; a reviewer may overturn the judgement with a reason`);
  const plan = (await repo.findPlan(tx, t, head.planId!))!;
  const items = await planItems(tx, t, plan, head.standardItemsVersion);
  const errors: FieldError[] = [];
  const results = checkResults(input, items, head.sampleSize, errors);
  const codes = [...new Set(results.map((r) => r.defectCode).filter((c): c is string => !!c))];
  const defects = await repo.defectCodes(tx, t, codes);
  input.results.forEach((r, k) => {
    if (r.defectCode && !defects.has(r.defectCode)) errors.push(fieldError(`results[${k}].defectCode`, 'UNKNOWN_DEFECT_CODE', `no defect code ${r.defectCode}`));
  });
  if (!errors.length) checkComplete(results, items, head.sampleSize, errors);
  if (errors.length) throw unprocessable('RESULTS_INVALID', 'the results cannot be recorded as given; nothing was saved', errors);

  const failedSamples = new Set(results.filter((r) => !r.passed).map((r) => r.sampleNo));
  const defectives = failedSamples.size;
  const critical = results.filter((r) => r.defectCode && defects.get(r.defectCode)?.severity === 'critical').map((r) => r.defectCode!);
  const judged = judge(head, plan, defectives, [...new Set(critical)]);
  await repo.insertResults(tx, t, id, who, results);
  await repo.setJudgement(tx, t, id, { defectives, judgement: judged.judgement, reason: judged.reason, by: who, rejectedQuantity: judged.rejected });
  if (head.supplierId && plan.sampling === 'aql') await advanceSwitching(tx, t, head, plan, defectives, judged.judgement === 'good');
  emit(tx, t, 'judged', head, { docNo: head.docNo, judgement: judged.judgement, defectives, sampleSize: head.sampleSize, rejectedQuantity: judged.rejected });
  await settleOperation(tx, t, head, judged.rejected);
  return getInspection(tx, t, id);
}

function judge(head: InspectionSummary, plan: Plan, defectives: number, critical: string[]): { judgement: 'good' | 'defective' | 'scrap'; reason: string; rejected: string } {
  const sampleText = `${defectives} of ${head.sampleSize} pieces defective`;
  const criticalText = critical.length ? `; critical defect ${critical.join(', ')}` : '';
  if (plan.sampling === 'full') {
    if (!defectives) return { judgement: 'good', reason: `full inspection: ${sampleText}`, rejected: '0' };
    return { judgement: critical.length ? 'scrap' : 'defective', reason: `full inspection: ${sampleText}${criticalText}; the defective pieces are rejected`, rejected: String(defectives) };
  }
  const rule = plan.sampling === 'aql' ? `AQL ${plan.aql}, level ${plan.inspectionLevel}, ${head.severity}, code ${head.codeLetter}` : 'fixed sample';
  if (defectives <= head.acceptNumber && !critical.length) {
    return { judgement: 'good', reason: `${sampleText} ≤ Ac ${head.acceptNumber} (${rule}): lot accepted`, rejected: '0' };
  }
  const why = defectives >= head.rejectNumber ? `${sampleText} ≥ Re ${head.rejectNumber} (${rule})` : `${sampleText} (${rule})`;
  return { judgement: critical.length ? 'scrap' : 'defective', reason: `${why}${criticalText}: lot not accepted`, rejected: head.lotSize };
}

/** One more lot for the supplier–material pair under GB/T 2828.1 9.3. */
async function advanceSwitching(tx: Sql, t: string, head: InspectionSummary, plan: Plan, defectives: number, accepted: boolean): Promise<void> {
  const state = await repo.switchingState(tx, t, head.supplierId!, head.materialId, true);
  const stricter = stricterAql(plan.aql as Aql);
  const lot = Math.ceil(Number(head.lotSize));
  const tighterAc = stricter && lot >= 2 ? samplingPlan(lot, plan.inspectionLevel as InspectionLevel, stricter, 'normal').ac : -1;
  const next = nextState(state, { accepted, ac: head.acceptNumber, acceptedOneStepTighter: accepted && defectives <= tighterAc });
  await repo.putSwitchingState(tx, t, head.supplierId!, head.materialId, next);
  if (next.severity !== state.severity) {
    recordEvent(tx, {
      tenantId: t, type: 'quality_switching.changed', aggregateType: 'quality_switching', aggregateId: head.materialId,
      payload: { supplierId: head.supplierId, materialId: head.materialId, from: state.severity, to: next.severity, inspectionId: head.id },
    });
  }
}

/** Overturn (or confirm) a judgement: only with a reason, only before anything is disposed. */
export async function review(tx: Sql, t: string, who: string, id: string, input: ReviewInput): Promise<Inspection> {
  const head = await repo.findInspectionSummary(tx, t, id, true);
  if (!head) throw notFound('quality inspection', id);
  if (head.status === 'open') throw conflict('NOT_JUDGED', `${head.docNo} has no results yet`);
  if (head.version !== input.version) throw conflict('VERSION_CONFLICT', `${head.docNo} is at version ${head.version}, not ${input.version}; reload it`, { currentVersion: head.version });
  if (qty(head.disposedAccepted).plus(qty(head.disposedRejected)).gt(0)) throw conflict('ALREADY_DISPOSED', `${head.docNo} is (partly) disposed; its judgement stands`);
  const full = (await repo.findPlan(tx, t, head.planId!))!.sampling === 'full';
  const rejected = input.judgement === 'good' ? '0' : full && head.defectives ? String(head.defectives) : head.lotSize;
  await repo.setReview(tx, t, id, { judgement: input.judgement, reason: input.reason, by: who, rejectedQuantity: rejected });
  emit(tx, t, 'reviewed', head, { docNo: head.docNo, from: head.judgement, to: input.judgement, reason: input.reason });
  await settleOperation(tx, t, head, rejected);
  return getInspection(tx, t, id);
}

/**
 * An in-process inspection a work report started settles the report's pending-inspection quantity
 * on its operation (production's service): rejected pieces to scrap, the rest to good (S1-5.4.4-h).
 */
async function settleOperation(tx: Sql, t: string, head: InspectionSummary, rejected: string): Promise<void> {
  if (head.trigger !== 'inspection_point' || !head.workReportId) return;
  await settlePendingInspection(tx, t, { workReportId: head.workReportId, rejected: qty(rejected), inspectionId: head.id, inspectionDocNo: head.docNo });
}
