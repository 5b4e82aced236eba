import { Type } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import type { AppContext, MesApp } from '../../app.js';
import type { Sql } from '../../platform/db.js';
import { CURSOR, decodeCursor, pageOf } from '../../platform/pagination.js';
import { mutate, principalOf, read } from '../../platform/request.js';
import { IdParams, problems } from '../../platform/schemas.js';
import { whoOf } from './common.js';
import { DispatchBody, DispatchChangePageSchema, DispatchChangeSchema, DispatchListQuery, DispatchListSchema } from './dispatch-schema.js';
import * as dispatching from './dispatching.js';
import { presentMaterialDocs } from './execution-common.js';
import {
  GenealogyQuery, GenealogySchema, IssueBody, MaterialDocListQuery, MaterialDocPageSchema, MaterialDocSchema, OperationEventBody, OperationEventPageSchema,
  OperationEventSchema, OrderSeqParams, PieceRateBody, PieceRateListQuery, PieceRatePageSchema, PieceRateSchema, ReceiptBody, ReceiptListQuery, ReceiptPageSchema,
  ReceiptSchema, ReturnBody, WageReportQuery, WageReportSchema, WorkReportBody, WorkReportListQuery, WorkReportPageSchema, WorkReportSchema,
} from './execution-schema.js';
import * as issue from './issue.js';
import { getOrder } from './orders.js';
import * as receipt from './receipt.js';
import * as reporting from './reporting.js';

/** Production execution (S1-5.4.4-g..j): material issue and return, operation events and work reports, wages, receipts, genealogy, dispatching. */
export function executionRoutes(app: MesApp, { db }: AppContext): void {
  for (const s of [MaterialDocSchema, MaterialDocPageSchema, OperationEventSchema, OperationEventPageSchema, WorkReportSchema, WorkReportPageSchema, PieceRateSchema,
    PieceRatePageSchema, WageReportSchema, ReceiptSchema, ReceiptPageSchema, GenealogySchema, DispatchChangeSchema, DispatchChangePageSchema, DispatchListSchema]) app.addSchema(s);
  const tags = ['production'];
  const tenant = (req: FastifyRequest) => principalOf(req).tenantId;
  const who = (req: FastifyRequest) => whoOf(principalOf(req));
  const readPerm = { permission: 'production:read' };
  const writePerm = { permission: 'production:write' };
  const after = (cursor: string | undefined) => decodeCursor(cursor, CURSOR.createdAtId);
  /** An order's sub-lists: an order the tenant does not have is 404, never an empty page. */
  const ofOrder = <T>(req: FastifyRequest, orderId: string, list: (tx: Sql, tenantId: string) => Promise<T>): Promise<T> =>
    read(db, req, async (tx) => {
      await getOrder(tx, tenant(req), orderId);
      return list(tx, tenant(req));
    });
  const page = <T extends { createdAt: string; id: string }>(rows: T[], limit: number) => pageOf(rows, limit, (d) => [d.createdAt, d.id], (d) => d);

  // ------------------------------------------------------------ material (S1-5.4.4-g)
  app.post('/v1/production-orders/:id/issues', {
    config: writePerm,
    schema: {
      operationId: 'issueProductionMaterial', tags,
      summary: 'Issue material to a released order: by order (no lines), by operation (operationSeq), by lines or by PDA scans (send an Idempotency-Key); FIFO/FEFO picks; over-issue only within the tolerance',
      params: IdParams, body: IssueBody, response: { 201: Type.Ref(MaterialDocSchema), ...problems(404, 409, 422) },
    },
  }, async (req, reply) => mutate(db, req, reply, (tx) => issue.issueMaterial(tx, who(req), req.params.id, req.body), { status: 201, resource: (d) => `production-material/${d.id}`, details: (d) => ({ orderId: d.orderId, docNo: d.docNo, lines: d.lines.length }) }));

  app.post('/v1/production-orders/:id/returns', {
    config: writePerm,
    schema: {
      operationId: 'returnProductionMaterial', tags, summary: 'Return material of an order to a warehouse and bin (never more than was issued and not returned)',
      params: IdParams, body: ReturnBody, response: { 201: Type.Ref(MaterialDocSchema), ...problems(404, 409, 422) },
    },
  }, async (req, reply) => mutate(db, req, reply, (tx) => issue.returnMaterial(tx, who(req), req.params.id, req.body), { status: 201, resource: (d) => `production-material/${d.id}`, details: (d) => ({ orderId: d.orderId, docNo: d.docNo, lines: d.lines.length }) }));

  app.get('/v1/production-orders/:id/material-documents', {
    config: readPerm,
    schema: { operationId: 'listProductionMaterialDocuments', tags, summary: "An order's issues, returns and backflushes, newest first", params: IdParams, querystring: MaterialDocListQuery, response: { 200: Type.Ref(MaterialDocPageSchema), ...problems(404) } },
  }, async (req) => {
    const limit = req.query.limit ?? 50;
    const cursor = after(req.query.cursor);
    return page(await ofOrder(req, req.params.id, (tx, t) => presentMaterialDocs(tx, t, { orderId: req.params.id, kind: req.query.kind, limit, after: cursor })), limit);
  });

  // ------------------------------------------------------------ work reporting (S1-5.4.4-h)
  app.post('/v1/production-orders/:id/operations/:seq/events', {
    config: writePerm,
    schema: {
      operationId: 'recordProductionOperationEvent', tags, summary: 'Start, pause (with a reason), resume or end an order operation from a terminal',
      params: OrderSeqParams, body: OperationEventBody, response: { 201: Type.Ref(OperationEventSchema), ...problems(404, 409, 422) },
    },
  }, async (req, reply) => mutate(db, req, reply, (tx) => reporting.recordOperationEvent(tx, who(req), req.params.id, req.params.seq, req.body), { status: 201, resource: (e) => `production-operation-event/${e.id}`, details: (e) => ({ orderId: e.orderId, operationSeq: e.operationSeq, event: e.event }) }));

  app.get('/v1/production-orders/:id/operation-events', {
    config: readPerm,
    schema: { operationId: 'listProductionOperationEvents', tags, summary: "An order's operation starts, pauses, resumes and ends, newest first", params: IdParams, querystring: WorkReportListQuery, response: { 200: Type.Ref(OperationEventPageSchema), ...problems(404) } },
  }, async (req) => {
    const limit = req.query.limit ?? 50;
    const cursor = after(req.query.cursor);
    return page(await ofOrder(req, req.params.id, (tx, t) => reporting.listOperationEvents(tx, t, req.params.id, limit, cursor)), limit);
  });

  app.post('/v1/production-orders/:id/reports', {
    config: writePerm,
    schema: {
      operationId: 'reportProductionWork', tags,
      summary: 'Report good, scrap and pending-inspection quantities of an operation (quantity flow rule: 422 QUANTITY_FLOW_VIOLATION); backflushes the components consumed there',
      params: IdParams, body: WorkReportBody, response: { 201: Type.Ref(WorkReportSchema), ...problems(404, 409, 422) },
    },
  }, async (req, reply) => mutate(db, req, reply, (tx) => reporting.reportWork(tx, who(req), req.params.id, req.body), { status: 201, resource: (r) => `production-work-report/${r.id}`, details: (r) => ({ orderId: r.orderId, docNo: r.docNo, operationSeq: r.operationSeq, good: r.goodQuantity }) }));

  app.get('/v1/production-orders/:id/reports', {
    config: readPerm,
    schema: { operationId: 'listProductionWorkReports', tags, summary: "An order's work reports, newest first", params: IdParams, querystring: WorkReportListQuery, response: { 200: Type.Ref(WorkReportPageSchema), ...problems(404) } },
  }, async (req) => {
    const limit = req.query.limit ?? 50;
    const cursor = after(req.query.cursor);
    return page(await ofOrder(req, req.params.id, (tx, t) => reporting.listWorkReports(tx, t, req.params.id, limit, cursor)), limit);
  });

  app.post('/v1/piece-rates', {
    config: writePerm,
    schema: { operationId: 'createPieceRate', tags, summary: "A piece rate for a product's operation from a date (money per good base unit)", body: PieceRateBody, response: { 201: Type.Ref(PieceRateSchema), ...problems(409, 422) } },
  }, async (req, reply) => mutate(db, req, reply, (tx) => reporting.createPieceRate(tx, who(req), req.body), { status: 201, resource: (r) => `piece-rate/${r.id}`, details: (r) => ({ materialCode: r.materialCode, operationSeq: r.operationSeq, rate: r.rate, effectiveFrom: r.effectiveFrom }) }));

  app.get('/v1/piece-rates', {
    config: readPerm,
    schema: { operationId: 'listPieceRates', tags, summary: 'Piece rates, newest first', querystring: PieceRateListQuery, response: { 200: Type.Ref(PieceRatePageSchema), ...problems() } },
  }, async (req) => {
    const limit = req.query.limit ?? 50;
    return page(await read(db, req, (tx) => reporting.listPieceRates(tx, tenant(req), { materialId: req.query.materialId, limit, after: after(req.query.cursor) })), limit);
  });

  app.get('/v1/production-wages', {
    config: readPerm,
    schema: { operationId: 'getProductionWageReport', tags, summary: 'Piece-rate wages by worker over a period, per product and operation', querystring: WageReportQuery, response: { 200: Type.Ref(WageReportSchema), ...problems(422) } },
  }, async (req) => read(db, req, (tx) => reporting.wageReport(tx, tenant(req), req.query)));

  // ------------------------------------------------------------ receipts and genealogy (S1-5.4.4-i)
  app.post('/v1/production-orders/:id/receipts', {
    config: writePerm,
    schema: {
      operationId: 'postProductionReceipt', tags,
      summary: 'Receive finished or semi-finished goods and by-products with batch and serial numbers; records the genealogy and backflushes on receipt',
      params: IdParams, body: ReceiptBody, response: { 201: Type.Ref(ReceiptSchema), ...problems(404, 409, 422) },
    },
  }, async (req, reply) => mutate(db, req, reply, (tx) => receipt.postReceipt(tx, who(req), req.params.id, req.body), { status: 201, resource: (r) => `production-receipt/${r.id}`, details: (r) => ({ orderId: r.orderId, docNo: r.docNo, lines: r.lines.length }) }));

  app.get('/v1/production-orders/:id/receipts', {
    config: readPerm,
    schema: { operationId: 'listProductionReceipts', tags, summary: "An order's receipts, newest first", params: IdParams, querystring: ReceiptListQuery, response: { 200: Type.Ref(ReceiptPageSchema), ...problems(404) } },
  }, async (req) => {
    const limit = req.query.limit ?? 50;
    const cursor = after(req.query.cursor);
    return page(await ofOrder(req, req.params.id, (tx, t) => receipt.listReceipts(tx, t, req.params.id, limit, cursor)), limit);
  });

  for (const direction of ['backward', 'forward'] as const) {
    app.get(`/v1/production-genealogy/${direction}`, {
      config: { ...readPerm, oneOfQuery: ['batchNo', 'serialNo'] },
      schema: {
        operationId: direction === 'backward' ? 'traceGenealogyBackward' : 'traceGenealogyForward', tags,
        summary: direction === 'backward' ? 'What a batch or serial was made of, level by level down' : 'What a batch or serial went into, level by level up',
        querystring: GenealogyQuery, response: { 200: Type.Ref(GenealogySchema), ...problems(422) },
      },
    }, async (req) => read(db, req, (tx) => receipt.genealogyOf(tx, tenant(req), direction, req.query)));
  }

  // ------------------------------------------------------------ dispatching (S1-5.4.4-j)
  app.post('/v1/production-orders/:id/operations/:seq/dispatch', {
    config: writePerm,
    schema: {
      operationId: 'dispatchProductionOperation', tags, summary: "Re-sequence an operation in its work centre's queue or reassign it to an alternate work centre and station, with cause and reason",
      params: OrderSeqParams, body: DispatchBody, response: { 201: Type.Ref(DispatchChangeSchema), ...problems(404, 409, 422) },
    },
  }, async (req, reply) => mutate(db, req, reply, (tx) => dispatching.dispatchOperation(tx, who(req), req.params.id, req.params.seq, req.body), { status: 201, resource: (c) => `production-dispatch-change/${c.id}`, details: (c) => ({ orderId: c.orderId, operationSeq: c.operationSeq, cause: c.cause, before: c.before, after: c.after }) }));

  app.get('/v1/production-orders/:id/dispatch-changes', {
    config: readPerm,
    schema: { operationId: 'listProductionDispatchChanges', tags, summary: "Every re-sequencing and reassignment of an order's operations, newest first", params: IdParams, querystring: WorkReportListQuery, response: { 200: Type.Ref(DispatchChangePageSchema), ...problems(404) } },
  }, async (req) => {
    const limit = req.query.limit ?? 50;
    const cursor = after(req.query.cursor);
    return page(await ofOrder(req, req.params.id, (tx, t) => dispatching.listChanges(tx, t, req.params.id, limit, cursor)), limit);
  });

  app.get('/v1/production-dispatch-list', {
    config: { ...readPerm, oneOfQuery: ['workCentreCode', 'workCentreId'] },
    schema: { operationId: 'getProductionDispatchList', tags, summary: "A work centre's queue: open operations of released and running orders in dispatch order", querystring: DispatchListQuery, response: { 200: Type.Ref(DispatchListSchema), ...problems(422) } },
  }, async (req) => read(db, req, (tx) => dispatching.dispatchList(tx, tenant(req), req.query)));
}
