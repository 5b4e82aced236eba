import { Type, type Static } from '@sinclair/typebox';
import { QUANTITY_PATTERN } from '../../platform/quantity.js';
import { Page, Timestamp, Uuid } from '../../platform/schemas.js';

const Code = (description: string) => Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9._/-]{0,63}$', description });
export const Quantity = (description?: string) =>
  Type.String({ pattern: QUANTITY_PATTERN, description: description ?? 'Decimal string, e.g. "12.500"' });
const UnitCode = Type.String({ pattern: '^[A-Za-z0-9_-]{1,16}$', description: 'Unit code, e.g. PCS, KG, BOX' });

export const UnitSchema = Type.Object(
  {
    code: Type.String(),
    name: Type.String(),
    decimals: Type.Integer({ description: 'Decimals a quantity may have; 0 is a whole-number unit' }),
    rounding: Type.Union([Type.Literal('half_up'), Type.Literal('half_even'), Type.Literal('up'), Type.Literal('down')]),
  },
  { $id: 'Unit' },
);
export type Unit = Static<typeof UnitSchema>;
export const UnitListSchema = Type.Object({ items: Type.Array(Type.Ref(UnitSchema)) }, { $id: 'UnitList' });
export const CreateUnitBody = Type.Object(
  {
    code: UnitCode,
    name: Type.String({ minLength: 1, maxLength: 100 }),
    decimals: Type.Integer({ minimum: 0, maximum: 6 }),
    rounding: Type.Optional(Type.Union([Type.Literal('half_up'), Type.Literal('half_even'), Type.Literal('up'), Type.Literal('down')])),
  },
  { additionalProperties: false },
);

export const UnitConversionSchema = Type.Object(
  { id: Uuid(), materialId: Type.Union([Uuid(), Type.Null()]), fromUnit: Type.String(), toUnit: Type.String(), factor: Type.String() },
  { $id: 'UnitConversion', description: '1 fromUnit = factor toUnit' },
);
export type UnitConversion = Static<typeof UnitConversionSchema>;
export const UnitConversionListSchema = Type.Object({ items: Type.Array(Type.Ref(UnitConversionSchema)) }, { $id: 'UnitConversionList' });
export const CreateConversionBody = Type.Object(
  {
    fromUnit: UnitCode,
    toUnit: UnitCode,
    factor: Type.String({ pattern: '^(0|[1-9][0-9]{0,11})(\\.[0-9]{1,12})?$', description: 'Exact decimal; 1 fromUnit = factor toUnit' }),
    materialId: Type.Optional(Uuid('For this material only; omit for a global conversion')),
  },
  { additionalProperties: false },
);

const Tracking = Type.Union([Type.Literal('none'), Type.Literal('batch'), Type.Literal('serial')]);
/**
 * How a component reaches production orders (S1-5.4.4-a, -f): issued by hand (manual), or deducted
 * automatically when the operation consuming it reports (backflush_operation) or when the finished
 * quantity is received (backflush_receipt).
 */
const IssueType = Type.Union([Type.Literal('manual'), Type.Literal('backflush_operation'), Type.Literal('backflush_receipt')]);

export const MaterialSchema = Type.Object(
  {
    id: Uuid(),
    code: Type.String(),
    name: Type.String(),
    specification: Type.String(),
    category: Type.String(),
    baseUnit: Type.String(),
    purchaseUnit: Type.String(),
    salesUnit: Type.String(),
    stockUnit: Type.String(),
    productionUnit: Type.String(),
    tracking: Tracking,
    trackExpiry: Type.Boolean(),
    production: Type.Object({
      issueType: IssueType,
      includeInKitting: Type.Boolean(),
      productionUnit: Type.String(),
      defaultRouting: Type.Union([Type.String(), Type.Null()], { description: 'Code of the routing used when an order names none' }),
    }),
    variantOf: Type.Union([Uuid(), Type.Null()]),
    variantFeatures: Type.Array(Type.String()),
    variantRule: Type.Union([Type.String(), Type.Null()]),
    featureValues: Type.Record(Type.String(), Type.String()),
    status: Type.Union([Type.Literal('active'), Type.Literal('blocked')]),
    version: Type.Integer(),
    createdAt: Timestamp(),
  },
  { $id: 'Material' },
);
export type Material = Static<typeof MaterialSchema>;
export const MaterialPageSchema = Page(Type.Ref(MaterialSchema), 'MaterialPage');

export const CreateMaterialBody = Type.Object(
  {
    code: Code('Material code, unique in the tenant'),
    name: Type.String({ minLength: 1, maxLength: 200 }),
    specification: Type.Optional(Type.String({ maxLength: 500 })),
    category: Type.Optional(Type.String({ maxLength: 100 })),
    baseUnit: UnitCode,
    purchaseUnit: Type.Optional(UnitCode),
    salesUnit: Type.Optional(UnitCode),
    stockUnit: Type.Optional(UnitCode),
    productionUnit: Type.Optional(UnitCode),
    tracking: Type.Optional(Tracking),
    trackExpiry: Type.Optional(Type.Boolean()),
    issueType: Type.Optional(IssueType),
    includeInKitting: Type.Optional(Type.Boolean()),
    defaultRouting: Type.Optional(Type.String({ maxLength: 64, description: 'Code of an existing routing (GET /v1/routings)' })),
    variantFeatures: Type.Optional(Type.Array(Type.String({ pattern: '^[A-Z0-9_-]{1,32}$' }), { maxItems: 10, description: 'Feature codes that distinguish variants of this template' })),
    variantRule: Type.Optional(Type.String({ maxLength: 64, description: 'Coding rule for variant codes; default {material}-{feature:…}…' })),
  },
  { additionalProperties: false },
);
export type CreateMaterialInput = Static<typeof CreateMaterialBody>;

export const CreateVariantBody = Type.Object(
  {
    featureValues: Type.Record(Type.String({ pattern: '^[A-Z0-9_-]{1,32}$' }), Type.String({ maxLength: 32 }), { description: 'One value code per variant feature of the template' }),
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  },
  { additionalProperties: false },
);
export type CreateVariantInput = Static<typeof CreateVariantBody>;

export const UpdateMaterialBody = Type.Object(
  {
    version: Type.Integer({ minimum: 1 }),
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    specification: Type.Optional(Type.String({ maxLength: 500 })),
    category: Type.Optional(Type.String({ maxLength: 100 })),
    status: Type.Optional(Type.Union([Type.Literal('active'), Type.Literal('blocked')])),
    issueType: Type.Optional(IssueType),
    includeInKitting: Type.Optional(Type.Boolean()),
    defaultRouting: Type.Optional(Type.Union([Type.String({ maxLength: 64, description: 'Code of an existing routing' }), Type.Null()])),
  },
  { additionalProperties: false },
);
export type UpdateMaterialInput = Static<typeof UpdateMaterialBody>;

export const MaterialListQuery = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
    cursor: Type.Optional(Type.String({ maxLength: 200 })),
    category: Type.Optional(Type.String({ maxLength: 100 })),
    variantOf: Type.Optional(Uuid()),
    q: Type.Optional(Type.String({ maxLength: 100, description: 'Code or name contains' })),
  },
  { additionalProperties: false },
);

export const ConvertQuery = Type.Object(
  { quantity: Quantity(), from: UnitCode, to: Type.Optional(UnitCode) },
  { additionalProperties: false },
);
export const ConversionResultSchema = Type.Object(
  { quantity: Type.String(), unit: Type.String(), exact: Type.String({ description: 'Before the target unit’s rounding' }) },
  { $id: 'ConversionResult' },
);

const WarehouseKind = Type.Union([Type.Literal('normal'), Type.Literal('quarantine'), Type.Literal('wip')]);
export const WarehouseSchema = Type.Object(
  {
    id: Uuid(),
    code: Type.String(),
    name: Type.String(),
    kind: WarehouseKind,
    allowNegative: Type.Boolean(),
    status: Type.Union([Type.Literal('active'), Type.Literal('blocked')]),
    version: Type.Integer(),
  },
  { $id: 'Warehouse' },
);
export type Warehouse = Static<typeof WarehouseSchema>;
export const WarehouseListSchema = Type.Object({ items: Type.Array(Type.Ref(WarehouseSchema)) }, { $id: 'WarehouseList' });
export const CreateWarehouseBody = Type.Object(
  {
    code: Code('Warehouse code'),
    name: Type.String({ minLength: 1, maxLength: 200 }),
    kind: Type.Optional(WarehouseKind),
    allowNegative: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export const UpdateWarehouseBody = Type.Object(
  {
    version: Type.Integer({ minimum: 1 }),
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    allowNegative: Type.Optional(Type.Boolean()),
    status: Type.Optional(Type.Union([Type.Literal('active'), Type.Literal('blocked')])),
  },
  { additionalProperties: false },
);

export const BinSchema = Type.Object(
  { id: Uuid(), warehouseId: Uuid(), code: Type.String(), name: Type.String() },
  { $id: 'Bin' },
);
export type Bin = Static<typeof BinSchema>;
export const BinListSchema = Type.Object({ items: Type.Array(Type.Ref(BinSchema)) }, { $id: 'BinList' });
export const CreateBinBody = Type.Object(
  { code: Code('Bin code, unique in its warehouse'), name: Type.Optional(Type.String({ maxLength: 200 })) },
  { additionalProperties: false },
);

export const SafetyStockSchema = Type.Object(
  { materialId: Uuid(), warehouseId: Type.Union([Uuid(), Type.Null()]), quantity: Type.String() },
  { $id: 'SafetyStock' },
);
export const SetSafetyStockBody = Type.Object(
  { warehouseId: Type.Optional(Uuid('Omit for a tenant-wide level')), quantity: Quantity('In the base unit') },
  { additionalProperties: false },
);
