import { Type, type Static } from '@sinclair/typebox';
import { Page, Timestamp, Uuid } from '../../platform/schemas.js';

const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);

const SummaryFilters = {
  from: Timestamp('Start of the period, inclusive'),
  to: Timestamp('End of the period, exclusive'),
  warehouseId: Type.Optional(Uuid('Only this warehouse; default all')),
  materialId: Type.Optional(Uuid()),
  category: Type.Optional(Type.String({ maxLength: 100 })),
  includeZero: Type.Optional(Type.Boolean({ description: 'Also materials with no opening stock and no movement in the period' })),
};

export const StockSummaryQuery = Type.Object(
  {
    ...SummaryFilters,
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
    cursor: Type.Optional(Type.String({ maxLength: 200 })),
  },
  { additionalProperties: false },
);
export type StockSummaryQuery = Static<typeof StockSummaryQuery>;
export const StockSummaryCsvQuery = Type.Object(SummaryFilters, { additionalProperties: false });
export type StockSummaryFilter = Static<typeof StockSummaryCsvQuery>;

export const StockSummaryRowSchema = Type.Object(
  {
    materialId: Uuid(),
    materialCode: Type.String(),
    materialName: Type.String(),
    category: Type.String(),
    baseUnit: Type.String(),
    warehouseId: Nullable(Uuid('The warehouse filtered on; null: all warehouses')),
    opening: Type.String({ description: 'Stock before `from`, base unit' }),
    receipts: Type.String({ description: 'Sum of positive movements in [from, to)' }),
    issues: Type.String({ description: 'Sum of negative movements in [from, to), shown positive' }),
    closing: Type.String({ description: 'opening + receipts - issues: stock before `to`' }),
  },
  { $id: 'StockSummaryRow' },
);
export type StockSummaryRow = Static<typeof StockSummaryRowSchema>;
export const StockSummaryPageSchema = Page(Type.Ref(StockSummaryRowSchema), 'StockSummaryPage');

export const SafetyStockReportQuery = Type.Object(
  {
    warehouseId: Type.Optional(Uuid('Only levels set for this warehouse; default all levels, per warehouse and tenant-wide')),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
    cursor: Type.Optional(Type.String({ maxLength: 300 })),
  },
  { additionalProperties: false },
);

export const SafetyStockRowSchema = Type.Object(
  {
    materialId: Uuid(),
    materialCode: Type.String(),
    materialName: Type.String(),
    baseUnit: Type.String(),
    warehouseId: Nullable(Uuid('Null: a tenant-wide level')),
    warehouseCode: Nullable(Type.String()),
    level: Type.String({ description: 'Safety stock level, base unit' }),
    onHand: Type.String({ description: "The warehouse's stock; for a tenant-wide level, the stock of all active normal (not quarantine or WIP) warehouses" }),
    shortfall: Type.String({ description: 'level - onHand when below the level, else 0' }),
  },
  { $id: 'SafetyStockRow' },
);
export type SafetyStockRow = Static<typeof SafetyStockRowSchema>;
export const SafetyStockPageSchema = Page(Type.Ref(SafetyStockRowSchema), 'SafetyStockPage');

export const BalancesCsvQuery = Type.Object(
  {
    materialId: Type.Optional(Uuid()),
    warehouseId: Type.Optional(Uuid()),
    binId: Type.Optional(Uuid()),
    batchNo: Type.Optional(Type.String({ maxLength: 40 })),
    category: Type.Optional(Type.String({ maxLength: 100 })),
    includeZero: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

export const CsvResponse = {
  description: 'CSV (RFC 4180), UTF-8 with a byte-order mark, header row first',
  content: { 'text/csv': { schema: { type: 'string' } } },
};
