import { Type, type Static } from '@sinclair/typebox';
import { Timestamp, Uuid } from '../../platform/schemas.js';
import { DateOnly, Lit, Nullable } from './common.js';

const Quantity = (description: string) => Type.String({ description: `${description}; in the product's base unit, a decimal string` });

export const ProgressQuery = Type.Object({
  workshopId: Type.Optional(Uuid('Only this workshop')),
  workshopCode: Type.Optional(Type.String({ minLength: 1, maxLength: 40, description: 'Only this workshop, by code' })),
  lineId: Type.Optional(Uuid('Only orders of this production line')),
  lineCode: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'Only orders of this production line, by code' })),
  asOf: Type.Optional(DateOnly('The day an order is late after (its planned finish is before it); default today (UTC)')),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100, description: 'How many open orders to list, late ones first' })),
});
export type ProgressQuery = Static<typeof ProgressQuery>;

const OperationCounts = Type.Object({
  pending: Type.Integer(),
  inProgress: Type.Integer(),
  paused: Type.Integer(),
  completed: Type.Integer(),
});

const WorkCentreProgress = Type.Object({
  workCentreId: Uuid(),
  workCentreCode: Type.String(),
  operations: OperationCounts,
});

const WorkshopProgress = Type.Object({
  workshopId: Nullable(Uuid('null: orders without a workshop')),
  workshopCode: Nullable(Type.String()),
  workshopName: Nullable(Type.String()),
  openOrders: Type.Integer({ description: 'Released and in-progress orders' }),
  lateOrders: Type.Integer({ description: 'Open orders whose planned finish is before asOf' }),
  operations: OperationCounts,
  workCentres: Type.Array(WorkCentreProgress),
});

const OperationProgress = Type.Object({
  seq: Type.Integer(),
  name: Type.String(),
  workCentreId: Uuid(),
  workCentreCode: Type.String(),
  status: Lit('pending', 'in_progress', 'paused', 'completed'),
  planned: Quantity("The order's quantity"),
  good: Quantity('Reported good'),
  scrap: Quantity('Reported scrap'),
  pendingInspection: Quantity('Reported, waiting for inspection'),
  remaining: Quantity('Planned less good, scrap and pending inspection; 0 when more was reported'),
  plannedStart: Nullable(Timestamp()),
  plannedFinish: Nullable(Timestamp()),
  actualStart: Nullable(Timestamp()),
  stationId: Nullable(Uuid('Where the last start/pause/resume/end or report was recorded, else the station it is dispatched to')),
  stationCode: Nullable(Type.String()),
  operator: Nullable(Type.String({ description: 'Who recorded the last operation event or report' })),
  since: Nullable(Timestamp('When the operation reached its status (the last event)')),
});

export const OrderProgressSchema = Type.Object(
  {
    orderId: Uuid(),
    docNo: Type.String(),
    status: Lit('released', 'in_progress'),
    materialId: Uuid(),
    materialCode: Type.String(),
    baseUnit: Type.String(),
    quantity: Quantity('Ordered'),
    received: Quantity('Received into stock'),
    workshopId: Nullable(Uuid()),
    workshopCode: Nullable(Type.String()),
    lineId: Nullable(Uuid('The production line the order runs on')),
    lineCode: Nullable(Type.String()),
    plannedStart: DateOnly(),
    plannedFinish: DateOnly(),
    dueDate: Nullable(DateOnly()),
    late: Type.Boolean({ description: 'Planned finish before asOf' }),
    daysLate: Type.Integer({ description: 'Days past the planned finish as of asOf; 0 when not late' }),
    operations: Type.Array(OperationProgress),
  },
  { $id: 'ProductionOrderProgress' },
);

const ActiveOperation = Type.Object({
  orderId: Uuid(),
  docNo: Type.String(),
  workshopId: Nullable(Uuid()),
  lineId: Nullable(Uuid()),
  lineCode: Nullable(Type.String()),
  ...OperationProgress.properties,
});

export const ProgressSchema = Type.Object(
  {
    asOf: DateOnly(),
    generatedAt: Timestamp(),
    lastSeq: Type.Integer({ description: "The tenant's newest event when this was read: open the feed with after=lastSeq to get every change since, none twice" }),
    workshops: Type.Array(WorkshopProgress),
    active: Type.Array(ActiveOperation, { description: 'Operations in progress or paused, with station and operator' }),
    orders: Type.Array(Type.Ref(OrderProgressSchema), { description: 'Open orders, late ones first, then by planned finish' }),
    truncated: Type.Boolean({ description: 'More open orders than limit' }),
  },
  { $id: 'ProductionProgress' },
);
export type ProductionProgress = Static<typeof ProgressSchema>;
export type OrderProgress = Static<typeof OrderProgressSchema>;
export type OperationProgress = Static<typeof OperationProgress>;

export const FeedQuery = Type.Object({
  after: Type.Optional(Type.Integer({ minimum: 0, description: 'Start after this seq (lastSeq of GET /v1/production-progress); default: the Last-Event-ID header, else from now on' })),
  workshopId: Type.Optional(Uuid("Only this workshop's events")),
});
