/** Schemas of traceability (S1-5.4.5-d): the genealogy graph and the recall report. */
import { Type, type Static } from '@sinclair/typebox';
import { Timestamp, Uuid } from '../../platform/schemas.js';
import { Lit, Nullable } from '../production/common.js';

export const MAX_DEPTH = 20;
export const DEFAULT_DEPTH = 10;

const No = Type.String({ minLength: 1, maxLength: 64 });
const Qty = (description?: string) => Type.String({ description: description ? `${description}; base unit, a decimal string` : 'Base unit, a decimal string' });

export const BatchParams = Type.Object({ batchNo: No });
export const SerialParams = Type.Object({ serialNo: No });

// direction and depth are checked by the service, so a wrong value is a 422 with its own code
// (TRACE_DIRECTION_INVALID, TRACE_DEPTH_OUT_OF_RANGE) rather than a generic validation failure.
export const TraceQuery = Type.Object(
  {
    materialCode: Type.Optional(Type.String({ maxLength: 64, description: 'The material of the batch or serial; needed only when the number is used by more than one material' })),
    direction: Type.Optional(Type.String({ maxLength: 16, description: 'backward (default: what it was made of, down to suppliers) or forward (what it went into, up to customers)' })),
    depth: Type.Optional(Type.Integer({ description: `Production steps to walk, 1 to ${MAX_DEPTH}; default ${DEFAULT_DEPTH}` })),
  },
  { additionalProperties: false },
);
export type TraceQueryInput = Static<typeof TraceQuery>;

const Made = Type.Object({
  orderId: Uuid(), orderDocNo: Type.String(), receiptId: Uuid(), receiptDocNo: Type.String(), quantity: Qty('Received on this receipt line'),
  bomVersionId: Nullable(Uuid()), bomRevision: Nullable(Type.Integer()), operators: Type.Array(Type.String()), stationCodes: Type.Array(Type.String()),
  equipmentCodes: Type.Array(Type.String()), workStartedAt: Nullable(Timestamp()), workEndedAt: Nullable(Timestamp()), receivedAt: Timestamp(),
});
const StockPlace = Type.Object({
  warehouseId: Uuid(), warehouseCode: Type.String(), warehouseKind: Type.String(), binId: Nullable(Uuid()), binCode: Nullable(Type.String()), quantity: Qty(),
});
const Inspection = Type.Object({ inspector: Type.String(), accepted: Qty(), rejected: Qty(), remarks: Type.String(), inspectedAt: Timestamp() });

const Returned = Type.Object({
  returnId: Uuid(), returnDocNo: Type.String(), customerId: Uuid(), customerCode: Type.String(), quantity: Qty('Returned on this return line'),
  reasonCode: Type.String({ description: 'failed_inspection: a quality-caused return' }), reason: Type.String(), returnedAt: Timestamp(),
  inspection: Nullable(Type.Object({ id: Uuid(), docNo: Type.String(), status: Type.String(), judgement: Nullable(Type.String()) }, { description: 'The quality inspection of the returned goods' })),
});

export const TraceNode = Type.Object({
  id: Type.String({ description: 'batch:<material>:<batch>, serial:<material>:<serial>, item:<material> (untracked), supplier:<code>, customer:<code>' }),
  type: Lit('batch', 'serial', 'item', 'supplier', 'customer'),
  depth: Type.Integer({ description: 'Production steps from the traced item (0: itself); suppliers and customers: that of their item' }),
  materialId: Type.Optional(Uuid()), materialCode: Type.Optional(Type.String()), materialName: Type.Optional(Type.String()), baseUnit: Type.Optional(Type.String()),
  batchNo: Type.Optional(Nullable(Type.String())), serialNo: Type.Optional(Nullable(Type.String())),
  partnerId: Type.Optional(Uuid()), partnerCode: Type.Optional(Type.String()), partnerName: Type.Optional(Type.String()),
  made: Type.Optional(Type.Array(Made, { description: 'Production receipts of this batch or serial: order, BOM version, operators, stations, equipment, times' })),
  stock: Type.Optional(Type.Array(StockPlace, { description: 'Where it is in stock now, per warehouse and bin' })),
  returned: Type.Optional(Type.Array(Returned, { description: 'Sales returns of this batch or serial, with the quality inspection of a quality-caused one (S1-5.4.5-e)' })),
  ledger: Type.Optional(Type.Object({ movements: Type.Integer(), firstMovedAt: Nullable(Timestamp()), lastMovedAt: Nullable(Timestamp()) }, { description: 'Its movements in the inventory ledger' })),
});

export const TraceEdge = Type.Object({
  type: Lit('consumed_into', 'supplied', 'delivered'),
  from: Type.String({ description: 'Node id: the component, the supplier, or the goods shipped' }),
  to: Type.String({ description: 'Node id: the product, the goods received, or the customer' }),
  quantity: Qty(),
  production: Type.Optional(Type.Object({ orderId: Uuid(), orderDocNo: Type.String(), receiptId: Uuid(), receiptDocNo: Type.String() })),
  purchase: Type.Optional(Type.Object({
    purchaseOrderId: Uuid(), purchaseOrderDocNo: Type.String(), receiptId: Uuid(), receiptDocNo: Type.String(), supplierBatch: Nullable(Type.String()),
    accepted: Qty(), rejected: Qty(), receivedAt: Timestamp(), inspections: Type.Array(Inspection),
  })),
  delivery: Type.Optional(Type.Object({
    outboundId: Uuid(), outboundDocNo: Type.String(), deliveryPlanId: Uuid(), deliveryPlanDocNo: Type.String(), salesOrderDocNo: Type.String(),
    returned: Qty(), shippedAt: Timestamp(),
  })),
});

export const TraceSchema = Type.Object(
  {
    direction: Lit('backward', 'forward'),
    depth: Type.Integer(),
    root: Type.String({ description: 'Node id of the traced batch or serial' }),
    truncated: Type.Boolean({ description: 'The genealogy goes on beyond depth' }),
    nodes: Type.Array(TraceNode),
    edges: Type.Array(TraceEdge),
  },
  { $id: 'Trace' },
);
export type Trace = Static<typeof TraceSchema>;
export type TraceNodeT = Static<typeof TraceNode>;
export type TraceEdgeT = Static<typeof TraceEdge>;

export const RecallQuery = Type.Object(
  {
    batchNo: No,
    materialCode: Type.Optional(Type.String({ maxLength: 64, description: 'Needed only when the batch number is used by more than one material' })),
  },
  { additionalProperties: false },
);
export type RecallQueryInput = Static<typeof RecallQuery>;

export const RecallRow = Type.Object({
  materialCode: Type.String(), materialName: Type.String(), batchNo: Nullable(Type.String()), serialNo: Nullable(Type.String()), baseUnit: Type.String(),
  depth: Type.Integer({ description: 'Production steps from the suspect batch' }),
  finished: Type.Boolean({ description: 'Went into nothing further: finished goods (or not yet used)' }),
  status: Lit('in_stock', 'shipped'),
  warehouseCode: Nullable(Type.String()), binCode: Nullable(Type.String()),
  customerCode: Nullable(Type.String()), customerName: Nullable(Type.String()), outboundDocNo: Nullable(Type.String()), deliveryPlanDocNo: Nullable(Type.String()),
  salesOrderDocNo: Nullable(Type.String()), shippedAt: Nullable(Timestamp()),
  quantity: Qty('In stock there, or shipped less returned'),
});
export type RecallRowT = Static<typeof RecallRow>;

export const RecallSchema = Type.Object(
  {
    suspect: Type.Object({ materialCode: Type.String(), batchNo: Type.String() }),
    truncated: Type.Boolean({ description: `The genealogy goes on beyond ${MAX_DEPTH} production steps` }),
    affectedBatches: Type.Integer({ description: 'Batches and serials made from the suspect batch, and itself' }),
    customers: Type.Array(Type.Object({ customerCode: Type.String(), customerName: Type.String(), deliveries: Type.Array(Type.String(), { description: 'Outbound document numbers' }) })),
    rows: Type.Array(RecallRow),
  },
  { $id: 'Recall' },
);
export type Recall = Static<typeof RecallSchema>;

export const XlsxResponse = {
  description: 'Excel workbook (XLSX)',
  content: { 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': { schema: { type: 'string', format: 'binary' } } },
};
