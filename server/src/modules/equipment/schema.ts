import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { Page, Timestamp, Uuid } from '../../platform/schemas.js';

const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const Lit = <T extends string>(...v: T[]) => Type.Union(v.map((x) => Type.Literal(x)));
export const DeviceCode = (description: string) => Type.String({ pattern: '^[A-Za-z0-9_.-]{1,64}$', description });
const PointCode = Type.String({ pattern: '^[A-Za-z0-9_.:/-]{1,128}$', description: 'Point code as the gateway sends it (derived points too: state, alarm.<code>, <point>.avg)' });
const Name = Type.String({ minLength: 1, maxLength: 200 });
const Text = (max: number, description?: string) => Type.String({ maxLength: max, description });
export const DataType = Lit('number', 'boolean', 'string');
export const GRADES = ['critical', 'major', 'minor', 'warning'] as const;
export const Grade = Lit(...GRADES);
export const MACHINE_STATES = ['run', 'idle', 'down', 'setup'] as const;

// ---------------------------------------------------------------- equipment master (S1-5.4.6-a)

export const PointInput = Type.Object(
  {
    point: PointCode,
    type: DataType,
    unit: Type.Optional(Text(20, 'Unit of the values, as the gateway sends them')),
    min: Type.Optional(Type.Number({ description: 'Running standard: lowest normal value (numbers)' })),
    max: Type.Optional(Type.Number({ description: 'Running standard: highest normal value (numbers)' })),
    writable: Type.Optional(Type.Boolean({ description: 'Takes commands (a setpoint); default false' })),
  },
  { additionalProperties: false },
);

export const AlarmRuleInput = Type.Object(
  {
    code: Type.String({ pattern: '^[A-Z0-9_]{1,50}$' }),
    point: PointCode,
    kind: Lit('threshold', 'trend', 'fault'),
    high: Type.Optional(Type.Number({ description: 'threshold: raised above this value' })),
    low: Type.Optional(Type.Number({ description: 'threshold: raised below this value' })),
    hysteresis: Type.Optional(Type.Number({ minimum: 0, description: 'threshold: cleared only once the value is back inside by this much; default 0' })),
    value: Type.Optional(Type.Union([Type.Number(), Type.Boolean(), Type.String({ maxLength: 100 })], { description: 'fault: raised while the point has this value' })),
    windowSeconds: Type.Optional(Type.Integer({ minimum: 1, maximum: 86_400, description: 'trend: the window the change is measured over' })),
    maxPerMinute: Type.Optional(Type.Number({ exclusiveMinimum: 0, description: 'trend: raised while the change over the window, per minute, is beyond ±this' })),
    grade: Grade,
  },
  { additionalProperties: false },
);

const Location = {
  workshopId: Uuid('Workshop the machine stands in'),
  lineId: Type.Optional(Nullable(Uuid('Production line (of that workshop)'))),
  workCentreId: Type.Optional(Nullable(Uuid('Work centre (of that workshop and line)'))),
  stationId: Type.Optional(Nullable(Uuid('Station (of that work centre)'))),
};

const MasterFields = {
  name: Name,
  manufacturer: Type.Optional(Text(200)),
  model: Type.Optional(Text(200)),
  serialNo: Type.Optional(Text(100)),
  buildDate: Type.Optional(Nullable(Type.String({ format: 'date' }))),
  gatewayId: Type.Optional(Nullable(Uuid('The gateway the machine is connected to: only its records are accepted, commands go through it'))),
  availableMinutesPerDay: Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: 1440, description: 'Planned production time per day (availability)' }))),
  targetOutputPerHour: Type.Optional(Nullable(Type.Number({ exclusiveMinimum: 0, description: 'Ideal output per run hour (performance)' }))),
  countPoint: Type.Optional(Nullable(PointCode)),
  energyPoint: Type.Optional(Nullable(PointCode)),
  statePoint: Type.Optional(PointCode),
  points: Type.Optional(Type.Array(PointInput, { maxItems: 500 })),
  alarmRules: Type.Optional(Type.Array(AlarmRuleInput, { maxItems: 200 })),
};

export const CreateEquipmentBody = Type.Object({ code: DeviceCode('Equipment code: the device name in gateway records'), ...Location, ...MasterFields }, { additionalProperties: false });
export type CreateEquipmentInput = Static<typeof CreateEquipmentBody>;
export const UpdateEquipmentBody = Type.Object(
  {
    version: Type.Integer({ minimum: 1 }),
    ...Type.Partial(Type.Object(Location)).properties,
    ...Type.Partial(Type.Object(MasterFields)).properties,
    status: Type.Optional(Lit('active', 'retired')),
  },
  { additionalProperties: false },
);
export type UpdateEquipmentInput = Static<typeof UpdateEquipmentBody>;

const PointSchema = Type.Object({
  point: Type.String(), type: DataType, unit: Nullable(Type.String()), min: Nullable(Type.Number()), max: Nullable(Type.Number()), writable: Type.Boolean(),
});
const AlarmRuleSchema = Type.Object({
  code: Type.String(), point: Type.String(), kind: Lit('threshold', 'trend', 'fault'), high: Nullable(Type.Number()), low: Nullable(Type.Number()), hysteresis: Type.Number(),
  value: Nullable(Type.Union([Type.Number(), Type.Boolean(), Type.String()])), windowSeconds: Nullable(Type.Integer()), maxPerMinute: Nullable(Type.Number()), grade: Grade,
});
export const EquipmentSchema = Type.Object(
  {
    id: Uuid(), code: Type.String(), name: Type.String(), manufacturer: Type.String(), model: Type.String(), serialNo: Type.String(),
    buildDate: Nullable(Type.String({ format: 'date' })),
    workshopId: Uuid(), workshopCode: Type.String(), lineId: Nullable(Uuid()), workCentreId: Nullable(Uuid()), stationId: Nullable(Uuid()),
    gatewayId: Nullable(Uuid()), availableMinutesPerDay: Nullable(Type.Integer()), targetOutputPerHour: Nullable(Type.Number()),
    countPoint: Nullable(Type.String()), energyPoint: Nullable(Type.String()), statePoint: Type.String(), status: Lit('active', 'retired'),
    points: Type.Array(PointSchema), alarmRules: Type.Array(AlarmRuleSchema),
    version: Type.Integer(), createdAt: Timestamp(), updatedAt: Timestamp(),
  },
  { $id: 'Equipment' },
);
export type Equipment = Static<typeof EquipmentSchema>;
export type EquipmentPoint = Equipment['points'][number];
export type AlarmRule = Equipment['alarmRules'][number];
export const EquipmentSummarySchema = Type.Object(
  { id: Uuid(), code: Type.String(), name: Type.String(), workshopId: Uuid(), workshopCode: Type.String(), gatewayId: Nullable(Uuid()), status: Lit('active', 'retired'), version: Type.Integer() },
  { $id: 'EquipmentSummary' },
);
export type EquipmentSummary = Static<typeof EquipmentSummarySchema>;
export const EquipmentPageSchema = Page(Type.Ref(EquipmentSummarySchema), 'EquipmentPage');
export const EquipmentListQuery = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
    cursor: Type.Optional(Type.String({ maxLength: 200 })),
    workshopId: Type.Optional(Uuid()),
    status: Type.Optional(Lit('active', 'retired')),
  },
  { additionalProperties: false },
);

// ---------------------------------------------------------------- status (S1-5.4.6-b, -c)

const Value = Type.Union([Type.Number(), Type.Boolean(), Type.String()]);
export const ReadingSchema = Type.Object({
  point: Type.String(), value: Value, unit: Nullable(Type.String()), quality: Lit('good', 'uncertain', 'bad'), ts: Timestamp(), seq: Type.Integer(),
  standard: Type.Object({ min: Nullable(Type.Number()), max: Nullable(Type.Number()) }),
  deviation: Nullable(Lit('low', 'high')),
});
export const EquipmentStatusSchema = Type.Object(
  {
    equipmentId: Uuid(), code: Type.String(), name: Type.String(),
    state: Nullable(Type.String({ description: 'run, idle, down or setup as the gateway derived it; null before the first state record' })),
    stateSince: Nullable(Timestamp()),
    readings: Type.Array(ReadingSchema, { description: 'The newest reading of every point, against its running standard' }),
    outOfStandard: Type.Integer({ description: 'Readings outside their running standard' }),
    activeAlarms: Type.Integer({ description: 'Alarms not yet cleared' }),
  },
  { $id: 'EquipmentStatus' },
);
export type EquipmentStatus = Static<typeof EquipmentStatusSchema>;

export const PeriodQuery = Type.Object({ from: Timestamp('Start (inclusive)'), to: Timestamp('End (exclusive)') }, { additionalProperties: false });
const Durations = Type.Object({ run: Type.Number(), idle: Type.Number(), down: Type.Number(), setup: Type.Number(), other: Type.Number() }, { description: 'Seconds per state within the period' });
export const StateHistorySchema = Type.Object(
  {
    equipmentId: Uuid(), from: Timestamp(), to: Timestamp(),
    periods: Type.Array(Type.Object({ state: Type.String(), start: Timestamp(), end: Nullable(Timestamp()), seconds: Type.Number({ description: 'Within the period asked for' }) })),
    seconds: Durations,
  },
  { $id: 'EquipmentStateHistory' },
);
export type StateHistory = Static<typeof StateHistorySchema>;

// ---------------------------------------------------------------- alarms (S1-5.4.6-d)

export const AlarmSchema = Type.Object(
  {
    id: Uuid(), equipmentId: Uuid(), equipmentCode: Type.String(), code: Type.String(), point: Type.String(), kind: Type.String(), grade: Grade,
    status: Lit('open', 'acknowledged', 'cleared'),
    raisedAt: Timestamp(), raisedValue: Value,
    acknowledgedAt: Nullable(Timestamp()), acknowledgedBy: Nullable(Type.String()), note: Nullable(Type.String()),
    clearedAt: Nullable(Timestamp()), clearedValue: Nullable(Value),
    createdAt: Timestamp(),
    notifiedLevel: Type.Integer({ description: 'The highest notification level told by e-mail (0: none yet); see GET /v1/equipment-alarm-routes' }),
    notifiedAt: Nullable(Timestamp()),
  },
  { $id: 'EquipmentAlarm' },
);
export type Alarm = Static<typeof AlarmSchema>;
export const AlarmPageSchema = Page(Type.Ref(AlarmSchema), 'EquipmentAlarmPage');
export const AlarmListQuery = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
    cursor: Type.Optional(Type.String({ maxLength: 200 })),
    equipmentId: Type.Optional(Uuid()),
    active: Type.Optional(Type.Boolean({ description: 'true: not cleared; false: cleared' })),
    grade: Type.Optional(Grade),
  },
  { additionalProperties: false },
);
const AlarmRouteSchema = Type.Object(
  {
    grade: Grade,
    level: Type.Integer({ minimum: 1, maximum: 9, description: '1 is told when the alarm is raised; each next level when the one before did not acknowledge in time' }),
    kinds: Nullable(Type.Array(Lit('threshold', 'trend', 'fault'), { maxItems: 3, description: 'Only alarms of these rule kinds; null or empty: every kind' })),
    recipients: Type.Array(Type.String({ minLength: 3, maxLength: 254 }), { minItems: 1, maxItems: 50, description: 'E-mail addresses' }),
    ackTimeoutMinutes: Type.Integer({ minimum: 1, maximum: 10080, description: 'Unacknowledged this long after this level was told: the next level is told' }),
  },
  { additionalProperties: false },
);
export const AlarmRoutesBody = Type.Object({ routes: Type.Array(AlarmRouteSchema, { maxItems: 36 }) }, { additionalProperties: false });
export const AlarmRoutesSchema = Type.Object({ routes: Type.Array(AlarmRouteSchema) }, { $id: 'EquipmentAlarmRoutes' });
export const AlarmNoticesSchema = Type.Object(
  {
    items: Type.Array(Type.Object({
      id: Uuid(), level: Type.Integer(), channel: Lit('email'), recipients: Type.Array(Type.String()), outcome: Lit('sent', 'failed'),
      error: Nullable(Type.String()), messageId: Nullable(Type.String({ description: 'As the mail server accepted it' })), at: Timestamp(),
    })),
  },
  { $id: 'EquipmentAlarmNotices' },
);
export const AcknowledgeBody = Type.Object({ note: Type.Optional(Type.String({ maxLength: 500 })) }, { additionalProperties: false });

// ---------------------------------------------------------------- indicators (S1-5.4.6-f)

export const IndicatorsSchema = Type.Object(
  {
    equipmentId: Uuid(), code: Type.String(), from: Timestamp(), to: Timestamp(),
    seconds: Durations,
    plannedSeconds: Type.Number({ description: 'availableMinutesPerDay pro rata over the period; without it the time with a known state' }),
    output: Nullable(Type.Number({ description: 'Increase of the count point over the period (counter resets handled); null without a count point' })),
    energy: Nullable(Type.Number({ description: 'Increase of the energy meter point over the period, in its unit; null without one' })),
    energyUnit: Nullable(Type.String()),
    availability: Nullable(Type.Number({ description: 'run / planned' })),
    performance: Nullable(Type.Number({ description: 'output / (targetOutputPerHour × run hours)' })),
    quality: Nullable(Type.Number({ description: 'goodQuantity / (goodQuantity + scrapQuantity) of the work reports; null when none reported good or scrap (OEE then counts it as 1)' })),
    workReports: Type.Integer({ description: 'Production work reports that named the machine (equipmentCode) and ended in the period' }),
    goodQuantity: Type.String({ description: 'Their good quantity, summed in base units' }),
    scrapQuantity: Type.String({ description: 'Their scrap quantity, summed in base units' }),
    oee: Nullable(Type.Number({ description: 'availability × performance × quality (quality counted as 1 when null)' })),
    intactRate: Nullable(Type.Number({ description: 'Intact rate (完好率): share of the period the machine was not down, (period − down) / period; null for an empty period' })),
    failures: Type.Integer({ description: 'Down periods that started in the period' }),
    mtbfSeconds: Nullable(Type.Number({ description: 'Run time / failures' })),
    mttrSeconds: Nullable(Type.Number({ description: 'Mean length of those down periods' })),
    failureRatePerHour: Nullable(Type.Number({ description: 'Failures per run hour' })),
    countersFrom: Lit('readings', 'hourRollups'),
  },
  { $id: 'EquipmentIndicators' },
);
export type Indicators = Static<typeof IndicatorsSchema>;

export const FleetPeriodQuery = Type.Object(
  {
    from: Timestamp('Start (inclusive)'), to: Timestamp('End (exclusive)'),
    workshopId: Type.Optional(Uuid()), workCentreId: Type.Optional(Uuid()),
  },
  { additionalProperties: false },
);
export const IntactRateSchema = Type.Object(
  {
    from: Timestamp(), to: Timestamp(), periodSeconds: Type.Number(),
    machines: Type.Array(Type.Object({
      equipmentId: Uuid(), code: Type.String(), workCentreId: Nullable(Uuid()),
      downSeconds: Type.Number(), intactSeconds: Type.Number({ description: 'Seconds of the period not down (no known state counts as intact)' }),
      intactRate: Nullable(Type.Number({ description: 'intactSeconds / periodSeconds' })),
      stateAtEnd: Nullable(Type.String({ description: 'The state at `to` (null: none known)' })), intactAtEnd: Type.Boolean(),
    })),
    fleet: Type.Object({
      machines: Type.Integer({ description: 'Active machines covered' }), intactSeconds: Type.Number(), calendarSeconds: Type.Number({ description: 'periodSeconds × machines' }),
      intactRate: Nullable(Type.Number({ description: 'Machine time: intactSeconds / calendarSeconds (完好台时 / 日历台时)' })),
      intactAtEnd: Type.Integer({ description: 'Machines not down at `to`' }),
      intactRateAtEnd: Nullable(Type.Number({ description: 'By count at `to`: intactAtEnd / machines (完好台数 / 总台数)' })),
    }),
  },
  { $id: 'EquipmentIntactRate' },
);
export type IntactRate = Static<typeof IntactRateSchema>;

const DateOnly = (description: string) => Type.String({ format: 'date', description });
export const CapacityReportQuery = Type.Object(
  {
    from: DateOnly('First day (the work centre\'s local date)'), to: DateOnly('Last day, inclusive (at most 366 days after from)'),
    workshopId: Type.Optional(Uuid()), workCentreId: Type.Optional(Uuid()),
  },
  { additionalProperties: false },
);
const Hours = (description: string) => Nullable(Type.Number({ description }));
export const CapacityReportSchema = Type.Object(
  {
    from: Type.String({ format: 'date' }), to: Type.String({ format: 'date' }),
    machines: Type.Array(Type.Object({
      equipmentId: Uuid(), code: Type.String(), workCentreId: Nullable(Uuid()), workCentreCode: Nullable(Type.String()), calendarCode: Nullable(Type.String()), timeZone: Nullable(Type.String()),
      availableHours: Hours('Shift hours of the work centre\'s calendar over the days, for one machine'),
      runHours: Hours('Hours in state run over the same local days'),
      utilisation: Hours('runHours / availableHours (above 1: run outside the shifts)'),
      missing: Nullable(Lit('NO_WORK_CENTRE')),
    })),
    workCentres: Type.Array(Type.Object({
      workCentreId: Uuid(), workCentreCode: Type.String(), machines: Type.Integer(), availableHours: Type.Number(), runHours: Type.Number(), utilisation: Hours('runHours / availableHours'),
      calendarCapacityHours: Type.Number({ description: 'The work centre\'s own capacity over the days (shift hours × parallel count × efficiency)' }),
    })),
    totals: Type.Object({ machines: Type.Integer({ description: 'Machines with a calendar' }), availableHours: Type.Number(), runHours: Type.Number(), utilisation: Hours('runHours / availableHours') }),
  },
  { $id: 'EquipmentCapacityReport' },
);
export type CapacityReport = Static<typeof CapacityReportSchema>;

// ---------------------------------------------------------------- rollups (reports over long periods)

export const SeriesQuery = Type.Object(
  {
    point: Type.Optional(Type.String({ ...PointCode, description: 'A number point of the machine; default: its energy point, else its count point, else its first number point' })),
    from: Timestamp('Start (inclusive)'), to: Timestamp('End (exclusive)'),
    resolution: Type.Optional(Lit('auto', 'minute', 'hour')),
  },
  { additionalProperties: false },
);
export const SeriesSchema = Type.Object(
  {
    equipmentId: Uuid(), point: Nullable(Type.String({ description: 'null: the machine has no number point (no buckets)' })), unit: Nullable(Type.String()),
    resolution: Lit('minute', 'hour'), from: Timestamp(), to: Timestamp(),
    buckets: Type.Array(Type.Object({
      start: Timestamp(), count: Type.Integer(), min: Type.Number(), max: Type.Number(), avg: Type.Number(), last: Type.Number({ description: 'The newest reading of the bucket' }), lastAt: Timestamp(),
    })),
  },
  { $id: 'EquipmentSeries' },
);

// ---------------------------------------------------------------- commands (S1-5.2.4)

export const CommandBody = Type.Object({ point: PointCode, value: Value }, { additionalProperties: false });
export const CommandSchema = Type.Object(
  {
    id: Uuid(), equipmentId: Uuid(), gatewayId: Uuid(), device: Type.String(), point: Type.String(), value: Value,
    status: Lit('queued', 'delivered', 'done', 'failed'), error: Nullable(Type.String()), issuedBy: Type.String(), issuedAt: Timestamp(),
    deliveredAt: Nullable(Timestamp()), completedAt: Nullable(Timestamp()),
  },
  { $id: 'DeviceCommand' },
);
export type DeviceCommand = Static<typeof CommandSchema>;

// ---------------------------------------------------------------- energy per production order (S1-5.4.6-f)

export const OrderEnergySchema = Type.Object(
  {
    orderId: Uuid(), docNo: Type.String(),
    machines: Type.Array(Type.Object({
      equipmentCode: Type.String({ description: 'As production execution reported it' }), equipmentId: Nullable(Uuid()), unit: Nullable(Type.String()),
      energy: Nullable(Type.Number({ description: "The meter's increase over the merged intervals; null when missing says why" })),
      seconds: Type.Number({ description: 'Length of the merged intervals' }),
      missing: Nullable(Lit('UNKNOWN_EQUIPMENT', 'NO_ENERGY_POINT')),
      intervals: Type.Array(Type.Object({
        from: Timestamp(), to: Timestamp('For a run still open: the time of the answer'), energy: Nullable(Type.Number()),
        open: Type.Boolean({ description: 'A run still going on (started or resumed, not yet paused or ended): counted up to now' }),
      })),
    })),
    totals: Type.Array(Type.Object({ unit: Type.String(), energy: Type.Number() }), { description: 'Per energy unit over the machines' }),
    reportsWithoutInterval: Type.Integer({ description: 'Work reports that name no machine or no start: no interval' }),
  },
  { $id: 'ProductionOrderEnergy' },
);
