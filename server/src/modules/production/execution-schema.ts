/** Schemas of production execution (S1-5.4.4-g, -h, -i): material, work reports, piece rates, receipts, genealogy. */
import { Type, type Static } from '@sinclair/typebox';
import { Page, Timestamp, Uuid } from '../../platform/schemas.js';
import { Quantity } from '../masterdata/schema.js';
import { DateOnly, Lit, Nullable } from './common.js';

const Unit = Type.String({ maxLength: 16, description: "Unit entered; default the material's base unit (production unit for the product)" });
const Text = (max: number, description?: string) => Type.String({ maxLength: max, description });
const Where = {
  warehouseId: Type.Optional(Uuid()),
  warehouseCode: Type.Optional(Text(64)),
};
const BinRef = { binId: Type.Optional(Uuid()), binCode: Type.Optional(Text(64)) };
const ComponentRef = {
  componentLineNo: Type.Optional(Type.Integer({ minimum: 1, description: "The order's component line; default the first line of the material with quantity open" })),
  materialId: Type.Optional(Uuid()),
  materialCode: Type.Optional(Text(64)),
};
const PageQuery = { limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })), cursor: Type.Optional(Type.String({ maxLength: 200 })) };

// ---------------------------------------------------------------- material (S1-5.4.4-g)

export const IssueBody = Type.Object(
  {
    ...Where,
    operationSeq: Type.Optional(Type.Integer({ minimum: 1, description: 'Issue by operation: only the components consumed there (without lines or scans)' })),
    lines: Type.Optional(Type.Array(Type.Object({
      ...ComponentRef,
      barcode: Type.Optional(Text(200, 'A scanned label (material, batch, serial, GS1) instead of materialId/batchNo/serialNo')),
      quantity: Quantity(),
      unit: Type.Optional(Unit),
      ...BinRef,
      batchNo: Type.Optional(Text(64)),
      serialNo: Type.Optional(Text(64)),
    }, { additionalProperties: false }), { minItems: 1, maxItems: 500 })),
    scans: Type.Optional(Type.Array(Type.Object({
      barcode: Type.String({ minLength: 1, maxLength: 200 }),
      quantity: Type.Optional(Quantity("Base unit; default the label's (30) count, else 1")),
      ...BinRef,
    }, { additionalProperties: false }), { minItems: 1, maxItems: 500 })),
    reason: Type.Optional(Text(500)),
  },
  { additionalProperties: false },
);
export type IssueInput = Static<typeof IssueBody>;

export const ReturnBody = Type.Object(
  {
    ...Where,
    lines: Type.Array(Type.Object({
      ...ComponentRef,
      quantity: Quantity(),
      unit: Type.Optional(Unit),
      ...BinRef,
      batchNo: Type.Optional(Text(64)),
      serialNo: Type.Optional(Text(64)),
    }, { additionalProperties: false }), { minItems: 1, maxItems: 500 }),
    reason: Type.Optional(Text(500)),
  },
  { additionalProperties: false },
);
export type ReturnInput = Static<typeof ReturnBody>;

export const MaterialDocSchema = Type.Object(
  {
    id: Uuid(),
    docNo: Type.String(),
    orderId: Uuid(),
    kind: Lit('issue', 'return', 'backflush'),
    operationSeq: Nullable(Type.Integer()),
    sourceReportId: Nullable(Uuid('The work report that backflushed')),
    sourceReceiptId: Nullable(Uuid('The receipt that backflushed')),
    reason: Type.String(),
    createdBy: Type.String(),
    createdAt: Timestamp(),
    lines: Type.Array(Type.Object({
      lineNo: Type.Integer(),
      componentLineNo: Type.Integer(),
      materialId: Uuid(),
      materialCode: Type.String(),
      quantity: Type.String(),
      unit: Type.String(),
      baseQuantity: Type.String({ description: "In the component's base unit; the ledger moved exactly this" }),
      baseUnit: Type.String(),
      warehouseId: Uuid(),
      warehouseCode: Type.String(),
      binId: Nullable(Uuid()),
      binCode: Nullable(Type.String()),
      batchNo: Nullable(Type.String()),
      serialNo: Nullable(Type.String()),
      origin: Lit('fifo', 'scan', 'manual', 'backflush'),
    })),
  },
  { $id: 'ProductionMaterialDocument' },
);
export type MaterialDoc = Static<typeof MaterialDocSchema>;
export const MaterialDocPageSchema = Page(Type.Ref(MaterialDocSchema), 'ProductionMaterialDocumentPage');
export const MaterialDocListQuery = Type.Object({ ...PageQuery, kind: Type.Optional(Lit('issue', 'return', 'backflush')) }, { additionalProperties: false });

// ---------------------------------------------------------------- work reporting (S1-5.4.4-h)

const Terminal = {
  operator: Type.String({ minLength: 1, maxLength: 64, description: 'Who did the work (badge or employee number)' }),
  stationId: Type.Optional(Uuid()),
  stationCode: Type.Optional(Text(64)),
  equipmentCode: Type.Optional(Text(64, 'Free text until the equipment module lands')),
};

export const OperationEventBody = Type.Object(
  {
    event: Lit('start', 'pause', 'resume', 'end'),
    reason: Type.Optional(Text(500, 'Why: required to pause')),
    ...Terminal,
    at: Type.Optional(Timestamp('When it happened; default now')),
  },
  { additionalProperties: false },
);
export type OperationEventInput = Static<typeof OperationEventBody>;

export const OperationEventSchema = Type.Object(
  {
    id: Uuid(),
    orderId: Uuid(),
    operationSeq: Type.Integer(),
    event: Lit('start', 'pause', 'resume', 'end'),
    reason: Type.String(),
    operator: Type.String(),
    stationId: Nullable(Uuid()),
    equipmentCode: Nullable(Type.String()),
    occurredAt: Timestamp(),
    recordedBy: Type.String(),
    operationStatus: Lit('pending', 'in_progress', 'paused', 'completed'),
  },
  { $id: 'ProductionOperationEvent' },
);
export type OperationEvent = Static<typeof OperationEventSchema>;
export const OperationEventPageSchema = Page(Type.Ref(OperationEventSchema), 'ProductionOperationEventPage');

export const WorkReportBody = Type.Object(
  {
    operationSeq: Type.Integer({ minimum: 1 }),
    goodQuantity: Type.Optional(Quantity('Good; default 0')),
    scrapQuantity: Type.Optional(Quantity('Scrap; default 0')),
    pendingInspectionQuantity: Type.Optional(Quantity('Waiting for inspection; default 0')),
    unit: Type.Optional(Unit),
    scrapReason: Type.Optional(Text(500)),
    ...Terminal,
    startedAt: Type.Optional(Timestamp()),
    endedAt: Type.Optional(Timestamp('Default now')),
    end: Type.Optional(Type.Boolean({ description: 'The operation is finished with this report' })),
    ...{ backflushWarehouseId: Type.Optional(Uuid('Where backflushed components come from; default FIFO over all warehouses')), backflushWarehouseCode: Type.Optional(Text(64)) },
  },
  { additionalProperties: false },
);
export type WorkReportInput = Static<typeof WorkReportBody>;

export const WorkReportSchema = Type.Object(
  {
    id: Uuid(),
    docNo: Type.String(),
    orderId: Uuid(),
    orderDocNo: Type.String(),
    materialId: Uuid(),
    operationSeq: Type.Integer(),
    operationName: Type.String(),
    goodQuantity: Type.String({ description: "Product base unit" }),
    scrapQuantity: Type.String(),
    pendingInspectionQuantity: Type.String(),
    baseUnit: Type.String(),
    enteredUnit: Type.String(),
    scrapReason: Type.String(),
    operator: Type.String(),
    stationId: Nullable(Uuid()),
    equipmentCode: Nullable(Type.String()),
    startedAt: Nullable(Timestamp()),
    endedAt: Timestamp(),
    pieceRate: Nullable(Type.String({ description: 'Money per good base unit in effect on the report date' })),
    wageAmount: Type.String({ description: 'good × rate, exact' }),
    settlement: Nullable(Type.Object({
      good: Type.String({ description: 'Of the pending-inspection quantity, settled as good' }),
      scrap: Type.String({ description: 'Of the pending-inspection quantity, settled as scrap (rejected)' }),
      inspectionId: Uuid(),
      inspectionDocNo: Type.String(),
      settledAt: Type.String({ format: 'date-time' }),
    }, { description: 'How quality\'s judgement of the in-process inspection this report started settled its pending-inspection quantity; null until judged' })),
    backflush: Nullable(Type.Ref(MaterialDocSchema)),
    createdBy: Type.String(),
    createdAt: Timestamp(),
  },
  { $id: 'ProductionWorkReport' },
);
export type WorkReport = Static<typeof WorkReportSchema>;
export const WorkReportPageSchema = Page(Type.Ref(WorkReportSchema), 'ProductionWorkReportPage');
export const WorkReportListQuery = Type.Object({ ...PageQuery }, { additionalProperties: false });

export const PieceRateBody = Type.Object(
  {
    materialId: Type.Optional(Uuid('The product')),
    materialCode: Type.Optional(Text(64)),
    operationSeq: Type.Integer({ minimum: 1 }),
    rate: Quantity('Money per good base unit of the product'),
    effectiveFrom: DateOnly(),
  },
  { additionalProperties: false },
);
export type PieceRateInput = Static<typeof PieceRateBody>;

export const PieceRateSchema = Type.Object(
  { id: Uuid(), materialId: Uuid(), materialCode: Type.String(), operationSeq: Type.Integer(), rate: Type.String(), effectiveFrom: DateOnly(), createdBy: Type.String(), createdAt: Timestamp() },
  { $id: 'PieceRate' },
);
export type PieceRate = Static<typeof PieceRateSchema>;
export const PieceRatePageSchema = Page(Type.Ref(PieceRateSchema), 'PieceRatePage');
export const PieceRateListQuery = Type.Object({ ...PageQuery, materialId: Type.Optional(Uuid()) }, { additionalProperties: false });

export const WageReportQuery = Type.Object(
  { from: DateOnly('First day (UTC) of reports ended'), to: DateOnly('Last day, inclusive'), operator: Type.Optional(Text(64)) },
  { additionalProperties: false },
);
export const WageReportSchema = Type.Object(
  {
    from: DateOnly(),
    to: DateOnly(),
    total: Type.String(),
    workers: Type.Array(Type.Object({
      operator: Type.String(),
      reports: Type.Integer(),
      wage: Type.String(),
      lines: Type.Array(Type.Object({
        materialId: Uuid(), materialCode: Type.String(), operationSeq: Type.Integer(), pieceRate: Nullable(Type.String()), reports: Type.Integer(),
        goodQuantity: Type.String(), scrapQuantity: Type.String(), baseUnit: Type.String(), wage: Type.String(),
      })),
    })),
  },
  { $id: 'ProductionWageReport' },
);
export type WageReport = Static<typeof WageReportSchema>;

// ---------------------------------------------------------------- receipts and genealogy (S1-5.4.4-i)

export const ReceiptBody = Type.Object(
  {
    ...Where,
    lines: Type.Array(Type.Object({
      kind: Type.Optional(Lit('product', 'by_product')),
      materialId: Type.Optional(Uuid('Default: the order\'s product (kind product)')),
      materialCode: Type.Optional(Text(64)),
      quantity: Quantity(),
      unit: Type.Optional(Unit),
      ...BinRef,
      batchNo: Type.Optional(Text(64, "Batch-tracked: default a new number from the coding rule 'batch'")),
      serialNos: Type.Optional(Type.Array(Text(64), { maxItems: 1000, description: "Serial-tracked: one per piece; default new numbers from the coding rule 'serial'" })),
    }, { additionalProperties: false }), { minItems: 1, maxItems: 100 }),
    backflushWarehouseId: Type.Optional(Uuid('Where components backflushed on receipt come from; default FIFO over all warehouses')),
    backflushWarehouseCode: Type.Optional(Text(64)),
  },
  { additionalProperties: false },
);
export type ReceiptInput = Static<typeof ReceiptBody>;

export const ReceiptSchema = Type.Object(
  {
    id: Uuid(),
    docNo: Type.String(),
    orderId: Uuid(),
    orderDocNo: Type.String(),
    warehouseId: Uuid(),
    warehouseCode: Type.String(),
    bomVersionId: Nullable(Uuid()),
    operators: Type.Array(Type.String()),
    stationIds: Type.Array(Uuid()),
    equipmentCodes: Type.Array(Type.String()),
    workStartedAt: Nullable(Timestamp()),
    workEndedAt: Nullable(Timestamp()),
    lines: Type.Array(Type.Object({
      lineNo: Type.Integer(), kind: Lit('product', 'by_product'), materialId: Uuid(), materialCode: Type.String(), quantity: Type.String(), unit: Type.String(),
      baseQuantity: Type.String(), baseUnit: Type.String(), binId: Nullable(Uuid()), batchNo: Nullable(Type.String()), serialNo: Nullable(Type.String()),
    })),
    backflush: Nullable(Type.Ref(MaterialDocSchema)),
    createdBy: Type.String(),
    createdAt: Timestamp(),
  },
  { $id: 'ProductionReceipt' },
);
export type Receipt = Static<typeof ReceiptSchema>;
export const ReceiptPageSchema = Page(Type.Ref(ReceiptSchema), 'ProductionReceiptPage');
export const ReceiptListQuery = Type.Object({ ...PageQuery }, { additionalProperties: false });

export const GenealogyQuery = Type.Object(
  {
    materialId: Type.Optional(Uuid()),
    materialCode: Type.Optional(Text(64)),
    batchNo: Type.Optional(Text(64)),
    serialNo: Type.Optional(Text(64)),
    maxDepth: Type.Optional(Type.Integer({ minimum: 1, maximum: 25, default: 10 })),
  },
  { additionalProperties: false },
);
export type GenealogyQueryInput = Static<typeof GenealogyQuery>;

const Item = Type.Object({ materialId: Uuid(), materialCode: Type.String(), batchNo: Nullable(Type.String()), serialNo: Nullable(Type.String()) });
export const GenealogySchema = Type.Object(
  {
    direction: Lit('backward', 'forward'),
    item: Item,
    truncated: Type.Boolean({ description: 'More levels were below maxDepth' }),
    links: Type.Array(Type.Object({
      level: Type.Integer({ description: '1: directly linked to the item asked for' }),
      produced: Item,
      consumed: Item,
      consumedQuantity: Type.String({ description: "What the order had consumed of it when the produced item was received, component base unit" }),
      orderId: Uuid(),
      orderDocNo: Type.String(),
      receiptId: Uuid(),
      receiptDocNo: Type.String(),
      bomVersionId: Nullable(Uuid()),
      operators: Type.Array(Type.String()),
      stationIds: Type.Array(Uuid()),
      equipmentCodes: Type.Array(Type.String()),
      workStartedAt: Nullable(Timestamp()),
      workEndedAt: Nullable(Timestamp()),
      receivedAt: Timestamp(),
    })),
  },
  { $id: 'ProductionGenealogy' },
);
export type Genealogy = Static<typeof GenealogySchema>;

export const OrderSeqParams = Type.Object({ id: Uuid(), seq: Type.Integer({ minimum: 1 }) });
