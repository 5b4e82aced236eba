import { Type, type Static } from '@sinclair/typebox';
import { Page, Timestamp, Uuid } from '../../platform/schemas.js';
import { Quantity } from '../masterdata/schema.js';
import { Code } from '../plant/schema.js';
import { DateOnly, Lit, Nullable } from './common.js';

// ---------------------------------------------------------------- production orders (S1-5.4.4-e)

export const ORDER_STATUSES = ['planned', 'released', 'in_progress', 'completed', 'closed', 'cancelled'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];
/** Where an order's demand came from; 'rework' orders are made only by a quality rework disposition (S1-5.4.5-e). */
export const ORDER_SOURCES = ['manual', 'sales_demand', 'safety_stock', 'mrp', 'rework'] as const;
const CREATE_SOURCES = ['manual', 'sales_demand', 'safety_stock', 'mrp'] as const;
export const OPERATION_STATUSES = ['pending', 'in_progress', 'paused', 'completed'] as const;
export type OperationStatus = (typeof OPERATION_STATUSES)[number];
const IssueType = Lit('manual', 'backflush_operation', 'backflush_receipt');

export const OrderOperationSchema = Type.Object({
  id: Uuid('Execution reports against this'),
  seq: Type.Integer(),
  name: Type.String(),
  description: Type.String(),
  workCentreId: Uuid(),
  workCentreCode: Type.String(),
  stationId: Nullable(Uuid()),
  setupMinutes: Type.String(),
  runMinutes: Type.String({ description: 'Per base unit of the product' }),
  queueMinutes: Type.String(),
  moveMinutes: Type.String(),
  plannedMinutes: Type.String({ description: 'Load on the work centre: setup + run × order quantity' }),
  inspectionPoint: Type.Boolean(),
  inspectionText: Type.String(),
  inspectionRef: Nullable(Type.String()),
  alternates: Type.Array(Type.Object({ priority: Type.Integer(), workCentreId: Uuid(), workCentreCode: Type.String(), setupMinutes: Nullable(Type.String()), runMinutes: Nullable(Type.String()) })),
  status: Lit(...OPERATION_STATUSES),
  goodQuantity: Type.String({ description: 'Reported good, product base unit' }),
  scrapQuantity: Type.String(),
  pendingInspectionQuantity: Type.String(),
  plannedStart: Nullable(Timestamp()),
  plannedFinish: Nullable(Timestamp()),
  actualStart: Nullable(Timestamp()),
  actualFinish: Nullable(Timestamp()),
});
export type OrderOperation = Static<typeof OrderOperationSchema>;

export const OrderComponentSchema = Type.Object({
  id: Uuid('Execution issues against this'),
  lineNo: Type.Integer(),
  materialId: Uuid(),
  materialCode: Type.String(),
  materialName: Type.String(),
  baseUnit: Type.String(),
  operationSeq: Nullable(Type.Integer({ description: 'The order operation that consumes it' })),
  bomVersionId: Uuid(),
  bomLineNo: Type.Integer(),
  viaPhantoms: Type.Array(Type.String()),
  perUnit: Type.String({ description: 'Per base unit of the product, scrap included, exact' }),
  scrapRate: Type.String(),
  standardQuantity: Type.String({ description: 'perUnit × order quantity, exact' }),
  requiredQuantity: Type.String({ description: "standardQuantity rounded up to the base unit's decimals" }),
  issueType: IssueType,
  includeInKitting: Type.Boolean(),
  optional: Type.Boolean(),
  alternates: Type.Array(Type.Object({ priority: Type.Integer(), materialId: Uuid(), materialCode: Type.String(), perUnit: Type.String() })),
  issuedQuantity: Type.String(),
  backflushedQuantity: Type.String(),
  returnedQuantity: Type.String(),
});
export type OrderComponent = Static<typeof OrderComponentSchema>;

const header = {
  id: Uuid(),
  docNo: Type.String(),
  status: Lit(...ORDER_STATUSES),
  materialId: Uuid(),
  materialCode: Type.String(),
  materialName: Type.String(),
  quantity: Type.String({ description: 'Ordered, in `unit`' }),
  unit: Type.String(),
  baseQuantity: Type.String({ description: 'The same in the base unit, exactly' }),
  baseUnit: Type.String(),
  bomVersionId: Nullable(Uuid()),
  bomRevision: Nullable(Type.Integer()),
  routingVersionId: Nullable(Uuid()),
  routingCode: Nullable(Type.String()),
  routingRevision: Nullable(Type.Integer()),
  workshopId: Nullable(Uuid()),
  workshopCode: Nullable(Type.String()),
  lineId: Nullable(Uuid()),
  lineCode: Nullable(Type.String()),
  plannedStart: Type.String({ format: 'date' }),
  plannedFinish: Type.String({ format: 'date' }),
  dueDate: Nullable(Type.String({ format: 'date' })),
  source: Lit(...ORDER_SOURCES),
  sourceRef: Nullable(Type.String()),
  reworkOfOrderId: Nullable(Uuid('A rework order: the production order whose output it reworks (source rework, sourceRef the quality inspection)')),
  salesOrderLineId: Nullable(Uuid()),
  salesOrderId: Nullable(Uuid()),
  salesOrderLineNo: Nullable(Type.Integer()),
  mtoNo: Nullable(Type.String({ description: 'Make-to-order number: the sales order number it is made for' })),
  priority: Type.Integer({ description: '1 (most urgent) to 9' }),
  includeOptional: Type.Boolean(),
  received: Type.String({ description: 'Received into stock, base unit' }),
  scrapped: Type.String(),
  remark: Type.String(),
  version: Type.Integer(),
  approvalRequired: Type.Boolean({ description: 'The tenant requires approval before release' }),
  createdBy: Type.String(),
  approvedBy: Nullable(Type.String()),
  approvedAt: Nullable(Timestamp()),
  releasedBy: Nullable(Type.String()),
  releasedAt: Nullable(Timestamp()),
  startedAt: Nullable(Timestamp()),
  completedAt: Nullable(Timestamp()),
  closedAt: Nullable(Timestamp()),
  cancelledAt: Nullable(Timestamp()),
  cancelReason: Nullable(Type.String()),
  createdAt: Timestamp(),
  updatedAt: Timestamp(),
};

export const ProductionOrderSchema = Type.Object(
  {
    ...header,
    operations: Type.Array(OrderOperationSchema, { description: 'Its own copy of the routing, made at release (empty before)' }),
    components: Type.Array(OrderComponentSchema, { description: 'Its own component requirements from the exploded BOM, made at release (empty before)' }),
  },
  { $id: 'ProductionOrder' },
);
export type ProductionOrder = Static<typeof ProductionOrderSchema>;
export const ProductionOrderSummarySchema = Type.Object(header, { $id: 'ProductionOrderSummary' });
export type ProductionOrderSummary = Static<typeof ProductionOrderSummarySchema>;
export const ProductionOrderPageSchema = Page(Type.Ref(ProductionOrderSummarySchema), 'ProductionOrderPage');

const refs = {
  bomVersionId: Type.Optional(Uuid('Default: the manufacturing BOM in effect at the planned start')),
  routingVersionId: Type.Optional(Uuid("Default: the product's default routing in effect at the planned start")),
  workshopId: Type.Optional(Uuid()),
  workshopCode: Type.Optional(Code('Workshop code')),
  lineId: Type.Optional(Uuid('A line of the workshop')),
  lineCode: Type.Optional(Code('Line code')),
};

export const CreateProductionOrderBody = Type.Object(
  {
    materialId: Type.Optional(Uuid()),
    materialCode: Type.Optional(Type.String({ maxLength: 64 })),
    quantity: Quantity('Positive, in `unit`'),
    unit: Type.Optional(Type.String({ maxLength: 16, description: "Default the product's production unit" })),
    ...refs,
    plannedStart: DateOnly(),
    plannedFinish: DateOnly(),
    dueDate: Type.Optional(DateOnly()),
    source: Type.Optional(Lit(...CREATE_SOURCES)),
    sourceRef: Type.Optional(Type.String({ maxLength: 100, description: 'e.g. the MRP run' })),
    salesOrderLineId: Type.Optional(Uuid('Make to order for this sales order line (source sales_demand)')),
    mtoNo: Type.Optional(Type.String({ maxLength: 64, description: 'Without a sales order line: a make-to-order number of your own' })),
    priority: Type.Optional(Type.Integer({ minimum: 1, maximum: 9 })),
    includeOptional: Type.Optional(Type.Boolean({ description: "Require the BOM's optional components too; default false" })),
    remark: Type.Optional(Type.String({ maxLength: 500 })),
  },
  { additionalProperties: false },
);
export type CreateProductionOrderInput = Static<typeof CreateProductionOrderBody>;

export const UpdateProductionOrderBody = Type.Object(
  {
    version: Type.Integer({ minimum: 1 }),
    quantity: Type.Optional(Quantity('Only while planned')),
    unit: Type.Optional(Type.String({ maxLength: 16 })),
    bomVersionId: Type.Optional(Uuid('Only while planned')),
    routingVersionId: Type.Optional(Uuid('Only while planned')),
    workshopId: Type.Optional(Uuid('Only while planned')),
    lineId: Type.Optional(Nullable(Uuid('A line of its workshop; null: none'))),
    plannedStart: Type.Optional(DateOnly()),
    plannedFinish: Type.Optional(DateOnly()),
    dueDate: Type.Optional(Nullable(DateOnly())),
    priority: Type.Optional(Type.Integer({ minimum: 1, maximum: 9 })),
    includeOptional: Type.Optional(Type.Boolean({ description: 'Only while planned' })),
    remark: Type.Optional(Type.String({ maxLength: 500 })),
  },
  { additionalProperties: false },
);
export type UpdateProductionOrderInput = Static<typeof UpdateProductionOrderBody>;

export const OrderActionBody = Type.Object(
  { version: Type.Integer({ minimum: 1, description: 'The version you read' }), reason: Type.Optional(Type.String({ maxLength: 500 })) },
  { additionalProperties: false },
);

export const ProductionOrderListQuery = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
    cursor: Type.Optional(Type.String({ maxLength: 200 })),
    status: Type.Optional(Lit('open', ...ORDER_STATUSES)),
    workshopId: Type.Optional(Uuid()),
    lineId: Type.Optional(Uuid()),
    materialId: Type.Optional(Uuid('Orders for this product')),
    dueFrom: Type.Optional(DateOnly('Due on or after')),
    dueTo: Type.Optional(DateOnly('Due on or before')),
    source: Type.Optional(Lit(...ORDER_SOURCES)),
    salesOrderId: Type.Optional(Uuid('Made to order for this sales order')),
    docNo: Type.Optional(Type.String({ maxLength: 64 })),
  },
  { additionalProperties: false },
);
export type ProductionOrderListQuery = Static<typeof ProductionOrderListQuery>;
