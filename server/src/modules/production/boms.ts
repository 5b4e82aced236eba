/**
 * BOMs (S1-5.4.4-b): one per product and type (engineering, process, manufacturing, sales), in
 * revisions. A draft's lines give each component's unit usage in any unit of the component,
 * converted exactly to its base unit, with scrap, the consuming operation, and optional/phantom
 * flags and alternates. Saving or releasing never closes a cycle. A released revision is immutable.
 */
import type { Sql } from '../../platform/db.js';
import { fieldError, notFound, unprocessable, type FieldError } from '../../platform/errors.js';
import { recordEvent } from '../../platform/outbox.js';
import { formatQty, qty } from '../../platform/quantity.js';
import type { Material } from '../masterdata/schema.js';
import { UnitConverter } from '../masterdata/units.js';
import * as repo from './bom-repo.js';
import type { Bom, BomLineInput, BomListQuery, BomSummary, CreateBomInput, UpdateBomInput } from './bom-schema.js';
import { MaterialRefs, materialsById, refuseIfAny, today, type Who } from './common.js';
import { checkEffectivity, editableDraft, nextRevision, releaseVersion } from './engineering.js';
import * as engineering from './engineering-repo.js';
import { assertNoCycle } from './explosion.js';

const what = (b: { materialCode: string; type: string }) => (revision: number) => `${b.type} BOM of ${b.materialCode} revision ${revision}`;

function header(v: repo.VersionRow, m: Material): BomSummary {
  return {
    id: v.id, bomId: v.bom_id, materialId: m.id, materialCode: m.code, materialName: m.name, baseUnit: m.baseUnit, type: v.bom_type, revision: v.revision,
    status: v.status, effectiveFrom: v.effective_from, effectiveTo: v.effective_to, remark: v.remark, version: v.version, createdBy: v.created_by,
    releasedBy: v.released_by, releasedAt: v.released_at?.toISOString() ?? null, obsoletedAt: v.obsoleted_at?.toISOString() ?? null,
    createdAt: v.created_at.toISOString(), updatedAt: v.updated_at.toISOString(), lineCount: v.line_count,
  };
}

export async function findBom(tx: Sql, tenantId: string, id: string): Promise<Bom | undefined> {
  const found = await repo.findVersion(tx, tenantId, id);
  if (!found) return undefined;
  const { head, lines, alternates } = found;
  const materials = await materialsById(tx, tenantId, [head.material_id, ...lines.map((l) => l.component_id), ...alternates.map((a) => a.component_id)]);
  const { lineCount: _, ...rest } = header(head, materials.get(head.material_id)!);
  return {
    ...rest,
    lines: lines.map((l) => {
      const m = materials.get(l.component_id)!;
      return {
        lineNo: l.line_no, componentId: m.id, componentCode: m.code, componentName: m.name, quantity: l.quantity, unit: l.unit, baseQuantity: l.base_quantity,
        baseUnit: m.baseUnit, scrapRate: l.scrap_rate, operationSeq: l.operation_seq, optional: l.optional, phantom: l.phantom, position: l.position, remark: l.remark,
        alternates: alternates.filter((a) => a.line_no === l.line_no).map((a) => ({
          priority: a.priority, materialId: a.component_id, materialCode: materials.get(a.component_id)!.code, quantity: a.quantity, unit: a.unit, baseQuantity: a.base_quantity,
        })),
      };
    }),
  };
}

export async function getBom(tx: Sql, tenantId: string, id: string): Promise<Bom> {
  const bom = await findBom(tx, tenantId, id);
  if (!bom) throw notFound('BOM version', id);
  return bom;
}

export async function listBoms(tx: Sql, tenantId: string, q: BomListQuery & { limit: number; after?: [string, string] }): Promise<BomSummary[]> {
  const rows = await repo.listVersions(tx, tenantId, q);
  const materials = await materialsById(tx, tenantId, rows.map((r) => r.material_id));
  return rows.map((r) => header(r, materials.get(r.material_id)!));
}

/** Which products already have a BOM of a type (`materialId|type`), in one query: what an import leaves as it is. */
export const existingBoms = repo.existingHeaders;

const refsOf = (lines: BomLineInput[]) => lines.flatMap((l) => [l, ...(l.alternates ?? [])]);

/** Lines as stored: numbered 10, 20, 30 …, usages exactly in base units, alternates by priority. */
function resolveLines(refs: MaterialRefs, units: UnitConverter, lines: BomLineInput[], errors: FieldError[]): repo.NewLine[] {
  const out: repo.NewLine[] = [];
  const usage = (m: Material, quantity: string, unit: string | undefined, field: string) => {
    const base = units.toBase(m, quantity, unit ?? m.productionUnit, field, errors);
    if (base && !base.gt(0)) errors.push(fieldError(`${field}.quantity`, 'NOT_POSITIVE', 'must be greater than 0'));
    return base && base.gt(0) ? { quantity: formatQty(qty(quantity)), unit: unit ?? m.productionUnit, baseQuantity: formatQty(base) } : undefined;
  };
  for (const [i, l] of lines.entries()) {
    const field = `lines[${i}]`;
    const component = refs.pick(l, field, errors, { activeOnly: true });
    const main = component && usage(component, l.quantity, l.unit, field);
    const alternates: repo.NewLine['alternates'] = [];
    const priorities = new Set<number>();
    for (const [j, a] of (l.alternates ?? []).entries()) {
      const at = `${field}.alternates[${j}]`;
      const m = refs.pick(a, at, errors, { activeOnly: true });
      const priority = a.priority ?? j + 1;
      if (m && (m.id === component?.id || alternates.some((x) => x.componentId === m.id))) errors.push(fieldError(`${at}.materialId`, 'DUPLICATE_ALTERNATE', `${m.code} is already on this line`));
      if (priorities.has(priority)) errors.push(fieldError(`${at}.priority`, 'DUPLICATE_PRIORITY', `priority ${priority} is given twice`));
      priorities.add(priority);
      const u = m && usage(m, a.quantity, a.unit, at);
      if (m && u) alternates.push({ priority, componentId: m.id, ...u });
    }
    if (!component || !main) continue;
    out.push({
      lineNo: (i + 1) * 10, componentId: component.id, ...main, scrapRate: formatQty(qty(l.scrapRate ?? '0')), operationSeq: l.operationSeq ?? null,
      optional: l.optional ?? false, phantom: l.phantom ?? false, position: l.position ?? '', remark: l.remark ?? '', alternates,
    });
  }
  return out;
}

/** Every component a draft names (alternates too), and the input field each came from. */
function componentsOf(lines: repo.NewLine[]) {
  const fields = new Map<string, string>();
  lines.forEach((l, i) => {
    fields.set(l.componentId, fields.get(l.componentId) ?? `lines[${i}].materialId`);
    l.alternates.forEach((a, j) => fields.set(a.componentId, fields.get(a.componentId) ?? `lines[${i}].alternates[${j}].materialId`));
  });
  return { ids: [...fields.keys()], fieldOf: (id: string) => fields.get(id) ?? 'lines' };
}

/** A new draft revision of a product's BOM of a type (the BOM is created with its first revision). */
export async function createBom(tx: Sql, who: Who, input: CreateBomInput): Promise<Bom> {
  const errors: FieldError[] = [];
  const refs = await MaterialRefs.load(tx, who.tenantId, [input, ...refsOf(input.lines)]);
  const parent = refs.pick(input, '', errors, { activeOnly: true });
  const lines = resolveLines(refs, await UnitConverter.load(tx, who.tenantId), input.lines, errors);
  const effectiveFrom = input.effectiveFrom ?? today();
  checkEffectivity(effectiveFrom, input.effectiveTo, errors);
  refuseIfAny(errors, 'BOM_INVALID', 'the BOM cannot be saved as given');
  const components = componentsOf(lines);
  await assertNoCycle(tx, who.tenantId, input.type, parent!.id, components.ids, null, components.fieldOf);
  const headerId = await repo.findHeader(tx, who.tenantId, parent!.id, input.type) ?? await repo.insertHeader(tx, who.tenantId, parent!.id, input.type);
  const revision = await nextRevision(tx, who.tenantId, 'bom', headerId, `the ${input.type} BOM of ${parent!.code}`);
  const id = await engineering.insertVersion(tx, who.tenantId, 'bom', { headerId, revision, effectiveFrom, effectiveTo: input.effectiveTo ?? null, remark: input.remark ?? '', createdBy: who.actor });
  await repo.replaceLines(tx, who.tenantId, id, lines);
  const bom = await getBom(tx, who.tenantId, id);
  emit(tx, who, bom, 'created');
  return bom;
}

/** Changes a draft (409 RELEASED_IMMUTABLE otherwise); `lines` replaces them all. */
export async function updateBom(tx: Sql, who: Who, id: string, input: UpdateBomInput): Promise<Bom> {
  const current = await getBom(tx, who.tenantId, id);
  const row = await editableDraft(tx, who.tenantId, 'bom', id, input.version, what(current));
  const errors: FieldError[] = [];
  let lines: repo.NewLine[] | undefined;
  if (input.lines) {
    const refs = await MaterialRefs.load(tx, who.tenantId, refsOf(input.lines));
    lines = resolveLines(refs, await UnitConverter.load(tx, who.tenantId), input.lines, errors);
  }
  checkEffectivity(input.effectiveFrom ?? row.effective_from, input.effectiveTo === undefined ? row.effective_to : input.effectiveTo, errors);
  refuseIfAny(errors, 'BOM_INVALID', 'the BOM cannot be changed as given');
  if (lines) {
    const components = componentsOf(lines);
    await assertNoCycle(tx, who.tenantId, current.type, current.materialId, components.ids, id, components.fieldOf);
    await repo.replaceLines(tx, who.tenantId, id, lines);
  }
  await engineering.updateDraft(tx, who.tenantId, 'bom', id, input);
  return getBom(tx, who.tenantId, id);
}

/**
 * Releases a draft (production:approve): not empty, still free of cycles (other BOMs may have
 * changed since it was saved), effective after the revision in force, which it supersedes.
 */
export async function releaseBom(tx: Sql, who: Who, id: string, version: number): Promise<Bom> {
  const current = await getBom(tx, who.tenantId, id);
  const { superseded } = await releaseVersion(tx, who, 'bom', id, version, what(current), async () => {
    if (!current.lines.length) throw unprocessable('BOM_EMPTY', `${what(current)(current.revision)} has no lines; a BOM is released with at least one`, [fieldError('lines', 'EMPTY', 'add at least one line')]);
    const ids = current.lines.flatMap((l) => [l.componentId, ...l.alternates.map((a) => a.materialId)]);
    await assertNoCycle(tx, who.tenantId, current.type, current.materialId, ids, id, () => 'lines');
  });
  const bom = await getBom(tx, who.tenantId, id);
  emit(tx, who, bom, 'released', { supersededRevisions: superseded });
  return bom;
}

function emit(tx: Sql, who: Who, b: Bom, what: string, extra: Record<string, unknown> = {}): void {
  recordEvent(tx, {
    tenantId: who.tenantId, type: `bom.${what}`, aggregateType: 'bom', aggregateId: b.id,
    payload: { id: b.id, bomId: b.bomId, materialCode: b.materialCode, type: b.type, revision: b.revision, status: b.status, effectiveFrom: b.effectiveFrom, version: b.version, ...extra },
  });
}

