import { Type } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import type { AppContext, MesApp } from '../../app.js';
import { CURSOR, decodeCursor, pageOf } from '../../platform/pagination.js';
import { auditRead, mutate, principalOf, read, readAudited } from '../../platform/request.js';
import { IdParams, problems } from '../../platform/schemas.js';
import { whoOf } from './common.js';
import {
  ContentQuery, CreateDrawingBody, DecideRevisionRequestBody, DrawingContent, DrawingRevisionRequestListSchema, DrawingRevisionRequestSchema, DrawingListQuery, DrawingPageSchema, DrawingSchema, DrawingSummarySchema, UploadBody, UploadQuery,
} from './drawing-schema.js';
import * as requests from './drawing-requests.js';
import * as drawings from './drawings.js';

/** Reads an upload's bytes as they come, refusing it as soon as it passes the limit. */
function binaryBody(maxBytes: number) {
  return async (req: FastifyRequest, payload: AsyncIterable<Buffer>): Promise<Buffer> => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > maxBytes) throw drawings.drawingTooLarge(declared, maxBytes);
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of payload) {
      size += chunk.length;
      if (size > maxBytes) throw drawings.drawingTooLarge(size, maxBytes);
      chunks.push(chunk);
    }
    return Buffer.concat(chunks);
  };
}

/** `filename` for Content-Disposition: ASCII fallback plus the UTF-8 name (RFC 6266). */
function disposition(kind: 'inline' | 'attachment', name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

/** Process drawings (S1-5.4.4-d): metadata as JSON, files as raw bytes, every download audited. */
export function drawingRoutes(app: MesApp, { db, config }: AppContext): void {
  for (const s of [DrawingSchema, DrawingSummarySchema, DrawingPageSchema, DrawingRevisionRequestSchema, DrawingRevisionRequestListSchema]) app.addSchema(s);
  const tags = ['production'];
  const readPerm = { permission: 'production:read' };
  const writePerm = { permission: 'production:write' };
  const tenant = (req: FastifyRequest) => principalOf(req).tenantId;

  app.get('/v1/drawings', {
    config: readPerm,
    schema: { operationId: 'listDrawings', tags, summary: 'Process drawings by code: of a product (materialId), an operation (routingCode, operationSeq) or an inspection', querystring: DrawingListQuery, response: { 200: Type.Ref(DrawingPageSchema), ...problems() } },
  }, async (req) => {
    const limit = req.query.limit ?? 50;
    const rows = await read(db, req, (tx) => drawings.listDrawings(tx, tenant(req), { ...req.query, limit, after: decodeCursor(req.query.cursor, CURSOR.code)?.[0] }));
    return pageOf(rows, limit, (d) => [d.code], (d) => d);
  });

  app.post('/v1/drawings', {
    config: writePerm,
    schema: { operationId: 'createDrawing', tags, summary: 'A process drawing (product, machining or inspection) and what it is of; upload its files as revisions', body: CreateDrawingBody, response: { 201: Type.Ref(DrawingSchema), ...problems(409, 422) } },
  }, async (req, reply) => mutate(db, req, reply, (tx) => drawings.createDrawing(tx, whoOf(principalOf(req)), req.body), { status: 201, resource: (d) => `drawing/${d.id}`, details: (d) => ({ code: d.code }) }));

  app.get('/v1/drawings/:id', {
    config: readPerm,
    schema: { operationId: 'getDrawing', tags, summary: 'A drawing with its revisions (newest first)', params: IdParams, response: { 200: Type.Ref(DrawingSchema), ...problems(404) } },
  }, async (req) => read(db, req, (tx) => drawings.getDrawing(tx, tenant(req), req.params.id)));

  // --- revision requests from quality defects (S1-5.4.5-e); made by POST /v1/quality-inspections/{id}/drawing-revision-requests

  app.get('/v1/drawings/:id/revision-requests', {
    config: readPerm,
    schema: { operationId: 'listDrawingRevisionRequests', tags, summary: 'Revision requests of a drawing from inspection defects, oldest first', params: IdParams, response: { 200: Type.Ref(DrawingRevisionRequestListSchema), ...problems(404) } },
  }, async (req) => ({ items: await read(db, req, (tx) => requests.requestsOfDrawing(tx, tenant(req), req.params.id)) }));

  app.get('/v1/drawing-revision-requests/:id', {
    config: readPerm,
    schema: { operationId: 'getDrawingRevisionRequest', tags, summary: 'A drawing revision request: drawing, inspection and defect, state', params: IdParams, response: { 200: Type.Ref(DrawingRevisionRequestSchema), ...problems(404) } },
  }, async (req) => read(db, req, (tx) => requests.getRequest(tx, tenant(req), req.params.id)));

  app.patch('/v1/drawing-revision-requests/:id', {
    config: writePerm,
    schema: {
      operationId: 'decideDrawingRevisionRequest', tags,
      summary: 'Accept or reject (with a note) a revision request, or close it as done once a newer revision is uploaded; with the version read',
      params: IdParams, body: DecideRevisionRequestBody, response: { 200: Type.Ref(DrawingRevisionRequestSchema), ...problems(404, 409, 422) },
    },
  }, async (req, reply) => mutate(db, req, reply, (tx) => requests.decide(tx, whoOf(principalOf(req)), req.params.id, req.body), {
    resource: (r) => `drawing-revision-request/${r.id}`, details: (r) => ({ drawingId: r.drawingId, state: r.state, doneRevision: r.doneRevision }),
  }));

  app.get('/v1/drawings/:id/content', {
    config: readPerm,
    schema: {
      operationId: 'getDrawingContent', tags, summary: 'A revision\'s file (default the current), to view inline or download; every download is audited',
      params: IdParams, querystring: ContentQuery, response: { 200: DrawingContent, ...problems(404) },
    },
  }, async (req, reply) => {
    const { drawing, revision } = await readAudited(db, req, async (tx) => {
      const found = await drawings.readContent(tx, tenant(req), req.params.id, req.query.revision);
      await auditRead(tx, req, `drawing/${found.drawing.id}`, { revision: found.revision.revision, sha256: found.revision.sha256, bytes: found.revision.size_bytes });
      return found;
    });
    return reply
      .type(revision.content_type)
      .header('etag', `"${revision.sha256}"`)
      .header('repr-digest', `sha-256=:${Buffer.from(revision.sha256, 'hex').toString('base64')}:`)
      .header('content-disposition', disposition(req.query.download ? 'attachment' : 'inline', revision.file_name))
      .header('cache-control', 'private, no-cache')
      // Uploaded SVG is served as data, never run: no scripts, no loads, its own origin.
      .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; sandbox")
      .header('x-content-type-options', 'nosniff')
      .header('x-drawing-revision', String(revision.revision))
      .send(revision.content);
  });

  // Uploads take the file's bytes as the body: this scope reads every content type as bytes.
  app.register(async (scope: MesApp) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', binaryBody(config.drawingMaxBytes));
    scope.post('/v1/drawings/:id/revisions', {
      config: writePerm,
      schema: {
        operationId: 'uploadDrawingRevision', tags,
        summary: 'Upload a new revision: the body is the file (PDF, PNG, JPEG, SVG, DXF, DWG), Content-Type its type or application/octet-stream; the type is taken from the bytes',
        params: IdParams, querystring: UploadQuery, body: UploadBody as never, response: { 201: Type.Ref(DrawingSchema), ...problems(404, 413, 415, 422) },
      },
    }, async (req, reply) => mutate(db, req, reply, (tx) => drawings.uploadRevision(tx, whoOf(principalOf(req)), req.params.id, {
      body: req.body, contentType: req.headers['content-type'], fileName: req.query.fileName, note: req.query.note, maxBytes: config.drawingMaxBytes,
    }), { status: 201, resource: (d) => `drawing/${d.id}`, details: (d) => ({ revision: d.currentRevision, sha256: d.revisions[0].sha256, bytes: d.revisions[0].sizeBytes }) }));
  });
}
