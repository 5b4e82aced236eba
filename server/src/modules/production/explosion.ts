/**
 * BOM structure (S1-5.4.4-b): multi-level explosion, where-used, the cycle check, and the component
 * requirements of one order (what release copies onto it, and what planning explodes for planned
 * orders). Each walks the structure in one recursive query (bom-repo), bounded in depth and safe
 * against cycles; quantities are exact decimals, rounded up to a unit's decimals only where stated.
 */
import type { Sql } from '../../platform/db.js';
import { MesProblem, fieldError, notFound, type FieldError } from '../../platform/errors.js';
import { formatQty, qty, roundTo, type Qty } from '../../platform/quantity.js';
import * as masterdata from '../masterdata/repo.js';
import { UnitConverter } from '../masterdata/units.js';
import * as repo from './bom-repo.js';
import { MAX_BOM_DEPTH, type BomType, type Explosion, type ExplosionQuery, type ExplosionRow, type WhereUsed, type WhereUsedQuery } from './bom-schema.js';
import { materialsById, refuseIfAny, today } from './common.js';

const upTo = (q: Qty, decimals: number) => roundTo(q, decimals, 'up');

async function codesOf(tx: Sql, tenantId: string, ids: string[]): Promise<Map<string, string>> {
  return new Map([...(await materialsById(tx, tenantId, ids))].map(([id, m]) => [id, m.code]));
}

/** What the structure's rows need of their materials: code, name, base unit and its decimals. */
async function describe(tx: Sql, tenantId: string, units: UnitConverter, ids: string[]) {
  const materials = await materialsById(tx, tenantId, ids);
  return (id: string) => {
    const m = materials.get(id)!;
    return { m, decimals: units.unit(m.baseUnit)?.decimals ?? 0 };
  };
}

/**
 * Refuses components that would close a cycle through `parent` in the BOMs of `type`, naming the
 * path ("FAN-A → MOTOR-1 → FAN-A"). `fieldOf` says which input field a component came from.
 */
export async function assertNoCycle(tx: Sql, tenantId: string, type: BomType, parent: string, components: string[], savingVersionId: string | null, fieldOf: (componentId: string) => string): Promise<void> {
  if (!components.length) return;
  // Two BOMs saved at once could each add half of a cycle: checks of one tenant and type queue.
  await repo.lockStructure(tx, tenantId, type);
  const path = await repo.cyclePath(tx, tenantId, type, parent, [...new Set(components)], savingVersionId, MAX_BOM_DEPTH);
  if (!path) return;
  const codes = await codesOf(tx, tenantId, path);
  const named = path.map((id) => codes.get(id) ?? id);
  const text = named.join(' → ');
  throw new MesProblem(422, 'BOM_CYCLE', `${text} would be a cycle in the ${type} BOMs; nothing was saved`, {
    errors: [fieldError(fieldOf(path[1]), 'BOM_CYCLE', `${text} would be a cycle`)],
    cycle: named,
  });
}

function inQuery(errors: FieldError[]): FieldError[] {
  return errors.map((e) => ({ ...e, in: 'query' as const }));
}

/** A product's explosion (S1-5.4.4-b): every level, phantoms blown through, scrap applied, exact. */
export async function explodeMaterial(tx: Sql, tenantId: string, materialId: string, q: ExplosionQuery): Promise<Explosion> {
  const material = await masterdata.findMaterial(tx, tenantId, materialId);
  if (!material) throw notFound('material', materialId);
  const type = q.type ?? 'manufacturing';
  const date = q.date ?? today();
  const errors: FieldError[] = [];
  const units = await UnitConverter.load(tx, tenantId);
  const quantity = units.toBase(material, q.quantity ?? '1', q.unit ?? material.baseUnit, '', errors);
  if (quantity && !quantity.gt(0)) errors.push(fieldError('quantity', 'NOT_POSITIVE', 'must be greater than 0'));
  let root: { id: string; revision: number; status: 'draft' | 'released' | 'obsolete' } | undefined;
  if (q.bomVersionId) {
    const v = (await repo.findVersion(tx, tenantId, q.bomVersionId))?.head;
    if (!v || v.material_id !== material.id || v.bom_type !== type) errors.push(fieldError('bomVersionId', 'NOT_THIS_BOM', `${q.bomVersionId} is not a version of the ${type} BOM of ${material.code}`));
    else root = { id: v.id, revision: v.revision, status: v.status };
  } else {
    root = await repo.effectiveVersion(tx, tenantId, material.id, type, date);
  }
  refuseIfAny(inQuery(errors), 'EXPLOSION_INVALID', `${material.code} cannot be exploded as asked`);
  const base = { materialId: material.id, materialCode: material.code, baseUnit: material.baseUnit, type, date, quantity: formatQty(quantity!) };
  if (!root) return { ...base, bom: null, truncated: false, items: [], totals: [] };

  const rows = await repo.explode(tx, tenantId, { type, date, rootVersionId: root.id, rootMaterialId: material.id, includeOptional: q.includeOptional ?? false, maxDepth: q.maxDepth ?? MAX_BOM_DEPTH, firstLevel: false });
  const kept = rows.filter((r) => !r.blown_through);
  const about = await describe(tx, tenantId, units, [material.id, ...rows.map((r) => r.component_id)]);
  const code = (id: string) => about(id).m.code;
  const alternates = await alternatesByLine(tx, tenantId, kept);
  const items: ExplosionRow[] = kept.map((r) => {
    const { m, decimals } = about(r.component_id);
    const amount = qty(r.per_unit).mul(quantity!);
    return {
      level: r.level,
      path: r.path.map(code),
      parentCode: code(r.parent_id),
      materialId: m.id,
      materialCode: m.code,
      materialName: m.name,
      baseUnit: m.baseUnit,
      bomVersionId: r.version_id,
      bomRevision: r.revision,
      lineNo: r.line_no,
      usage: formatQty(qty(r.usage)),
      scrapRate: formatQty(qty(r.scrap_rate)),
      perUnit: formatQty(qty(r.per_unit)),
      quantity: formatQty(amount),
      roundedQuantity: formatQty(upTo(amount, decimals)),
      operationSeq: r.operation_seq,
      optional: r.optional,
      phantom: r.phantom,
      viaPhantoms: r.via.map(code),
      made: r.made,
      issueType: m.production.issueType,
      alternates: alternates(r),
    };
  });
  const totals = new Map<string, { materialId: string; materialCode: string; baseUnit: string; sum: Qty; decimals: number; made: boolean }>();
  for (const [i, r] of kept.entries()) {
    const { m, decimals } = about(r.component_id);
    const t = totals.get(r.component_id) ?? { materialId: m.id, materialCode: m.code, baseUnit: m.baseUnit, sum: qty(0), decimals, made: r.made };
    t.sum = t.sum.plus(qty(items[i].quantity));
    totals.set(r.component_id, t);
  }
  return {
    ...base,
    bom: root,
    truncated: rows.some((r) => r.at_limit),
    items,
    totals: [...totals.values()].sort((a, b) => (a.materialCode < b.materialCode ? -1 : 1)).map((t) => ({
      materialId: t.materialId, materialCode: t.materialCode, baseUnit: t.baseUnit, quantity: formatQty(t.sum), roundedQuantity: formatQty(upTo(t.sum, t.decimals)), made: t.made,
    })),
  };
}

/** Alternates of exploded lines, per one unit of the product: the parent's per-unit × the alternate's usage × (1 + scrap). */
async function alternatesByLine(tx: Sql, tenantId: string, rows: repo.ExplodedRow[]) {
  const found = await repo.alternatesOf(tx, tenantId, rows.map((r) => ({ versionId: r.version_id, lineNo: r.line_no })));
  const codes = await codesOf(tx, tenantId, found.map((a) => a.component_id));
  return (r: repo.ExplodedRow) => found.filter((a) => a.version_id === r.version_id && a.line_no === r.line_no).map((a) => ({
    priority: a.priority,
    materialId: a.component_id,
    materialCode: codes.get(a.component_id)!,
    perUnit: formatQty(qty(r.parent_per_unit).mul(qty(a.base_quantity)).mul(qty(r.scrap_rate).div(100).plus(1))),
  }));
}

/** Every product whose BOM in effect uses the material, at every level up. */
export async function whereUsed(tx: Sql, tenantId: string, materialId: string, q: WhereUsedQuery): Promise<WhereUsed> {
  const material = await masterdata.findMaterial(tx, tenantId, materialId);
  if (!material) throw notFound('material', materialId);
  const type = q.type ?? 'manufacturing';
  const date = q.date ?? today();
  const rows = await repo.whereUsed(tx, tenantId, { type, date, materialId: material.id, maxDepth: q.maxDepth ?? MAX_BOM_DEPTH });
  const materials = await materialsById(tx, tenantId, [material.id, ...rows.map((r) => r.material_id)]);
  const items = rows.map((r) => {
    const m = materials.get(r.material_id)!;
    return {
      level: r.level, path: r.path.map((id) => materials.get(id)?.code ?? id), materialId: m.id, materialCode: m.code, materialName: m.name, baseUnit: m.baseUnit,
      bomVersionId: r.version_id, bomRevision: r.revision, lineNo: r.line_no, usage: formatQty(qty(r.usage)), phantom: r.phantom, perUnit: formatQty(qty(r.per_unit)),
    };
  });
  items.sort((a, b) => a.path.join('\u0000').localeCompare(b.path.join('\u0000')));
  return { materialId: material.id, materialCode: material.code, type, date, truncated: rows.some((r) => r.at_limit), items };
}

export interface Requirement {
  materialId: string;
  materialCode: string;
  baseUnit: string;
  operationSeq: number | null;
  bomVersionId: string;
  bomLineNo: number;
  viaPhantoms: string[];
  perUnit: Qty;
  scrapRate: string;
  standard: Qty;
  required: Qty;
  issueType: 'manual' | 'backflush_operation' | 'backflush_receipt';
  includeInKitting: boolean;
  optional: boolean;
  alternates: { priority: number; materialId: string; materialCode: string; perUnit: string }[];
}

/**
 * What one order of `quantity` (product base unit) consumes from a BOM version: its lines, with
 * phantoms blown through as of `date` (their components take the phantom's operation). standard
 * is exact; required is rounded up to the component's decimals (what can be issued).
 */
export async function requirementsOf(tx: Sql, tenantId: string, o: { bomVersionId: string; materialId: string; date: string; quantity: Qty; includeOptional: boolean }): Promise<Requirement[]> {
  const rows = await repo.explode(tx, tenantId, { type: 'manufacturing', date: o.date, rootVersionId: o.bomVersionId, rootMaterialId: o.materialId, includeOptional: o.includeOptional, maxDepth: MAX_BOM_DEPTH, firstLevel: true });
  const kept = rows.filter((r) => !r.blown_through);
  const about = await describe(tx, tenantId, await UnitConverter.load(tx, tenantId), rows.map((r) => r.component_id));
  const alternates = await alternatesByLine(tx, tenantId, kept);
  return kept.map((r) => {
    const { m, decimals } = about(r.component_id);
    const standard = qty(r.per_unit).mul(o.quantity);
    return {
      materialId: m.id, materialCode: m.code, baseUnit: m.baseUnit, operationSeq: r.operation_seq, bomVersionId: r.version_id, bomLineNo: r.line_no,
      viaPhantoms: r.via.map((id) => about(id).m.code), perUnit: qty(r.per_unit), scrapRate: formatQty(qty(r.scrap_rate)), standard, required: upTo(standard, decimals),
      issueType: m.production.issueType, includeInKitting: m.production.includeInKitting, optional: r.optional, alternates: alternates(r),
    };
  });
}
