/** Schemas of dispatching (S1-5.4.4-j): re-sequencing and reassigning order operations, the dispatch list, the change history. */
import { Type, type Static } from '@sinclair/typebox';
import { Page, Timestamp, Uuid } from '../../platform/schemas.js';
import { DateOnly, Lit, Nullable } from './common.js';

export const DISPATCH_CAUSES = ['progress', 'status', 'demand_change', 'rework', 'other'] as const;

export const DispatchBody = Type.Object(
  {
    workCentreId: Type.Optional(Uuid('Reassign to this work centre: the current one or one of the operation\'s alternates')),
    workCentreCode: Type.Optional(Type.String({ maxLength: 64 })),
    stationId: Type.Optional(Nullable(Uuid('A station of the (new) work centre; null: none'))),
    stationCode: Type.Optional(Type.String({ maxLength: 64 })),
    dispatchSeq: Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: 1000000, description: "Place in the work centre's queue (1 first); null: by planned start, priority and due date" }))),
    cause: Lit(...DISPATCH_CAUSES),
    reason: Type.String({ minLength: 1, maxLength: 500, description: 'Why: every change is on the record' }),
  },
  { additionalProperties: false },
);
export type DispatchInput = Static<typeof DispatchBody>;

const Placement = Type.Object({
  workCentreId: Uuid(), workCentreCode: Type.String(), stationId: Nullable(Uuid()), dispatchSeq: Nullable(Type.Integer()), setupMinutes: Type.String(),
  runMinutes: Type.String(), plannedMinutes: Type.String(),
});

export const DispatchChangeSchema = Type.Object(
  {
    id: Uuid(), orderId: Uuid(), orderDocNo: Type.String(), operationSeq: Type.Integer(), cause: Lit(...DISPATCH_CAUSES), reason: Type.String(),
    before: Placement, after: Placement, changedBy: Type.String(), createdAt: Timestamp(),
  },
  { $id: 'ProductionDispatchChange' },
);
export type DispatchChange = Static<typeof DispatchChangeSchema>;
export const DispatchChangePageSchema = Page(Type.Ref(DispatchChangeSchema), 'ProductionDispatchChangePage');

export const DispatchListQuery = Type.Object(
  { workCentreId: Type.Optional(Uuid()), workCentreCode: Type.Optional(Type.String({ maxLength: 64 })) },
  { additionalProperties: false },
);
export const DispatchListSchema = Type.Object(
  {
    workCentreId: Uuid(),
    workCentreCode: Type.String(),
    items: Type.Array(Type.Object({
      orderId: Uuid(), orderDocNo: Type.String(), orderStatus: Type.String(), priority: Type.Integer(), dueDate: Nullable(DateOnly()), materialCode: Type.String(),
      operationSeq: Type.Integer(), operationName: Type.String(), status: Lit('pending', 'in_progress', 'paused', 'completed'), stationId: Nullable(Uuid()),
      dispatchSeq: Nullable(Type.Integer()), plannedStart: Nullable(Timestamp()), plannedMinutes: Type.String(), goodQuantity: Type.String(), orderQuantity: Type.String(),
    })),
  },
  { $id: 'ProductionDispatchList' },
);
export type DispatchList = Static<typeof DispatchListSchema>;
