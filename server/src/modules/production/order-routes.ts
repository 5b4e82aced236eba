import { Type } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import type { AppContext, MesApp } from '../../app.js';
import { CURSOR, decodeCursor, pageOf } from '../../platform/pagination.js';
import { mutate, principalOf, read } from '../../platform/request.js';
import { IdParams, problems } from '../../platform/schemas.js';
import type { Sql } from '../../platform/db.js';
import { VersionBody, whoOf, type Who } from './common.js';
import {
  CreateProductionOrderBody, OrderActionBody, ProductionOrderListQuery, ProductionOrderPageSchema, ProductionOrderSchema, ProductionOrderSummarySchema,
  UpdateProductionOrderBody, type ProductionOrder,
} from './order-schema.js';
import * as orders from './orders.js';

/** Production orders (S1-5.4.4-e) and their life cycle. */
export function orderRoutes(app: MesApp, { db }: AppContext): void {
  for (const s of [ProductionOrderSchema, ProductionOrderSummarySchema, ProductionOrderPageSchema]) app.addSchema(s);
  const tags = ['production'];
  const tenant = (req: FastifyRequest) => principalOf(req).tenantId;
  const who = (req: FastifyRequest) => whoOf(principalOf(req));
  const readPerm = { permission: 'production:read' };
  const writePerm = { permission: 'production:write' };
  const resource = (o: ProductionOrder) => `production-order/${o.id}`;
  const details = (o: ProductionOrder) => ({ version: o.version, status: o.status });

  app.get('/v1/production-orders', {
    config: readPerm,
    schema: {
      operationId: 'listProductionOrders', tags, summary: 'Production orders, newest first; status open = planned, released or in progress; due date range by dueFrom/dueTo',
      querystring: ProductionOrderListQuery, response: { 200: Type.Ref(ProductionOrderPageSchema), ...problems() },
    },
  }, async (req) => {
    const limit = req.query.limit ?? 50;
    const rows = await read(db, req, (tx) => orders.listOrders(tx, tenant(req), { ...req.query, limit, after: decodeCursor(req.query.cursor, CURSOR.createdAtId) }));
    return pageOf(rows, limit, (o) => [o.createdAt, o.id], (o) => o);
  });

  app.post('/v1/production-orders', {
    config: writePerm,
    schema: {
      operationId: 'createProductionOrder', tags, summary: 'A planned production order: product, quantity, workshop, line, planned start and finish, demand source',
      body: CreateProductionOrderBody, response: { 201: Type.Ref(ProductionOrderSchema), ...problems(409, 422) },
    },
  }, async (req, reply) => mutate(db, req, reply, (tx) => orders.createOrder(tx, who(req), req.body), { status: 201, resource, details: (o) => ({ docNo: o.docNo }) }));

  app.get('/v1/production-orders/:id', {
    config: readPerm,
    schema: { operationId: 'getProductionOrder', tags, summary: 'A production order with its own operations and component requirements', params: IdParams, response: { 200: Type.Ref(ProductionOrderSchema), ...problems(404) } },
  }, async (req) => read(db, req, (tx) => orders.getOrder(tx, tenant(req), req.params.id)));

  app.patch('/v1/production-orders/:id', {
    config: writePerm,
    schema: {
      operationId: 'updateProductionOrder', tags, summary: 'Change an order (optimistic concurrency on version): anything while planned; dates, line, due date, priority, remark once released',
      params: IdParams, body: UpdateProductionOrderBody, response: { 200: Type.Ref(ProductionOrderSchema), ...problems(404, 409, 422) },
    },
  }, async (req, reply) => mutate(db, req, reply, (tx) => orders.updateOrder(tx, who(req), req.params.id, req.body), { resource, details }));

  app.post('/v1/production-orders/:id/approve', {
    config: { permission: 'production:approve' },
    schema: { operationId: 'approveProductionOrder', tags, summary: 'Approve a planned order (business review; self-approval refused where the tenant forbids it)', params: IdParams, body: VersionBody, response: { 200: Type.Ref(ProductionOrderSchema), ...problems(403, 404, 409) } },
  }, async (req, reply) => mutate(db, req, reply, (tx) => orders.approveOrder(tx, who(req), req.params.id, req.body.version), { resource, details }));

  type Action = (tx: Sql, w: Who, id: string, body: { version: number; reason?: string }) => Promise<ProductionOrder>;
  const action = (path: string, operationId: string, summary: string, fn: Action) =>
    app.post(`/v1/production-orders/:id/${path}`, {
      config: writePerm,
      schema: { operationId, tags, summary, params: IdParams, body: OrderActionBody, response: { 200: Type.Ref(ProductionOrderSchema), ...problems(404, 409, 422) } },
    }, async (req, reply) => mutate(db, req, reply, (tx) => fn(tx, who(req), req.params.id, req.body), { resource, details }));

  action('release', 'releaseProductionOrder', 'Release a planned order: it gets its own operations and component requirements', (tx, w, id, b) => orders.releaseOrder(tx, w, id, b.version));
  action('cancel', 'cancelProductionOrder', 'Cancel a planned order, or a released one nothing has happened on', (tx, w, id, b) => orders.cancelOrder(tx, w, id, b.version, b.reason));
  action('complete', 'completeProductionOrder', 'Complete a released or running order by hand', (tx, w, id, b) => orders.completeOrder(tx, w, id, b.version));
  action('close', 'closeProductionOrder', 'Close a completed order', (tx, w, id, b) => orders.closeOrder(tx, w, id, b.version));
}
