import { Type, type Static } from '@sinclair/typebox';
import { IdParams, Uuid } from '../../platform/schemas.js';
import { LABEL_VALUE_PATTERN } from './gs1.js';

const Value = (max: number, description: string) => Type.String({ minLength: 1, maxLength: max, pattern: LABEL_VALUE_PATTERN, description });
const IsoDate = (description: string) => Type.String({ format: 'date', description });

const gs1Properties = {
  material: Type.Optional(Value(30, '(240) material code')),
  batch: Type.Optional(Value(20, '(10) batch number')),
  serial: Type.Optional(Value(20, '(21) serial number')),
  expiry: Type.Optional(IsoDate('(17) expiry date')),
  productionDate: Type.Optional(IsoDate('(11) production date')),
  quantity: Type.Optional(Type.String({ pattern: '^[0-9]{1,8}$', description: '(30) count, up to 8 digits' })),
  location: Type.Optional(
    Type.Object(
      {
        warehouse: Type.String({ minLength: 1, maxLength: 89, pattern: '^[!"%&\'*-.0-?A-Z_a-z]+$', description: 'Warehouse code (no "/")' }),
        bin: Type.Optional(Type.Union([Value(88, 'Bin code'), Type.Null()], { description: 'Bin code; null or absent for the whole warehouse' })),
      },
      { additionalProperties: false, description: '(91) `<warehouse>/<bin>`, at most 90 characters' },
    ),
  ),
  document: Type.Optional(Value(90, '(92) document number')),
};
const gs1Options = {
  additionalProperties: false,
  description: 'GS1 application identifiers of a label; values in GS1 character set 82 without parentheses',
};

/** The fields of a label payload, by name rather than by application identifier. */
export const Gs1FieldsSchema = Type.Object(gs1Properties, { $id: 'Gs1Fields', ...gs1Options });
/** The same, inline: request bodies are compiled without the shared schemas. */
const Gs1FieldsInput = Type.Object(gs1Properties, gs1Options);

export const ResolveBody = Type.Object(
  {
    code: Type.String({
      minLength: 1,
      maxLength: 500,
      description: 'What the scanner or person entered: GS1 human-readable `(240)…(10)…`, raw GS1 (GS-separated, optional `]C1`), a bare material code or a bare serial number',
    }),
  },
  { additionalProperties: false },
);

const Tracking = Type.Union([Type.Literal('none'), Type.Literal('batch'), Type.Literal('serial')]);
const NullableDate = Type.Union([Type.String({ format: 'date' }), Type.Null()]);

export const ResolvedBarcodeSchema = Type.Object(
  {
    kind: Type.Union([Type.Literal('material'), Type.Literal('batch'), Type.Literal('serial'), Type.Literal('location'), Type.Literal('document')], {
      description: 'The most specific thing the code names: serial > batch > material > location > document',
    }),
    material: Type.Optional(Type.Object({ id: Uuid(), code: Type.String(), name: Type.String(), tracking: Tracking })),
    batch: Type.Optional(Type.Object({ id: Uuid(), batchNo: Type.String(), expiryDate: NullableDate, productionDate: NullableDate })),
    serial: Type.Optional(Type.Object({ id: Uuid(), serialNo: Type.String() })),
    location: Type.Optional(
      Type.Object({
        warehouse: Type.Object({ id: Uuid(), code: Type.String() }),
        bin: Type.Union([Type.Object({ id: Uuid(), code: Type.String() }), Type.Null()]),
      }),
    ),
    quantity: Type.Optional(Type.String({ description: '(30) count as a decimal string' })),
    document: Type.Optional(Type.String({ description: '(92) document number' })),
    gs1: Type.Ref(Gs1FieldsSchema),
  },
  { $id: 'ResolvedBarcode' },
);
export type ResolvedBarcode = Static<typeof ResolvedBarcodeSchema>;

const Format = Type.Union([Type.Literal('svg'), Type.Literal('png')], { description: 'svg (image/svg+xml) or png (image/png)' });
const Text = Type.Boolean({ description: 'Print the human-readable line under the bars; default true' });
const Scale = Type.Integer({ minimum: 1, maximum: 6, description: 'Module width in pixels (PNG) or units (SVG); default 2' });

export const LabelBody = Type.Object(
  {
    fields: Gs1FieldsInput,
    format: Format,
    text: Type.Optional(Text),
    scale: Type.Optional(Scale),
  },
  { additionalProperties: false },
);
export type LabelInput = Static<typeof LabelBody>;

export const MaterialLabelQuery = Type.Object(
  { format: Type.Optional(Format), text: Type.Optional(Text), scale: Type.Optional(Scale) },
  { additionalProperties: false },
);
export const MaterialLabelParams = IdParams;

/** The 200 of a label route: the image itself, in the requested format. */
export const LabelImage = {
  description: 'The label image (GS1-128)',
  content: {
    'image/svg+xml': { schema: { type: 'string', description: 'SVG document' } },
    'image/png': { schema: { type: 'string', format: 'binary', description: 'PNG image' } },
  },
};
