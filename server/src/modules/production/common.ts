/** What the production module's files share: schema pieces, who acts, and version rules. */
import { Type, type TSchema } from '@sinclair/typebox';
import type { Sql } from '../../platform/db.js';
import { conflict, fieldError, unprocessable, type FieldError } from '../../platform/errors.js';
import * as masterdata from '../masterdata/repo.js';
import type { Material } from '../masterdata/schema.js';

export { whoOf, type Who } from '../sales/service.js';

export const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
export const Lit = <T extends string>(...v: T[]) => Type.Union(v.map((x) => Type.Literal(x)));
export const DateOnly = (description?: string) => Type.String({ format: 'date', description });
export const Minutes = (description: string) => Type.String({ pattern: '^(0|[1-9][0-9]{0,7})(\\.[0-9]{1,4})?$', description: `${description}; minutes, a decimal string` });
export const Percent = (description: string) => Type.String({ pattern: '^(0|[1-9][0-9]?)(\\.[0-9]{1,4})?$', description: `${description}; percent, 0 to below 100` });
export const VersionBody = Type.Object({ version: Type.Integer({ minimum: 1, description: 'The version you read' }) }, { additionalProperties: false });

export const VERSION_STATUSES = ['draft', 'released', 'obsolete'] as const;
export type VersionStatus = (typeof VERSION_STATUSES)[number];

/** Today's date (UTC), the default "as of" of explosions and effectivity. */
export const today = () => new Date().toISOString().slice(0, 10);

export function assertVersion(doc: { version: number }, version: number, what: string): void {
  if (doc.version !== version) throw conflict('VERSION_CONFLICT', `${what} is at version ${doc.version}, not ${version}; read it again and reapply your change`, { currentVersion: doc.version });
}

/** Released and obsolete engineering versions are facts: a change needs a new revision. */
export function assertDraft(doc: { status: VersionStatus }, what: string): void {
  if (doc.status !== 'draft') {
    throw conflict('RELEASED_IMMUTABLE', `${what} is ${doc.status} and cannot change; create a new revision`, { documentStatus: doc.status });
  }
}

/**
 * Refuses input with every problem found: the problem's code is the field errors' one when they
 * all share it (BOM_CYCLE, INEXACT_CONVERSION, UNIT_NOT_CONVERTIBLE…), else `fallback`.
 */
export function refuseIfAny(errors: FieldError[], fallback: string, message: string): void {
  if (!errors.length) return;
  const codes = new Set(errors.map((e) => e.code));
  throw unprocessable(codes.size === 1 ? [...codes][0] : fallback, `${message}; nothing was saved`, errors);
}

/** Materials by id, for naming what this module's rows refer to. */
export async function materialsById(tx: Sql, tenantId: string, ids: string[]): Promise<Map<string, Material>> {
  return new Map((await masterdata.findMaterials(tx, tenantId, [...new Set(ids)], [])).map((m) => [m.id, m]));
}

/** Resolves materials named by id or code in many places at once; records UNKNOWN_MATERIAL and friends. */
export class MaterialRefs {
  private constructor(private readonly byId: Map<string, Material>, private readonly byCode: Map<string, Material>) {}

  static async load(tx: Sql, tenantId: string, refs: { materialId?: string; materialCode?: string }[]): Promise<MaterialRefs> {
    const found = await masterdata.findMaterials(tx, tenantId, refs.flatMap((r) => (r.materialId ? [r.materialId] : [])), refs.flatMap((r) => (r.materialCode ? [r.materialCode] : [])));
    return new MaterialRefs(new Map(found.map((m) => [m.id, m])), new Map(found.map((m) => [m.code, m])));
  }

  get(id: string): Material | undefined {
    return this.byId.get(id);
  }

  /** The material a reference names; `field` is the object holding materialId/materialCode. */
  pick(ref: { materialId?: string; materialCode?: string }, field: string, errors: FieldError[], opts: { activeOnly?: boolean } = {}): Material | undefined {
    const at = (k: string) => (field ? `${field}.${k}` : k);
    if (!ref.materialId && !ref.materialCode) return errors.push(fieldError(at('materialId'), 'REQUIRED', 'name the material by materialId or materialCode')), undefined;
    const m = ref.materialId ? this.byId.get(ref.materialId) : this.byCode.get(ref.materialCode!);
    const attr = ref.materialId ? 'materialId' : 'materialCode';
    if (!m) return errors.push(fieldError(at(attr), 'UNKNOWN_MATERIAL', `no material ${ref.materialId ?? ref.materialCode}`)), undefined;
    if (ref.materialId && ref.materialCode && m.code !== ref.materialCode) return errors.push(fieldError(at('materialCode'), 'CONFLICTING_REFERENCES', `${ref.materialCode} is not material ${ref.materialId}`)), undefined;
    if (opts.activeOnly && m.status === 'blocked') return errors.push(fieldError(at(attr), 'MATERIAL_BLOCKED', `material ${m.code} is blocked`)), undefined;
    return m;
  }
}
