import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { Page, Timestamp, Uuid } from '../../platform/schemas.js';

const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const Lit = <T extends string>(...v: T[]) => Type.Union(v.map((x) => Type.Literal(x)));
export const Code = (description: string) => Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9._/-]{0,63}$', description });
const Name = Type.String({ minLength: 1, maxLength: 200 });
const Status = Lit('active', 'blocked');
const ClockTime = (description: string) => Type.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$', description });
const DateOnly = (description?: string) => Type.String({ format: 'date', description });
export const CAPACITY_UNITS = ['machine_hours', 'labour_hours'] as const;

// ---------------------------------------------------------------- calendars

const ShiftFields = {
  name: Type.Optional(Type.String({ maxLength: 50, description: 'e.g. "Day", "Night"' })),
  start: ClockTime('Local time the shift starts, HH:MM'),
  end: ClockTime('Local time it ends; not after start means the next day (a night shift counts on the day it starts)'),
  breakMinutes: Type.Optional(Type.Integer({ minimum: 0, maximum: 1440, description: 'Unpaid breaks within the shift; default 0' })),
};
export const WeeklyShiftInput = Type.Object({ weekday: Type.Integer({ minimum: 1, maximum: 7, description: '1 = Monday … 7 = Sunday' }), ...ShiftFields }, { additionalProperties: false });
export const ShiftInput = Type.Object(ShiftFields, { additionalProperties: false });
export const CalendarExceptionInput = Type.Object(
  {
    date: DateOnly(),
    reason: Type.Optional(Type.String({ maxLength: 200, description: 'e.g. "National Day", "make-up working day"' })),
    shifts: Type.Array(ShiftInput, { maxItems: 10, description: 'The shifts worked that day instead of its weekday\'s; empty: a holiday' }),
  },
  { additionalProperties: false },
);

const ShiftSchema = Type.Object({
  shiftNo: Type.Integer(),
  name: Type.String(),
  start: Type.String(),
  end: Type.String(),
  breakMinutes: Type.Integer(),
  minutes: Type.Integer({ description: 'Working minutes: end − start (over midnight when end is not after start) − breaks' }),
});
export type Shift = Static<typeof ShiftSchema>;

export const CalendarSchema = Type.Object(
  {
    id: Uuid(),
    code: Type.String(),
    name: Type.String(),
    weekly: Type.Array(Type.Object({ weekday: Type.Integer(), shifts: Type.Array(ShiftSchema) }), { description: 'Monday to Sunday' }),
    exceptions: Type.Array(Type.Object({ date: Type.String({ format: 'date' }), reason: Type.String(), shifts: Type.Array(ShiftSchema) })),
    version: Type.Integer(),
    createdAt: Timestamp(),
    updatedAt: Timestamp(),
  },
  { $id: 'Calendar' },
);
export type Calendar = Static<typeof CalendarSchema>;
export const CalendarSummarySchema = Type.Object({ id: Uuid(), code: Type.String(), name: Type.String(), version: Type.Integer() }, { $id: 'CalendarSummary' });
export const CalendarPageSchema = Page(Type.Ref(CalendarSummarySchema), 'CalendarPage');

export const CreateCalendarBody = Type.Object(
  {
    code: Code('Calendar code'),
    name: Name,
    shifts: Type.Array(WeeklyShiftInput, { maxItems: 70, description: 'The weekly pattern; a weekday without shifts is not worked' }),
    exceptions: Type.Optional(Type.Array(CalendarExceptionInput, { maxItems: 1000 })),
  },
  { additionalProperties: false },
);
export type CreateCalendarInput = Static<typeof CreateCalendarBody>;
export const UpdateCalendarBody = Type.Object(
  {
    version: Type.Integer({ minimum: 1 }),
    name: Type.Optional(Name),
    shifts: Type.Optional(Type.Array(WeeklyShiftInput, { maxItems: 70, description: 'The complete new weekly pattern' })),
    exceptions: Type.Optional(Type.Array(CalendarExceptionInput, { maxItems: 1000, description: 'The complete new list of exceptions' })),
  },
  { additionalProperties: false },
);
export type UpdateCalendarInput = Static<typeof UpdateCalendarBody>;

// ---------------------------------------------------------------- plant, workshops, lines, work centres, stations

const calendarRef = {
  calendarId: Nullable(Uuid('Its own calendar; null: its parent\'s')),
  calendarCode: Nullable(Type.String()),
};
const common = { id: Uuid(), code: Type.String(), name: Type.String(), status: Status, version: Type.Integer(), createdAt: Timestamp() };

export const WorkCentreSchema = Type.Object(
  {
    ...common,
    workshopId: Uuid(),
    workshopCode: Type.String(),
    lineId: Nullable(Uuid()),
    lineCode: Nullable(Type.String()),
    capacityUnit: Lit(...CAPACITY_UNITS),
    parallelCount: Type.Integer({ description: 'Identical machines (machine hours) or people (labour hours) working in parallel' }),
    efficiency: Type.String({ description: 'Percent of calendar time that is productive, e.g. "85"' }),
    ...calendarRef,
    effectiveCalendarId: Uuid("The calendar its capacity comes from: its own, else its line's, workshop's or plant's"),
    effectiveCalendarCode: Type.String(),
  },
  { $id: 'WorkCentre' },
);
export type WorkCentre = Static<typeof WorkCentreSchema>;
export const WorkCentrePageSchema = Page(Type.Ref(WorkCentreSchema), 'WorkCentrePage');

export const StationSchema = Type.Object({ ...common, workCentreId: Uuid(), workCentreCode: Type.String() }, { $id: 'Station' });
export type Station = Static<typeof StationSchema>;
export const StationPageSchema = Page(Type.Ref(StationSchema), 'StationPage');

export const ProductionLineSchema = Type.Object({ ...common, workshopId: Uuid(), workshopCode: Type.String(), ...calendarRef }, { $id: 'ProductionLine' });
export type ProductionLine = Static<typeof ProductionLineSchema>;
export const ProductionLinePageSchema = Page(Type.Ref(ProductionLineSchema), 'ProductionLinePage');

export const WorkshopSchema = Type.Object({ ...common, plantId: Uuid(), plantCode: Type.String(), ...calendarRef }, { $id: 'Workshop' });
export type Workshop = Static<typeof WorkshopSchema>;
export const WorkshopPageSchema = Page(Type.Ref(WorkshopSchema), 'WorkshopPage');

const plantFields = {
  ...common,
  address: Type.String(),
  timeZone: Type.String({ description: 'IANA time zone of its shift times, e.g. Asia/Shanghai' }),
  calendarId: Uuid(),
  calendarCode: Type.String(),
};
export const PlantSummarySchema = Type.Object(plantFields, { $id: 'PlantSummary' });
export type PlantSummary = Static<typeof PlantSummarySchema>;
export const PlantPageSchema = Page(Type.Ref(PlantSummarySchema), 'PlantPage');
export const PlantSchema = Type.Object(
  {
    ...plantFields,
    workshops: Type.Array(
      Type.Object({
        id: Uuid(), code: Type.String(), name: Type.String(), status: Status,
        lines: Type.Array(Type.Object({ id: Uuid(), code: Type.String(), name: Type.String(), status: Status })),
        workCentres: Type.Array(Type.Object({
          id: Uuid(), code: Type.String(), name: Type.String(), status: Status, lineId: Nullable(Uuid()), capacityUnit: Lit(...CAPACITY_UNITS),
          parallelCount: Type.Integer(), stations: Type.Array(Type.Object({ id: Uuid(), code: Type.String(), name: Type.String(), status: Status })),
        })),
      }),
      { description: 'The plant model under it: workshops, their lines, their work centres (each on its line or the workshop) and stations' },
    ),
  },
  { $id: 'Plant' },
);
export type Plant = Static<typeof PlantSchema>;

const CalendarInput = { calendarId: Type.Optional(Uuid()), calendarCode: Type.Optional(Code('Calendar code')) };
const UpdateCalendarRef = { calendarId: Type.Optional(Nullable(Uuid('null: use the parent\'s'))) };

export const CreatePlantBody = Type.Object(
  { code: Code('Plant code'), name: Name, address: Type.Optional(Type.String({ maxLength: 500 })), timeZone: Type.Optional(Type.String({ maxLength: 64, description: 'Default Asia/Shanghai' })), ...CalendarInput },
  { additionalProperties: false },
);
export const CreateWorkshopBody = Type.Object(
  { code: Code('Workshop code'), name: Name, plantId: Type.Optional(Uuid()), plantCode: Type.Optional(Code('Plant code')), ...CalendarInput },
  { additionalProperties: false },
);
export const CreateProductionLineBody = Type.Object(
  { code: Code('Line code'), name: Name, workshopId: Type.Optional(Uuid()), workshopCode: Type.Optional(Code('Workshop code')), ...CalendarInput },
  { additionalProperties: false },
);
export const CreateWorkCentreBody = Type.Object(
  {
    code: Code('Work centre code'),
    name: Name,
    workshopId: Type.Optional(Uuid()),
    workshopCode: Type.Optional(Code('Workshop code')),
    lineId: Type.Optional(Uuid('The line it belongs to, in its workshop; omit for a workshop-wide work centre')),
    lineCode: Type.Optional(Code('Line code')),
    capacityUnit: Lit(...CAPACITY_UNITS),
    parallelCount: Type.Optional(Type.Integer({ minimum: 1, maximum: 10000, description: 'Default 1' })),
    efficiency: Type.Optional(Type.String({ pattern: '^(200(\\.0+)?|1[0-9]{2}(\\.[0-9]{1,2})?|[1-9]?[0-9](\\.[0-9]{1,2})?)$', description: 'Percent, above 0 and at most 200; default "100"' })),
    ...CalendarInput,
  },
  { additionalProperties: false },
);
export const CreateStationBody = Type.Object(
  { code: Code('Station code'), name: Name, workCentreId: Type.Optional(Uuid()), workCentreCode: Type.Optional(Code('Work centre code')) },
  { additionalProperties: false },
);
export type CreatePlantInput = Static<typeof CreatePlantBody>;
export type CreateWorkshopInput = Static<typeof CreateWorkshopBody>;
export type CreateProductionLineInput = Static<typeof CreateProductionLineBody>;
export type CreateWorkCentreInput = Static<typeof CreateWorkCentreBody>;
export type CreateStationInput = Static<typeof CreateStationBody>;

const updateCommon = { version: Type.Integer({ minimum: 1 }), name: Type.Optional(Name), status: Type.Optional(Status) };
export const UpdatePlantBody = Type.Object(
  { ...updateCommon, address: Type.Optional(Type.String({ maxLength: 500 })), timeZone: Type.Optional(Type.String({ maxLength: 64 })), calendarId: Type.Optional(Uuid()) },
  { additionalProperties: false },
);
export const UpdateLevelBody = Type.Object({ ...updateCommon, ...UpdateCalendarRef }, { additionalProperties: false });
export const UpdateStationBody = Type.Object(updateCommon, { additionalProperties: false });
export const UpdateWorkCentreBody = Type.Object(
  {
    ...updateCommon,
    ...UpdateCalendarRef,
    capacityUnit: Type.Optional(Lit(...CAPACITY_UNITS)),
    parallelCount: Type.Optional(Type.Integer({ minimum: 1, maximum: 10000 })),
    efficiency: CreateWorkCentreBody.properties.efficiency,
  },
  { additionalProperties: false },
);
export type UpdatePlantInput = Static<typeof UpdatePlantBody>;
export type UpdateLevelInput = Static<typeof UpdateLevelBody>;
export type UpdateWorkCentreInput = Static<typeof UpdateWorkCentreBody>;

export const PlantListQuery = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
    cursor: Type.Optional(Type.String({ maxLength: 200 })),
    plantId: Type.Optional(Uuid('Workshops of this plant')),
    workshopId: Type.Optional(Uuid('Lines or work centres of this workshop')),
    lineId: Type.Optional(Uuid('Work centres of this line')),
    workCentreId: Type.Optional(Uuid('Stations of this work centre')),
    status: Type.Optional(Status),
  },
  { additionalProperties: false },
);
export type PlantListQuery = Static<typeof PlantListQuery>;

// ---------------------------------------------------------------- capacity

export const CapacityQuery = Type.Object(
  { from: DateOnly('First day'), to: DateOnly('Last day (inclusive); at most 366 days after from') },
  { additionalProperties: false },
);

export const CapacityDaySchema = Type.Object({
  date: Type.String({ format: 'date' }),
  exception: Nullable(Type.String({ description: 'The reason, when the date has an exception' })),
  shifts: Type.Array(Type.Object({
    shiftNo: Type.Integer(), name: Type.String(),
    start: Type.String({ description: 'Local date-time, YYYY-MM-DDTHH:MM' }),
    end: Type.String({ description: 'Local date-time; the next day for a night shift' }),
    minutes: Type.Integer(),
  })),
  shiftMinutes: Type.Integer({ description: 'Working minutes of the calendar that day' }),
  capacityMinutes: Type.String({ description: 'shiftMinutes × parallelCount × efficiency / 100, exact' }),
  capacityHours: Type.String({ description: 'capacityMinutes / 60, to 4 decimals (half up); plan in minutes for exact sums' }),
});
export type CapacityDay = Static<typeof CapacityDaySchema>;

export const CapacitySchema = Type.Object(
  {
    workCentreId: Uuid(),
    workCentreCode: Type.String(),
    capacityUnit: Lit(...CAPACITY_UNITS),
    parallelCount: Type.Integer(),
    efficiency: Type.String(),
    calendarId: Uuid(),
    calendarCode: Type.String(),
    timeZone: Type.String(),
    from: Type.String({ format: 'date' }),
    to: Type.String({ format: 'date' }),
    days: Type.Array(CapacityDaySchema),
    totalMinutes: Type.String(),
    totalHours: Type.String(),
  },
  { $id: 'WorkCentreCapacity' },
);
export type Capacity = Static<typeof CapacitySchema>;
