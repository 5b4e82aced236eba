/**
 * Drawing revision requests (S1-5.4.5-e): a defect found by a quality inspection asks for a
 * revision of the process drawing linked to it. Production owns drawings and their requests;
 * quality calls requestRevision. requested → accepted → done once a newer revision is uploaded;
 * rejected (with a note) from requested or accepted.
 */
import type { Sql } from '../../platform/db.js';
import { conflict, fieldError, notFound, unprocessable } from '../../platform/errors.js';
import { recordEvent } from '../../platform/outbox.js';
import type { Who } from './common.js';
import * as repo from './drawing-request-repo.js';
import * as drawings from './drawing-repo.js';
import type { DecideRevisionRequestInput, DrawingRevisionRequest } from './drawing-schema.js';

const toRequest = (r: repo.RequestRow): DrawingRevisionRequest => ({
  id: r.id, drawingId: r.drawing_id, drawingCode: r.drawing_code, inspectionId: r.inspection_id, defectCode: r.defect_code, reason: r.reason, state: r.state,
  revisionAtRequest: r.revision_at_request, doneRevision: r.done_revision, decisionNote: r.decision_note, requestedBy: r.requested_by,
  requestedAt: r.requested_at.toISOString(), decidedBy: r.decided_by, decidedAt: r.decided_at?.toISOString() ?? null, version: r.version,
});

/** What an inspection inspected, for telling whether a drawing is linked to it. */
export interface InspectedThing { materialId: string; planCode: string | null; routingCode: string | null; operationSeq: number | null }

/** A drawing is linked to an inspection when it is of its product, of its plan (inspectionRef), or of the routing operation inspected. */
const linked = (d: drawings.DrawingRow, i: InspectedThing) =>
  d.material_id === i.materialId || (d.inspection_ref !== null && d.inspection_ref === i.planCode)
  || (d.operation_seq !== null && d.operation_seq === i.operationSeq && d.routing_code === i.routingCode);

export async function requestRevision(
  tx: Sql, who: Who, r: { drawingId: string; inspectionId: string; inspected: InspectedThing; defectCode: string; reason: string },
): Promise<DrawingRevisionRequest> {
  const drawing = await drawings.findDrawing(tx, who.tenantId, r.drawingId);
  if (!drawing) throw unprocessable('REVISION_REQUEST_INVALID', `no drawing ${r.drawingId}`, [fieldError('drawingId', 'UNKNOWN_DRAWING', `no drawing ${r.drawingId}`)]);
  if (!linked(drawing, r.inspected)) {
    throw unprocessable('REVISION_REQUEST_INVALID', `drawing ${drawing.code} is not of the product, plan or operation inspected`, [
      fieldError('drawingId', 'DRAWING_NOT_LINKED', `drawing ${drawing.code} is not of the product, plan or operation inspected`),
    ]);
  }
  const id = await repo.insertRequest(tx, who.tenantId, {
    drawingId: drawing.id, inspectionId: r.inspectionId, defectCode: r.defectCode, reason: r.reason, revisionAtRequest: drawing.current_revision, requestedBy: who.actor,
  });
  recordEvent(tx, {
    tenantId: who.tenantId, type: 'drawing_revision_request.created', aggregateType: 'drawing', aggregateId: drawing.id,
    payload: { id, drawingId: drawing.id, code: drawing.code, inspectionId: r.inspectionId, defectCode: r.defectCode },
  });
  return getRequest(tx, who.tenantId, id);
}

export async function getRequest(tx: Sql, tenantId: string, id: string): Promise<DrawingRevisionRequest> {
  const r = await repo.findRequest(tx, tenantId, id);
  if (!r) throw notFound('drawing revision request', id);
  return toRequest(r);
}

export async function requestsOfDrawing(tx: Sql, tenantId: string, drawingId: string): Promise<DrawingRevisionRequest[]> {
  if (!(await drawings.findDrawing(tx, tenantId, drawingId))) throw notFound('drawing', drawingId);
  return (await repo.listRequests(tx, tenantId, { drawingId })).map(toRequest);
}

export async function requestsOfInspection(tx: Sql, tenantId: string, inspectionId: string): Promise<DrawingRevisionRequest[]> {
  return (await repo.listRequests(tx, tenantId, { inspectionId })).map(toRequest);
}

const NEXT: Record<string, string[]> = { requested: ['accepted', 'rejected'], accepted: ['done', 'rejected'], done: [], rejected: [] };

/** Accept, reject (with a note) or close as done (a revision newer than the one asked about exists), with the version read. */
export async function decide(tx: Sql, who: Who, id: string, input: DecideRevisionRequestInput): Promise<DrawingRevisionRequest> {
  const r = await repo.findRequest(tx, who.tenantId, id, true);
  if (!r) throw notFound('drawing revision request', id);
  if (r.version !== input.version) throw conflict('VERSION_CONFLICT', `the request is at version ${r.version}, not ${input.version}; reload it`, { currentVersion: r.version });
  if (!NEXT[r.state].includes(input.state)) throw conflict('STATE_TRANSITION_INVALID', `a ${r.state} request cannot become ${input.state}`);
  if (input.state === 'rejected' && !input.note?.trim()) throw unprocessable('REVISION_REQUEST_INVALID', 'say why the request is rejected', [fieldError('note', 'REQUIRED', 'a rejection needs a note')]);
  let doneRevision: number | null = null;
  if (input.state === 'done') {
    const drawing = (await drawings.findDrawing(tx, who.tenantId, r.drawing_id))!;
    if (drawing.current_revision <= r.revision_at_request) {
      throw conflict('NO_NEW_REVISION', `drawing ${drawing.code} is still at revision ${drawing.current_revision}, as when the request was made; upload the revised drawing first`);
    }
    doneRevision = drawing.current_revision;
  }
  await repo.decide(tx, who.tenantId, id, { state: input.state, note: input.note ?? '', by: who.actor, doneRevision });
  recordEvent(tx, {
    tenantId: who.tenantId, type: 'drawing_revision_request.changed', aggregateType: 'drawing', aggregateId: r.drawing_id,
    payload: { id, drawingId: r.drawing_id, from: r.state, to: input.state, doneRevision },
  });
  return getRequest(tx, who.tenantId, id);
}
