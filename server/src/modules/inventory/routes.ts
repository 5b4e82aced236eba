import { Type } from '@sinclair/typebox';
import type { AppContext, MesApp } from '../../app.js';
import { actorId, requirePermission } from '../../platform/auth.js';
import { notFound } from '../../platform/errors.js';
import { CURSOR, decodeCursor, pageOf } from '../../platform/pagination.js';
import { mutate, principalOf, read } from '../../platform/request.js';
import { IdParams, Uuid, problems } from '../../platform/schemas.js';
import * as documents from './documents.js';
import * as repo from './repo.js';
import {
  BalancePageSchema, BalanceSchema, BatchListSchema, BatchSchema, CreateStockDocumentBody, FifoQuery, FifoSuggestionSchema, MovementPageSchema, MovementQuery, MovementSchema,
  StockDocumentPageSchema, StockDocumentSchema, StockDocumentSummarySchema,
} from './schema.js';
import * as stock from './stock.js';

/** Warehouse and logistics (S1-5.4.3): stock documents on the ledger, stock, movements, FIFO. */
export function inventoryRoutes(app: MesApp, { db }: AppContext): void {
  for (const s of [StockDocumentSchema, StockDocumentSummarySchema, StockDocumentPageSchema, MovementSchema, MovementPageSchema, FifoSuggestionSchema,
    BalanceSchema, BalancePageSchema, BatchSchema, BatchListSchema]) app.addSchema(s);
  const tags = ['inventory'];
  const tenant = (req: Parameters<typeof principalOf>[0]) => principalOf(req).tenantId;
  const actor = (req: Parameters<typeof principalOf>[0]) => actorId(principalOf(req));

  app.post('/v1/stock-documents', {
    config: { permission: 'inventory:write' },
    schema: {
      operationId: 'createStockDocument', tags,
      summary: 'Other in/out, transfer or backflush transfer; a draft, or posted at once with post: true (needs inventory:post)',
      body: CreateStockDocumentBody, response: { 201: Type.Ref(StockDocumentSchema), ...problems(409, 422) },
    },
  }, async (req, reply) => {
    if (req.body.post) requirePermission(principalOf(req), 'inventory:post');
    return mutate(db, req, reply, (tx) => documents.createDocument(tx, tenant(req), actor(req), req.body), {
      status: 201, resource: (d) => `stock-document/${d.id}`, details: (d) => ({ docNo: d.docNo, status: d.status, lines: d.lines.length }),
    });
  });

  app.get('/v1/stock-documents', {
    config: { permission: 'inventory:read' },
    schema: {
      operationId: 'listStockDocuments', tags, summary: 'Stock documents, newest first',
      querystring: Type.Object({
        limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
        cursor: Type.Optional(Type.String({ maxLength: 200 })),
        status: Type.Optional(Type.Union([Type.Literal('draft'), Type.Literal('posted')])),
        type: Type.Optional(Type.Union([Type.Literal('other_in'), Type.Literal('other_out'), Type.Literal('transfer'), Type.Literal('backflush_transfer')])),
      }, { additionalProperties: false }),
      response: { 200: Type.Ref(StockDocumentPageSchema), ...problems() },
    },
  }, async (req) => {
    const limit = req.query.limit ?? 50;
    const after = decodeCursor(req.query.cursor, CURSOR.createdAtId);
    const rows = await read(db, req, (tx) => repo.listDocuments(tx, tenant(req), { ...req.query, limit, after }));
    return pageOf(rows, limit, (d) => [d.createdAt, d.id], (d) => d);
  });

  app.get('/v1/stock-documents/:id', {
    config: { permission: 'inventory:read' },
    schema: { operationId: 'getStockDocument', tags, summary: 'A stock document with its lines', params: IdParams, response: { 200: Type.Ref(StockDocumentSchema), ...problems(404) } },
  }, async (req) => {
    const doc = await read(db, req, (tx) => repo.findDocument(tx, tenant(req), req.params.id));
    if (!doc) throw notFound('stock document', req.params.id);
    return doc;
  });

  app.post('/v1/stock-documents/:id/post', {
    config: { permission: 'inventory:post' },
    schema: { operationId: 'postStockDocument', tags, summary: 'Post a draft to the ledger; posting a posted document changes nothing', params: IdParams, response: { 200: Type.Ref(StockDocumentSchema), ...problems(404, 409, 422) } },
  }, async (req, reply) => mutate(db, req, reply, (tx) => documents.postDocument(tx, tenant(req), actor(req), req.params.id), { resource: (d) => `stock-document/${d.id}` }));

  app.post('/v1/stock-documents/:id/reverse', {
    config: { permission: 'inventory:post' },
    // The body is optional: a POST without one validates as {} instead of failing "must be object".
    schema: {
      operationId: 'reverseStockDocument', tags, summary: 'Reverse a posted document with a compensating one',
      params: IdParams, body: Type.Optional(Type.Object({ reason: Type.Optional(Type.String({ maxLength: 500 })) }, { additionalProperties: false })),
      response: { 201: Type.Ref(StockDocumentSchema), ...problems(404, 409) },
    },
  }, async (req, reply) => mutate(db, req, reply, (tx) => documents.reverseDocument(tx, tenant(req), actor(req), req.params.id, req.body?.reason), {
    status: 201, resource: (d) => `stock-document/${d.id}`, details: (d) => ({ reverses: d.reversesId }),
  }));

  app.get('/v1/stock/movements', {
    config: { permission: 'inventory:read' },
    schema: { operationId: 'listStockMovements', tags, summary: 'The ledger: movement history, in posting order', querystring: MovementQuery, response: { 200: Type.Ref(MovementPageSchema), ...problems() } },
  }, async (req) => {
    const limit = req.query.limit ?? 100;
    const after = decodeCursor(req.query.cursor, CURSOR.movementId)?.[0];
    const rows = await read(db, req, (tx) => stock.listMovements(tx, tenant(req), req.query, limit, after));
    return pageOf(rows, limit, (m) => [m.id], (m) => m);
  });

  app.get('/v1/stock/balances', {
    config: { permission: 'inventory:read' },
    schema: {
      operationId: 'listStockBalances', tags, summary: 'Real-time stock per material, warehouse, bin, batch and serial',
      querystring: Type.Object({
        limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
        cursor: Type.Optional(Type.String({ maxLength: 400 })),
        materialId: Type.Optional(Uuid()),
        warehouseId: Type.Optional(Uuid()),
        binId: Type.Optional(Uuid()),
        batchNo: Type.Optional(Type.String({ maxLength: 40 })),
        category: Type.Optional(Type.String({ maxLength: 100 })),
        includeZero: Type.Optional(Type.Boolean()),
      }, { additionalProperties: false }),
      response: { 200: Type.Ref(BalancePageSchema), ...problems() },
    },
  }, async (req) => {
    const limit = req.query.limit ?? 100;
    const after = decodeCursor(req.query.cursor, CURSOR.codes5);
    const rows = await read(db, req, (tx) => stock.listBalances(tx, tenant(req), req.query, limit, after));
    return pageOf(rows, limit, (b) => [b.materialCode, b.warehouseCode, b.binCode ?? '', b.batchNo ?? '', b.serialNo ?? ''], (b) => b);
  });

  app.get('/v1/materials/:id/batches', {
    config: { permission: 'inventory:read' },
    schema: { operationId: 'listMaterialBatches', tags, summary: 'Batches of a material with dates, supplier lot and stock on hand, oldest first', params: IdParams, response: { 200: Type.Ref(BatchListSchema), ...problems(404) } },
  }, async (req) => read(db, req, async (tx) => {
    if (!(await tx.query('SELECT 1 FROM materials WHERE tenant_id = $1 AND id = $2', [tenant(req), req.params.id])).rows.length) throw notFound('material', req.params.id);
    return { items: await stock.listBatches(tx, tenant(req), req.params.id) };
  }));

  app.get('/v1/stock/fifo', {
    config: { permission: 'inventory:read' },
    schema: { operationId: 'suggestFifoPicks', tags, summary: 'Which batches and bins to pick, first in first out (earliest expiry first where tracked); expired batches are never suggested', querystring: FifoQuery, response: { 200: Type.Ref(FifoSuggestionSchema), ...problems(404, 422) } },
  }, async (req) => read(db, req, (tx) => stock.suggestFifo(tx, tenant(req), req.query.materialId, req.query.quantity, req.query.warehouseId)));
}
