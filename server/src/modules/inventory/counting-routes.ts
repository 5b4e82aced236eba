import { Type } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import type { AppContext, MesApp } from '../../app.js';
import { actorId, can } from '../../platform/auth.js';
import { notFound } from '../../platform/errors.js';
import { CURSOR, decodeCursor, pageOf } from '../../platform/pagination.js';
import { mutate, principalOf, read } from '../../platform/request.js';
import { IdParams, problems } from '../../platform/schemas.js';
import * as counting from './counting.js';
import {
  CountEntriesBody, CountEntriesResultSchema, CountSheetListQuery, CountSheetPageSchema, CountSheetQuery, CountSheetSchema, CountSheetSummarySchema,
  CreateCountSheetBody, PostCountSheetBody,
} from './counting-schema.js';

/** Stock counting (S1-5.4.3-b): count sheets, counters' entries, variance review, posting. */
export function countingRoutes(app: MesApp, { db }: AppContext): void {
  for (const s of [CountSheetSchema, CountSheetSummarySchema, CountSheetPageSchema, CountEntriesResultSchema]) app.addSchema(s);
  const tags = ['inventory'];
  const tenant = (req: FastifyRequest) => principalOf(req).tenantId;
  const actor = (req: FastifyRequest) => actorId(principalOf(req));
  /** Book quantities of a blind sheet are for those who may post it. */
  const revealBook = (req: FastifyRequest) => can(principalOf(req), 'inventory:post');

  app.post('/v1/count-sheets', {
    config: { permission: 'inventory:write' },
    schema: {
      operationId: 'createCountSheet', tags,
      summary: 'Open a count sheet for a warehouse (optionally some bins, materials or a category), snapshotting the book quantity of every non-zero balance in scope',
      body: CreateCountSheetBody, response: { 201: Type.Ref(CountSheetSchema), ...problems(422) },
    },
  }, async (req, reply) => mutate(db, req, reply, (tx) => counting.createSheet(tx, tenant(req), actor(req), req.body, revealBook(req)), {
    status: 201, resource: (s) => `count-sheet/${s.id}`, details: (s) => ({ sheetNo: s.sheetNo, lines: s.totals.lines, blind: s.blind }),
  }));

  app.get('/v1/count-sheets', {
    config: { permission: 'inventory:read' },
    schema: { operationId: 'listCountSheets', tags, summary: 'Count sheets, newest first', querystring: CountSheetListQuery, response: { 200: Type.Ref(CountSheetPageSchema), ...problems() } },
  }, async (req) => {
    const limit = req.query.limit ?? 50;
    const after = decodeCursor(req.query.cursor, CURSOR.createdAtId);
    const rows = await read(db, req, (tx) => counting.listSheets(tx, tenant(req), { ...req.query, limit, after }));
    return pageOf(rows, limit, (s) => [s.createdAt, s.id], (s) => s);
  });

  app.get('/v1/count-sheets/:id', {
    config: { permission: 'inventory:read' },
    schema: {
      operationId: 'getCountSheet', tags,
      summary: 'Variance review: every line with book (at the snapshot), counted (null if never counted) and variance, and totals; onlyVariances=true lists counted lines that differ',
      params: IdParams, querystring: CountSheetQuery, response: { 200: Type.Ref(CountSheetSchema), ...problems(403, 404) },
    },
  }, async (req) => {
    const sheet = await read(db, req, (tx) => counting.getSheet(tx, tenant(req), req.params.id, { revealBook: revealBook(req), onlyVariances: req.query.onlyVariances }));
    if (!sheet) throw notFound('count sheet', req.params.id);
    return sheet;
  });

  app.post('/v1/count-sheets/:id/entries', {
    config: { permission: 'inventory:write' },
    schema: {
      operationId: 'addCountEntries', tags,
      summary: 'Record counts (by lineNo, or by scanned/typed item and bin) from one counter; entries add up per line, found stock adds a line; all entries are checked and any problem records none. Send an Idempotency-Key so a retried upload is not counted twice',
      params: IdParams, body: CountEntriesBody, response: { 200: Type.Ref(CountEntriesResultSchema), ...problems(404, 409, 422) },
    },
  }, async (req, reply) => mutate(db, req, reply, (tx) => counting.addEntries(tx, tenant(req), actor(req), req.params.id, req.body), {
    resource: (r) => `count-sheet/${r.sheetId}`, details: (r) => ({ accepted: r.accepted, newLines: r.newLines, counter: req.body.counter ?? actor(req) }),
  }));

  app.post('/v1/count-sheets/:id/post', {
    config: { permission: 'inventory:post' },
    schema: {
      operationId: 'postCountSheet', tags,
      summary: 'Post the variances: each counted line is adjusted by counted − book at the snapshot (count_gain/count_loss), as one source document; uncounted lines are left alone unless uncountedAsZero; posting a posted sheet changes nothing',
      params: IdParams, body: Type.Optional(PostCountSheetBody), response: { 200: Type.Ref(CountSheetSchema), ...problems(404, 409, 422) },
    },
  }, async (req, reply) => mutate(db, req, reply, (tx) => counting.postSheet(tx, tenant(req), actor(req), req.params.id, req.body?.uncountedAsZero ?? false), {
    resource: (s) => `count-sheet/${s.id}`, details: (s) => ({ sheetNo: s.sheetNo, adjusted: s.totals.withVariance, uncountedAsZero: s.uncountedAsZero }),
  }));

  app.post('/v1/count-sheets/:id/cancel', {
    config: { permission: 'inventory:write' },
    schema: {
      operationId: 'cancelCountSheet', tags, summary: 'Cancel an open count sheet without touching stock; cancelling a cancelled sheet changes nothing',
      params: IdParams, response: { 200: Type.Ref(CountSheetSchema), ...problems(404, 409) },
    },
  }, async (req, reply) => mutate(db, req, reply, (tx) => counting.cancelSheet(tx, tenant(req), actor(req), req.params.id, revealBook(req)), {
    resource: (s) => `count-sheet/${s.id}`,
  }));
}
