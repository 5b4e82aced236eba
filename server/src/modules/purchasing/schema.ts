import { Type, type Static } from '@sinclair/typebox';
import { QUANTITY_PATTERN } from '../../platform/quantity.js';
import { Page, Timestamp, Uuid } from '../../platform/schemas.js';

const Quantity = (description?: string) => Type.String({ pattern: QUANTITY_PATTERN, description: description ?? 'Decimal string, e.g. "12.5"' });
const Money = (description?: string) => Type.String({ pattern: '^(0|[1-9][0-9]{0,13})(\\.[0-9]{1,6})?$', description: description ?? 'Decimal string, e.g. "3.25"' });
const Percent = Type.String({ pattern: '^(100|[0-9]{1,2})(\\.[0-9]{1,2})?$', description: 'Percent, e.g. "13"' });
const DateOnly = Type.String({ format: 'date' });
const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);
const Code = (what: string) => Type.String({ minLength: 1, maxLength: 64, description: `${what} code` });
const Text = (max: number) => Type.String({ maxLength: max });

// ---------------------------------------------------------------------------------------------
// Supplier materials

export const SupplierMaterialSchema = Type.Object(
  {
    id: Uuid(),
    supplierId: Uuid(),
    supplierCode: Type.String(),
    materialId: Uuid(),
    materialCode: Type.String(),
    supplierMaterialCode: Nullable(Type.String()),
    price: Nullable(Type.String()),
    leadTimeDays: Type.Integer(),
    preferred: Type.Boolean({ description: 'The one supplier purchase suggestions order this material from' }),
    version: Type.Integer(),
    updatedAt: Timestamp(),
  },
  { $id: 'SupplierMaterial' },
);
export type SupplierMaterial = Static<typeof SupplierMaterialSchema>;
export const SupplierMaterialListSchema = Type.Object({ items: Type.Array(Type.Ref(SupplierMaterialSchema)) }, { $id: 'SupplierMaterialList' });

export const PutSupplierMaterialBody = Type.Object(
  {
    supplierId: Uuid(),
    materialId: Uuid(),
    supplierMaterialCode: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 64 }))),
    price: Type.Optional(Nullable(Money('Unit price in the purchase unit'))),
    leadTimeDays: Type.Optional(Type.Integer({ minimum: 0, maximum: 3650 })),
    preferred: Type.Optional(Type.Boolean({ description: 'true makes this the preferred supplier of the material (another preferred one stops being so)' })),
  },
  { additionalProperties: false },
);
export type PutSupplierMaterialInput = Static<typeof PutSupplierMaterialBody>;
export const SupplierMaterialQuery = Type.Object({ supplierId: Type.Optional(Uuid()), materialId: Type.Optional(Uuid()) }, { additionalProperties: false });

// ---------------------------------------------------------------------------------------------
// Purchase orders

const OrderStatus = Type.Union([Type.Literal('draft'), Type.Literal('approved'), Type.Literal('receiving'), Type.Literal('closed'), Type.Literal('cancelled')]);
const DemandSource = Type.Union([Type.Literal('manual'), Type.Literal('shortage'), Type.Literal('safety_stock'), Type.Literal('production')], {
  description: "Why it is bought; 'production' (material demand of production orders) needs demandRef naming the demand",
});
const Features = Type.Record(Type.String({ minLength: 1, maxLength: 64 }), Type.String({ minLength: 1, maxLength: 64 }), {
  description: 'Feature code -> value code (colour, size, material…), checked against the tenant\'s features',
});

export const PurchaseOrderLineSchema = Type.Object(
  {
    id: Uuid(),
    lineNo: Type.Integer(),
    materialId: Uuid(),
    materialCode: Type.String(),
    quantity: Type.String({ description: 'In unit' }),
    unit: Type.String({ description: 'The purchase unit' }),
    baseQuantity: Type.String(),
    baseUnit: Type.String(),
    price: Nullable(Type.String()),
    taxRate: Nullable(Type.String()),
    neededBy: Nullable(Type.String()),
    mtoNumber: Nullable(Type.String()),
    features: Type.Record(Type.String(), Type.String()),
    received: Type.String({ description: 'Base unit, every receipt' }),
    accepted: Type.String({ description: 'Base unit, accepted at inspection (in stock)' }),
    rejected: Type.String({ description: 'Base unit, rejected at inspection' }),
    open: Type.String({ description: 'Base unit: quantity − (received − rejected), not below 0' }),
  },
  { $id: 'PurchaseOrderLine' },
);

export const PurchaseOrderSchema = Type.Object(
  {
    id: Uuid(),
    docNo: Type.String(),
    supplierId: Uuid(),
    supplierCode: Type.String(),
    buyerId: Nullable(Uuid()),
    groupId: Nullable(Uuid()),
    demandSource: DemandSource,
    demandRef: Nullable(Type.String()),
    remarks: Type.String(),
    status: OrderStatus,
    version: Type.Integer(),
    createdBy: Type.String(),
    approvedBy: Nullable(Type.String()),
    approvedAt: Nullable(Timestamp()),
    createdAt: Timestamp(),
    updatedAt: Timestamp(),
    lines: Type.Array(Type.Ref(PurchaseOrderLineSchema)),
  },
  { $id: 'PurchaseOrder' },
);
export type PurchaseOrder = Static<typeof PurchaseOrderSchema>;
export const PurchaseOrderSummarySchema = Type.Omit(PurchaseOrderSchema, ['lines'], { $id: 'PurchaseOrderSummary' });
export const PurchaseOrderPageSchema = Page(Type.Ref(PurchaseOrderSummarySchema), 'PurchaseOrderPage');

export const OrderLineInput = Type.Object(
  {
    id: Type.Optional(Uuid('On a change: the line being changed; absent adds a line')),
    materialId: Type.Optional(Uuid()),
    materialCode: Type.Optional(Code('Material')),
    quantity: Quantity('Positive, in unit'),
    unit: Type.Optional(Type.String({ maxLength: 16, description: "Default: the material's purchase unit (its base unit when it has none)" })),
    price: Type.Optional(Nullable(Money('Unit price per unit'))),
    taxRate: Type.Optional(Nullable(Percent)),
    neededBy: Type.Optional(Nullable(DateOnly)),
    mtoNumber: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 64, description: 'Make-to-order number the line is bought for' }))),
    features: Type.Optional(Features),
  },
  { additionalProperties: false },
);
export type OrderLineInput = Static<typeof OrderLineInput>;

export const CreatePurchaseOrderBody = Type.Object(
  {
    supplierId: Uuid(),
    buyerId: Type.Optional(Nullable(Uuid())),
    groupId: Type.Optional(Nullable(Uuid())),
    demandSource: Type.Optional(DemandSource),
    demandRef: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 100 }))),
    remarks: Type.Optional(Text(1000)),
    lines: Type.Array(OrderLineInput, { minItems: 1, maxItems: 1000 }),
  },
  { additionalProperties: false },
);
export type CreatePurchaseOrderInput = Static<typeof CreatePurchaseOrderBody>;

export const UpdatePurchaseOrderBody = Type.Object(
  {
    version: Type.Integer({ minimum: 1, description: 'The version you read; a stale one is refused with 409 VERSION_CONFLICT' }),
    reason: Type.Optional(Type.String({ minLength: 1, maxLength: 500, description: 'Why; required once the order is approved' })),
    supplierId: Type.Optional(Uuid()),
    buyerId: Type.Optional(Nullable(Uuid())),
    groupId: Type.Optional(Nullable(Uuid())),
    demandSource: Type.Optional(DemandSource),
    demandRef: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 100 }))),
    remarks: Type.Optional(Text(1000)),
    lines: Type.Optional(Type.Array(OrderLineInput, {
      minItems: 1, maxItems: 1000,
      description: 'The whole new list: lines with id are changed, lines without are added, lines left out are cancelled (only if nothing was received)',
    })),
  },
  { additionalProperties: false },
);
export type UpdatePurchaseOrderInput = Static<typeof UpdatePurchaseOrderBody>;

export const VersionBody = Type.Object({ version: Type.Integer({ minimum: 1 }) }, { additionalProperties: false });
export const ReasonBody = Type.Object(
  { version: Type.Integer({ minimum: 1 }), reason: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })) },
  { additionalProperties: false },
);

export const PurchaseOrderListQuery = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
    cursor: Type.Optional(Type.String({ maxLength: 200 })),
    status: Type.Optional(Type.Union([OrderStatus, Type.Literal('open')], { description: 'open: approved or receiving' })),
    supplierId: Type.Optional(Uuid()),
    materialId: Type.Optional(Uuid()),
    docNo: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'Exactly this order number' })),
  },
  { additionalProperties: false },
);

// ---------------------------------------------------------------------------------------------
// Purchase suggestions

export const SuggestBody = Type.Object(
  { dryRun: Type.Optional(Type.Boolean({ description: 'Compute only; create nothing' })) },
  { additionalProperties: false },
);
const SuggestionLine = Type.Object({
  materialId: Uuid(),
  materialCode: Type.String(),
  baseUnit: Type.String(),
  shortfall: Type.String({ description: 'Below safety stock, base unit' }),
  onOrder: Type.String({ description: 'Still to come into stock from open purchase orders, base unit' }),
  quantity: Type.String({ description: 'shortfall − onOrder: what is ordered, base unit' }),
});
export const SuggestionResultSchema = Type.Object(
  {
    dryRun: Type.Boolean(),
    suggestions: Type.Array(Type.Object({
      supplierId: Uuid(),
      supplierCode: Type.String(),
      orderId: Nullable(Uuid()),
      docNo: Nullable(Type.String()),
      lines: Type.Array(SuggestionLine),
    })),
    unassigned: Type.Array(SuggestionLine, { description: 'Short materials without a preferred supplier: nothing was ordered for them' }),
  },
  { $id: 'PurchaseSuggestionResult' },
);
export type SuggestionResult = Static<typeof SuggestionResultSchema>;

// ---------------------------------------------------------------------------------------------
// Receipts

export const ReceiptLineSchema = Type.Object(
  {
    id: Uuid(),
    lineNo: Type.Integer(),
    orderLineId: Uuid(),
    materialId: Uuid(),
    materialCode: Type.String(),
    quantity: Type.String(),
    unit: Type.String(),
    received: Type.String({ description: 'Base unit' }),
    inspected: Type.String(),
    accepted: Type.String(),
    rejected: Type.String(),
    pending: Type.String({ description: 'Received, not yet inspected: not stock, not available' }),
    baseUnit: Type.String(),
    batchNo: Nullable(Type.String()),
    serialNo: Nullable(Type.String()),
    supplierBatch: Nullable(Type.String()),
    productionDate: Nullable(Type.String()),
    expiryDate: Nullable(Type.String()),
  },
  { $id: 'PurchaseReceiptLine' },
);
export const LabelDataSchema = Type.Object(
  {
    receiptLineId: Uuid(),
    materialCode: Type.String(),
    batchNo: Nullable(Type.String()),
    serialNo: Nullable(Type.String()),
    quantity: Type.String(),
    fields: Type.Record(Type.String(), Type.Unknown(), { description: 'Gs1Fields: POST them to /v1/labels to draw the label' }),
    gs1: Nullable(Type.String({ description: 'Human-readable GS1-128 data; null when a value cannot be encoded' })),
  },
  { $id: 'PurchaseLabel' },
);
export const InspectionSchema = Type.Object(
  {
    id: Uuid(),
    receiptLineId: Uuid(),
    accepted: Type.String(),
    rejected: Type.String(),
    inspector: Type.String(),
    remarks: Type.String(),
    inboundId: Nullable(Uuid()),
    returnId: Nullable(Uuid()),
    createdAt: Timestamp(),
  },
  { $id: 'IncomingInspection' },
);
export const PurchaseReceiptSchema = Type.Object(
  {
    id: Uuid(),
    docNo: Type.String(),
    orderId: Uuid(),
    orderDocNo: Type.String(),
    supplierId: Uuid(),
    status: Type.Union([Type.Literal('pending_inspection'), Type.Literal('inspected')]),
    remarks: Type.String(),
    createdBy: Type.String(),
    createdAt: Timestamp(),
    lines: Type.Array(Type.Ref(ReceiptLineSchema)),
    labels: Type.Array(Type.Ref(LabelDataSchema)),
    inspections: Type.Array(Type.Ref(InspectionSchema)),
  },
  { $id: 'PurchaseReceipt' },
);
export type PurchaseReceipt = Static<typeof PurchaseReceiptSchema>;
export const PurchaseReceiptSummarySchema = Type.Omit(PurchaseReceiptSchema, ['lines', 'labels', 'inspections'], { $id: 'PurchaseReceiptSummary' });
export const PurchaseReceiptPageSchema = Page(Type.Ref(PurchaseReceiptSummarySchema), 'PurchaseReceiptPage');
export const LabelListSchema = Type.Object({ items: Type.Array(Type.Ref(LabelDataSchema)) }, { $id: 'PurchaseLabelList' });

export const ReceiptLineInput = Type.Object(
  {
    orderLineId: Type.Optional(Uuid()),
    barcode: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: "PDA: a scanned supplier or material label; picks the order's first open line of that material" })),
    quantity: Quantity('Positive, in unit'),
    unit: Type.Optional(Type.String({ maxLength: 16, description: "Default: the order line's unit" })),
    supplierBatch: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
    productionDate: Type.Optional(DateOnly),
    expiryDate: Type.Optional(DateOnly),
    serialNos: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 40 }), { maxItems: 10_000, description: 'Serial-tracked: one per piece; absent numbers come from the coding rule' })),
  },
  { additionalProperties: false },
);
export type ReceiptLineInput = Static<typeof ReceiptLineInput>;
export const CreateReceiptBody = Type.Object(
  {
    orderId: Uuid(),
    remarks: Type.Optional(Text(1000)),
    lines: Type.Optional(Type.Array(ReceiptLineInput, { minItems: 1, maxItems: 1000, description: 'Absent: the full open quantity of every line' })),
  },
  { additionalProperties: false },
);
export type CreateReceiptInput = Static<typeof CreateReceiptBody>;

export const ReceiptListQuery = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
    cursor: Type.Optional(Type.String({ maxLength: 200 })),
    orderId: Type.Optional(Uuid()),
    supplierId: Type.Optional(Uuid()),
    pendingInspection: Type.Optional(Type.Boolean({ description: "true: the inspector's worklist" })),
  },
  { additionalProperties: false },
);

// ---------------------------------------------------------------------------------------------
// Inspections

export const InspectionLineInput = Type.Object(
  {
    receiptLineId: Uuid(),
    accepted: Quantity('Base unit'),
    rejected: Quantity('Base unit'),
    warehouseId: Type.Optional(Uuid()),
    warehouseCode: Type.Optional(Code('Warehouse')),
    binId: Type.Optional(Uuid()),
    binCode: Type.Optional(Code('Bin')),
    inspector: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    remarks: Type.Optional(Text(1000)),
  },
  { additionalProperties: false },
);
export type InspectionLineInput = Static<typeof InspectionLineInput>;
export const InspectBody = Type.Object(
  {
    inspector: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'Default: the caller' })),
    lines: Type.Array(InspectionLineInput, { minItems: 1, maxItems: 10_000 }),
  },
  { additionalProperties: false },
);
export type InspectInput = Static<typeof InspectBody>;

// ---------------------------------------------------------------------------------------------
// Inbounds and returns

export const InboundLineSchema = Type.Object({
  id: Uuid(),
  lineNo: Type.Integer(),
  receiptLineId: Uuid(),
  orderLineId: Uuid(),
  materialId: Uuid(),
  materialCode: Type.String(),
  quantity: Type.String({ description: 'Base unit' }),
  returned: Type.String({ description: 'Base unit, taken back by purchase returns' }),
  baseUnit: Type.String(),
  warehouseId: Uuid(),
  binId: Nullable(Uuid()),
  batchNo: Nullable(Type.String()),
  serialNo: Nullable(Type.String()),
});
export const PurchaseInboundSchema = Type.Object(
  {
    id: Uuid(),
    docNo: Type.String(),
    receiptId: Uuid(),
    orderId: Uuid(),
    supplierId: Uuid(),
    createdBy: Type.String(),
    createdAt: Timestamp(),
    lines: Type.Array(InboundLineSchema),
  },
  { $id: 'PurchaseInbound' },
);
export type PurchaseInbound = Static<typeof PurchaseInboundSchema>;
export const PurchaseInboundSummarySchema = Type.Omit(PurchaseInboundSchema, ['lines'], { $id: 'PurchaseInboundSummary' });
export const PurchaseInboundPageSchema = Page(Type.Ref(PurchaseInboundSummarySchema), 'PurchaseInboundPage');

export const ReturnLineSchema = Type.Object({
  lineNo: Type.Integer(),
  sourceLineId: Nullable(Uuid()),
  orderLineId: Nullable(Uuid()),
  materialId: Uuid(),
  materialCode: Type.String(),
  quantity: Type.String(),
  unit: Type.String(),
  baseQuantity: Type.String(),
  baseUnit: Type.String(),
  warehouseId: Nullable(Uuid()),
  binId: Nullable(Uuid()),
  batchNo: Nullable(Type.String()),
  serialNo: Nullable(Type.String()),
});
export const PurchaseReturnSchema = Type.Object(
  {
    id: Uuid(),
    docNo: Type.String(),
    sourceKind: Type.Union([Type.Literal('inbound'), Type.Literal('receipt'), Type.Literal('none')]),
    sourceId: Nullable(Uuid()),
    orderId: Nullable(Uuid()),
    supplierId: Uuid(),
    reason: Type.String(),
    createdBy: Type.String(),
    createdAt: Timestamp(),
    lines: Type.Array(ReturnLineSchema),
  },
  { $id: 'PurchaseReturn' },
);
export type PurchaseReturn = Static<typeof PurchaseReturnSchema>;
export const PurchaseReturnSummarySchema = Type.Omit(PurchaseReturnSchema, ['lines'], { $id: 'PurchaseReturnSummary' });
export const PurchaseReturnPageSchema = Page(Type.Ref(PurchaseReturnSummarySchema), 'PurchaseReturnPage');

export const InspectionResultSchema = Type.Object(
  {
    receipt: Type.Ref(PurchaseReceiptSchema),
    inbound: Type.Union([Type.Ref(PurchaseInboundSchema), Type.Null()], { description: 'Posted for the accepted quantity' }),
    return: Type.Union([Type.Ref(PurchaseReturnSchema), Type.Null()], { description: 'For the rejected quantity (source kind receipt, no stock movement)' }),
  },
  { $id: 'InspectionResult' },
);

export const ReturnLineInput = Type.Object(
  {
    inboundLineId: Type.Optional(Uuid('With inboundId: the inbound line returned')),
    materialId: Type.Optional(Uuid()),
    materialCode: Type.Optional(Code('Material')),
    barcode: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'Scanned item label (material, batch, serial)' })),
    quantity: Quantity('Positive, in unit'),
    unit: Type.Optional(Type.String({ maxLength: 16, description: "Default: the base unit (with a source), else the material's stock unit" })),
    warehouseId: Type.Optional(Uuid()),
    warehouseCode: Type.Optional(Code('Warehouse')),
    binId: Type.Optional(Uuid()),
    binCode: Type.Optional(Code('Bin')),
    batchNo: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
    serialNo: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
  },
  { additionalProperties: false },
);
export type ReturnLineInput = Static<typeof ReturnLineInput>;
export const CreateReturnBody = Type.Object(
  {
    inboundId: Type.Optional(Uuid('The purchase inbound the goods came in with; absent: a return without source')),
    supplierId: Type.Optional(Uuid('Required without inboundId')),
    reason: Type.Optional(Text(500)),
    lines: Type.Array(ReturnLineInput, { minItems: 1, maxItems: 10_000 }),
  },
  { additionalProperties: false },
);
export type CreateReturnInput = Static<typeof CreateReturnBody>;

export const DocListQuery = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
    cursor: Type.Optional(Type.String({ maxLength: 200 })),
    supplierId: Type.Optional(Uuid()),
    orderId: Type.Optional(Uuid()),
  },
  { additionalProperties: false },
);

// ---------------------------------------------------------------------------------------------
// Progress report

export const ProgressQuery = Type.Object(
  {
    groupBy: Type.Optional(Type.Union([Type.Literal('supplier'), Type.Literal('material')], { default: 'supplier' })),
    from: Type.Optional(Timestamp('Orders created at or after')),
    to: Type.Optional(Timestamp('Orders created before')),
    supplierId: Type.Optional(Uuid()),
    materialId: Type.Optional(Uuid()),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
    cursor: Type.Optional(Type.String({ maxLength: 200 })),
  },
  { additionalProperties: false },
);
export const ProgressRowSchema = Type.Object(
  {
    key: Type.Object({ id: Uuid(), code: Type.String(), name: Type.String() }, { description: 'The supplier or the material' }),
    baseUnit: Nullable(Type.String({ description: 'By material: its base unit; by supplier: null (sums over materials)' })),
    orders: Type.Integer(),
    lines: Type.Integer(),
    ordered: Type.String(),
    received: Type.String(),
    inspected: Type.String(),
    in: Type.String({ description: 'Accepted at inspection and posted into stock' }),
    rejected: Type.String(),
    returned: Type.String({ description: 'Purchase returns of these orders: rejected at inspection plus returned from stock' }),
    pending: Type.String({ description: 'Received, waiting for inspection' }),
    open: Type.String({ description: 'ordered − (received − rejected), per line not below 0' }),
  },
  { $id: 'PurchasingProgressRow' },
);
export type ProgressRow = Static<typeof ProgressRowSchema>;
export const ProgressPageSchema = Page(Type.Ref(ProgressRowSchema), 'PurchasingProgressPage');
