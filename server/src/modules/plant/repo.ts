import type { Sql } from '../../platform/db.js';
import type { Calendar, PlantSummary, ProductionLine, Shift, Station, WorkCentre, Workshop } from './schema.js';

// ---------------------------------------------------------------- calendars

export interface ShiftRow {
  calendar_id: string;
  weekday: number | null;
  on_date: string | null;
  shift_no: number;
  name: string;
  start_time: string;
  end_time: string;
  break_minutes: number;
}

export interface NewShift {
  weekday?: number;
  date?: string;
  shiftNo: number;
  name: string;
  start: string;
  end: string;
  breakMinutes: number;
}

const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** Working minutes of a shift: a shift whose end is not after its start ends the next day. */
export function shiftMinutes(start: string, end: string, breakMinutes: number): number {
  const span = minutesOf(end) - minutesOf(start);
  return (span > 0 ? span : span + 1440) - breakMinutes;
}

export const toShift = (r: ShiftRow): Shift => {
  const start = r.start_time.slice(0, 5);
  const end = r.end_time.slice(0, 5);
  return { shiftNo: r.shift_no, name: r.name, start, end, breakMinutes: r.break_minutes, minutes: shiftMinutes(start, end, r.break_minutes) };
};

export async function insertCalendar(tx: Sql, tenantId: string, c: { code: string; name: string }): Promise<string> {
  const { rows } = await tx.query<{ id: string }>('INSERT INTO calendars (tenant_id, code, name) VALUES ($1, $2, $3) RETURNING id', [tenantId, c.code, c.name]);
  return rows[0].id;
}

/** Replaces the weekly pattern (weekly: true) or the exceptions and their shifts. */
export async function replaceShifts(tx: Sql, tenantId: string, calendarId: string, weekly: boolean, shifts: NewShift[]): Promise<void> {
  await tx.query(`DELETE FROM calendar_shifts WHERE tenant_id = $1 AND calendar_id = $2 AND ${weekly ? 'weekday IS NOT NULL' : 'on_date IS NOT NULL'}`, [tenantId, calendarId]);
  if (!shifts.length) return;
  await tx.query(
    `INSERT INTO calendar_shifts (tenant_id, calendar_id, weekday, on_date, shift_no, name, start_time, end_time, break_minutes)
     SELECT $1, $2, w, d, n, nm, s::time, e::time, b FROM unnest($3::smallint[], $4::date[], $5::smallint[], $6::text[], $7::text[], $8::text[], $9::int[]) AS x(w, d, n, nm, s, e, b)`,
    [tenantId, calendarId, shifts.map((s) => s.weekday ?? null), shifts.map((s) => s.date ?? null), shifts.map((s) => s.shiftNo), shifts.map((s) => s.name),
      shifts.map((s) => s.start), shifts.map((s) => s.end), shifts.map((s) => s.breakMinutes)],
  );
}

export async function replaceExceptions(tx: Sql, tenantId: string, calendarId: string, exceptions: { date: string; reason: string }[]): Promise<void> {
  await tx.query('DELETE FROM calendar_exceptions WHERE tenant_id = $1 AND calendar_id = $2', [tenantId, calendarId]);
  if (!exceptions.length) return;
  await tx.query(
    `INSERT INTO calendar_exceptions (tenant_id, calendar_id, on_date, reason) SELECT $1, $2, d, r FROM unnest($3::date[], $4::text[]) AS x(d, r)`,
    [tenantId, calendarId, exceptions.map((e) => e.date), exceptions.map((e) => e.reason)],
  );
}

export async function touchCalendar(tx: Sql, tenantId: string, id: string, version: number, name?: string): Promise<boolean> {
  const { rowCount } = await tx.query(
    'UPDATE calendars SET name = coalesce($4, name), version = version + 1, updated_at = now() WHERE tenant_id = $1 AND id = $2 AND version = $3',
    [tenantId, id, version, name ?? null],
  );
  return rowCount === 1;
}

export async function findCalendar(tx: Sql, tenantId: string, id: string): Promise<Calendar | undefined> {
  const { rows } = await tx.query<{ id: string; code: string; name: string; version: number; created_at: Date; updated_at: Date }>(
    'SELECT id, code, name, version, created_at, updated_at FROM calendars WHERE tenant_id = $1 AND id = $2',
    [tenantId, id],
  );
  if (!rows[0]) return undefined;
  const shifts = (await tx.query<ShiftRow>(
    `SELECT calendar_id, weekday, on_date::text, shift_no, name, start_time::text, end_time::text, break_minutes
       FROM calendar_shifts WHERE tenant_id = $1 AND calendar_id = $2 ORDER BY weekday NULLS LAST, on_date, shift_no`,
    [tenantId, id],
  )).rows;
  const exceptions = (await tx.query<{ on_date: string; reason: string }>(
    'SELECT on_date::text, reason FROM calendar_exceptions WHERE tenant_id = $1 AND calendar_id = $2 ORDER BY on_date',
    [tenantId, id],
  )).rows;
  const r = rows[0];
  return {
    id: r.id, code: r.code, name: r.name, version: r.version, createdAt: r.created_at.toISOString(), updatedAt: r.updated_at.toISOString(),
    weekly: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, shifts: shifts.filter((s) => s.weekday === weekday).map(toShift) })),
    exceptions: exceptions.map((e) => ({ date: e.on_date, reason: e.reason, shifts: shifts.filter((s) => s.on_date === e.on_date).map(toShift) })),
  };
}

export async function findCalendarRef(tx: Sql, tenantId: string, ref: { id?: string; code?: string }): Promise<{ id: string; code: string } | undefined> {
  const { rows } = await tx.query<{ id: string; code: string }>(
    `SELECT id, code FROM calendars WHERE tenant_id = $1 AND ${ref.id ? 'id = $2::uuid' : 'code = $2'}`,
    [tenantId, ref.id ?? ref.code],
  );
  return rows[0];
}

export async function listCalendars(tx: Sql, tenantId: string, q: { limit: number; after?: string }) {
  const { rows } = await tx.query<{ id: string; code: string; name: string; version: number }>(
    'SELECT id, code, name, version FROM calendars WHERE tenant_id = $1 AND ($2::text IS NULL OR code > $2) ORDER BY code LIMIT $3',
    [tenantId, q.after ?? null, q.limit + 1],
  );
  return rows;
}

/** The shifts and exceptions of some calendars that bear on [from, to]. */
export async function calendarDays(tx: Sql, tenantId: string, calendarIds: string[], from: string, to: string) {
  const shifts = (await tx.query<ShiftRow>(
    `SELECT calendar_id, weekday, on_date::text, shift_no, name, start_time::text, end_time::text, break_minutes
       FROM calendar_shifts
      WHERE tenant_id = $1 AND calendar_id = ANY($2::uuid[]) AND (weekday IS NOT NULL OR on_date BETWEEN $3 AND $4)
      ORDER BY shift_no`,
    [tenantId, calendarIds, from, to],
  )).rows;
  const exceptions = (await tx.query<{ calendar_id: string; on_date: string; reason: string }>(
    'SELECT calendar_id, on_date::text, reason FROM calendar_exceptions WHERE tenant_id = $1 AND calendar_id = ANY($2::uuid[]) AND on_date BETWEEN $3 AND $4',
    [tenantId, calendarIds, from, to],
  )).rows;
  return { shifts, exceptions };
}

// ---------------------------------------------------------------- the hierarchy

export interface CommonRow { id: string; code: string; name: string; status: 'active' | 'blocked'; version: number; created_at: Date }
const common = (r: CommonRow) => ({ id: r.id, code: r.code, name: r.name, status: r.status, version: r.version, createdAt: r.created_at.toISOString() });
const COMMON = (a: string) => `${a}.id, ${a}.code, ${a}.name, ${a}.status, ${a}.version, ${a}.created_at`;

const PLANT_SELECT = `SELECT ${COMMON('p')}, p.address, p.time_zone, p.calendar_id, c.code AS calendar_code
  FROM plants p JOIN calendars c ON c.tenant_id = p.tenant_id AND c.id = p.calendar_id`;
type PlantRow = CommonRow & { address: string; time_zone: string; calendar_id: string; calendar_code: string };
const toPlant = (r: PlantRow): PlantSummary => ({ ...common(r), address: r.address, timeZone: r.time_zone, calendarId: r.calendar_id, calendarCode: r.calendar_code });

const WORKSHOP_SELECT = `SELECT ${COMMON('w')}, w.plant_id, p.code AS plant_code, w.calendar_id, c.code AS calendar_code
  FROM workshops w JOIN plants p ON p.tenant_id = w.tenant_id AND p.id = w.plant_id
  LEFT JOIN calendars c ON c.tenant_id = w.tenant_id AND c.id = w.calendar_id`;
type WorkshopRow = CommonRow & { plant_id: string; plant_code: string; calendar_id: string | null; calendar_code: string | null };
const toWorkshop = (r: WorkshopRow): Workshop => ({ ...common(r), plantId: r.plant_id, plantCode: r.plant_code, calendarId: r.calendar_id, calendarCode: r.calendar_code });

const LINE_SELECT = `SELECT ${COMMON('l')}, l.workshop_id, w.code AS workshop_code, l.calendar_id, c.code AS calendar_code
  FROM production_lines l JOIN workshops w ON w.tenant_id = l.tenant_id AND w.id = l.workshop_id
  LEFT JOIN calendars c ON c.tenant_id = l.tenant_id AND c.id = l.calendar_id`;
type LineRow = CommonRow & { workshop_id: string; workshop_code: string; calendar_id: string | null; calendar_code: string | null };
const toLine = (r: LineRow): ProductionLine => ({ ...common(r), workshopId: r.workshop_id, workshopCode: r.workshop_code, calendarId: r.calendar_id, calendarCode: r.calendar_code });

const WORK_CENTRE_SELECT = `SELECT ${COMMON('wc')}, wc.workshop_id, w.code AS workshop_code, wc.line_id, l.code AS line_code, wc.capacity_unit,
    wc.parallel_count, wc.efficiency::text, wc.calendar_id, c.code AS calendar_code, ec.id AS effective_calendar_id, ec.code AS effective_calendar_code,
    p.time_zone
  FROM work_centres wc
  JOIN workshops w ON w.tenant_id = wc.tenant_id AND w.id = wc.workshop_id
  JOIN plants p ON p.tenant_id = w.tenant_id AND p.id = w.plant_id
  LEFT JOIN production_lines l ON l.tenant_id = wc.tenant_id AND l.id = wc.line_id
  LEFT JOIN calendars c ON c.tenant_id = wc.tenant_id AND c.id = wc.calendar_id
  JOIN calendars ec ON ec.tenant_id = wc.tenant_id AND ec.id = coalesce(wc.calendar_id, l.calendar_id, w.calendar_id, p.calendar_id)`;
type WorkCentreRow = CommonRow & {
  workshop_id: string; workshop_code: string; line_id: string | null; line_code: string | null; capacity_unit: WorkCentre['capacityUnit'];
  parallel_count: number; efficiency: string; calendar_id: string | null; calendar_code: string | null; effective_calendar_id: string;
  effective_calendar_code: string; time_zone: string;
};
export type WorkCentreWithZone = WorkCentre & { timeZone: string };
const toWorkCentre = (r: WorkCentreRow): WorkCentreWithZone => ({
  ...common(r), workshopId: r.workshop_id, workshopCode: r.workshop_code, lineId: r.line_id, lineCode: r.line_code, capacityUnit: r.capacity_unit,
  parallelCount: r.parallel_count, efficiency: r.efficiency, calendarId: r.calendar_id, calendarCode: r.calendar_code,
  effectiveCalendarId: r.effective_calendar_id, effectiveCalendarCode: r.effective_calendar_code, timeZone: r.time_zone,
});

const STATION_SELECT = `SELECT ${COMMON('s')}, s.work_centre_id, wc.code AS work_centre_code
  FROM stations s JOIN work_centres wc ON wc.tenant_id = s.tenant_id AND wc.id = s.work_centre_id`;
type StationRow = CommonRow & { work_centre_id: string; work_centre_code: string };
const toStation = (r: StationRow): Station => ({ ...common(r), workCentreId: r.work_centre_id, workCentreCode: r.work_centre_code });

/** Each level of the plant model: its table, alias, select and row mapping. */
const LEVELS = {
  plant: { table: 'plants', alias: 'p', select: PLANT_SELECT, map: toPlant },
  workshop: { table: 'workshops', alias: 'w', select: WORKSHOP_SELECT, map: toWorkshop },
  line: { table: 'production_lines', alias: 'l', select: LINE_SELECT, map: toLine },
  workCentre: { table: 'work_centres', alias: 'wc', select: WORK_CENTRE_SELECT, map: toWorkCentre },
  station: { table: 'stations', alias: 's', select: STATION_SELECT, map: toStation },
} as const;
export type Level = keyof typeof LEVELS;
type Mapped<L extends Level> = ReturnType<(typeof LEVELS)[L]['map']>;

/** Rows of a level by ids or codes (one query for a whole document's references). */
export async function findMany<L extends Level>(tx: Sql, tenantId: string, level: L, ids: string[], codes: string[]): Promise<Mapped<L>[]> {
  const { select, alias, map } = LEVELS[level];
  const { rows } = await tx.query(`${select} WHERE ${alias}.tenant_id = $1 AND (${alias}.id = ANY($2::uuid[]) OR ${alias}.code = ANY($3::text[]))`, [tenantId, ids, codes]);
  return rows.map((r) => (map as (x: unknown) => Mapped<L>)(r));
}

export async function findOne<L extends Level>(tx: Sql, tenantId: string, level: L, ref: { id?: string; code?: string }): Promise<Mapped<L> | undefined> {
  return (await findMany(tx, tenantId, level, ref.id ? [ref.id] : [], ref.id ? [] : ref.code ? [ref.code] : []))[0];
}

const PARENT_FILTERS: Record<Level, Partial<Record<'plantId' | 'workshopId' | 'lineId' | 'workCentreId', string>>> = {
  plant: {},
  workshop: { plantId: 'w.plant_id' },
  line: { workshopId: 'l.workshop_id' },
  workCentre: { workshopId: 'wc.workshop_id', lineId: 'wc.line_id' },
  station: { workCentreId: 's.work_centre_id' },
};

export async function list<L extends Level>(tx: Sql, tenantId: string, level: L, q: { limit: number; after?: string; status?: string } & Partial<Record<'plantId' | 'workshopId' | 'lineId' | 'workCentreId', string>>): Promise<Mapped<L>[]> {
  const { select, alias, map } = LEVELS[level];
  const params: unknown[] = [tenantId, q.after ?? null, q.status ?? null, q.limit + 1];
  const filters = Object.entries(PARENT_FILTERS[level]).filter(([k]) => q[k as keyof typeof q] !== undefined).map(([k, column]) => {
    params.push(q[k as keyof typeof q]);
    return ` AND ${column} = $${params.length}::uuid`;
  });
  const { rows } = await tx.query(
    `${select} WHERE ${alias}.tenant_id = $1 AND ($2::text IS NULL OR ${alias}.code > $2) AND ($3::text IS NULL OR ${alias}.status = $3)${filters.join('')}
      ORDER BY ${alias}.code LIMIT $4`,
    params,
  );
  return rows.map((r) => (map as (x: unknown) => Mapped<L>)(r));
}

export async function codeTaken(tx: Sql, tenantId: string, level: Level, code: string): Promise<boolean> {
  return (await tx.query(`SELECT 1 FROM ${LEVELS[level].table} WHERE tenant_id = $1 AND code = $2`, [tenantId, code])).rows.length > 0;
}

/** Inserts a row of a level; `values` are its columns beyond tenant_id. */
export async function insert(tx: Sql, tenantId: string, level: Level, values: Record<string, unknown>): Promise<string> {
  const columns = Object.keys(values);
  const { rows } = await tx.query<{ id: string }>(
    `INSERT INTO ${LEVELS[level].table} (tenant_id, ${columns.join(', ')}) VALUES ($1, ${columns.map((_, i) => `$${i + 2}`).join(', ')}) RETURNING id`,
    [tenantId, ...Object.values(values)],
  );
  return rows[0].id;
}

/** Sets the given columns of a row at `version`, bumping it; false when the version is stale. */
export async function update(tx: Sql, tenantId: string, level: Level, id: string, version: number, set: Record<string, unknown>): Promise<boolean> {
  const columns = Object.keys(set);
  const { rowCount } = await tx.query(
    `UPDATE ${LEVELS[level].table} SET ${[...columns.map((c, i) => `${c} = $${i + 4}`), 'version = version + 1'].join(', ')}
      WHERE tenant_id = $1 AND id = $2 AND version = $3`,
    [tenantId, id, version, ...Object.values(set)],
  );
  return rowCount === 1;
}

/** The plant's model below it, in four queries. */
export async function plantTree(tx: Sql, tenantId: string, plantId: string) {
  const workshops = await list(tx, tenantId, 'workshop', { limit: 10_000, plantId });
  const ids = workshops.map((w) => w.id);
  const lines = (await tx.query<LineRow>(`${LINE_SELECT} WHERE l.tenant_id = $1 AND l.workshop_id = ANY($2::uuid[]) ORDER BY l.code`, [tenantId, ids])).rows.map(toLine);
  const centres = (await tx.query<WorkCentreRow>(`${WORK_CENTRE_SELECT} WHERE wc.tenant_id = $1 AND wc.workshop_id = ANY($2::uuid[]) ORDER BY wc.code`, [tenantId, ids])).rows.map(toWorkCentre);
  const stations = (await tx.query<StationRow>(`${STATION_SELECT} WHERE s.tenant_id = $1 AND s.work_centre_id = ANY($2::uuid[]) ORDER BY s.code`, [tenantId, centres.map((c) => c.id)])).rows.map(toStation);
  const brief = (x: { id: string; code: string; name: string; status: 'active' | 'blocked' }) => ({ id: x.id, code: x.code, name: x.name, status: x.status });
  return workshops.map((w) => ({
    ...brief(w),
    lines: lines.filter((l) => l.workshopId === w.id).map(brief),
    workCentres: centres.filter((c) => c.workshopId === w.id).map((c) => ({
      ...brief(c), lineId: c.lineId, capacityUnit: c.capacityUnit, parallelCount: c.parallelCount,
      stations: stations.filter((s) => s.workCentreId === c.id).map(brief),
    })),
  }));
}

/** Which of these calendar codes the tenant holds (one query, for imports). */
export async function calendarCodes(tx: Sql, tenantId: string, codes: string[]): Promise<Set<string>> {
  if (codes.length === 0) return new Set();
  const { rows } = await tx.query<{ code: string }>('SELECT code FROM calendars WHERE tenant_id = $1 AND code = ANY($2::text[])', [tenantId, codes]);
  return new Set(rows.map((r) => r.code));
}
