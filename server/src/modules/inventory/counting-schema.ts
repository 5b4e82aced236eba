import { Type, type Static } from '@sinclair/typebox';
import { Page, Timestamp, Uuid } from '../../platform/schemas.js';
import { Quantity } from '../masterdata/schema.js';

const Ref = (what: string) => Type.String({ minLength: 1, maxLength: 64, description: `${what} code` });
const SheetStatus = Type.Union([Type.Literal('open'), Type.Literal('posted'), Type.Literal('cancelled')]);
const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);

export const CreateCountSheetBody = Type.Object(
  {
    warehouseId: Uuid('The warehouse to count'),
    binIds: Type.Optional(Type.Array(Uuid(), { minItems: 1, maxItems: 1000, uniqueItems: true, description: 'Only these bins of the warehouse' })),
    materialIds: Type.Optional(Type.Array(Uuid(), { minItems: 1, maxItems: 1000, uniqueItems: true, description: 'Only these materials' })),
    category: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'Only materials of this category' })),
    blind: Type.Optional(Type.Boolean({ description: 'Hide book quantities and variances from callers without inventory:post' })),
  },
  { additionalProperties: false },
);
export type CreateCountSheetInput = Static<typeof CreateCountSheetBody>;

/**
 * One count: a sheet line by number, or the item and place as a PDA scanned or a person typed
 * them (the warehouse is the sheet's). An item the sheet does not list is found stock: a new line.
 */
export const CountEntryInput = Type.Object(
  {
    lineNo: Type.Optional(Type.Integer({ minimum: 1, description: 'A line of the sheet; or name the item below' })),
    materialId: Type.Optional(Uuid()),
    materialCode: Type.Optional(Ref('Material')),
    barcode: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'Scanned item label: material, batch or serial (GS1-128)' })),
    binId: Type.Optional(Uuid()),
    binCode: Type.Optional(Ref('Bin')),
    locationBarcode: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'Scanned bin label (AI 91)' })),
    batchNo: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
    serialNo: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
    quantity: Quantity('Counted, in `unit`; 0 says "looked, none here"; negative corrects an earlier entry of the line'),
    unit: Type.Optional(Type.String({ maxLength: 16, description: "Default: the material's stock unit" })),
  },
  { additionalProperties: false },
);
export type CountEntryInput = Static<typeof CountEntryInput>;

export const CountEntriesBody = Type.Object(
  {
    entries: Type.Array(CountEntryInput, { minItems: 1, maxItems: 10_000 }),
    counter: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'Who counted; default the caller' })),
  },
  { additionalProperties: false },
);
export type CountEntriesInput = Static<typeof CountEntriesBody>;

export const CountEntriesResultSchema = Type.Object(
  {
    sheetId: Uuid(),
    accepted: Type.Integer({ description: 'Entries recorded' }),
    newLines: Type.Integer({ description: 'Lines added for found stock' }),
    lines: Type.Array(Type.Object({ lineNo: Type.Integer(), counted: Type.String({ description: 'The line’s counted total now, base unit' }) }), {
      description: 'Every line these entries touched, in entry order of first touch',
    }),
  },
  { $id: 'CountEntriesResult' },
);
export type CountEntriesResult = Static<typeof CountEntriesResultSchema>;

export const PostCountSheetBody = Type.Object(
  { uncountedAsZero: Type.Optional(Type.Boolean({ description: 'Treat lines nobody counted as counted 0 (write off their book stock); default false leaves them alone' })) },
  { additionalProperties: false },
);

export const CountSheetQuery = Type.Object(
  { onlyVariances: Type.Optional(Type.Boolean({ description: 'Only counted lines whose count differs from the book' })) },
  { additionalProperties: false },
);

export const CountLineSchema = Type.Object({
  lineNo: Type.Integer(),
  materialId: Uuid(),
  materialCode: Type.String(),
  materialName: Type.String(),
  baseUnit: Type.String(),
  binId: Nullable(Uuid()),
  binCode: Nullable(Type.String()),
  batchNo: Nullable(Type.String()),
  serialNo: Nullable(Type.String()),
  book: Nullable(Type.String({ description: 'Book quantity at the snapshot, base unit; null on a blind sheet for counters' })),
  counted: Nullable(Type.String({ description: 'Sum of the entries; null while uncounted' })),
  variance: Nullable(Type.String({ description: 'counted - book; null while uncounted (or hidden)' })),
  found: Type.Boolean({ description: 'Added by an entry: not on the book at the snapshot' }),
  entries: Type.Integer({ description: 'How many entries were made for this line' }),
});

const SheetFields = {
  id: Uuid(),
  sheetNo: Type.String(),
  warehouseId: Uuid(),
  warehouseCode: Type.String(),
  binIds: Type.Union([Type.Array(Uuid()), Type.Null()]),
  materialIds: Type.Union([Type.Array(Uuid()), Type.Null()]),
  category: Nullable(Type.String()),
  blind: Type.Boolean(),
  status: SheetStatus,
  uncountedAsZero: Type.Union([Type.Boolean(), Type.Null()]),
  createdBy: Type.String(),
  snapshotAt: Timestamp(),
  postedBy: Nullable(Type.String()),
  postedAt: Nullable(Timestamp()),
  cancelledBy: Nullable(Type.String()),
  cancelledAt: Nullable(Timestamp()),
  createdAt: Timestamp(),
};

export const CountSheetSummarySchema = Type.Object(SheetFields, { $id: 'CountSheetSummary' });
export type CountSheetSummary = Static<typeof CountSheetSummarySchema>;

export const CountSheetSchema = Type.Object(
  {
    ...SheetFields,
    totals: Type.Object({
      lines: Type.Integer(),
      counted: Type.Integer({ description: 'Lines with at least one entry' }),
      uncounted: Type.Integer(),
      found: Type.Integer({ description: 'Lines added for found stock' }),
      withVariance: Type.Union([Type.Integer(), Type.Null()], { description: 'Counted lines whose count differs from the book; null when hidden' }),
      gains: Type.Union([Type.Integer(), Type.Null()]),
      losses: Type.Union([Type.Integer(), Type.Null()]),
    }),
    lines: Type.Array(CountLineSchema),
  },
  { $id: 'CountSheet' },
);
export type CountSheet = Static<typeof CountSheetSchema>;
export type CountLine = Static<typeof CountLineSchema>;

export const CountSheetPageSchema = Page(Type.Ref(CountSheetSummarySchema), 'CountSheetPage');

export const CountSheetListQuery = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
    cursor: Type.Optional(Type.String({ maxLength: 200 })),
    status: Type.Optional(SheetStatus),
    warehouseId: Type.Optional(Uuid()),
  },
  { additionalProperties: false },
);
