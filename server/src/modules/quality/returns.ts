/**
 * Quality-caused sales returns (S1-5.4.5-e), quality's half: the returned goods of a return with
 * the quality reason get an inspection (one per line, or an existing inspection named), and the
 * return's lines name it. The return, its lines and the link are sales'; this asks sales' service.
 */
import type { Sql } from '../../platform/db.js';
import { conflict, fieldError, unprocessable, type FieldError } from '../../platform/errors.js';
import * as masterdata from '../masterdata/service.js';
import * as sales from '../sales/quality.js';
import type { ReturnRecord } from '../sales/quality.js';
import { assertPlanFits, getInspection, startInspection } from './inspections.js';
import * as repo from './repo.js';
import type { Inspection, Plan, SalesReturnInspectionInput } from './schema.js';
import { getPlan } from './standards.js';

type ReturnLine = ReturnRecord['lines'][number];

/** The lines asked for (default: every line not linked yet); a line already linked is refused. */
function pickLines(ret: ReturnRecord, lineNos: number[] | undefined, errors: FieldError[]): ReturnLine[] {
  if (!lineNos) return ret.lines.filter((l) => !l.qualityInspectionId);
  const picked: ReturnLine[] = [];
  lineNos.forEach((no, k) => {
    const line = ret.lines.find((l) => l.lineNo === no);
    if (!line) errors.push(fieldError(`lineNos[${k}]`, 'UNKNOWN_RETURN_LINE', `return ${ret.docNo} has no line ${no}`));
    else if (line.qualityInspectionId) errors.push(fieldError(`lineNos[${k}]`, 'LINE_ALREADY_LINKED', `line ${no} of ${ret.docNo} is linked to an inspection already`));
    else if (!picked.includes(line)) picked.push(line);
  });
  return picked;
}

/** Link the return's lines to an existing inspection of their material. */
async function linkExisting(tx: Sql, t: string, ret: ReturnRecord, inspectionId: string, lineNos: number[] | undefined): Promise<Inspection[]> {
  const head = await repo.findInspectionSummary(tx, t, inspectionId);
  if (!head) throw unprocessable('INSPECTION_INVALID', `no quality inspection ${inspectionId}`, [fieldError('inspectionId', 'UNKNOWN_INSPECTION', `no quality inspection ${inspectionId}`)]);
  const errors: FieldError[] = [];
  // Named lines must be of the inspection's material; by default, the unlinked lines of that material.
  const lines = pickLines(ret, lineNos, errors).filter((l) => {
    if (l.materialId === head.materialId) return true;
    if (lineNos) errors.push(fieldError(`lineNos[${lineNos.indexOf(l.lineNo)}]`, 'MATERIAL_MISMATCH', `line ${l.lineNo} returned ${l.materialCode}; ${head.docNo} inspected ${head.materialCode}`));
    return false;
  });
  if (errors.length) throw unprocessable('INSPECTION_INVALID', 'the return cannot be linked as given; nothing was saved', errors);
  if (!lines.length) throw conflict('NOTHING_TO_INSPECT', `no line of ${ret.docNo} returned ${head.materialCode} without an inspection`);
  await sales.linkInspection(tx, t, ret.id, lines.map((l) => l.lineNo), head.id);
  return [await getInspection(tx, t, head.id)];
}

/** The plan of one line: the one named (it must fit the material), else the material's active final plan. */
async function planOfLine(tx: Sql, t: string, named: Plan | undefined, line: ReturnLine, errors: FieldError[]): Promise<Plan | undefined> {
  if (named) {
    await assertPlanFits(tx, t, named, line.materialId, 'planId', errors);
    return named;
  }
  const material = (await masterdata.findMaterial(tx, t, line.materialId))!;
  const plan = await repo.planFor(tx, t, 'final', line.materialId, material.category);
  if (!plan) errors.push(fieldError('planId', 'NO_FINAL_PLAN', `no active final plan for material ${line.materialCode} (line ${line.lineNo}); create one or name a plan`));
  return plan;
}

/**
 * Inspections of a quality-caused return's goods: a new one per line (the lot is what the line
 * brought back, in the return's warehouse, of its batch), or the lines linked to an existing one.
 * Each new inspection has the trigger key of its line: asked twice, the line is linked already.
 */
export async function inspectSalesReturn(tx: Sql, t: string, who: string, returnId: string, input: SalesReturnInspectionInput): Promise<Inspection[]> {
  const ret = await sales.returnForInspection(tx, t, returnId);
  if (ret.reasonCode !== sales.QUALITY_REASON) {
    throw conflict('NOT_A_QUALITY_RETURN', `return ${ret.docNo} has reason ${ret.reasonCode}; only a return for ${sales.QUALITY_REASON} is linked to a quality inspection`);
  }
  if (input.inspectionId) {
    if (input.planId) throw unprocessable('INSPECTION_INVALID', 'name a plan for new inspections or an existing inspection, not both', [fieldError('planId', 'PLAN_OR_INSPECTION', 'leave planId out when linking inspectionId')]);
    return linkExisting(tx, t, ret, input.inspectionId, input.lineNos);
  }
  const named = input.planId ? await getPlan(tx, t, input.planId) : undefined;
  const errors: FieldError[] = [];
  if (named?.inspectionType === 'incoming') errors.push(fieldError('planId', 'PLAN_TYPE_MISMATCH', 'an incoming plan inspects purchase receipt lines'));
  const lines = pickLines(ret, input.lineNos, errors);
  const todo: { line: ReturnLine; plan: Plan }[] = [];
  for (const line of lines) {
    const plan = await planOfLine(tx, t, named, line, errors);
    if (plan) todo.push({ line, plan });
  }
  if (errors.length) throw unprocessable('INSPECTION_INVALID', 'the inspections cannot be created as given; nothing was saved', errors);
  if (!todo.length) throw conflict('NOTHING_TO_INSPECT', `every line of ${ret.docNo} is linked to an inspection already`);
  const made: Inspection[] = [];
  for (const { line, plan } of todo) {
    const id = await startInspection(tx, t, who, plan, {
      materialId: line.materialId, sourceKind: 'sales_return', receiptId: null, receiptLineId: null, productionOrderId: null, supplierId: null,
      warehouseId: ret.warehouseId, batchNo: line.batchNo, lotSize: line.baseQuantity, trigger: 'sales_return', triggerKey: `sales_return:${ret.id}:${line.lineNo}`,
    });
    // The return is locked and the line was unlinked: its key cannot be taken; if it were, say so rather than link nothing.
    if (!id) throw conflict('INSPECTION_EXISTS', `line ${line.lineNo} of ${ret.docNo} has an inspection already`);
    await sales.linkInspection(tx, t, ret.id, [line.lineNo], id);
    made.push(await getInspection(tx, t, id));
  }
  return made;
}
