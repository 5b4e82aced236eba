/**
 * Inspection standards, defect codes and inspection plans (S1-5.4.5-a, -b): what is inspected on
 * a material or a product class, with which limits, method and instrument, and how many pieces
 * of a lot (full, a fixed number, or AQL sampling per GB/T 2828.1).
 */
import type { Sql } from '../../platform/db.js';
import { conflict, fieldError, notFound, unprocessable, type FieldError } from '../../platform/errors.js';
import { recordEvent } from '../../platform/outbox.js';
import * as masterdata from '../masterdata/service.js';
import * as repo from './repo.js';
import type {
  CreateDefectCodeInput, CreatePlanInput, CreateStandardInput, DefectCode, Plan, Standard, StandardItem, StandardItemIn, ReplaceStandardItemsInput, UpdatePlanInput, UpdateStandardInput,
} from './schema.js';

/** Decimals a decimal string carries: '12.50' has 2. */
export const decimalsOf = (v: string) => (v.includes('.') ? v.split('.')[1].length : 0);

/** Which of these defect codes and standard codes exist (one query each): what an import leaves as it is. */
export const existingDefectCodes = async (tx: Sql, t: string, codes: string[]) => new Set((await repo.defectCodes(tx, t, codes)).keys());
export const existingStandards = repo.standardCodes;
export const existingPlans = repo.planCodes;
/** Standards by code → id, for references by code (imports). */
export const standardIdsByCode = repo.standardIds;

export async function createDefectCode(tx: Sql, t: string, input: CreateDefectCodeInput): Promise<DefectCode> {
  const d = await repo.insertDefectCode(tx, t, input);
  recordEvent(tx, { tenantId: t, type: 'quality_defect_code.created', aggregateType: 'quality_defect_code', aggregateId: d.id, payload: { id: d.id, code: d.code, severity: d.severity } });
  return d;
}

function checkItem(i: StandardItemIn, at: string, errors: FieldError[]): StandardItem & { itemNo: number } {
  const err = (f: string, code: string, msg: string) => errors.push(fieldError(`${at}.${f}`, code, msg));
  if (i.kind === 'quantitative') {
    if (i.unit === undefined) err('unit', 'REQUIRED', 'a quantitative item is measured in a unit');
    if (i.decimals === undefined) err('decimals', 'REQUIRED', 'a quantitative item says how many decimals a value has');
    if (i.lowerLimit === undefined && i.upperLimit === undefined) err('lowerLimit', 'REQUIRED', 'a quantitative item has a lower or an upper limit, or both');
    if (i.lowerLimit !== undefined && i.upperLimit !== undefined && Number(i.lowerLimit) > Number(i.upperLimit)) err('upperLimit', 'BELOW_LOWER_LIMIT', 'the upper limit is below the lower');
    for (const f of ['nominal', 'lowerLimit', 'upperLimit'] as const) {
      const v = i[f];
      if (v !== undefined && i.decimals !== undefined && decimalsOf(v) > i.decimals) err(f, 'TOO_MANY_DECIMALS', `${v} has more than the item's ${i.decimals} decimals`);
    }
  } else {
    for (const f of ['nominal', 'lowerLimit', 'upperLimit', 'unit', 'decimals'] as const) {
      if (i[f] !== undefined) err(f, 'NOT_QUANTITATIVE', 'a qualitative item is pass or fail: no limits, unit or decimals');
    }
  }
  return {
    itemNo: 0, code: i.code, name: i.name, kind: i.kind, nominal: i.nominal ?? null, lowerLimit: i.lowerLimit ?? null, upperLimit: i.upperLimit ?? null,
    unit: i.unit ?? null, decimals: i.decimals ?? null, defectCode: i.defectCode ?? null, method: i.method ?? '', instrument: i.instrument ?? '',
  };
}

/** Every item checked, numbered in order; codes unique; defect codes known. */
async function checkItems(tx: Sql, t: string, input: CreateStandardInput['items'], errors: FieldError[]): Promise<StandardItem[]> {
  const seen = new Set<string>();
  const items = input.map((i, k) => {
    if (seen.has(i.code)) errors.push(fieldError(`items[${k}].code`, 'DUPLICATE_ITEM', `${i.code} is listed twice`));
    seen.add(i.code);
    return { ...checkItem(i, `items[${k}]`, errors), itemNo: k + 1 };
  });
  const wanted = [...new Set(items.map((i) => i.defectCode).filter((c): c is string => !!c))];
  const known = await repo.defectCodes(tx, t, wanted);
  items.forEach((i, k) => {
    if (i.defectCode && !known.has(i.defectCode)) errors.push(fieldError(`items[${k}].defectCode`, 'UNKNOWN_DEFECT_CODE', `no defect code ${i.defectCode}`));
  });
  return items;
}

export async function createStandard(tx: Sql, t: string, input: CreateStandardInput): Promise<Standard> {
  const errors: FieldError[] = [];
  if ((input.materialId === undefined) === (input.materialCategory === undefined)) {
    errors.push(fieldError('materialId', 'ONE_OF_MATERIAL_OR_CATEGORY', 'a standard applies to one material (materialId) or to a product class (materialCategory), one of the two'));
  }
  if (input.materialId && !(await masterdata.findMaterial(tx, t, input.materialId))) errors.push(fieldError('materialId', 'UNKNOWN_MATERIAL', `no material ${input.materialId}`));
  const items = await checkItems(tx, t, input.items, errors);
  if (errors.length) throw unprocessable('STANDARD_INVALID', 'the standard cannot be saved as given; nothing was saved', errors);
  const id = await repo.insertStandard(tx, t, { code: input.code, name: input.name, materialId: input.materialId ?? null, materialCategory: input.materialCategory ?? null }, items);
  recordEvent(tx, { tenantId: t, type: 'quality_standard.created', aggregateType: 'quality_standard', aggregateId: id, payload: { id, code: input.code, items: items.length } });
  return (await repo.findStandard(tx, t, id))!;
}

export async function getStandard(tx: Sql, t: string, id: string, itemsVersion?: number): Promise<Standard> {
  const s = itemsVersion === undefined ? await repo.findStandard(tx, t, id) : await repo.findStandardVersion(tx, t, id, itemsVersion);
  if (!s) throw notFound(itemsVersion === undefined ? 'quality standard' : 'quality standard items version', itemsVersion === undefined ? id : `${id} v${itemsVersion}`);
  return s;
}

/**
 * Items added, changed or removed: the whole new set becomes the next items version, with the
 * version read. The old set stays for the inspections started with it (they are judged against
 * it); plans take the new one for new inspections. An active plan naming an item the new set
 * drops is refused (ITEM_IN_USE): retire the plan or give it other items first.
 */
export async function replaceItems(tx: Sql, t: string, id: string, input: ReplaceStandardItemsInput): Promise<Standard> {
  const standard = await repo.findStandard(tx, t, id, true);
  if (!standard) throw notFound('quality standard', id);
  if (standard.version !== input.version) {
    throw conflict('VERSION_CONFLICT', `standard ${standard.code} is at version ${standard.version}, not ${input.version}; reload it`, { currentVersion: standard.version });
  }
  const errors: FieldError[] = [];
  const items = await checkItems(tx, t, input.items, errors);
  const codes = new Set(items.map((i) => i.code));
  for (const p of await repo.plansNamingItems(tx, t, id)) {
    const lost = p.item_codes.filter((c) => !codes.has(c));
    if (lost.length) errors.push(fieldError('items', 'ITEM_IN_USE', `active plan ${p.code} inspects ${lost.join(', ')}`));
  }
  if (errors.length) throw unprocessable('STANDARD_INVALID', 'the items cannot be saved as given; nothing was saved', errors);
  const before = new Map(standard.items.map((i) => [i.code, JSON.stringify({ ...i, itemNo: 0 })]));
  const itemsVersion = standard.itemsVersion + 1;
  await repo.newItemsVersion(tx, t, id, itemsVersion, items);
  recordEvent(tx, {
    tenantId: t, type: 'quality_standard.changed', aggregateType: 'quality_standard', aggregateId: id,
    payload: {
      id, code: standard.code, fields: ['items'], itemsVersion,
      added: items.filter((i) => !before.has(i.code)).map((i) => i.code),
      changed: items.filter((i) => before.has(i.code) && before.get(i.code) !== JSON.stringify({ ...i, itemNo: 0 })).map((i) => i.code),
      removed: standard.items.filter((i) => !codes.has(i.code)).map((i) => i.code),
    },
  });
  return (await repo.findStandard(tx, t, id))!;
}

type Shape = Pick<CreatePlanInput, 'inspectionType' | 'sampling' | 'sampleSize' | 'acceptNumber' | 'aql' | 'inspectionLevel' | 'everyHours' | 'everyPieces' | 'operationSeq'>;

/** Sampling, interval and operation agree with the plan's type and sampling. */
function checkShape(input: Shape, err: (f: string, code: string, msg: string) => void): void {
  if (input.sampling === 'fixed' && input.sampleSize === undefined) err('sampleSize', 'REQUIRED', 'fixed sampling names the number of pieces');
  if (input.sampling === 'aql' && input.aql === undefined) err('aql', 'REQUIRED', 'AQL sampling names the AQL');
  if (input.sampling !== 'fixed' && (input.sampleSize !== undefined || input.acceptNumber !== undefined)) err('sampleSize', 'NOT_FIXED_SAMPLING', 'sampleSize and acceptNumber belong to fixed sampling');
  if (input.sampling !== 'aql' && (input.aql !== undefined || input.inspectionLevel !== undefined)) err('aql', 'NOT_AQL_SAMPLING', 'aql and inspectionLevel belong to AQL sampling');
  if (input.inspectionType !== 'patrol' && (input.everyHours !== undefined || input.everyPieces !== undefined)) err('everyHours', 'NOT_PATROL', 'an interval belongs to a patrol plan');
  if (input.inspectionType === 'patrol' && input.everyHours === undefined && input.everyPieces === undefined) err('everyHours', 'REQUIRED', 'a patrol plan runs every N hours or every N pieces');
  if (input.operationSeq !== undefined && (input.inspectionType === 'incoming' || input.inspectionType === 'final')) {
    err('operationSeq', 'NOT_AN_OPERATION_PLAN', `an ${input.inspectionType} plan inspects a whole lot, not an operation`);
  }
  if (input.sampling === 'fixed' && input.acceptNumber !== undefined && input.sampleSize !== undefined && input.acceptNumber >= input.sampleSize) err('acceptNumber', 'NOT_BELOW_SAMPLE_SIZE', 'the accept number must be below the sample size');
}

export async function createPlan(tx: Sql, t: string, input: CreatePlanInput): Promise<Plan> {
  const errors: FieldError[] = [];
  const err = (f: string, code: string, msg: string) => errors.push(fieldError(f, code, msg));
  const standard = await repo.findStandard(tx, t, input.standardId);
  if (!standard) err('standardId', 'UNKNOWN_STANDARD', `no quality standard ${input.standardId}`);
  const itemCodes = input.itemCodes ?? [];
  itemCodes.forEach((c, k) => {
    if (standard && !standard.items.some((i) => i.code === c)) err(`itemCodes[${k}]`, 'UNKNOWN_ITEM', `standard ${standard.code} has no item ${c}`);
  });
  checkShape(input, err);
  if (errors.length) throw unprocessable('PLAN_INVALID', 'the plan cannot be saved as given; nothing was saved', errors);
  const id = await repo.insertPlan(tx, t, {
    code: input.code, name: input.name, inspectionType: input.inspectionType, standardId: input.standardId, itemCodes, sampling: input.sampling,
    sampleSize: input.sampleSize ?? null, acceptNumber: input.sampling === 'fixed' ? input.acceptNumber ?? 0 : null, aql: input.aql ?? null,
    inspectionLevel: input.sampling === 'aql' ? input.inspectionLevel ?? 'II' : null, everyHours: input.everyHours ?? null, everyPieces: input.everyPieces ?? null,
    operationSeq: input.operationSeq ?? null,
  });
  recordEvent(tx, { tenantId: t, type: 'quality_plan.created', aggregateType: 'quality_plan', aggregateId: id, payload: { id, code: input.code, inspectionType: input.inspectionType } });
  return (await repo.findPlan(tx, t, id))!;
}

export async function getPlan(tx: Sql, t: string, id: string): Promise<Plan> {
  const p = await repo.findPlan(tx, t, id);
  if (!p) throw notFound('quality plan', id);
  return p;
}

/** The items a plan inspects: of the standard's current items, or of the version an inspection was started with. */
export async function planItems(tx: Sql, t: string, plan: Plan, itemsVersion?: number): Promise<StandardItem[]> {
  const standard = (itemsVersion === undefined ? await repo.findStandard(tx, t, plan.standardId) : await repo.findStandardVersion(tx, t, plan.standardId, itemsVersion))!;
  return plan.itemCodes.length ? standard.items.filter((i) => plan.itemCodes.includes(i.code)) : standard.items;
}

/**
 * Changes a plan: name, status (retired plans start no inspection), sampling and its parameters
 * (a new `sampling` replaces all of them), interval, operation; with the version read. The type,
 * standard and items stay (they give open inspections their items): a new code for those. Open
 * inspections keep the sample they were given.
 */
export async function updatePlan(tx: Sql, t: string, id: string, input: UpdatePlanInput): Promise<Plan> {
  const plan = await repo.findPlan(tx, t, id, true);
  if (!plan) throw notFound('quality plan', id);
  if (plan.version !== input.version) throw conflict('VERSION_CONFLICT', `plan ${plan.code} is at version ${plan.version}, not ${input.version}; reload it`, { currentVersion: plan.version });
  const errors: FieldError[] = [];
  const err = (f: string, code: string, msg: string) => errors.push(fieldError(f, code, msg));
  const has = (k: keyof UpdatePlanInput) => input[k] !== undefined;
  const keep = <T>(v: T | null) => (v === null ? undefined : v);
  const resampled = has('sampling');
  const pick = <K extends 'sampleSize' | 'acceptNumber' | 'aql' | 'inspectionLevel'>(k: K) => (has(k) ? input[k] : resampled ? undefined : keep(plan[k]));
  const next = {
    inspectionType: plan.inspectionType, sampling: input.sampling ?? plan.sampling,
    sampleSize: pick('sampleSize') as number | undefined, acceptNumber: pick('acceptNumber') as number | undefined,
    aql: pick('aql') as Shape['aql'], inspectionLevel: pick('inspectionLevel') as Shape['inspectionLevel'],
    everyHours: input.everyHours === null ? undefined : input.everyHours ?? keep(plan.everyHours),
    everyPieces: input.everyPieces === null ? undefined : input.everyPieces ?? keep(plan.everyPieces),
    operationSeq: input.operationSeq === null ? undefined : input.operationSeq ?? keep(plan.operationSeq),
  };
  checkShape(next, err);
  if (errors.length) throw unprocessable('PLAN_INVALID', 'the plan cannot be changed as given; nothing was saved', errors);
  const changed = {
    name: input.name ?? plan.name, status: input.status ?? plan.status, sampling: next.sampling, sampleSize: next.sampleSize ?? null,
    acceptNumber: next.sampling === 'fixed' ? next.acceptNumber ?? 0 : null, aql: next.aql ?? null,
    inspectionLevel: next.sampling === 'aql' ? next.inspectionLevel ?? 'II' : null, everyHours: next.everyHours ?? null, everyPieces: next.everyPieces ?? null,
    operationSeq: next.operationSeq ?? null,
  };
  await repo.updatePlan(tx, t, id, changed);
  const fields = Object.keys(input).filter((k) => k !== 'version');
  recordEvent(tx, { tenantId: t, type: 'quality_plan.changed', aggregateType: 'quality_plan', aggregateId: id, payload: { id, code: plan.code, fields, status: changed.status } });
  return (await repo.findPlan(tx, t, id))!;
}

/** Renames or retires (reactivates) a standard, with the version read; its items stay (a new code for other items). */
export async function updateStandard(tx: Sql, t: string, id: string, input: UpdateStandardInput): Promise<Standard> {
  const standard = await repo.findStandard(tx, t, id, true);
  if (!standard) throw notFound('quality standard', id);
  if (standard.version !== input.version) {
    throw conflict('VERSION_CONFLICT', `standard ${standard.code} is at version ${standard.version}, not ${input.version}; reload it`, { currentVersion: standard.version });
  }
  await repo.updateStandard(tx, t, id, { name: input.name ?? standard.name, status: input.status ?? standard.status });
  recordEvent(tx, {
    tenantId: t, type: 'quality_standard.changed', aggregateType: 'quality_standard', aggregateId: id,
    payload: { id, code: standard.code, fields: Object.keys(input).filter((k) => k !== 'version'), status: input.status ?? standard.status },
  });
  return (await repo.findStandard(tx, t, id))!;
}
