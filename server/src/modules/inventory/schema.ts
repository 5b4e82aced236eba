import { Type, type Static } from '@sinclair/typebox';
import { Page, Timestamp, Uuid } from '../../platform/schemas.js';
import { Quantity } from '../masterdata/schema.js';

const DocType = Type.Union([Type.Literal('other_in'), Type.Literal('other_out'), Type.Literal('transfer'), Type.Literal('backflush_transfer')]);
const DateOnly = Type.String({ format: 'date' });
const Ref = (what: string) => Type.String({ minLength: 1, maxLength: 64, description: `${what} code` });

/**
 * A line names its material, location, batch and serial either by id, by code, or by what a PDA
 * scanned (`barcode` for the item, `locationBarcode` for the bin), whichever the client has.
 */
export const StockLineInput = Type.Object(
  {
    materialId: Type.Optional(Uuid()),
    materialCode: Type.Optional(Ref('Material')),
    barcode: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'Scanned item label: material, batch or serial (GS1-128)' })),
    quantity: Quantity('Positive, in `unit`'),
    unit: Type.Optional(Type.String({ maxLength: 16, description: "Default: the material's stock unit" })),
    warehouseId: Type.Optional(Uuid()),
    warehouseCode: Type.Optional(Ref('Warehouse')),
    binId: Type.Optional(Uuid()),
    binCode: Type.Optional(Ref('Bin')),
    locationBarcode: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'Scanned bin label (AI 91)' })),
    toWarehouseId: Type.Optional(Uuid()),
    toWarehouseCode: Type.Optional(Ref('Target warehouse')),
    toBinId: Type.Optional(Uuid()),
    toBinCode: Type.Optional(Ref('Target bin')),
    batchNo: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
    serialNo: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
    productionDate: Type.Optional(DateOnly),
    expiryDate: Type.Optional(DateOnly),
    supplierBatch: Type.Optional(Type.String({ minLength: 1, maxLength: 40, description: "The supplier's own lot number, kept on a new batch" })),
    keepRecordedBatch: Type.Optional(Type.Boolean({
      description: 'Receiving into an existing batch whose dates differ from this line\'s: keep the recorded dates (the line takes them) instead of 409 BATCH_ATTRIBUTES_DIFFER',
    })),
  },
  { additionalProperties: false },
);
export type StockLineInput = Static<typeof StockLineInput>;

export const CreateStockDocumentBody = Type.Object(
  {
    type: DocType,
    reason: Type.Optional(Type.String({ maxLength: 500 })),
    lines: Type.Array(StockLineInput, { minItems: 1, maxItems: 10_000 }),
    post: Type.Optional(Type.Boolean({ description: 'Post at once (a PDA scan-to-stock); default false leaves a draft' })),
  },
  { additionalProperties: false },
);
export type CreateStockDocumentInput = Static<typeof CreateStockDocumentBody>;

export const StockDocumentLineSchema = Type.Object({
  lineNo: Type.Integer(),
  materialId: Uuid(),
  materialCode: Type.String(),
  quantity: Type.String(),
  unit: Type.String(),
  baseQuantity: Type.String(),
  baseUnit: Type.String(),
  warehouseId: Uuid(),
  binId: Type.Union([Uuid(), Type.Null()]),
  toWarehouseId: Type.Union([Uuid(), Type.Null()]),
  toBinId: Type.Union([Uuid(), Type.Null()]),
  batchNo: Type.Union([Type.String(), Type.Null()]),
  serialNo: Type.Union([Type.String(), Type.Null()]),
  productionDate: Type.Union([Type.String(), Type.Null()]),
  expiryDate: Type.Union([Type.String(), Type.Null()]),
  supplierBatch: Type.Union([Type.String(), Type.Null()]),
});

export const StockDocumentSchema = Type.Object(
  {
    id: Uuid(),
    docNo: Type.String(),
    type: DocType,
    status: Type.Union([Type.Literal('draft'), Type.Literal('posted')]),
    reason: Type.String(),
    reversesId: Type.Union([Uuid(), Type.Null()]),
    reversedById: Type.Union([Uuid(), Type.Null()]),
    createdBy: Type.String(),
    postedBy: Type.Union([Type.String(), Type.Null()]),
    postedAt: Type.Union([Timestamp(), Type.Null()]),
    createdAt: Timestamp(),
    lines: Type.Array(StockDocumentLineSchema),
  },
  { $id: 'StockDocument' },
);
export type StockDocument = Static<typeof StockDocumentSchema>;
export const StockDocumentSummarySchema = Type.Omit(StockDocumentSchema, ['lines'], { $id: 'StockDocumentSummary' });
export const StockDocumentPageSchema = Page(Type.Ref(StockDocumentSummarySchema), 'StockDocumentPage');

export const MovementSchema = Type.Object(
  {
    id: Type.String({ description: 'Ledger sequence number' }),
    type: Type.String(),
    materialId: Uuid(),
    materialCode: Type.String(),
    warehouseId: Uuid(),
    binId: Type.Union([Uuid(), Type.Null()]),
    batchNo: Type.Union([Type.String(), Type.Null()]),
    serialNo: Type.Union([Type.String(), Type.Null()]),
    quantity: Type.String({ description: 'Signed, base unit' }),
    enteredQuantity: Type.String(),
    enteredUnit: Type.String(),
    sourceType: Type.String(),
    sourceId: Uuid(),
    sourceLine: Type.Integer(),
    occurredAt: Timestamp(),
    postedBy: Type.String(),
  },
  { $id: 'Movement' },
);
export const MovementPageSchema = Page(Type.Ref(MovementSchema), 'MovementPage');

export const MovementQuery = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
    cursor: Type.Optional(Type.String({ maxLength: 200 })),
    materialId: Type.Optional(Uuid()),
    warehouseId: Type.Optional(Uuid()),
    serialNo: Type.Optional(Type.String({ maxLength: 40 })),
    batchNo: Type.Optional(Type.String({ maxLength: 40 })),
    sourceId: Type.Optional(Uuid()),
    from: Type.Optional(Timestamp()),
    to: Type.Optional(Timestamp()),
  },
  { additionalProperties: false },
);

export const FifoQuery = Type.Object(
  {
    materialId: Uuid(),
    quantity: Quantity('In the base unit'),
    warehouseId: Type.Optional(Uuid('Limit to one warehouse')),
  },
  { additionalProperties: false },
);

export const FifoSuggestionSchema = Type.Object(
  {
    materialId: Uuid(),
    requested: Type.String(),
    suggested: Type.String(),
    shortfall: Type.String({ description: 'What the suggestion cannot cover; "0" when it can' }),
    expired: Type.String({ description: 'Stock in scope in batches past their expiry date: never suggested' }),
    picks: Type.Array(
      Type.Object({
        warehouseId: Uuid(),
        binId: Type.Union([Uuid(), Type.Null()]),
        batchId: Type.Union([Uuid(), Type.Null()]),
        batchNo: Type.Union([Type.String(), Type.Null()]),
        serialNo: Type.Union([Type.String(), Type.Null()]),
        expiryDate: Type.Union([Type.String(), Type.Null()]),
        receivedAt: Type.Union([Timestamp(), Type.Null()]),
        available: Type.String(),
        quantity: Type.String(),
      }),
    ),
  },
  { $id: 'FifoSuggestion' },
);

export const BatchSchema = Type.Object(
  {
    id: Uuid(),
    batchNo: Type.String(),
    productionDate: Type.Union([Type.String(), Type.Null()]),
    expiryDate: Type.Union([Type.String(), Type.Null()]),
    supplierBatch: Type.Union([Type.String(), Type.Null()]),
    receivedAt: Timestamp(),
    onHand: Type.String({ description: 'Across all warehouses, base unit' }),
  },
  { $id: 'Batch' },
);
export const BatchListSchema = Type.Object({ items: Type.Array(Type.Ref(BatchSchema)) }, { $id: 'BatchList' });

export const BalanceSchema = Type.Object(
  {
    materialId: Uuid(),
    materialCode: Type.String(),
    warehouseId: Uuid(),
    warehouseCode: Type.String(),
    binId: Type.Union([Uuid(), Type.Null()]),
    binCode: Type.Union([Type.String(), Type.Null()]),
    batchNo: Type.Union([Type.String(), Type.Null()]),
    serialNo: Type.Union([Type.String(), Type.Null()]),
    quantity: Type.String(),
    baseUnit: Type.String(),
  },
  { $id: 'Balance' },
);
export const BalancePageSchema = Page(Type.Ref(BalanceSchema), 'BalancePage');
