import { Type } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import type { AppContext, MesApp } from '../../app.js';
import { DocumentVersionListSchema, DocumentVersionSchema, listVersions } from '../../platform/document-versions.js';
import { notFound } from '../../platform/errors.js';
import { CURSOR, decodeCursor, pageOf } from '../../platform/pagination.js';
import { mutate, principalOf, read } from '../../platform/request.js';
import { IdParams, problems } from '../../platform/schemas.js';
import { getReturn } from './quality.js';
import * as repo from './repo.js';
import {
  CreateDeliveryPlanBody, CreateSalesOrderBody, CreateSalesOutboundBody, CreateSalesReturnBody, DeliveryPlanListQuery, DeliveryPlanPageSchema, DeliveryPlanSchema,
  DeliveryPlanSummarySchema, OrderActionBody, ReasonBody, SalesOrderListQuery, SalesOrderPageSchema, SalesOrderSchema, SalesOrderSummarySchema, SalesOutboundListQuery,
  SalesOutboundPageSchema, SalesOutboundSchema, SalesOutboundSummarySchema, SalesProgressPageSchema, SalesProgressQuery, SalesProgressRowSchema,
  SalesReturnListQuery, SalesReturnPageSchema, SalesReturnSchema, SalesReturnSummarySchema, ScanBody, UpdateDeliveryPlanBody, UpdateSalesOrderBody,
} from './schema.js';
import * as service from './service.js';
import * as shipping from './shipping.js';

/** Sales (S1-5.4.1-b to -g): orders, delivery plans, outbounds, returns and the progress report. */
export function salesRoutes(app: MesApp, { db }: AppContext): void {
  for (const s of [SalesOrderSchema, SalesOrderSummarySchema, SalesOrderPageSchema, DeliveryPlanSchema, DeliveryPlanSummarySchema, DeliveryPlanPageSchema,
    SalesOutboundSchema, SalesOutboundSummarySchema, SalesOutboundPageSchema, SalesReturnSchema, SalesReturnSummarySchema, SalesReturnPageSchema,
    SalesProgressRowSchema, SalesProgressPageSchema]) app.addSchema(s);
  if (!app.getSchema('DocumentVersion')) app.addSchema(DocumentVersionSchema);
  if (!app.getSchema('DocumentVersionList')) app.addSchema(DocumentVersionListSchema);
  const tags = ['sales'];
  const tenant = (req: FastifyRequest) => principalOf(req).tenantId;
  const who = (req: FastifyRequest) => service.whoOf(principalOf(req));
  const read_ = { permission: 'sales:read' };
  const write = { permission: 'sales:write' };
  const ship = { permission: 'sales:ship' };
  const newestFirst = <T extends { createdAt: string; id: string }>(rows: T[], limit: number) => pageOf(rows, limit, (d) => [d.createdAt, d.id], (d) => d);
  const after = (cursor: string | undefined) => decodeCursor(cursor, CURSOR.createdAtId);

  // ------------------------------------------------------------ orders
  app.get('/v1/sales-orders', {
    config: read_,
    schema: { operationId: 'listSalesOrders', tags, summary: 'Sales orders, newest first; status open = approved or in delivery', querystring: SalesOrderListQuery, response: { 200: Type.Ref(SalesOrderPageSchema), ...problems() } },
  }, async (req) => {
    const limit = req.query.limit ?? 50;
    return newestFirst(await read(db, req, (tx) => repo.listOrders(tx, tenant(req), { ...req.query, limit, after: after(req.query.cursor) })), limit);
  });

  app.post('/v1/sales-orders', {
    config: write,
    schema: { operationId: 'createSalesOrder', tags, summary: 'Create a draft sales order', body: CreateSalesOrderBody, response: { 201: Type.Ref(SalesOrderSchema), ...problems(409, 422) } },
  }, async (req, reply) => mutate(db, req, reply, (tx) => service.createOrder(tx, who(req), req.body), { status: 201, resource: (o) => `sales-order/${o.id}`, details: (o) => ({ docNo: o.docNo }) }));

  app.get('/v1/sales-orders/:id', {
    config: read_,
    schema: { operationId: 'getSalesOrder', tags, summary: 'A sales order with planned, shipped, returned and open per line', params: IdParams, response: { 200: Type.Ref(SalesOrderSchema), ...problems(404) } },
  }, async (req) => {
    const o = await read(db, req, (tx) => repo.findOrder(tx, tenant(req), req.params.id));
    if (!o) throw notFound('sales order', req.params.id);
    return repo.publicOrder(o);
  });

  app.get('/v1/sales-orders/:id/versions', {
    config: read_,
    schema: { operationId: 'listSalesOrderVersions', tags, summary: 'The approved versions of a sales order and every change after approval', params: IdParams, response: { 200: Type.Ref(DocumentVersionListSchema), ...problems(404) } },
  }, async (req) => read(db, req, async (tx) => {
    if (!(await tx.query('SELECT 1 FROM sales_orders WHERE tenant_id = $1 AND id = $2', [tenant(req), req.params.id])).rows.length) throw notFound('sales order', req.params.id);
    return { items: await listVersions(tx, tenant(req), service.ORDER_DOC, req.params.id) };
  }));

  app.patch('/v1/sales-orders/:id', {
    config: write,
    schema: {
      operationId: 'updateSalesOrder', tags, summary: 'Change a sales order (optimistic concurrency on version); after approval each change is a new version',
      params: IdParams, body: UpdateSalesOrderBody, response: { 200: Type.Ref(SalesOrderSchema), ...problems(404, 409, 422) },
    },
  }, async (req, reply) => mutate(db, req, reply, (tx) => service.updateOrder(tx, who(req), req.params.id, req.body), { resource: (o) => `sales-order/${o.id}`, details: (o) => ({ version: o.version, status: o.status }) }));

  app.post('/v1/sales-orders/:id/approve', {
    config: { permission: 'sales:approve' },
    schema: { operationId: 'approveSalesOrder', tags, summary: 'Approve the version of a draft you reviewed (business review; self-approval refused where the tenant forbids it)', params: IdParams, body: OrderActionBody, response: { 200: Type.Ref(SalesOrderSchema), ...problems(404, 409) } },
  }, async (req, reply) => mutate(db, req, reply, (tx) => service.approveOrder(tx, who(req), req.params.id, req.body), { resource: (o) => `sales-order/${o.id}`, details: (o) => ({ version: o.version }) }));

  app.post('/v1/sales-orders/:id/cancel', {
    config: write,
    schema: { operationId: 'cancelSalesOrder', tags, summary: 'Cancel a draft or an approved order with nothing planned or shipped (optimistic concurrency on version)', params: IdParams, body: OrderActionBody, response: { 200: Type.Ref(SalesOrderSchema), ...problems(404, 409) } },
  }, async (req, reply) => mutate(db, req, reply, (tx) => service.cancelOrder(tx, who(req), req.params.id, req.body), { resource: (o) => `sales-order/${o.id}`, details: (o) => ({ version: o.version }) }));

  app.post('/v1/sales-orders/:id/close', {
    config: write,
    schema: { operationId: 'closeSalesOrder', tags, summary: 'Close an approved or in-delivery order; what is not shipped is cancelled (optimistic concurrency on version)', params: IdParams, body: OrderActionBody, response: { 200: Type.Ref(SalesOrderSchema), ...problems(404, 409) } },
  }, async (req, reply) => mutate(db, req, reply, (tx) => service.closeOrder(tx, who(req), req.params.id, req.body), { resource: (o) => `sales-order/${o.id}`, details: (o) => ({ version: o.version }) }));

  // ------------------------------------------------------------ delivery plans
  app.get('/v1/delivery-plans', {
    config: read_,
    schema: { operationId: 'listDeliveryPlans', tags, summary: 'Delivery plans, newest first', querystring: DeliveryPlanListQuery, response: { 200: Type.Ref(DeliveryPlanPageSchema), ...problems() } },
  }, async (req) => {
    const limit = req.query.limit ?? 50;
    return newestFirst(await read(db, req, (tx) => repo.listPlans(tx, tenant(req), { ...req.query, limit, after: after(req.query.cursor) })), limit);
  });

  app.post('/v1/delivery-plans', {
    config: write,
    schema: { operationId: 'createDeliveryPlan', tags, summary: "A delivery plan over lines of one customer's approved orders, within the over-delivery tolerance", body: CreateDeliveryPlanBody, response: { 201: Type.Ref(DeliveryPlanSchema), ...problems(409, 422) } },
  }, async (req, reply) => mutate(db, req, reply, (tx) => service.createPlan(tx, who(req), req.body), { status: 201, resource: (p) => `delivery-plan/${p.id}`, details: (p) => ({ docNo: p.docNo }) }));

  app.get('/v1/delivery-plans/:id', {
    config: read_,
    schema: { operationId: 'getDeliveryPlan', tags, summary: 'A delivery plan: the latest date, address, consignee and quantities', params: IdParams, response: { 200: Type.Ref(DeliveryPlanSchema), ...problems(404) } },
  }, async (req) => {
    const p = await read(db, req, (tx) => repo.findPlan(tx, tenant(req), req.params.id));
    if (!p) throw notFound('delivery plan', req.params.id);
    return p;
  });

  app.patch('/v1/delivery-plans/:id', {
    config: write,
    schema: { operationId: 'updateDeliveryPlan', tags, summary: 'Change a delivery plan (optimistic concurrency on version)', params: IdParams, body: UpdateDeliveryPlanBody, response: { 200: Type.Ref(DeliveryPlanSchema), ...problems(404, 409, 422) } },
  }, async (req, reply) => mutate(db, req, reply, (tx) => service.updatePlan(tx, who(req), req.params.id, req.body), { resource: (p) => `delivery-plan/${p.id}`, details: (p) => ({ version: p.version }) }));

  app.post('/v1/delivery-plans/:id/cancel', {
    config: write,
    schema: { operationId: 'cancelDeliveryPlan', tags, summary: 'Cancel a plan with nothing shipped', params: IdParams, body: ReasonBody, response: { 200: Type.Ref(DeliveryPlanSchema), ...problems(404, 409) } },
  }, async (req, reply) => mutate(db, req, reply, (tx) => service.cancelPlan(tx, who(req), req.params.id), { resource: (p) => `delivery-plan/${p.id}` }));

  // ------------------------------------------------------------ outbounds
  app.get('/v1/sales-outbounds', {
    config: read_,
    schema: { operationId: 'listSalesOutbounds', tags, summary: 'Sales outbounds, newest first', querystring: SalesOutboundListQuery, response: { 200: Type.Ref(SalesOutboundPageSchema), ...problems() } },
  }, async (req) => {
    const limit = req.query.limit ?? 50;
    return newestFirst(await read(db, req, (tx) => repo.listOutbounds(tx, tenant(req), { ...req.query, limit, after: after(req.query.cursor) })), limit);
  });

  app.post('/v1/sales-outbounds', {
    config: ship,
    schema: {
      operationId: 'createSalesOutbound', tags, summary: 'A draft outbound from a delivery plan: FIFO picks by default, or the given lines, or empty for scanning',
      body: CreateSalesOutboundBody, response: { 201: Type.Ref(SalesOutboundSchema), ...problems(409, 422) },
    },
  }, async (req, reply) => mutate(db, req, reply, (tx) => shipping.createOutbound(tx, who(req), req.body), {
    status: 201, resource: (o) => `sales-outbound/${o.id}`,
    details: (o) => {
      const expiredPicks = o.lines.filter((l) => l.expiredReason).map((l) => ({ lineNo: l.lineNo, batchNo: l.batchNo, reason: l.expiredReason }));
      return { docNo: o.docNo, lines: o.lines.length, ...(expiredPicks.length ? { expiredPicks } : {}) };
    },
  }));

  app.get('/v1/sales-outbounds/:id', {
    config: read_,
    schema: { operationId: 'getSalesOutbound', tags, summary: 'A sales outbound with its lines', params: IdParams, response: { 200: Type.Ref(SalesOutboundSchema), ...problems(404) } },
  }, async (req) => {
    const o = await read(db, req, (tx) => repo.findOutbound(tx, tenant(req), req.params.id));
    if (!o) throw notFound('sales outbound', req.params.id);
    return o;
  });

  app.post('/v1/sales-outbounds/:id/scans', {
    config: ship,
    schema: {
      operationId: 'scanSalesOutbound', tags, summary: 'PDA scans add to a draft outbound; send an Idempotency-Key so that a resent scan counts once',
      params: IdParams, body: ScanBody, response: { 200: Type.Ref(SalesOutboundSchema), ...problems(404, 409, 422) },
    },
  }, async (req, reply) => mutate(db, req, reply, (tx) => shipping.scanIntoOutbound(tx, who(req), req.params.id, req.body), { resource: (o) => `sales-outbound/${o.id}`, details: () => ({ scans: req.body.scans.length }) }));

  app.post('/v1/sales-outbounds/:id/post', {
    config: ship,
    schema: { operationId: 'postSalesOutbound', tags, summary: 'Post sales_out movements and the shipped quantities; posting a posted outbound changes nothing', params: IdParams, response: { 200: Type.Ref(SalesOutboundSchema), ...problems(404, 409, 422) } },
  }, async (req, reply) => mutate(db, req, reply, (tx) => shipping.postOutbound(tx, who(req), req.params.id), { resource: (o) => `sales-outbound/${o.id}` }));

  // ------------------------------------------------------------ returns
  app.get('/v1/sales-returns', {
    config: read_,
    schema: { operationId: 'listSalesReturns', tags, summary: 'Sales returns, newest first', querystring: SalesReturnListQuery, response: { 200: Type.Ref(SalesReturnPageSchema), ...problems() } },
  }, async (req) => {
    const limit = req.query.limit ?? 50;
    return newestFirst(await read(db, req, (tx) => repo.listReturns(tx, tenant(req), { ...req.query, limit, after: after(req.query.cursor) })), limit);
  });

  app.post('/v1/sales-returns', {
    config: ship,
    schema: { operationId: 'createSalesReturn', tags, summary: 'Post a sales return, with a source outbound (never more than shipped) or without', body: CreateSalesReturnBody, response: { 201: Type.Ref(SalesReturnSchema), ...problems(409, 422) } },
  }, async (req, reply) => mutate(db, req, reply, (tx) => shipping.createReturn(tx, who(req), req.body), { status: 201, resource: (r) => `sales-return/${r.id}`, details: (r) => ({ docNo: r.docNo }) }));

  app.get('/v1/sales-returns/:id', {
    config: read_,
    schema: { operationId: 'getSalesReturn', tags, summary: 'A sales return with its lines', params: IdParams, response: { 200: Type.Ref(SalesReturnSchema), ...problems(404) } },
  }, async (req) => {
    return read(db, req, (tx) => getReturn(tx, tenant(req), req.params.id));
  });

  // ------------------------------------------------------------ progress
  app.get('/v1/reports/sales-progress', {
    config: read_,
    schema: { operationId: 'getSalesProgress', tags, summary: 'Ordered, planned, shipped, returned and open, by customer and material or by material (base units)', querystring: SalesProgressQuery, response: { 200: Type.Ref(SalesProgressPageSchema), ...problems() } },
  }, async (req) => {
    const limit = req.query.limit ?? 100;
    const rows = await read(db, req, (tx) => repo.progress(tx, tenant(req), { ...req.query, limit, after: decodeCursor(req.query.cursor, CURSOR.codes2) }));
    return pageOf(rows, limit, (r) => [r.customerCode ?? '', r.materialCode], (r) => r);
  });
}
