/**
 * Routings (S1-5.4.4-c): operations in sequence, each at a work centre with standard setup and run
 * times, queue and move times, and whether (and what) it inspects; alternate work centres per
 * operation. Routings are shared by products (a material names its default routing by code) and
 * revised like BOMs: one draft at a time, released by production:approve, immutable once released.
 */
import type { Sql } from '../../platform/db.js';
import { fieldError, notFound, unprocessable, type FieldError } from '../../platform/errors.js';
import { recordEvent } from '../../platform/outbox.js';
import { formatQty, qty } from '../../platform/quantity.js';
import * as plant from '../plant/service.js';
import type { WorkCentre } from '../plant/schema.js';
import { refuseIfAny, today, type Who } from './common.js';
import { checkEffectivity, editableDraft, nextRevision, releaseVersion } from './engineering.js';
import * as engineering from './engineering-repo.js';
import * as repo from './routing-repo.js';
import type { CreateRoutingInput, OperationInput, Routing, RoutingListQuery, RoutingSummary, UpdateRoutingInput } from './routing-schema.js';

const what = (r: { code: string }) => (revision: number) => `routing ${r.code} revision ${revision}`;
const minutes = (v: string | undefined) => formatQty(qty(v ?? '0'));

/** Whether a routing with this code exists (a material's default routing must). */
export async function routingExists(tx: Sql, tenantId: string, code: string): Promise<boolean> {
  return (await repo.findHeaderByCode(tx, tenantId, code)) !== undefined;
}

/** Which of these routing codes exist, in one query. */
export const existingRoutings = repo.existingCodes;

/** The routing version in effect on a date for a routing code. */
export const effectiveRouting = repo.effectiveVersion;

function toSummary(v: repo.VersionRow): RoutingSummary {
  return {
    id: v.id, routingId: v.routing_id, code: v.code, name: v.name, revision: v.revision, status: v.status, effectiveFrom: v.effective_from, effectiveTo: v.effective_to,
    remark: v.remark, version: v.version, createdBy: v.created_by, releasedBy: v.released_by, releasedAt: v.released_at?.toISOString() ?? null,
    obsoletedAt: v.obsoleted_at?.toISOString() ?? null, createdAt: v.created_at.toISOString(), updatedAt: v.updated_at.toISOString(), operationCount: v.operation_count,
  };
}

export async function findRouting(tx: Sql, tenantId: string, id: string): Promise<Routing | undefined> {
  const found = await repo.findVersion(tx, tenantId, id);
  if (!found) return undefined;
  const { head, operations, alternates } = found;
  const centres = new Map((await plant.findWorkCentres(tx, tenantId, [...operations.map((o) => o.work_centre_id), ...alternates.map((a) => a.work_centre_id)], [])).map((w) => [w.id, w]));
  const { operationCount: _, ...rest } = toSummary(head);
  return {
    ...rest,
    operations: operations.map((o) => {
      const wc = centres.get(o.work_centre_id)!;
      return {
        seq: o.seq, name: o.name, description: o.description, workCentreId: wc.id, workCentreCode: wc.code, workshopId: wc.workshopId, setupMinutes: o.setup_minutes,
        runMinutes: o.run_minutes, queueMinutes: o.queue_minutes, moveMinutes: o.move_minutes, inspectionPoint: o.inspection_point, inspectionText: o.inspection_text,
        inspectionRef: o.inspection_ref,
        alternates: alternates.filter((a) => a.seq === o.seq).map((a) => ({
          priority: a.priority, workCentreId: a.work_centre_id, workCentreCode: centres.get(a.work_centre_id)!.code, setupMinutes: a.setup_minutes, runMinutes: a.run_minutes,
        })),
      };
    }),
  };
}

export async function getRouting(tx: Sql, tenantId: string, id: string): Promise<Routing> {
  const r = await findRouting(tx, tenantId, id);
  if (!r) throw notFound('routing version', id);
  return r;
}

export async function listRoutings(tx: Sql, tenantId: string, q: RoutingListQuery & { limit: number; after?: [string, string] }): Promise<RoutingSummary[]> {
  return (await repo.listVersions(tx, tenantId, q)).map(toSummary);
}

/** Operations as stored, every problem reported: unique sequence numbers, known active work centres, inspection points that say what to inspect. */
async function resolveOperations(tx: Sql, tenantId: string, ops: OperationInput[], errors: FieldError[]): Promise<repo.NewOperation[]> {
  const refs = ops.flatMap((o) => [o, ...(o.alternates ?? [])]);
  const centres = await plant.findWorkCentres(tx, tenantId, refs.flatMap((r) => (r.workCentreId ? [r.workCentreId] : [])), refs.flatMap((r) => (r.workCentreCode ? [r.workCentreCode] : [])));
  const pick = (r: { workCentreId?: string; workCentreCode?: string }, field: string): WorkCentre | undefined => {
    if (!r.workCentreId && !r.workCentreCode) return errors.push(fieldError(`${field}.workCentreId`, 'REQUIRED', 'name the work centre by workCentreId or workCentreCode')), undefined;
    const wc = centres.find((c) => (r.workCentreId ? c.id === r.workCentreId : c.code === r.workCentreCode));
    const attr = r.workCentreId ? 'workCentreId' : 'workCentreCode';
    if (!wc) return errors.push(fieldError(`${field}.${attr}`, 'UNKNOWN_WORK_CENTRE', `no work centre ${r.workCentreId ?? r.workCentreCode}`)), undefined;
    if (wc.status === 'blocked') return errors.push(fieldError(`${field}.${attr}`, 'WORK_CENTRE_BLOCKED', `work centre ${wc.code} is blocked`)), undefined;
    return wc;
  };
  const seen = new Set<number>();
  const out: repo.NewOperation[] = [];
  for (const [i, o] of ops.entries()) {
    const field = `operations[${i}]`;
    if (seen.has(o.seq)) errors.push(fieldError(`${field}.seq`, 'DUPLICATE_SEQ', `operation ${o.seq} is given twice`));
    seen.add(o.seq);
    const wc = pick(o, field);
    if (o.inspectionPoint && !o.inspectionText?.trim() && !o.inspectionRef) {
      errors.push(fieldError(`${field}.inspectionText`, 'INSPECTION_UNDEFINED', 'an inspection point says what to inspect (inspectionText) or names an inspection plan (inspectionRef)'));
    }
    const alternates: repo.NewOperation['alternates'] = [];
    for (const [j, a] of (o.alternates ?? []).entries()) {
      const at = `${field}.alternates[${j}]`;
      const alt = pick(a, at);
      const priority = a.priority ?? j + 1;
      if (alt && (alt.id === wc?.id || alternates.some((x) => x.workCentreId === alt.id))) errors.push(fieldError(`${at}.workCentreId`, 'DUPLICATE_ALTERNATE', `${alt.code} is already on this operation`));
      if (alternates.some((x) => x.priority === priority)) errors.push(fieldError(`${at}.priority`, 'DUPLICATE_PRIORITY', `priority ${priority} is given twice`));
      if (alt) alternates.push({ priority, workCentreId: alt.id, setupMinutes: a.setupMinutes === undefined ? null : minutes(a.setupMinutes), runMinutes: a.runMinutes === undefined ? null : minutes(a.runMinutes) });
    }
    if (!wc) continue;
    out.push({
      seq: o.seq, name: o.name, description: o.description ?? '', workCentreId: wc.id, setupMinutes: minutes(o.setupMinutes), runMinutes: minutes(o.runMinutes),
      queueMinutes: minutes(o.queueMinutes), moveMinutes: minutes(o.moveMinutes), inspectionPoint: o.inspectionPoint ?? false, inspectionText: o.inspectionText ?? '',
      inspectionRef: o.inspectionRef ?? null, alternates,
    });
  }
  return out.sort((a, b) => a.seq - b.seq);
}

/** A new routing with its first draft revision, or a new draft revision of the routing with that code. */
export async function createRouting(tx: Sql, who: Who, input: CreateRoutingInput): Promise<Routing> {
  const errors: FieldError[] = [];
  const existing = await repo.findHeaderByCode(tx, who.tenantId, input.code);
  if (!existing && !input.name) errors.push(fieldError('name', 'REQUIRED', `routing ${input.code} is new: give it a name`));
  const ops = await resolveOperations(tx, who.tenantId, input.operations, errors);
  const effectiveFrom = input.effectiveFrom ?? today();
  checkEffectivity(effectiveFrom, input.effectiveTo, errors);
  refuseIfAny(errors, 'ROUTING_INVALID', 'the routing cannot be saved as given');
  const headerId = existing?.id ?? (await repo.insertHeader(tx, who.tenantId, input.code, input.name!));
  if (existing && input.name && input.name !== existing.name) await repo.renameHeader(tx, who.tenantId, existing.id, input.name);
  const revision = await nextRevision(tx, who.tenantId, 'routing', headerId, `routing ${input.code}`);
  const id = await engineering.insertVersion(tx, who.tenantId, 'routing', { headerId, revision, effectiveFrom, effectiveTo: input.effectiveTo ?? null, remark: input.remark ?? '', createdBy: who.actor });
  await repo.replaceOperations(tx, who.tenantId, id, ops);
  const routing = await getRouting(tx, who.tenantId, id);
  emit(tx, who, routing, 'created');
  return routing;
}

export async function updateRouting(tx: Sql, who: Who, id: string, input: UpdateRoutingInput): Promise<Routing> {
  const current = await getRouting(tx, who.tenantId, id);
  const row = await editableDraft(tx, who.tenantId, 'routing', id, input.version, what(current));
  const errors: FieldError[] = [];
  const ops = input.operations && (await resolveOperations(tx, who.tenantId, input.operations, errors));
  checkEffectivity(input.effectiveFrom ?? row.effective_from, input.effectiveTo === undefined ? row.effective_to : input.effectiveTo, errors);
  refuseIfAny(errors, 'ROUTING_INVALID', 'the routing cannot be changed as given');
  if (ops) await repo.replaceOperations(tx, who.tenantId, id, ops);
  await engineering.updateDraft(tx, who.tenantId, 'routing', id, input);
  return getRouting(tx, who.tenantId, id);
}

export async function releaseRouting(tx: Sql, who: Who, id: string, version: number): Promise<Routing> {
  const current = await getRouting(tx, who.tenantId, id);
  const { superseded } = await releaseVersion(tx, who, 'routing', id, version, what(current), async () => {
    if (!current.operations.length) throw unprocessable('ROUTING_EMPTY', `${what(current)(current.revision)} has no operations; a routing is released with at least one`, [fieldError('operations', 'EMPTY', 'add at least one operation')]);
  });
  const routing = await getRouting(tx, who.tenantId, id);
  emit(tx, who, routing, 'released', { supersededRevisions: superseded });
  return routing;
}

function emit(tx: Sql, who: Who, r: Routing, what: string, extra: Record<string, unknown> = {}): void {
  recordEvent(tx, {
    tenantId: who.tenantId, type: `routing.${what}`, aggregateType: 'routing', aggregateId: r.id,
    payload: { id: r.id, routingId: r.routingId, code: r.code, revision: r.revision, status: r.status, effectiveFrom: r.effectiveFrom, version: r.version, ...extra },
  });
}
