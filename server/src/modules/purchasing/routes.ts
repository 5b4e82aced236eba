import { Type } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import type { AppContext, MesApp } from '../../app.js';
import { DocumentVersionListSchema, DocumentVersionSchema, listVersions } from '../../platform/document-versions.js';
import { notFound } from '../../platform/errors.js';
import { CURSOR, decodeCursor, pageOf } from '../../platform/pagination.js';
import { mutate, principalOf, read } from '../../platform/request.js';
import { IdParams, problems } from '../../platform/schemas.js';
import * as gate from '../quality/gate.js';
import * as repo from './repo.js';
import {
  CreatePurchaseOrderBody, CreateReceiptBody, CreateReturnBody, DocListQuery, InspectBody, InspectionResultSchema, InspectionSchema, LabelDataSchema, LabelListSchema,
  ProgressPageSchema, ProgressQuery, ProgressRowSchema, PurchaseInboundPageSchema, PurchaseInboundSchema, PurchaseInboundSummarySchema, PurchaseOrderLineSchema,
  PurchaseOrderListQuery, PurchaseOrderPageSchema, PurchaseOrderSchema, PurchaseOrderSummarySchema, PurchaseReceiptPageSchema, PurchaseReceiptSchema,
  PurchaseReceiptSummarySchema, PurchaseReturnPageSchema, PurchaseReturnSchema, PurchaseReturnSummarySchema, PutSupplierMaterialBody, ReasonBody, ReceiptLineSchema,
  ReceiptListQuery, SuggestBody, SuggestionResultSchema, SupplierMaterialListSchema, SupplierMaterialQuery, SupplierMaterialSchema, UpdatePurchaseOrderBody, VersionBody,
} from './schema.js';
import * as service from './service.js';

const tenant = (req: FastifyRequest) => principalOf(req).tenantId;
const who = (req: FastifyRequest) => service.whoOf(principalOf(req));

/** Purchasing (S1-5.4.2-b … g): orders, suggestions, receiving, incoming inspection, inbounds, returns, progress. */
export function purchasingRoutes(app: MesApp, { db }: AppContext): void {
  for (const s of [
    SupplierMaterialSchema, SupplierMaterialListSchema, PurchaseOrderLineSchema, PurchaseOrderSchema, PurchaseOrderSummarySchema, PurchaseOrderPageSchema,
    SuggestionResultSchema, ReceiptLineSchema, LabelDataSchema, InspectionSchema, PurchaseReceiptSchema, PurchaseReceiptSummarySchema, PurchaseReceiptPageSchema,
    LabelListSchema, PurchaseInboundSchema, PurchaseInboundSummarySchema, PurchaseInboundPageSchema, PurchaseReturnSchema, PurchaseReturnSummarySchema,
    PurchaseReturnPageSchema, InspectionResultSchema, ProgressRowSchema, ProgressPageSchema,
  ]) app.addSchema(s);
  if (!app.getSchema('DocumentVersion')) app.addSchema(DocumentVersionSchema);
  if (!app.getSchema('DocumentVersionList')) app.addSchema(DocumentVersionListSchema);
  const tags = ['purchasing'];
  const readPerm = { permission: 'purchasing:read' };
  const writePerm = { permission: 'purchasing:write' };
  const receivePerm = { permission: 'purchasing:receive' };

  // --- What is bought from whom -----------------------------------------------------------------

  app.get('/v1/supplier-materials', {
    config: readPerm,
    schema: {
      operationId: 'listSupplierMaterials', tags, summary: "Which supplier sells which material: the supplier's code, price, lead time, preferred supplier",
      querystring: SupplierMaterialQuery, response: { 200: Type.Ref(SupplierMaterialListSchema), ...problems() },
    },
  }, async (req) => ({ items: await read(db, req, (tx) => repo.listSupplierMaterials(tx, tenant(req), req.query)) }));

  app.post('/v1/supplier-materials', {
    config: writePerm,
    schema: {
      operationId: 'putSupplierMaterial', tags, summary: 'Create or change what a supplier sells of a material; preferred: true makes it the preferred supplier',
      body: PutSupplierMaterialBody, response: { 200: Type.Ref(SupplierMaterialSchema), ...problems(422) },
    },
  }, async (req, reply) => mutate(db, req, reply, (tx) => service.putSupplierMaterial(tx, tenant(req), req.body), { resource: (s) => `supplier-material/${s.id}` }));

  // --- Purchase orders --------------------------------------------------------------------------

  app.post('/v1/purchase-orders', {
    config: writePerm,
    schema: {
      operationId: 'createPurchaseOrder', tags, summary: 'Create a draft purchase order; quantities in the purchase unit are converted exactly to the base unit',
      body: CreatePurchaseOrderBody, response: { 201: Type.Ref(PurchaseOrderSchema), ...problems(422) },
    },
  }, async (req, reply) => mutate(db, req, reply, (tx) => service.createOrder(tx, who(req), req.body), { status: 201, resource: (o) => `purchase-order/${o.id}` }));

  app.get('/v1/purchase-orders', {
    config: readPerm,
    schema: {
      operationId: 'listPurchaseOrders', tags, summary: 'Purchase orders, newest first (status open = approved or receiving)',
      querystring: PurchaseOrderListQuery, response: { 200: Type.Ref(PurchaseOrderPageSchema), ...problems() },
    },
  }, async (req) => {
    const limit = req.query.limit ?? 50;
    const after = decodeCursor(req.query.cursor, CURSOR.createdAtId);
    const rows = await read(db, req, (tx) => repo.listOrders(tx, tenant(req), { ...req.query, limit, after }));
    return pageOf(rows, limit, (o) => [o.createdAt, o.id], (o) => o);
  });

  app.get('/v1/purchase-orders/:id', {
    config: readPerm,
    schema: { operationId: 'getPurchaseOrder', tags, summary: 'A purchase order with its lines and their received, accepted, rejected and open quantities', params: IdParams, response: { 200: Type.Ref(PurchaseOrderSchema), ...problems(404) } },
  }, async (req) => {
    const o = await read(db, req, (tx) => repo.findOrder(tx, tenant(req), req.params.id));
    if (!o) throw notFound('purchase order', req.params.id);
    return o;
  });

  app.patch('/v1/purchase-orders/:id', {
    config: writePerm,
    schema: {
      operationId: 'updatePurchaseOrder', tags, summary: 'Change a purchase order (optimistic concurrency on version); after approval with a reason, as a new version in its history',
      params: IdParams, body: UpdatePurchaseOrderBody, response: { 200: Type.Ref(PurchaseOrderSchema), ...problems(404, 409, 422) },
    },
  }, async (req, reply) => mutate(db, req, reply, (tx) => service.updateOrder(tx, who(req), req.params.id, req.body), { resource: (o) => `purchase-order/${o.id}` }));

  app.get('/v1/purchase-orders/:id/versions', {
    config: readPerm,
    schema: { operationId: 'listPurchaseOrderVersions', tags, summary: 'The approved versions of a purchase order, each whole, with who changed it and why', params: IdParams, response: { 200: Type.Ref(DocumentVersionListSchema), ...problems(404) } },
  }, async (req) => read(db, req, async (tx) => {
    if (!(await repo.findOrderRow(tx, tenant(req), req.params.id))) throw notFound('purchase order', req.params.id);
    return { items: await listVersions(tx, tenant(req), 'purchase_order', req.params.id) };
  }));

  app.post('/v1/purchase-orders/:id/approve', {
    config: { permission: 'purchasing:approve' },
    schema: {
      operationId: 'approvePurchaseOrder', tags, summary: 'Approve a draft (the tenant may forbid approving your own order); records version history',
      params: IdParams, body: VersionBody, response: { 200: Type.Ref(PurchaseOrderSchema), ...problems(404, 409) },
    },
  }, async (req, reply) => mutate(db, req, reply, (tx) => service.approveOrder(tx, who(req), req.params.id, req.body.version), { resource: (o) => `purchase-order/${o.id}` }));

  app.post('/v1/purchase-orders/:id/cancel', {
    config: writePerm,
    schema: { operationId: 'cancelPurchaseOrder', tags, summary: 'Cancel a draft or approved order against which nothing was received', params: IdParams, body: ReasonBody, response: { 200: Type.Ref(PurchaseOrderSchema), ...problems(404, 409) } },
  }, async (req, reply) => mutate(db, req, reply, (tx) => service.cancelOrder(tx, who(req), req.params.id, req.body.version, req.body.reason), { resource: (o) => `purchase-order/${o.id}` }));

  app.post('/v1/purchase-orders/:id/close', {
    config: writePerm,
    schema: { operationId: 'closePurchaseOrder', tags, summary: 'Close an approved order by hand (nothing more will come); received goods must be inspected first', params: IdParams, body: ReasonBody, response: { 200: Type.Ref(PurchaseOrderSchema), ...problems(404, 409) } },
  }, async (req, reply) => mutate(db, req, reply, (tx) => service.closeOrder(tx, who(req), req.params.id, req.body.version, req.body.reason), { resource: (o) => `purchase-order/${o.id}` }));

  app.post('/v1/purchase-suggestions', {
    config: writePerm,
    schema: {
      operationId: 'createPurchaseSuggestions', tags,
      summary: 'Draft purchase orders for materials below safety stock (less what open orders will still bring), one per preferred supplier; dryRun only computes',
      body: SuggestBody, response: { 200: Type.Ref(SuggestionResultSchema), ...problems() },
    },
  }, async (req, reply) => mutate(db, req, reply, (tx) => service.suggest(tx, who(req), req.body.dryRun ?? false), {
    resource: (r) => `purchase-suggestion/${r.suggestions.map((s) => s.docNo ?? s.supplierCode).join(',') || 'none'}`,
  }));

  // --- Receiving and the inspection gate ----------------------------------------------------------

  app.post('/v1/purchase-receipts', {
    config: receivePerm,
    schema: {
      operationId: 'createPurchaseReceipt', tags,
      summary: 'Receive goods against an approved order (all open quantities, or counted lines, or PDA scans); makes batches, serials and label data. Not stock until inspected',
      body: CreateReceiptBody, response: { 201: Type.Ref(PurchaseReceiptSchema), ...problems(404, 409, 422) },
    },
  }, async (req, reply) => mutate(db, req, reply, (tx) => service.createReceipt(tx, who(req), req.body), { status: 201, resource: (r) => `purchase-receipt/${r.id}` }));

  app.get('/v1/purchase-receipts', {
    config: readPerm,
    schema: {
      operationId: 'listPurchaseReceipts', tags, summary: "Receipts, newest first; pendingInspection=true is the inspector's worklist",
      querystring: ReceiptListQuery, response: { 200: Type.Ref(PurchaseReceiptPageSchema), ...problems() },
    },
  }, async (req) => {
    const limit = req.query.limit ?? 50;
    const after = decodeCursor(req.query.cursor, CURSOR.createdAtId);
    const rows = await read(db, req, (tx) => repo.listReceipts(tx, tenant(req), { ...req.query, limit, after }));
    return pageOf(rows, limit, (r) => [r.createdAt, r.id], (r) => r);
  });

  app.get('/v1/purchase-receipts/:id', {
    config: readPerm,
    schema: { operationId: 'getPurchaseReceipt', tags, summary: 'A receipt: lines with received, inspected, accepted, rejected and pending quantities, labels, inspections', params: IdParams, response: { 200: Type.Ref(PurchaseReceiptSchema), ...problems(404) } },
  }, async (req) => {
    const r = await read(db, req, (tx) => repo.findReceipt(tx, tenant(req), req.params.id));
    if (!r) throw notFound('purchase receipt', req.params.id);
    return r;
  });

  app.get('/v1/purchase-receipts/:id/labels', {
    config: readPerm,
    schema: { operationId: 'listPurchaseReceiptLabels', tags, summary: "The receipt's labels: GS1 fields per line, to POST to /v1/labels for the image", params: IdParams, response: { 200: Type.Ref(LabelListSchema), ...problems(404) } },
  }, async (req) => {
    const r = await read(db, req, (tx) => repo.findReceipt(tx, tenant(req), req.params.id));
    if (!r) throw notFound('purchase receipt', req.params.id);
    return { items: r.labels };
  });

  app.post('/v1/purchase-receipts/:id/inspections', {
    config: { permission: 'quality:inspect' },
    schema: {
      operationId: 'inspectPurchaseReceipt', tags,
      summary: 'Incoming inspection: accepted quantity is posted into stock (purchase inbound), rejected goes back to the supplier (purchase return); all in one transaction, recorded as a closed incoming quality inspection per line (409 INSPECTION_OPEN when a line has an open one)',
      params: IdParams, body: InspectBody, response: { 201: Type.Ref(InspectionResultSchema), ...problems(404, 409, 422) },
    },
  }, async (req, reply) => mutate(db, req, reply, (tx) => gate.inspectAtGate(tx, who(req), req.params.id, req.body), { status: 201, resource: (r) => `purchase-receipt/${r.receipt.id}` }));

  // --- Inbounds and returns ------------------------------------------------------------------------

  app.get('/v1/purchase-inbounds', {
    config: readPerm,
    schema: { operationId: 'listPurchaseInbounds', tags, summary: 'Purchase inbounds (posted at inspection), newest first', querystring: DocListQuery, response: { 200: Type.Ref(PurchaseInboundPageSchema), ...problems() } },
  }, async (req) => {
    const limit = req.query.limit ?? 50;
    const after = decodeCursor(req.query.cursor, CURSOR.createdAtId);
    const rows = await read(db, req, (tx) => repo.listInbounds(tx, tenant(req), { ...req.query, limit, after }));
    return pageOf(rows, limit, (r) => [r.createdAt, r.id], (r) => r);
  });

  app.get('/v1/purchase-inbounds/:id', {
    config: readPerm,
    schema: { operationId: 'getPurchaseInbound', tags, summary: 'A purchase inbound with its lines and what was returned of each', params: IdParams, response: { 200: Type.Ref(PurchaseInboundSchema), ...problems(404) } },
  }, async (req) => {
    const r = await read(db, req, (tx) => repo.findInbound(tx, tenant(req), req.params.id));
    if (!r) throw notFound('purchase inbound', req.params.id);
    return r;
  });

  app.post('/v1/purchase-returns', {
    config: receivePerm,
    schema: {
      operationId: 'createPurchaseReturn', tags, summary: 'Return goods to the supplier out of stock, against an inbound (never more than came in) or without source; posted at once',
      body: CreateReturnBody, response: { 201: Type.Ref(PurchaseReturnSchema), ...problems(404, 409, 422) },
    },
  }, async (req, reply) => mutate(db, req, reply, (tx) => service.createReturn(tx, who(req), req.body), { status: 201, resource: (r) => `purchase-return/${r.id}` }));

  app.get('/v1/purchase-returns', {
    config: readPerm,
    schema: { operationId: 'listPurchaseReturns', tags, summary: 'Purchase returns, newest first', querystring: DocListQuery, response: { 200: Type.Ref(PurchaseReturnPageSchema), ...problems() } },
  }, async (req) => {
    const limit = req.query.limit ?? 50;
    const after = decodeCursor(req.query.cursor, CURSOR.createdAtId);
    const rows = await read(db, req, (tx) => repo.listReturns(tx, tenant(req), { ...req.query, limit, after }));
    return pageOf(rows, limit, (r) => [r.createdAt, r.id], (r) => r);
  });

  app.get('/v1/purchase-returns/:id', {
    config: readPerm,
    schema: { operationId: 'getPurchaseReturn', tags, summary: 'A purchase return with its lines', params: IdParams, response: { 200: Type.Ref(PurchaseReturnSchema), ...problems(404) } },
  }, async (req) => {
    const r = await read(db, req, (tx) => repo.findReturn(tx, tenant(req), req.params.id));
    if (!r) throw notFound('purchase return', req.params.id);
    return r;
  });

  // --- Progress (S1-5.4.2-g) ------------------------------------------------------------------------

  app.get('/v1/reports/purchasing-progress', {
    config: readPerm,
    schema: {
      operationId: 'getPurchasingProgress', tags: ['purchasing', 'reports'],
      summary: 'Ordered, received, inspected, in, rejected, returned, pending and open per supplier or material, over orders created in [from, to)',
      querystring: ProgressQuery, response: { 200: Type.Ref(ProgressPageSchema), ...problems() },
    },
  }, async (req) => {
    const limit = req.query.limit ?? 100;
    const after = decodeCursor(req.query.cursor, CURSOR.code)?.[0];
    const rows = await read(db, req, (tx) => repo.progress(tx, tenant(req), { ...req.query, groupBy: req.query.groupBy ?? 'supplier' }, limit, after));
    return pageOf(rows, limit, (r) => [r.key.code], (r) => r);
  });
}
