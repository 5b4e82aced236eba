import { Type, type Static } from '@sinclair/typebox';
import { Page, Timestamp, Uuid } from '../../platform/schemas.js';
import { Quantity } from '../masterdata/schema.js';
import { DateOnly, Lit, Nullable, Percent, VERSION_STATUSES } from './common.js';

export const BOM_TYPES = ['engineering', 'process', 'manufacturing', 'sales'] as const;
export type BomType = (typeof BOM_TYPES)[number];
const BomType = Lit(...BOM_TYPES);
const MaterialCode = Type.String({ minLength: 1, maxLength: 64, description: 'Material code' });

// ---------------------------------------------------------------- BOM versions (S1-5.4.4-b)

const AlternateSchema = Type.Object({
  priority: Type.Integer(),
  materialId: Uuid(),
  materialCode: Type.String(),
  quantity: Type.String({ description: 'Per one base unit of the parent, in `unit`' }),
  unit: Type.String(),
  baseQuantity: Type.String({ description: "The same in the alternate's base unit, exactly" }),
});

export const BomLineSchema = Type.Object({
  lineNo: Type.Integer(),
  componentId: Uuid(),
  componentCode: Type.String(),
  componentName: Type.String(),
  quantity: Type.String({ description: 'Unit usage: per one base unit of the parent, in `unit`' }),
  unit: Type.String(),
  baseQuantity: Type.String({ description: "The usage in the component's base unit, exactly" }),
  baseUnit: Type.String(),
  scrapRate: Type.String({ description: 'Percent added on top of the usage' }),
  operationSeq: Nullable(Type.Integer({ description: 'The routing operation that consumes it; null: the first' })),
  optional: Type.Boolean(),
  phantom: Type.Boolean({ description: 'Built and consumed at once: explosions pass through to its own components' }),
  position: Type.String(),
  remark: Type.String(),
  alternates: Type.Array(AlternateSchema),
});

const bomHeader = {
  id: Uuid('The BOM version (revision)'),
  bomId: Uuid('The BOM: one per product and type'),
  materialId: Uuid(),
  materialCode: Type.String(),
  materialName: Type.String(),
  baseUnit: Type.String(),
  type: BomType,
  revision: Type.Integer(),
  status: Lit(...VERSION_STATUSES),
  effectiveFrom: Type.String({ format: 'date' }),
  effectiveTo: Nullable(Type.String({ format: 'date', description: 'Exclusive; null: open-ended' })),
  remark: Type.String(),
  version: Type.Integer({ description: 'Optimistic concurrency of the draft' }),
  createdBy: Type.String(),
  releasedBy: Nullable(Type.String()),
  releasedAt: Nullable(Timestamp()),
  obsoletedAt: Nullable(Timestamp()),
  createdAt: Timestamp(),
  updatedAt: Timestamp(),
};
export const BomSchema = Type.Object({ ...bomHeader, lines: Type.Array(BomLineSchema) }, { $id: 'Bom' });
export type Bom = Static<typeof BomSchema>;
export const BomSummarySchema = Type.Object({ ...bomHeader, lineCount: Type.Integer() }, { $id: 'BomSummary' });
export type BomSummary = Static<typeof BomSummarySchema>;
export const BomPageSchema = Page(Type.Ref(BomSummarySchema), 'BomPage');

const Ref = { materialId: Type.Optional(Uuid()), materialCode: Type.Optional(MaterialCode) };
export const BomLineInput = Type.Object(
  {
    ...Ref,
    quantity: Quantity('Unit usage per one base unit of the parent, positive, in `unit`'),
    unit: Type.Optional(Type.String({ maxLength: 16, description: "Any unit of the component that converts to its base unit exactly; default its production unit" })),
    scrapRate: Type.Optional(Percent('Scrap allowance added to the usage; default 0')),
    operationSeq: Type.Optional(Type.Integer({ minimum: 1, description: 'The routing operation that consumes it; default the first' })),
    optional: Type.Optional(Type.Boolean()),
    phantom: Type.Optional(Type.Boolean()),
    position: Type.Optional(Type.String({ maxLength: 100, description: 'Reference designator, drawing position' })),
    remark: Type.Optional(Type.String({ maxLength: 500 })),
    alternates: Type.Optional(Type.Array(
      Type.Object({ ...Ref, quantity: Quantity('Usage per one base unit of the parent'), unit: Type.Optional(Type.String({ maxLength: 16 })), priority: Type.Optional(Type.Integer({ minimum: 1, maximum: 99 })) }, { additionalProperties: false }),
      { maxItems: 10, description: 'Components that may be used instead, by priority (default: in the order given)' },
    )),
  },
  { additionalProperties: false },
);
export type BomLineInput = Static<typeof BomLineInput>;

export const CreateBomBody = Type.Object(
  {
    ...Ref,
    type: BomType,
    effectiveFrom: Type.Optional(DateOnly('Default: today')),
    effectiveTo: Type.Optional(DateOnly('Exclusive; default open-ended')),
    remark: Type.Optional(Type.String({ maxLength: 500 })),
    lines: Type.Array(BomLineInput, { maxItems: 2000, description: 'Line numbers are 10, 20, 30 … in this order' }),
  },
  { additionalProperties: false },
);
export type CreateBomInput = Static<typeof CreateBomBody>;

export const UpdateBomBody = Type.Object(
  {
    version: Type.Integer({ minimum: 1 }),
    effectiveFrom: Type.Optional(DateOnly()),
    effectiveTo: Type.Optional(Nullable(DateOnly())),
    remark: Type.Optional(Type.String({ maxLength: 500 })),
    lines: Type.Optional(Type.Array(BomLineInput, { maxItems: 2000, description: 'The complete new list' })),
  },
  { additionalProperties: false },
);
export type UpdateBomInput = Static<typeof UpdateBomBody>;

export const BomListQuery = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
    cursor: Type.Optional(Type.String({ maxLength: 200 })),
    materialId: Type.Optional(Uuid('Versions of the BOMs of this product')),
    type: Type.Optional(BomType),
    status: Type.Optional(Lit(...VERSION_STATUSES)),
  },
  { additionalProperties: false },
);
export type BomListQuery = Static<typeof BomListQuery>;

// ---------------------------------------------------------------- explosion and where-used

export const MAX_BOM_DEPTH = 25;
export const ExplosionQuery = Type.Object(
  {
    type: Type.Optional(BomType),
    quantity: Type.Optional(Quantity('Of the product, in `unit`; default 1')),
    unit: Type.Optional(Type.String({ maxLength: 16, description: "Default the product's base unit" })),
    date: Type.Optional(DateOnly('Versions in effect that day; default today')),
    bomVersionId: Type.Optional(Uuid('Explode this version of the product\'s BOM (a draft too) instead of the one in effect; lower levels stay as of the date')),
    includeOptional: Type.Optional(Type.Boolean({ description: 'Also optional components; default false' })),
    maxDepth: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_BOM_DEPTH, description: `Default ${MAX_BOM_DEPTH}` })),
  },
  { additionalProperties: false },
);
export type ExplosionQuery = Static<typeof ExplosionQuery>;

export const ExplosionRowSchema = Type.Object({
  level: Type.Integer({ description: 'Depth below the product; components of a phantom take the phantom\'s level' }),
  path: Type.Array(Type.String(), { description: 'Material codes from the product down to this component (phantoms included)' }),
  parentCode: Type.String({ description: 'The nearest parent that is not a phantom' }),
  materialId: Uuid(),
  materialCode: Type.String(),
  materialName: Type.String(),
  baseUnit: Type.String(),
  bomVersionId: Uuid('The BOM version (GET /v1/boms/{id}) the line comes from'),
  bomRevision: Type.Integer(),
  lineNo: Type.Integer(),
  usage: Type.String({ description: 'Per one base unit of the parent (before scrap)' }),
  scrapRate: Type.String(),
  perUnit: Type.String({ description: 'Per one base unit of the product, scrap included at every level, exact' }),
  quantity: Type.String({ description: 'For the quantity exploded, exact' }),
  roundedQuantity: Type.String({ description: "quantity rounded up to the base unit's decimals: what can be issued or made" }),
  operationSeq: Nullable(Type.Integer()),
  optional: Type.Boolean(),
  phantom: Type.Boolean({ description: 'A phantom here has no BOM in effect, so it could not be passed through' }),
  viaPhantoms: Type.Array(Type.String(), { description: 'Codes of the phantoms passed through to reach this line' }),
  made: Type.Boolean({ description: 'Has a BOM of this type in effect (its components follow it)' }),
  issueType: Lit('manual', 'backflush_operation', 'backflush_receipt'),
  alternates: Type.Array(Type.Object({ priority: Type.Integer(), materialId: Uuid(), materialCode: Type.String(), perUnit: Type.String({ description: 'Per one base unit of the product' }) })),
});
export type ExplosionRow = Static<typeof ExplosionRowSchema>;

export const ExplosionSchema = Type.Object(
  {
    materialId: Uuid(),
    materialCode: Type.String(),
    baseUnit: Type.String(),
    type: BomType,
    date: Type.String({ format: 'date' }),
    quantity: Type.String({ description: 'Exploded, in the base unit' }),
    bom: Nullable(Type.Object({ id: Uuid(), revision: Type.Integer(), status: Lit(...VERSION_STATUSES) }, { description: 'null: the product has no BOM of this type in effect' })),
    truncated: Type.Boolean({ description: 'maxDepth was reached with levels still below' }),
    items: Type.Array(ExplosionRowSchema, { description: 'Depth first, in line order' }),
    totals: Type.Array(Type.Object({
      materialId: Uuid(), materialCode: Type.String(), baseUnit: Type.String(), quantity: Type.String(), roundedQuantity: Type.String(), made: Type.Boolean(),
    }), { description: 'Gross requirement per material over every level' }),
  },
  { $id: 'BomExplosion' },
);
export type Explosion = Static<typeof ExplosionSchema>;

export const WhereUsedQuery = Type.Object(
  {
    type: Type.Optional(BomType),
    date: Type.Optional(DateOnly('Versions in effect that day; default today')),
    maxDepth: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_BOM_DEPTH })),
  },
  { additionalProperties: false },
);
export type WhereUsedQuery = Static<typeof WhereUsedQuery>;

export const WhereUsedSchema = Type.Object(
  {
    materialId: Uuid(),
    materialCode: Type.String(),
    type: BomType,
    date: Type.String({ format: 'date' }),
    truncated: Type.Boolean(),
    items: Type.Array(Type.Object({
      level: Type.Integer({ description: '1: uses the material directly' }),
      path: Type.Array(Type.String(), { description: 'From the material up to this parent' }),
      materialId: Uuid('The parent that uses it'),
      materialCode: Type.String(),
      materialName: Type.String(),
      baseUnit: Type.String(),
      bomVersionId: Uuid(),
      bomRevision: Type.Integer(),
      lineNo: Type.Integer(),
      usage: Type.String({ description: 'Of the child on this path, per one base unit of this parent' }),
      phantom: Type.Boolean({ description: 'The child on this path is a phantom in this BOM' }),
      perUnit: Type.String({ description: 'Of the material asked about, per one base unit of this parent, scrap included' }),
    })),
  },
  { $id: 'BomWhereUsed' },
);
export type WhereUsed = Static<typeof WhereUsedSchema>;
