import { Type, type Static } from '@sinclair/typebox';
import { Page, Timestamp, Uuid } from '../../platform/schemas.js';
import { Code } from '../plant/schema.js';
import { DateOnly, Lit, Minutes, Nullable, VERSION_STATUSES } from './common.js';

// ---------------------------------------------------------------- routings (S1-5.4.4-c)

const OperationSchema = Type.Object({
  seq: Type.Integer({ description: 'Operation number, e.g. 10, 20, 30; operations run in this order' }),
  name: Type.String(),
  description: Type.String(),
  workCentreId: Uuid(),
  workCentreCode: Type.String(),
  workshopId: Uuid(),
  setupMinutes: Type.String({ description: 'Standard setup time per order' }),
  runMinutes: Type.String({ description: 'Standard run time per base unit of the product' }),
  queueMinutes: Type.String({ description: 'Waiting before the operation' }),
  moveMinutes: Type.String({ description: 'Moving to the next operation' }),
  inspectionPoint: Type.Boolean({ description: 'The product is inspected here (in-process inspection)' }),
  inspectionText: Type.String({ description: 'What to inspect' }),
  inspectionRef: Nullable(Type.String({ description: "The quality module's inspection plan" })),
  alternates: Type.Array(Type.Object({
    priority: Type.Integer(), workCentreId: Uuid(), workCentreCode: Type.String(),
    setupMinutes: Nullable(Type.String({ description: "null: the primary's" })), runMinutes: Nullable(Type.String({ description: "null: the primary's" })),
  })),
});
export type RoutingOperation = Static<typeof OperationSchema>;

const header = {
  id: Uuid('The routing version (revision)'),
  routingId: Uuid('The routing; materials name it by code as their default routing'),
  code: Type.String(),
  name: Type.String(),
  revision: Type.Integer(),
  status: Lit(...VERSION_STATUSES),
  effectiveFrom: Type.String({ format: 'date' }),
  effectiveTo: Nullable(Type.String({ format: 'date', description: 'Exclusive; null: open-ended' })),
  remark: Type.String(),
  version: Type.Integer(),
  createdBy: Type.String(),
  releasedBy: Nullable(Type.String()),
  releasedAt: Nullable(Timestamp()),
  obsoletedAt: Nullable(Timestamp()),
  createdAt: Timestamp(),
  updatedAt: Timestamp(),
};
export const RoutingSchema = Type.Object({ ...header, operations: Type.Array(OperationSchema) }, { $id: 'Routing' });
export type Routing = Static<typeof RoutingSchema>;
export const RoutingSummarySchema = Type.Object({ ...header, operationCount: Type.Integer() }, { $id: 'RoutingSummary' });
export type RoutingSummary = Static<typeof RoutingSummarySchema>;
export const RoutingPageSchema = Page(Type.Ref(RoutingSummarySchema), 'RoutingPage');

const WorkCentreRef = { workCentreId: Type.Optional(Uuid()), workCentreCode: Type.Optional(Code('Work centre code')) };
export const OperationInput = Type.Object(
  {
    seq: Type.Integer({ minimum: 1, maximum: 9999 }),
    name: Type.String({ minLength: 1, maxLength: 100 }),
    description: Type.Optional(Type.String({ maxLength: 1000 })),
    ...WorkCentreRef,
    setupMinutes: Type.Optional(Minutes('Setup per order; default 0')),
    runMinutes: Minutes('Run time per base unit of the product'),
    queueMinutes: Type.Optional(Minutes('Queue before; default 0')),
    moveMinutes: Type.Optional(Minutes('Move after; default 0')),
    inspectionPoint: Type.Optional(Type.Boolean()),
    inspectionText: Type.Optional(Type.String({ maxLength: 1000, description: 'What to inspect; an inspection point needs this or inspectionRef' })),
    inspectionRef: Type.Optional(Type.String({ maxLength: 64, description: "The quality module's inspection plan" })),
    alternates: Type.Optional(Type.Array(
      Type.Object({ ...WorkCentreRef, priority: Type.Optional(Type.Integer({ minimum: 1, maximum: 99 })), setupMinutes: Type.Optional(Minutes('Setup there')), runMinutes: Type.Optional(Minutes('Run time there')) }, { additionalProperties: false }),
      { maxItems: 10, description: 'Work centres that may do it instead, by priority (default: in the order given)' },
    )),
  },
  { additionalProperties: false },
);
export type OperationInput = Static<typeof OperationInput>;

export const CreateRoutingBody = Type.Object(
  {
    code: Code('Routing code: a new routing, or a new revision of the routing with this code'),
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'Required for a new routing; renames an existing one' })),
    effectiveFrom: Type.Optional(DateOnly('Default: today')),
    effectiveTo: Type.Optional(DateOnly('Exclusive; default open-ended')),
    remark: Type.Optional(Type.String({ maxLength: 500 })),
    operations: Type.Array(OperationInput, { maxItems: 200 }),
  },
  { additionalProperties: false },
);
export type CreateRoutingInput = Static<typeof CreateRoutingBody>;

export const UpdateRoutingBody = Type.Object(
  {
    version: Type.Integer({ minimum: 1 }),
    effectiveFrom: Type.Optional(DateOnly()),
    effectiveTo: Type.Optional(Nullable(DateOnly())),
    remark: Type.Optional(Type.String({ maxLength: 500 })),
    operations: Type.Optional(Type.Array(OperationInput, { maxItems: 200, description: 'The complete new list' })),
  },
  { additionalProperties: false },
);
export type UpdateRoutingInput = Static<typeof UpdateRoutingBody>;

export const RoutingListQuery = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
    cursor: Type.Optional(Type.String({ maxLength: 200 })),
    code: Type.Optional(Type.String({ maxLength: 64, description: 'Revisions of this routing' })),
    status: Type.Optional(Lit(...VERSION_STATUSES)),
    workCentreId: Type.Optional(Uuid('Routings with an operation at this work centre')),
  },
  { additionalProperties: false },
);
export type RoutingListQuery = Static<typeof RoutingListQuery>;
