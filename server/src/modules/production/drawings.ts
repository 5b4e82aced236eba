/**
 * Process drawings (S1-5.4.4-d): product, machining and inspection drawings, linked to a product,
 * an operation of a routing, or an inspection; uploaded as revisions whose bytes are stored in the
 * database (a backup holds them), typed by their content, hashed (SHA-256) and size-limited.
 */
import { createHash } from 'node:crypto';
import type { Sql } from '../../platform/db.js';
import { MesProblem, conflict, fieldError, notFound, unprocessable, type FieldError } from '../../platform/errors.js';
import { recordEvent } from '../../platform/outbox.js';
import { MaterialRefs, materialsById, refuseIfAny, type Who } from './common.js';
import * as repo from './drawing-repo.js';
import type { CreateDrawingInput, Drawing, DrawingListQuery, DrawingRevision, DrawingSummary } from './drawing-schema.js';
import * as routings from './routing-repo.js';
import { declaredType, sniff, DRAWING_TYPES } from './sniff.js';

const EXTENSIONS: Record<string, string> = {
  'application/pdf': 'pdf', 'image/png': 'png', 'image/jpeg': 'jpg', 'image/svg+xml': 'svg', 'image/vnd.dxf': 'dxf', 'image/vnd.dwg': 'dwg',
};

const toRevision = (r: repo.RevisionRow): DrawingRevision => ({
  revision: r.revision, fileName: r.file_name, contentType: r.content_type, sizeBytes: r.size_bytes, sha256: r.sha256, note: r.note, uploadedBy: r.uploaded_by,
  uploadedAt: r.uploaded_at.toISOString(),
});

async function headers(tx: Sql, tenantId: string, rows: repo.DrawingRow[]) {
  const materials = await materialsById(tx, tenantId, rows.flatMap((r) => (r.material_id ? [r.material_id] : [])));
  return rows.map((r) => ({
    id: r.id, code: r.code, name: r.name, kind: r.kind, materialId: r.material_id, materialCode: r.material_id ? materials.get(r.material_id)?.code ?? null : null,
    routingId: r.routing_id, routingCode: r.routing_code, operationSeq: r.operation_seq, inspectionRef: r.inspection_ref, currentRevision: r.current_revision,
    version: r.version, createdBy: r.created_by, createdAt: r.created_at.toISOString(), updatedAt: r.updated_at.toISOString(),
  }));
}

export async function getDrawing(tx: Sql, tenantId: string, id: string): Promise<Drawing> {
  const row = await repo.findDrawing(tx, tenantId, id);
  if (!row) throw notFound('drawing', id);
  const [head] = await headers(tx, tenantId, [row]);
  return { ...head, revisions: (await repo.revisions(tx, tenantId, [id])).map(toRevision) };
}

export async function listDrawings(tx: Sql, tenantId: string, q: DrawingListQuery & { limit: number; after?: string }): Promise<DrawingSummary[]> {
  const rows = await repo.listDrawings(tx, tenantId, q);
  const current = await repo.revisions(tx, tenantId, rows.map((r) => r.id), true);
  return (await headers(tx, tenantId, rows)).map((h) => {
    const c = current.find((r) => r.drawing_id === h.id);
    return { ...h, current: c ? toRevision(c) : null };
  });
}

/** A drawing and what it is a drawing of; its files come as revisions (uploadRevision). */
export async function createDrawing(tx: Sql, who: Who, input: CreateDrawingInput): Promise<Drawing> {
  const errors: FieldError[] = [];
  const material = input.materialId || input.materialCode ? (await MaterialRefs.load(tx, who.tenantId, [input])).pick(input, '', errors) : undefined;
  let routingId: string | null = null;
  if (input.operationSeq !== undefined && !input.routingCode) errors.push(fieldError('routingCode', 'REQUIRED', 'an operation is named by routingCode and operationSeq'));
  if (input.routingCode) {
    routingId = (await routings.findHeaderByCode(tx, who.tenantId, input.routingCode))?.id ?? null;
    if (!routingId) errors.push(fieldError('routingCode', 'UNKNOWN_ROUTING', `no routing ${input.routingCode}`));
    else if (input.operationSeq !== undefined && !(await repo.routingHasOperation(tx, who.tenantId, routingId, input.operationSeq))) {
      errors.push(fieldError('operationSeq', 'UNKNOWN_OPERATION', `routing ${input.routingCode} has no operation ${input.operationSeq}`));
    }
  }
  if (await repo.codeTaken(tx, who.tenantId, input.code)) throw conflict('DRAWING_CODE_TAKEN', `drawing ${input.code} already exists`, { errors: [fieldError('code', 'TAKEN', 'is already in use')] });
  refuseIfAny(errors, 'DRAWING_INVALID', 'the drawing cannot be created as given');
  const id = await repo.insertDrawing(tx, who.tenantId, {
    code: input.code, name: input.name, kind: input.kind, materialId: material?.id ?? null, routingId, operationSeq: input.operationSeq ?? null,
    inspectionRef: input.inspectionRef ?? null, createdBy: who.actor,
  });
  const drawing = await getDrawing(tx, who.tenantId, id);
  recordEvent(tx, { tenantId: who.tenantId, type: 'drawing.created', aggregateType: 'drawing', aggregateId: id, payload: { id, code: drawing.code, kind: drawing.kind, version: drawing.version } });
  return drawing;
}

/** The upload's bytes must fit the limit; the caller checks it before reading the body too. */
export function drawingTooLarge(bytes: number, limit: number): MesProblem {
  return new MesProblem(413, 'DRAWING_TOO_LARGE', `the file is ${bytes} bytes; drawings may be at most ${limit} bytes (MES_DRAWING_MAX_BYTES)`, { limitBytes: limit });
}

/**
 * A new revision of a drawing from the request's bytes. The content decides the type: bytes that
 * are none of the drawing formats are 415 DRAWING_TYPE_UNSUPPORTED, and a declared Content-Type
 * the bytes contradict is 422 DRAWING_TYPE_MISMATCH. Revisions number 1, 2, 3 … under the
 * drawing's row lock, so two uploads at once get two numbers.
 */
export async function uploadRevision(tx: Sql, who: Who, id: string, upload: { body: unknown; contentType: string | undefined; fileName?: string; note?: string; maxBytes: number }): Promise<Drawing> {
  const drawing = await repo.findDrawing(tx, who.tenantId, id, true);
  if (!drawing) throw notFound('drawing', id);
  const bytes = Buffer.isBuffer(upload.body) ? upload.body : undefined;
  if (!bytes?.length) throw unprocessable('DRAWING_EMPTY', 'send the file as the request body (Content-Type: its type or application/octet-stream)', [fieldError('(body)', 'EMPTY', 'no bytes')]);
  if (bytes.length > upload.maxBytes) throw drawingTooLarge(bytes.length, upload.maxBytes);
  const declared = declaredType(upload.contentType);
  const detected = sniff(bytes);
  if (declared === 'unsupported' || !detected) {
    throw new MesProblem(415, 'DRAWING_TYPE_UNSUPPORTED', `drawings are ${DRAWING_TYPES.join(', ')}; ${detected ? `Content-Type ${upload.contentType} is none of them` : 'these bytes are none of them'}`, {
      declaredType: upload.contentType ?? null, supportedTypes: DRAWING_TYPES,
    });
  }
  if (declared !== 'any' && declared !== detected) {
    throw unprocessable('DRAWING_TYPE_MISMATCH', `the request says ${upload.contentType} but the bytes are ${detected}; nothing was saved`, [
      fieldError('content-type', 'DRAWING_TYPE_MISMATCH', `the content is ${detected}`, 'header'),
    ]);
  }
  const revision = drawing.current_revision + 1;
  await repo.insertRevision(tx, who.tenantId, {
    drawing_id: id, revision, file_name: upload.fileName ?? `${drawing.code}-${revision}.${EXTENSIONS[detected]}`, content_type: detected, size_bytes: bytes.length,
    sha256: createHash('sha256').update(bytes).digest('hex'), content: bytes, note: upload.note ?? '', uploaded_by: who.actor,
  });
  const result = await getDrawing(tx, who.tenantId, id);
  recordEvent(tx, {
    tenantId: who.tenantId, type: 'drawing.revised', aggregateType: 'drawing', aggregateId: id,
    payload: { id, code: result.code, revision, contentType: detected, sha256: result.revisions[0].sha256, version: result.version },
  });
  return result;
}

/** A revision's bytes (default the current one). */
export async function readContent(tx: Sql, tenantId: string, id: string, revision?: number) {
  const drawing = await repo.findDrawing(tx, tenantId, id);
  if (!drawing) throw notFound('drawing', id);
  const wanted = revision ?? drawing.current_revision;
  const found = wanted > 0 ? await repo.content(tx, tenantId, id, wanted) : undefined;
  if (!found) throw new MesProblem(404, 'RESOURCE_NOT_FOUND', drawing.current_revision ? `drawing ${drawing.code} has no revision ${wanted}` : `drawing ${drawing.code} has no file yet`);
  return { drawing, revision: found };
}

