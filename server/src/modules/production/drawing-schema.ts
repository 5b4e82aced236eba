import { Type, type Static } from '@sinclair/typebox';
import { Page, Timestamp, Uuid } from '../../platform/schemas.js';
import { Code } from '../plant/schema.js';
import { Lit, Nullable } from './common.js';
import { DRAWING_TYPES } from './sniff.js';

// ---------------------------------------------------------------- process drawings (S1-5.4.4-d)

export const DRAWING_KINDS = ['product', 'machining', 'inspection'] as const;

export const DrawingRevisionSchema = Type.Object({
  revision: Type.Integer(),
  fileName: Type.String(),
  contentType: Lit(...DRAWING_TYPES),
  sizeBytes: Type.Integer(),
  sha256: Type.String({ description: 'SHA-256 of the content, hex; the ETag of its download' }),
  note: Type.String(),
  uploadedBy: Type.String(),
  uploadedAt: Timestamp(),
});
export type DrawingRevision = Static<typeof DrawingRevisionSchema>;

const header = {
  id: Uuid(),
  code: Type.String(),
  name: Type.String(),
  kind: Lit(...DRAWING_KINDS),
  materialId: Nullable(Uuid('The product it is a drawing of')),
  materialCode: Nullable(Type.String()),
  routingId: Nullable(Uuid()),
  routingCode: Nullable(Type.String()),
  operationSeq: Nullable(Type.Integer({ description: 'The operation of the routing it is a drawing of' })),
  inspectionRef: Nullable(Type.String({ description: 'The inspection (quality plan) it is a drawing of' })),
  currentRevision: Type.Integer({ description: '0 until a file is uploaded' }),
  version: Type.Integer(),
  createdBy: Type.String(),
  createdAt: Timestamp(),
  updatedAt: Timestamp(),
};
export const DrawingSchema = Type.Object({ ...header, revisions: Type.Array(DrawingRevisionSchema, { description: 'Newest first' }) }, { $id: 'Drawing' });
export type Drawing = Static<typeof DrawingSchema>;
export const DrawingSummarySchema = Type.Object({ ...header, current: Nullable(DrawingRevisionSchema) }, { $id: 'DrawingSummary' });
export type DrawingSummary = Static<typeof DrawingSummarySchema>;
export const DrawingPageSchema = Page(Type.Ref(DrawingSummarySchema), 'DrawingPage');

export const CreateDrawingBody = Type.Object(
  {
    code: Code('Drawing number, unique in the tenant'),
    name: Type.String({ minLength: 1, maxLength: 200 }),
    kind: Lit(...DRAWING_KINDS),
    materialId: Type.Optional(Uuid()),
    materialCode: Type.Optional(Type.String({ maxLength: 64 })),
    routingCode: Type.Optional(Type.String({ maxLength: 64, description: 'With operationSeq: a drawing of that operation' })),
    operationSeq: Type.Optional(Type.Integer({ minimum: 1 })),
    inspectionRef: Type.Optional(Type.String({ maxLength: 64 })),
  },
  { additionalProperties: false },
);
export type CreateDrawingInput = Static<typeof CreateDrawingBody>;

export const DrawingListQuery = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
    cursor: Type.Optional(Type.String({ maxLength: 200 })),
    kind: Type.Optional(Lit(...DRAWING_KINDS)),
    materialId: Type.Optional(Uuid('Drawings of this product')),
    routingCode: Type.Optional(Type.String({ maxLength: 64, description: 'Drawings of operations of this routing' })),
    operationSeq: Type.Optional(Type.Integer({ minimum: 1, description: 'With routingCode: of this operation' })),
    inspectionRef: Type.Optional(Type.String({ maxLength: 64 })),
  },
  { additionalProperties: false },
);
export type DrawingListQuery = Static<typeof DrawingListQuery>;

export const UploadQuery = Type.Object(
  {
    fileName: Type.Optional(Type.String({ minLength: 1, maxLength: 200, pattern: '^[^/\\\\\\u0000-\\u001f]+$', description: 'Default <code>-<revision>' })),
    note: Type.Optional(Type.String({ maxLength: 500, description: 'What changed in this revision' })),
  },
  { additionalProperties: false },
);

/** The request body: the file's bytes as they are; Content-Type says what it is (or application/octet-stream). */
export const UploadBody = {
  content: Object.fromEntries(['application/octet-stream', ...DRAWING_TYPES].map((t) => [t, { schema: { type: 'string', format: 'binary' } }])),
};

export const ContentQuery = Type.Object(
  {
    revision: Type.Optional(Type.Integer({ minimum: 1, description: 'Default the current revision' })),
    download: Type.Optional(Type.Boolean({ description: 'true: as an attachment (save), else inline (view)' })),
  },
  { additionalProperties: false },
);

export const DrawingContent = {
  description: 'The file, with its own Content-Type; ETag is its SHA-256',
  content: Object.fromEntries(DRAWING_TYPES.map((t) => [t, { schema: { type: 'string', format: 'binary' } }])),
};

// ---------------------------------------------------------------- revision requests (S1-5.4.5-e)

export const REQUEST_STATES = ['requested', 'accepted', 'done', 'rejected'] as const;

export const DrawingRevisionRequestSchema = Type.Object({
  id: Uuid(),
  drawingId: Uuid(),
  drawingCode: Type.String(),
  inspectionId: Uuid('The quality inspection that found the defect'),
  defectCode: Type.String({ description: 'The defect found (a failed result of the inspection)' }),
  reason: Type.String(),
  state: Lit(...REQUEST_STATES),
  revisionAtRequest: Type.Integer({ description: "The drawing's revision when the request was made" }),
  doneRevision: Nullable(Type.Integer({ description: 'done: the newer revision that answers it' })),
  decisionNote: Type.String(),
  requestedBy: Type.String(),
  requestedAt: Timestamp(),
  decidedBy: Nullable(Type.String()),
  decidedAt: Nullable(Timestamp()),
  version: Type.Integer(),
}, { $id: 'DrawingRevisionRequest' });
export type DrawingRevisionRequest = Static<typeof DrawingRevisionRequestSchema>;
export const DrawingRevisionRequestListSchema = Type.Object({ items: Type.Array(Type.Ref(DrawingRevisionRequestSchema)) }, { $id: 'DrawingRevisionRequestList' });

export const DecideRevisionRequestBody = Type.Object(
  {
    version: Type.Integer({ minimum: 1 }),
    state: Lit('accepted', 'done', 'rejected'),
    note: Type.Optional(Type.String({ maxLength: 1000, description: 'Why; required to reject' })),
  },
  { additionalProperties: false },
);
export type DecideRevisionRequestInput = Static<typeof DecideRevisionRequestBody>;
