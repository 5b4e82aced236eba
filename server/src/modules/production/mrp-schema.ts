import { Type, type Static } from '@sinclair/typebox';
import { Page, Timestamp, Uuid } from '../../platform/schemas.js';
import { Quantity } from '../masterdata/schema.js';
import { Code } from '../plant/schema.js';
import { DateOnly, Lit, Nullable } from './common.js';

// ---------------------------------------------------------------- planning parameters

const PositiveQty = (description: string) => Quantity(`${description}; base unit, greater than 0`);

export const MaterialPlanningSchema = Type.Object({
  materialId: Uuid(),
  materialCode: Type.String(),
  baseUnit: Type.String(),
  procurement: Nullable(Lit('make', 'buy')),
  effectiveProcurement: Lit('make', 'buy'),
  leadTimeDays: Nullable(Type.Integer()),
  lotSizing: Lit('lot_for_lot', 'fixed', 'min_multiple'),
  fixedLot: Nullable(Type.String()),
  minLot: Nullable(Type.String()),
  lotMultiple: Nullable(Type.String()),
  version: Type.Integer({ description: '0 while the material has only the defaults' }),
}, { $id: 'MaterialPlanning' });
export type MaterialPlanning = Static<typeof MaterialPlanningSchema>;

export const PutMaterialPlanningBody = Type.Object({
  version: Type.Integer({ minimum: 0, description: 'The version you read (0: no parameters yet)' }),
  procurement: Type.Optional(Nullable(Lit('make', 'buy'))),
  leadTimeDays: Type.Optional(Nullable(Type.Integer({ minimum: 0, maximum: 3650, description: "Calendar days; null: a bought material takes its preferred supplier's" }))),
  lotSizing: Type.Optional(Lit('lot_for_lot', 'fixed', 'min_multiple')),
  fixedLot: Type.Optional(Nullable(PositiveQty('Lot size of fixed lot sizing'))),
  minLot: Type.Optional(Nullable(PositiveQty('Smallest lot of min_multiple'))),
  lotMultiple: Type.Optional(Nullable(PositiveQty('Lots of min_multiple are multiples of this'))),
}, { additionalProperties: false });
export type PutMaterialPlanningInput = Static<typeof PutMaterialPlanningBody>;

// ---------------------------------------------------------------- MRP runs (S1-5.4.4-k, S1-5.4.1-f)

export const RunMrpBody = Type.Object({
  asOf: Type.Optional(DateOnly('Planning date: lead-time offsets before it are late, safety stock is due on it; default today')),
  salesOrders: Type.Optional(Type.Boolean({ description: 'Plan for open sales order lines (default true)' })),
  safetyStock: Type.Optional(Type.Boolean({ description: 'Plan for safety-stock shortfalls (default true)' })),
  tasks: Type.Optional(Type.Array(Type.Object({
    materialId: Type.Optional(Uuid()),
    materialCode: Type.Optional(Code('Material')),
    quantity: Quantity('Positive, in unit'),
    unit: Type.Optional(Type.String({ maxLength: 16, description: "Default: the material's base unit" })),
    dueDate: DateOnly(),
    reference: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    mtoNo: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  }, { additionalProperties: false }), { maxItems: 10000, description: 'Production tasks entered by hand' })),
}, { additionalProperties: false });
export type RunMrpInput = Static<typeof RunMrpBody>;

const runHead = {
  id: Uuid(),
  docNo: Type.String(),
  asOf: Type.String({ format: 'date' }),
  inputs: Type.Unknown({ description: 'What the run was asked, as given' }),
  inputDigest: Type.String({ description: 'SHA-256 of the demand, stock, supply, structure and parameters the run read' }),
  resultDigest: Type.String({ description: 'SHA-256 of the planned orders and pegs: equal for runs on the same data' }),
  materialCount: Type.Integer({ description: 'Materials netted' }),
  demandCount: Type.Integer(),
  plannedCount: Type.Integer(),
  durationMs: Type.Integer(),
  createdBy: Type.String(),
  createdAt: Timestamp(),
};
export const MrpRunSummarySchema = Type.Object(runHead, { $id: 'MrpRunSummary' });
export type MrpRunSummary = Static<typeof MrpRunSummarySchema>;
export const MrpRunPageSchema = Page(Type.Ref(MrpRunSummarySchema), 'MrpRunPage');

export const PegSchema = Type.Object({
  demandSeq: Type.Integer(),
  quantity: Type.String(),
  dueDate: Type.String({ format: 'date' }),
  source: Lit('sales_order_line', 'task', 'safety_stock', 'production_order', 'planned_order'),
  sourceId: Nullable(Uuid('The sales order line or production order')),
  sourceRef: Type.String({ description: 'Sales order number and line, task reference, production order number, or the parent planned order ("FAN-A #1")' }),
  mtoNo: Nullable(Type.String()),
  parentLineNo: Nullable(Type.Integer({ description: 'The planned order of this run whose component demand this is' })),
});

export const PlannedOrderSchema = Type.Object({
  lineNo: Type.Integer(),
  kind: Lit('make', 'buy'),
  materialId: Uuid(),
  materialCode: Type.String(),
  baseUnit: Type.String(),
  level: Type.Integer({ description: 'Low-level code' }),
  quantity: Type.String({ description: 'Base unit, after lot sizing' }),
  startDate: Type.String({ format: 'date', description: 'Due date − lead time' }),
  dueDate: Type.String({ format: 'date' }),
  late: Type.Boolean({ description: 'The start falls before the run date' }),
  mtoNo: Nullable(Type.String()),
  salesOrderLineId: Nullable(Uuid()),
  supplierId: Nullable(Uuid('Preferred supplier of a purchase suggestion')),
  firmedId: Nullable(Uuid('The production order or purchase order it became')),
  firmedDocNo: Nullable(Type.String()),
  firmedBy: Nullable(Type.String()),
  firmedAt: Nullable(Timestamp()),
  pegs: Type.Array(PegSchema),
});
export type PlannedOrderView = Static<typeof PlannedOrderSchema>;

export const NettingSchema = Type.Object({
  materialId: Uuid(),
  materialCode: Type.String(),
  baseUnit: Type.String(),
  level: Type.Integer(),
  procurement: Lit('make', 'buy'),
  gross: Type.String(),
  onHand: Type.String(),
  openSupply: Type.String(),
  safetyStock: Type.String(),
  net: Type.String({ description: 'max(0, gross + safety stock − on hand − open supply)' }),
  planned: Type.String({ description: 'Sum of the planned orders (lot sizing may exceed net)' }),
});

export const MrpRunSchema = Type.Object({
  ...runHead,
  netting: Type.Array(NettingSchema),
  plannedOrders: Type.Array(PlannedOrderSchema),
  rescheduleMessages: Type.Array(Type.Object({
    materialId: Uuid(),
    materialCode: Type.String(),
    action: Lit('reschedule_in', 'reschedule_out'),
    supplyKind: Lit('purchase_order', 'production_order'),
    supplyRef: Type.String({ description: 'Purchase order number/line, or production order number' }),
    supplyDate: Type.String({ format: 'date', description: 'When it comes: the line\'s need date, the order\'s planned finish' }),
    neededBy: Type.String({ format: 'date', description: 'The earliest need it covers: bring it in (or move it out) to this day' }),
    demandRef: Type.Optional(Type.String({ description: 'The demand that need is (sales order/line, task reference, planned order `CODE #line`, production order); absent on runs recorded before it was kept' })),
    quantity: Type.String({ description: 'reschedule_in: how much of it is needed before it comes; reschedule_out: its whole open quantity (it moves); base unit' }),
  }), { description: 'Open supply dated later than the first need it covers (reschedule_in) or earlier than every need it covers (reschedule_out); all of them, whatever the filters' }),
  truncated: Type.Boolean({ description: 'More planned orders than `limit`' }),
}, { $id: 'MrpRun' });
export type MrpRun = Static<typeof MrpRunSchema>;

export const MrpRunQuery = Type.Object({
  kind: Type.Optional(Lit('make', 'buy')),
  materialId: Type.Optional(Uuid()),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 5000, default: 500, description: 'Planned orders and netting rows shown' })),
}, { additionalProperties: false });
export type MrpRunQuery = Static<typeof MrpRunQuery>;

export const MrpRunListQuery = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
  cursor: Type.Optional(Type.String({ maxLength: 200 })),
}, { additionalProperties: false });

export const FirmBody = Type.Object({
  lineNos: Type.Array(Type.Integer({ minimum: 1 }), { minItems: 1, maxItems: 1000, uniqueItems: true, description: 'Planned orders of the run to firm' }),
}, { additionalProperties: false });

export const FirmResultSchema = Type.Object({
  productionOrders: Type.Array(Type.Object({ lineNos: Type.Array(Type.Integer()), id: Uuid(), docNo: Type.String() })),
  purchaseOrders: Type.Array(Type.Object({ lineNos: Type.Array(Type.Integer()), id: Uuid(), docNo: Type.String(), supplierId: Uuid() })),
}, { $id: 'MrpFirmResult' });
export type FirmResult = Static<typeof FirmResultSchema>;

// ---------------------------------------------------------------- kitting (齐套)

export const KittingBody = Type.Object({
  orderIds: Type.Array(Uuid(), { minItems: 1, maxItems: 2000, uniqueItems: true, description: 'Released or running orders, in the sequence they take free stock' }),
}, { additionalProperties: false });

export const KittingSchema = Type.Object({
  asOf: Type.String({ format: 'date' }),
  allocated: Type.Boolean({ description: 'Free stock was allocated to the orders (POST …/allocate)' }),
  orders: Type.Array(Type.Object({
    orderId: Uuid(),
    docNo: Type.String(),
    status: Type.String(),
    kitRate: Type.String({ description: 'Percent of kitting components fully covered, 2 decimals (rounded down)' }),
    kitted: Type.Boolean(),
    earliestKitDate: Nullable(Type.String({ format: 'date', description: 'When open supply covers every shortage; null when it never does' })),
    components: Type.Array(Type.Object({
      componentId: Uuid(),
      lineNo: Type.Integer(),
      materialId: Uuid(),
      materialCode: Type.String(),
      baseUnit: Type.String(),
      required: Type.String({ description: 'Still to be issued: required − issued − backflushed + returned' }),
      allocated: Type.String({ description: 'Allocated to this component' }),
      available: Type.String({ description: 'Free stock it can take: ledger balance − allocations − what earlier orders of the set took' }),
      shortage: Type.String({ description: 'Left uncovered after its own material and its substitutes' }),
      earliestDate: Nullable(Type.String({ format: 'date' })),
      substitutes: Type.Array(Type.Object({
        materialId: Uuid(),
        materialCode: Type.String(),
        baseUnit: Type.String(),
        priority: Type.Integer(),
        available: Type.String({ description: 'Free stock of the substitute before this component took any, its base unit' }),
        allocated: Type.String({ description: 'Of the substitute allocated to this component' }),
        quantity: Type.String({ description: 'Of the substitute this component takes (allocated, then free), its base unit, whole base units' }),
        covers: Type.String({ description: 'What that covers of the component, component base unit (usage ratio)' }),
      }), { description: 'Alternates of the BOM line that cover what its own material cannot, by priority' }),
    })),
  })),
  shortages: Type.Array(Type.Object({
    materialId: Uuid(),
    materialCode: Type.String(),
    baseUnit: Type.String(),
    shortfall: Type.String({ description: 'What its own stock (allocated and free) leaves uncovered' }),
    shortage: Type.String({ description: 'What is left short after substitutes' }),
    orders: Type.Array(Type.String({ description: 'Order numbers short of it' })),
    substitutes: Type.Array(Type.Object({
      materialId: Uuid(),
      materialCode: Type.String(),
      baseUnit: Type.String(),
      quantity: Type.String({ description: 'Of the substitute taken, its base unit' }),
      covers: Type.String({ description: 'Of the material covered by it' }),
      orders: Type.Array(Type.String()),
    })),
  }), { description: 'Materials whose own stock falls short for the orders: what substitutes cover, what stays short' }),
}, { $id: 'Kitting' });
export type Kitting = Static<typeof KittingSchema>;

// ---------------------------------------------------------------- finite-capacity scheduling

export const ScheduleBody = Type.Object({
  orderIds: Type.Optional(Type.Array(Uuid(), { minItems: 1, maxItems: 2000, uniqueItems: true, description: 'Default: every released and running order' })),
  direction: Type.Optional(Lit('forward', 'backward')),
  from: Type.Optional(DateOnly('Nothing is scheduled before this day; default today')),
  horizonDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 366, description: 'Days of capacity looked at from `from` (default 90)' })),
}, { additionalProperties: false });
export type ScheduleInput = Static<typeof ScheduleBody>;

export const ScheduleSchema = Type.Object({
  direction: Lit('forward', 'backward'),
  from: Type.String({ format: 'date' }),
  to: Type.String({ format: 'date' }),
  orders: Type.Array(Type.Object({
    orderId: Uuid(),
    docNo: Type.String(),
    priority: Type.Integer(),
    dueDate: Type.String({ format: 'date', description: 'The due date, else the planned finish' }),
    start: Nullable(Type.String({ format: 'date' })),
    finish: Nullable(Type.String({ format: 'date' })),
    late: Type.Boolean({ description: 'Finishes after its due date, or could not be placed' }),
    operations: Type.Array(Type.Object({
      seq: Type.Integer(),
      name: Type.String(),
      workCentreId: Uuid(),
      workCentreCode: Type.String(),
      minutes: Type.String({ description: 'Load: setup + run × quantity, capacity minutes' }),
      start: Nullable(Type.String({ format: 'date' })),
      finish: Nullable(Type.String({ format: 'date' })),
      startAt: Nullable(Type.String({ format: 'date-time', description: 'Start at shift resolution: where in its first day\'s shifts its load begins (UTC)' })),
      finishAt: Nullable(Type.String({ format: 'date-time', description: 'Finish at shift resolution: where in its last day\'s shifts its load ends (UTC)' })),
      days: Type.Array(Type.Object({ date: Type.String({ format: 'date' }), minutes: Type.String() })),
      unscheduledMinutes: Type.String({ description: 'Load that found no capacity in the horizon (an overload)' }),
    })),
  })),
  overloads: Type.Array(Type.Object({
    docNo: Type.String(),
    seq: Type.Integer(),
    workCentreCode: Type.String(),
    minutes: Type.String(),
    reason: Lit('beyond_horizon', 'before_from'),
  }), { description: 'Load the calendars could not take: never silently dropped' }),
}, { $id: 'ProductionSchedule' });
export type Schedule = Static<typeof ScheduleSchema>;

export const AppliedScheduleSchema = Type.Object({
  ...ScheduleSchema.properties,
  applied: Type.Object({
    orders: Type.Integer({ description: 'Orders whose planned start and finish changed' }),
    operations: Type.Integer({ description: 'Operations given a planned start and finish' }),
  }),
}, { $id: 'AppliedProductionSchedule' });
