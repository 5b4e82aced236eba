import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { Page, Timestamp, Uuid } from '../../platform/schemas.js';
import { Quantity } from '../masterdata/schema.js';

const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const DateOnly = (description?: string) => Type.String({ format: 'date', description });
const Ref = (what: string) => Type.String({ minLength: 1, maxLength: 64, description: `${what} code` });
const Money = (description?: string) => Type.String({ pattern: '^(0|[1-9][0-9]{0,13})(\\.[0-9]{1,6})?$', description: description ?? 'Decimal string, e.g. "12.50"' });
const TaxRate = Type.String({ pattern: '^(100|[0-9]{1,2})(\\.[0-9]{1,4})?$', description: 'Percent, e.g. "13"' });
const Lit = <T extends string>(...v: T[]) => Type.Union(v.map((x) => Type.Literal(x)));

export const ORDER_STATUSES = ['draft', 'approved', 'in_delivery', 'closed', 'cancelled'] as const;
export const PLAN_STATUSES = ['open', 'partially_shipped', 'shipped', 'cancelled'] as const;

// ---------------------------------------------------------------- sales orders (S1-5.4.1-b)

export const SalesOrderLineSchema = Type.Object({
  id: Uuid('Reference this line from delivery plans'),
  lineNo: Type.Integer(),
  materialId: Uuid(),
  materialCode: Type.String(),
  materialName: Type.String(),
  quantity: Type.String({ description: 'Ordered, in `unit` (the sales unit)' }),
  unit: Type.String(),
  baseQuantity: Type.String({ description: 'Ordered, exactly converted to the base unit' }),
  baseUnit: Type.String(),
  price: Type.String({ description: 'Per `unit`, before tax' }),
  taxRate: Type.String({ description: 'Percent' }),
  netAmount: Type.String(),
  taxAmount: Type.String(),
  grossAmount: Type.String(),
  deliveryDate: Type.String({ format: 'date' }),
  planned: Type.String({ description: 'Base unit, on delivery plans that are not cancelled' }),
  shipped: Type.String({ description: 'Base unit, posted sales outbounds' }),
  returned: Type.String({ description: 'Base unit, sales returns with this order as source' }),
  open: Type.String({ description: 'Base unit still to ship: ordered - shipped + returned, 0 once the order is closed or cancelled' }),
});

const orderHeader = {
  id: Uuid(),
  docNo: Type.String(),
  customerId: Uuid(),
  customerCode: Type.String(),
  customerName: Type.String(),
  orderDate: Type.String({ format: 'date' }),
  status: Lit(...ORDER_STATUSES),
  remark: Type.String(),
  version: Type.Integer({ description: 'Stays 1 while a never-approved draft is edited; each change after approval adds one' }),
  netTotal: Type.String(),
  taxTotal: Type.String(),
  grossTotal: Type.String(),
  createdBy: Type.String(),
  approvedBy: Nullable(Type.String()),
  approvedAt: Nullable(Timestamp()),
  closedAt: Nullable(Timestamp()),
  closeReason: Nullable(Type.String()),
  createdAt: Timestamp(),
  updatedAt: Timestamp(),
};

export const SalesOrderSchema = Type.Object({ ...orderHeader, lines: Type.Array(SalesOrderLineSchema) }, { $id: 'SalesOrder' });
export type SalesOrder = Static<typeof SalesOrderSchema>;
export const SalesOrderSummarySchema = Type.Object({ ...orderHeader, lineCount: Type.Integer() }, { $id: 'SalesOrderSummary' });
export type SalesOrderSummary = Static<typeof SalesOrderSummarySchema>;
export const SalesOrderPageSchema = Page(Type.Ref(SalesOrderSummarySchema), 'SalesOrderPage');

export const OrderLineInput = Type.Object(
  {
    lineNo: Type.Optional(Type.Integer({ minimum: 1, description: 'On a change: the existing line this is; omit for a new line' })),
    materialId: Type.Optional(Uuid()),
    materialCode: Type.Optional(Ref('Material or variant')),
    quantity: Quantity('Positive, in `unit`'),
    unit: Type.Optional(Type.String({ maxLength: 16, description: "Default: the material's sales unit" })),
    price: Money('Per `unit`, before tax'),
    taxRate: Type.Optional(TaxRate),
    deliveryDate: DateOnly(),
  },
  { additionalProperties: false },
);
export type OrderLineInput = Static<typeof OrderLineInput>;

export const CreateSalesOrderBody = Type.Object(
  {
    customerId: Type.Optional(Uuid()),
    customerCode: Type.Optional(Ref('Customer')),
    orderDate: Type.Optional(DateOnly('Default: today')),
    remark: Type.Optional(Type.String({ maxLength: 500 })),
    lines: Type.Array(OrderLineInput, { minItems: 1, maxItems: 1000 }),
  },
  { additionalProperties: false },
);
export type CreateSalesOrderInput = Static<typeof CreateSalesOrderBody>;

export const UpdateSalesOrderBody = Type.Object(
  {
    version: Type.Integer({ minimum: 1 }),
    reason: Type.Optional(Type.String({ maxLength: 500, description: 'Why an approved order changes; kept with the new version' })),
    orderDate: Type.Optional(DateOnly()),
    remark: Type.Optional(Type.String({ maxLength: 500 })),
    lines: Type.Optional(Type.Array(OrderLineInput, { minItems: 1, maxItems: 1000, description: 'The complete new list of lines: existing ones by lineNo' })),
  },
  { additionalProperties: false },
);
export type UpdateSalesOrderInput = Static<typeof UpdateSalesOrderBody>;

export const ReasonBody = Type.Optional(Type.Object({ reason: Type.Optional(Type.String({ maxLength: 500 })) }, { additionalProperties: false }));
/** What approve, cancel and close of an order take: the version the caller read (a stale one is 409 VERSION_CONFLICT). */
export const OrderActionBody = Type.Object(
  {
    version: Type.Integer({ minimum: 1, description: 'The version you read; a stale one is refused with 409 VERSION_CONFLICT' }),
    reason: Type.Optional(Type.String({ maxLength: 500 })),
  },
  { additionalProperties: false },
);
export type OrderActionInput = Static<typeof OrderActionBody>;

export const SalesOrderListQuery = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
    cursor: Type.Optional(Type.String({ maxLength: 200 })),
    status: Type.Optional(Lit('open', ...ORDER_STATUSES)),
    customerId: Type.Optional(Uuid()),
    materialId: Type.Optional(Uuid('Orders with a line of this material')),
    q: Type.Optional(Type.String({ maxLength: 100, description: 'Document number or customer code/name contains' })),
  },
  { additionalProperties: false },
);
export type SalesOrderListQuery = Static<typeof SalesOrderListQuery>;

// ---------------------------------------------------------------- delivery plans (S1-5.4.1-c)

const Consignee = Type.Object(
  { name: Type.String({ maxLength: 100 }), phone: Type.String({ maxLength: 40 }) },
  { additionalProperties: false },
);

export const DeliveryPlanLineSchema = Type.Object({
  lineNo: Type.Integer(),
  orderLineId: Uuid(),
  orderId: Uuid(),
  orderDocNo: Type.String(),
  orderLineNo: Type.Integer(),
  materialId: Uuid(),
  materialCode: Type.String(),
  quantity: Type.String({ description: "Planned, in the order line's unit" }),
  unit: Type.String(),
  baseQuantity: Type.String(),
  baseUnit: Type.String(),
  shipped: Type.String({ description: 'Base unit, posted outbounds of this plan' }),
  open: Type.String({ description: 'Base unit: planned - shipped, not below 0' }),
});

const planHeader = {
  id: Uuid(),
  docNo: Type.String(),
  customerId: Uuid(),
  customerCode: Type.String(),
  status: Lit(...PLAN_STATUSES),
  plannedDate: Type.String({ format: 'date' }),
  address: Type.String(),
  consignee: Consignee,
  remark: Type.String(),
  version: Type.Integer(),
  createdBy: Type.String(),
  createdAt: Timestamp(),
  updatedAt: Timestamp(),
};
export const DeliveryPlanSchema = Type.Object({ ...planHeader, lines: Type.Array(DeliveryPlanLineSchema) }, { $id: 'DeliveryPlan' });
export type DeliveryPlan = Static<typeof DeliveryPlanSchema>;
export const DeliveryPlanSummarySchema = Type.Object({ ...planHeader, lineCount: Type.Integer() }, { $id: 'DeliveryPlanSummary' });
export const DeliveryPlanPageSchema = Page(Type.Ref(DeliveryPlanSummarySchema), 'DeliveryPlanPage');

export const PlanLineInput = Type.Object(
  {
    orderLineId: Type.Optional(Uuid()),
    orderId: Type.Optional(Uuid('With lineNo, instead of orderLineId')),
    orderDocNo: Type.Optional(Type.String({ maxLength: 64, description: 'With lineNo, instead of orderLineId' })),
    lineNo: Type.Optional(Type.Integer({ minimum: 1 })),
    quantity: Quantity("Positive, in the order line's unit"),
  },
  { additionalProperties: false },
);
export type PlanLineInput = Static<typeof PlanLineInput>;

export const CreateDeliveryPlanBody = Type.Object(
  {
    customerId: Type.Optional(Uuid()),
    customerCode: Type.Optional(Ref('Customer')),
    plannedDate: DateOnly('The planned delivery date'),
    address: Type.Optional(Type.String({ maxLength: 500, description: "Default: the customer's address" })),
    consignee: Type.Optional(Consignee),
    remark: Type.Optional(Type.String({ maxLength: 500 })),
    lines: Type.Array(PlanLineInput, { minItems: 1, maxItems: 1000 }),
  },
  { additionalProperties: false },
);
export type CreateDeliveryPlanInput = Static<typeof CreateDeliveryPlanBody>;

export const UpdateDeliveryPlanBody = Type.Object(
  {
    version: Type.Integer({ minimum: 1 }),
    plannedDate: Type.Optional(DateOnly()),
    address: Type.Optional(Type.String({ maxLength: 500 })),
    consignee: Type.Optional(Consignee),
    remark: Type.Optional(Type.String({ maxLength: 500 })),
    lines: Type.Optional(Type.Array(PlanLineInput, { minItems: 1, maxItems: 1000, description: 'The complete new list; only while nothing is shipped' })),
  },
  { additionalProperties: false },
);
export type UpdateDeliveryPlanInput = Static<typeof UpdateDeliveryPlanBody>;

export const DeliveryPlanListQuery = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
    cursor: Type.Optional(Type.String({ maxLength: 200 })),
    status: Type.Optional(Lit(...PLAN_STATUSES)),
    customerId: Type.Optional(Uuid()),
    orderId: Type.Optional(Uuid('Plans with a line of this order')),
  },
  { additionalProperties: false },
);

// ---------------------------------------------------------------- sales outbounds (S1-5.4.1-d)

export const SalesOutboundLineSchema = Type.Object({
  lineNo: Type.Integer(),
  planLineNo: Type.Integer(),
  orderId: Uuid(),
  orderDocNo: Type.String(),
  orderLineNo: Type.Integer(),
  materialId: Uuid(),
  materialCode: Type.String(),
  quantity: Type.String(),
  unit: Type.String(),
  baseQuantity: Type.String(),
  baseUnit: Type.String(),
  warehouseId: Uuid(),
  binId: Nullable(Uuid()),
  batchNo: Nullable(Type.String()),
  serialNo: Nullable(Type.String()),
  origin: Lit('fifo', 'scan', 'manual'),
  returned: Type.String({ description: 'Base unit returned against this line' }),
  expiredReason: Nullable(Type.String({ description: 'Set when an expired batch was chosen on purpose (allowExpired)' })),
});

const outboundHeader = {
  id: Uuid(),
  docNo: Type.String(),
  planId: Uuid(),
  planDocNo: Type.String(),
  customerId: Uuid(),
  customerCode: Type.String(),
  warehouseId: Uuid(),
  status: Lit('draft', 'posted'),
  createdBy: Type.String(),
  postedBy: Nullable(Type.String()),
  postedAt: Nullable(Timestamp()),
  createdAt: Timestamp(),
};
export const SalesOutboundSchema = Type.Object({ ...outboundHeader, lines: Type.Array(SalesOutboundLineSchema) }, { $id: 'SalesOutbound' });
export type SalesOutbound = Static<typeof SalesOutboundSchema>;
export const SalesOutboundSummarySchema = Type.Object({ ...outboundHeader, lineCount: Type.Integer() }, { $id: 'SalesOutboundSummary' });
export const SalesOutboundPageSchema = Page(Type.Ref(SalesOutboundSummarySchema), 'SalesOutboundPage');

export const OutboundLineInput = Type.Object(
  {
    planLineNo: Type.Optional(Type.Integer({ minimum: 1, description: 'Default: the first plan line of the material with quantity left' })),
    materialId: Type.Optional(Uuid()),
    materialCode: Type.Optional(Ref('Material')),
    barcode: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'Scanned label: material, batch or serial (GS1-128)' })),
    quantity: Quantity('Positive, in `unit`'),
    unit: Type.Optional(Type.String({ maxLength: 16, description: "Default: the order line's unit" })),
    binId: Type.Optional(Uuid()),
    binCode: Type.Optional(Ref('Bin')),
    batchNo: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
    serialNo: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
    allowExpired: Type.Optional(Type.Boolean({ description: 'Ship this batch although it is past its expiry date (422 EXPIRED_BATCH otherwise); needs expiredReason' })),
    expiredReason: Type.Optional(Type.String({ minLength: 1, maxLength: 500, description: 'Why an expired batch ships; kept on the line and in the audit record' })),
  },
  { additionalProperties: false },
);
export type OutboundLineInput = Static<typeof OutboundLineInput>;

export const CreateSalesOutboundBody = Type.Object(
  {
    planId: Uuid(),
    warehouseId: Type.Optional(Uuid()),
    warehouseCode: Type.Optional(Ref('Warehouse')),
    lines: Type.Optional(Type.Array(OutboundLineInput, {
      maxItems: 1000,
      description: "Omitted: the FIFO suggestion for the plan's open quantity from this warehouse; [] leaves the draft empty for scanning",
    })),
  },
  { additionalProperties: false },
);
export type CreateSalesOutboundInput = Static<typeof CreateSalesOutboundBody>;

export const ScanBody = Type.Object(
  {
    scans: Type.Array(
      Type.Object(
        {
          barcode: Type.String({ minLength: 1, maxLength: 200 }),
          quantity: Type.Optional(Quantity("Base unit; default the label's (30) count, else 1")),
          binId: Type.Optional(Uuid()),
          binCode: Type.Optional(Ref('Bin')),
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 500 },
    ),
  },
  { additionalProperties: false },
);
export type ScanInput = Static<typeof ScanBody>;

export const SalesOutboundListQuery = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
    cursor: Type.Optional(Type.String({ maxLength: 200 })),
    status: Type.Optional(Lit('draft', 'posted')),
    planId: Type.Optional(Uuid()),
    customerId: Type.Optional(Uuid()),
  },
  { additionalProperties: false },
);

// ---------------------------------------------------------------- sales returns (S1-5.4.1-e)

export const SalesReturnLineSchema = Type.Object({
  lineNo: Type.Integer(),
  outboundLineNo: Nullable(Type.Integer()),
  orderId: Nullable(Uuid()),
  orderLineNo: Nullable(Type.Integer()),
  materialId: Uuid(),
  materialCode: Type.String(),
  quantity: Type.String(),
  unit: Type.String(),
  baseQuantity: Type.String(),
  baseUnit: Type.String(),
  binId: Nullable(Uuid()),
  batchNo: Nullable(Type.String()),
  serialNo: Nullable(Type.String()),
  qualityInspection: Nullable(Type.Object({
    id: Uuid(), docNo: Type.String(), status: Type.String(), judgement: Nullable(Type.String()),
  }, { description: 'A quality-caused return (reason failed_inspection): the inspection of the returned goods (S1-5.4.5-e)' })),
  sourceBatches: Type.Array(Type.Object({ batchNo: Nullable(Type.String()), serialNo: Nullable(Type.String()), quantity: Type.String() }), {
    description: "With a source outbound: the batches and serials the goods came from, as the shipment's movements took them (base unit)",
  }),
});

/** failed_inspection is the quality reason: such a return may be linked to a quality inspection (S1-5.4.5-e). */
const ReasonCode = Lit('demand_change', 'failed_inspection', 'other');
const returnHeader = {
  id: Uuid(),
  docNo: Type.String(),
  customerId: Uuid(),
  customerCode: Type.String(),
  sourceOutboundId: Nullable(Uuid()),
  sourceOutboundDocNo: Nullable(Type.String()),
  warehouseId: Uuid(),
  reasonCode: ReasonCode,
  reason: Type.String(),
  status: Lit('posted'),
  createdBy: Type.String(),
  createdAt: Timestamp(),
};
export const SalesReturnSchema = Type.Object({ ...returnHeader, lines: Type.Array(SalesReturnLineSchema) }, { $id: 'SalesReturn' });
export type SalesReturn = Static<typeof SalesReturnSchema>;
export const SalesReturnSummarySchema = Type.Object({ ...returnHeader, lineCount: Type.Integer() }, { $id: 'SalesReturnSummary' });
export const SalesReturnPageSchema = Page(Type.Ref(SalesReturnSummarySchema), 'SalesReturnPage');

export const ReturnLineInput = Type.Object(
  {
    outboundLineNo: Type.Optional(Type.Integer({ minimum: 1, description: 'With a source outbound: the line returned (its material, batch and serial)' })),
    materialId: Type.Optional(Uuid()),
    materialCode: Type.Optional(Ref('Material')),
    quantity: Quantity('Positive, in `unit`'),
    unit: Type.Optional(Type.String({ maxLength: 16, description: "Default: the outbound line's unit, else the material's sales unit" })),
    binId: Type.Optional(Uuid()),
    batchNo: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
    serialNo: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
  },
  { additionalProperties: false },
);
export type ReturnLineInput = Static<typeof ReturnLineInput>;

export const CreateSalesReturnBody = Type.Object(
  {
    customerId: Type.Optional(Uuid()),
    customerCode: Type.Optional(Ref('Customer')),
    sourceOutboundId: Type.Optional(Uuid('The posted outbound the goods came from; omit for a return without source')),
    warehouseId: Type.Optional(Uuid()),
    warehouseCode: Type.Optional(Ref('Warehouse (a quarantine warehouse for goods to inspect)')),
    reasonCode: ReasonCode,
    reason: Type.Optional(Type.String({ maxLength: 500 })),
    lines: Type.Array(ReturnLineInput, { minItems: 1, maxItems: 1000 }),
  },
  { additionalProperties: false },
);
export type CreateSalesReturnInput = Static<typeof CreateSalesReturnBody>;

export const SalesReturnListQuery = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
    cursor: Type.Optional(Type.String({ maxLength: 200 })),
    customerId: Type.Optional(Uuid()),
    sourceOutboundId: Type.Optional(Uuid()),
  },
  { additionalProperties: false },
);

// ---------------------------------------------------------------- progress (S1-5.4.1-g)

export const SalesProgressQuery = Type.Object(
  {
    groupBy: Type.Optional(Lit('customer', 'material')),
    from: Type.Optional(DateOnly('Orders dated on or after')),
    to: Type.Optional(DateOnly('Orders dated on or before')),
    customerId: Type.Optional(Uuid()),
    materialId: Type.Optional(Uuid()),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
    cursor: Type.Optional(Type.String({ maxLength: 300 })),
  },
  { additionalProperties: false },
);
export type SalesProgressQuery = Static<typeof SalesProgressQuery>;

export const SalesProgressRowSchema = Type.Object(
  {
    customerId: Nullable(Uuid('By customer: the customer; by material: null')),
    customerCode: Nullable(Type.String()),
    customerName: Nullable(Type.String()),
    materialId: Uuid(),
    materialCode: Type.String(),
    materialName: Type.String(),
    baseUnit: Type.String(),
    ordered: Type.String({ description: 'Approved, in delivery and closed orders' }),
    planned: Type.String(),
    shipped: Type.String(),
    returned: Type.String({ description: 'Returns with a source outbound of these orders' }),
    open: Type.String({ description: 'Still to ship on approved and in-delivery orders' }),
    returnedWithoutSource: Type.String({ description: 'Returns without a source document, dated in the period' }),
    orderedAmount: Type.String({ description: 'Gross amount of the ordered lines' }),
  },
  { $id: 'SalesProgressRow' },
);
export type SalesProgressRow = Static<typeof SalesProgressRowSchema>;
export const SalesProgressPageSchema = Page(Type.Ref(SalesProgressRowSchema), 'SalesProgressPage');
