/**
 * The plant model (plant → workshop → line → work centre → station) and its calendars. Production
 * and (later) equipment call this service; only repo.ts touches the tables. The functions other
 * modules build on: findWorkCentres / findPlants / findWorkshops / findLines / findStations (references), capacityHours and
 * capacityOf (working time per day of a work centre, for scheduling).
 */
import type { Sql } from '../../platform/db.js';
import { badRequest, conflict, fieldError, notFound, unprocessable, type FieldError } from '../../platform/errors.js';
import { formatQty, qty, roundTo } from '../../platform/quantity.js';
import { MAX_CAPACITY_DAYS, capacityDays, checkDayShifts, daysBetween } from './calendar.js';
import * as repo from './repo.js';
import type { Level, NewShift, WorkCentreWithZone } from './repo.js';
import type {
  Calendar, Capacity, CreateCalendarInput, CreatePlantInput, CreateProductionLineInput, CreateStationInput, CreateWorkCentreInput, CreateWorkshopInput, Plant,
  PlantSummary, ProductionLine, Station, UpdateCalendarInput, UpdateLevelInput, UpdatePlantInput, UpdateWorkCentreInput, WorkCentre, Workshop,
} from './schema.js';

const LABEL: Record<Level, string> = { plant: 'plant', workshop: 'workshop', line: 'production line', workCentre: 'work centre', station: 'station' };
const UNKNOWN: Record<Level, string> = { plant: 'UNKNOWN_PLANT', workshop: 'UNKNOWN_WORKSHOP', line: 'UNKNOWN_LINE', workCentre: 'UNKNOWN_WORK_CENTRE', station: 'UNKNOWN_STATION' };
const TAKEN: Record<Level, string> = { plant: 'PLANT_CODE_TAKEN', workshop: 'WORKSHOP_CODE_TAKEN', line: 'LINE_CODE_TAKEN', workCentre: 'WORK_CENTRE_CODE_TAKEN', station: 'STATION_CODE_TAKEN' };

// ---------------------------------------------------------------- calendars

interface ResolvedCalendar {
  weekly: NewShift[];
  exceptionShifts: NewShift[];
  exceptions: { date: string; reason: string }[];
}

function resolveCalendar(input: Pick<UpdateCalendarInput, 'shifts' | 'exceptions'>, errors: FieldError[]): ResolvedCalendar {
  const weekly: NewShift[] = [];
  for (let weekday = 1; weekday <= 7; weekday++) {
    const day = (input.shifts ?? []).map((s, i) => ({ ...s, i })).filter((s) => s.weekday === weekday);
    weekly.push(...checkDayShifts(day, (k) => `shifts[${day[k].i}]`, errors));
  }
  const exceptionShifts: NewShift[] = [];
  const seen = new Set<string>();
  for (const [i, e] of (input.exceptions ?? []).entries()) {
    if (seen.has(e.date)) errors.push(fieldError(`exceptions[${i}].date`, 'DUPLICATE_DATE', `${e.date} has two exceptions`));
    seen.add(e.date);
    exceptionShifts.push(...checkDayShifts(e.shifts.map((s) => ({ ...s, date: e.date })), (k) => `exceptions[${i}].shifts[${k}]`, errors));
  }
  return { weekly, exceptionShifts, exceptions: (input.exceptions ?? []).map((e) => ({ date: e.date, reason: e.reason ?? '' })) };
}

async function writeCalendar(tx: Sql, tenantId: string, id: string, c: ResolvedCalendar, parts: { weekly: boolean; exceptions: boolean }): Promise<void> {
  if (parts.weekly) await repo.replaceShifts(tx, tenantId, id, true, c.weekly);
  if (parts.exceptions) {
    await repo.replaceShifts(tx, tenantId, id, false, c.exceptionShifts);
    await repo.replaceExceptions(tx, tenantId, id, c.exceptions);
  }
}

export async function getCalendar(tx: Sql, tenantId: string, id: string): Promise<Calendar> {
  const c = await repo.findCalendar(tx, tenantId, id);
  if (!c) throw notFound('calendar', id);
  return c;
}

export async function createCalendar(tx: Sql, tenantId: string, input: CreateCalendarInput): Promise<Calendar> {
  const errors: FieldError[] = [];
  const resolved = resolveCalendar(input, errors);
  if (await repo.findCalendarRef(tx, tenantId, { code: input.code })) {
    throw conflict('CALENDAR_CODE_TAKEN', `calendar ${input.code} already exists`, { errors: [fieldError('code', 'TAKEN', 'is already in use')] });
  }
  if (errors.length) throw unprocessable('CALENDAR_INVALID', 'the calendar cannot be saved as given; nothing was saved', errors);
  const id = await repo.insertCalendar(tx, tenantId, input);
  await writeCalendar(tx, tenantId, id, resolved, { weekly: true, exceptions: true });
  return getCalendar(tx, tenantId, id);
}

/** A new weekly pattern or list of exceptions replaces the old one whole; capacity follows at once. */
export async function updateCalendar(tx: Sql, tenantId: string, id: string, input: UpdateCalendarInput): Promise<Calendar> {
  const current = await getCalendar(tx, tenantId, id);
  const errors: FieldError[] = [];
  const resolved = resolveCalendar(input, errors);
  if (errors.length) throw unprocessable('CALENDAR_INVALID', 'the calendar cannot be changed as given; nothing was changed', errors);
  if (!(await repo.touchCalendar(tx, tenantId, id, input.version, input.name))) {
    throw conflict('VERSION_CONFLICT', `calendar ${current.code} is at version ${current.version}, not ${input.version}`, { currentVersion: current.version });
  }
  await writeCalendar(tx, tenantId, id, resolved, { weekly: input.shifts !== undefined, exceptions: input.exceptions !== undefined });
  return getCalendar(tx, tenantId, id);
}

/** Which of these calendar codes the tenant already holds. */
export const existingCalendars = repo.calendarCodes;

export async function listCalendars(tx: Sql, tenantId: string, q: { limit: number; after?: string }) {
  return repo.listCalendars(tx, tenantId, q);
}

// ---------------------------------------------------------------- references

type Ref = { id?: string; code?: string };

/** Resolves a reference by id or code; records REQUIRED or UNKNOWN_* under `field` when it does not. */
async function resolve<L extends Level>(tx: Sql, tenantId: string, level: L, ref: Ref, field: string, errors: FieldError[], required = true) {
  if (!ref.id && !ref.code) {
    if (required) errors.push(fieldError(`${field}Id`, 'REQUIRED', `name the ${LABEL[level]} by ${field}Id or ${field}Code`));
    return undefined;
  }
  const found = await repo.findOne(tx, tenantId, level, ref);
  if (!found) errors.push(fieldError(ref.id ? `${field}Id` : `${field}Code`, UNKNOWN[level], `no ${LABEL[level]} ${ref.id ?? ref.code}`));
  return found;
}

async function resolveCalendarRef(tx: Sql, tenantId: string, ref: Ref, errors: FieldError[], required: boolean): Promise<string | null> {
  if (!ref.id && !ref.code) {
    if (required) errors.push(fieldError('calendarId', 'REQUIRED', 'a plant needs a calendar: name it by calendarId or calendarCode'));
    return null;
  }
  const found = await repo.findCalendarRef(tx, tenantId, ref);
  if (!found) errors.push(fieldError(ref.id ? 'calendarId' : 'calendarCode', 'UNKNOWN_CALENDAR', `no calendar ${ref.id ?? ref.code}`));
  return found?.id ?? null;
}

function checkTimeZone(zone: string, errors: FieldError[]): void {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
  } catch {
    errors.push(fieldError('timeZone', 'UNKNOWN_TIME_ZONE', `${zone} is not an IANA time zone`));
  }
}

function checkEfficiency(efficiency: string | undefined, errors: FieldError[]): void {
  if (efficiency !== undefined && !qty(efficiency).gt(0)) errors.push(fieldError('efficiency', 'NOT_POSITIVE', 'must be above 0 percent'));
}

async function assertCodeFree(tx: Sql, tenantId: string, level: Level, code: string): Promise<void> {
  if (await repo.codeTaken(tx, tenantId, level, code)) {
    throw conflict(TAKEN[level], `${LABEL[level]} ${code} already exists`, { errors: [fieldError('code', 'TAKEN', 'is already in use')] });
  }
}

function invalid(level: Level, errors: FieldError[], creating = true) {
  return unprocessable(`${level === 'workCentre' ? 'WORK_CENTRE' : level.toUpperCase()}_INVALID`, `the ${LABEL[level]} cannot be ${creating ? 'created' : 'changed'} as given; nothing was saved`, errors);
}

// ---------------------------------------------------------------- the levels

export async function get<L extends Level>(tx: Sql, tenantId: string, level: L, id: string) {
  const found = await repo.findOne(tx, tenantId, level, { id });
  if (!found) throw notFound(LABEL[level], id);
  return found;
}

export const list = repo.list;

export async function getPlant(tx: Sql, tenantId: string, id: string): Promise<Plant> {
  const plant = await get(tx, tenantId, 'plant', id);
  return { ...plant, workshops: await repo.plantTree(tx, tenantId, id) };
}

export async function createPlant(tx: Sql, tenantId: string, input: CreatePlantInput): Promise<PlantSummary> {
  const errors: FieldError[] = [];
  const calendarId = await resolveCalendarRef(tx, tenantId, { id: input.calendarId, code: input.calendarCode }, errors, true);
  const timeZone = input.timeZone ?? 'Asia/Shanghai';
  checkTimeZone(timeZone, errors);
  await assertCodeFree(tx, tenantId, 'plant', input.code);
  if (errors.length) throw invalid('plant', errors);
  const id = await repo.insert(tx, tenantId, 'plant', { code: input.code, name: input.name, address: input.address ?? '', time_zone: timeZone, calendar_id: calendarId });
  return get(tx, tenantId, 'plant', id);
}

export async function createWorkshop(tx: Sql, tenantId: string, input: CreateWorkshopInput): Promise<Workshop> {
  const errors: FieldError[] = [];
  const plant = await resolve(tx, tenantId, 'plant', { id: input.plantId, code: input.plantCode }, 'plant', errors);
  const calendarId = await resolveCalendarRef(tx, tenantId, { id: input.calendarId, code: input.calendarCode }, errors, false);
  await assertCodeFree(tx, tenantId, 'workshop', input.code);
  if (errors.length || !plant) throw invalid('workshop', errors);
  const id = await repo.insert(tx, tenantId, 'workshop', { code: input.code, name: input.name, plant_id: plant.id, calendar_id: calendarId });
  return get(tx, tenantId, 'workshop', id);
}

export async function createLine(tx: Sql, tenantId: string, input: CreateProductionLineInput): Promise<ProductionLine> {
  const errors: FieldError[] = [];
  const workshop = await resolve(tx, tenantId, 'workshop', { id: input.workshopId, code: input.workshopCode }, 'workshop', errors);
  const calendarId = await resolveCalendarRef(tx, tenantId, { id: input.calendarId, code: input.calendarCode }, errors, false);
  await assertCodeFree(tx, tenantId, 'line', input.code);
  if (errors.length || !workshop) throw invalid('line', errors);
  const id = await repo.insert(tx, tenantId, 'line', { code: input.code, name: input.name, workshop_id: workshop.id, calendar_id: calendarId });
  return get(tx, tenantId, 'line', id);
}

/** A work centre on a line takes the line's workshop; naming both, the line must be in it. */
export async function createWorkCentre(tx: Sql, tenantId: string, input: CreateWorkCentreInput): Promise<WorkCentre> {
  const errors: FieldError[] = [];
  const line = await resolve(tx, tenantId, 'line', { id: input.lineId, code: input.lineCode }, 'line', errors, false);
  const named = input.workshopId || input.workshopCode;
  const workshop = named || !line ? await resolve(tx, tenantId, 'workshop', { id: input.workshopId, code: input.workshopCode }, 'workshop', errors) : undefined;
  const workshopId = workshop?.id ?? line?.workshopId;
  if (line && workshop && line.workshopId !== workshop.id) errors.push(fieldError(input.lineId ? 'lineId' : 'lineCode', 'LINE_NOT_IN_WORKSHOP', `line ${line.code} is in workshop ${line.workshopCode}, not ${workshop.code}`));
  const calendarId = await resolveCalendarRef(tx, tenantId, { id: input.calendarId, code: input.calendarCode }, errors, false);
  checkEfficiency(input.efficiency, errors);
  await assertCodeFree(tx, tenantId, 'workCentre', input.code);
  if (errors.length || !workshopId) throw invalid('workCentre', errors);
  const id = await repo.insert(tx, tenantId, 'workCentre', {
    code: input.code, name: input.name, workshop_id: workshopId, line_id: line?.id ?? null, capacity_unit: input.capacityUnit,
    parallel_count: input.parallelCount ?? 1, efficiency: formatQty(qty(input.efficiency ?? '100')), calendar_id: calendarId,
  });
  return publicWorkCentre(await get(tx, tenantId, 'workCentre', id));
}

export async function createStation(tx: Sql, tenantId: string, input: CreateStationInput): Promise<Station> {
  const errors: FieldError[] = [];
  const centre = await resolve(tx, tenantId, 'workCentre', { id: input.workCentreId, code: input.workCentreCode }, 'workCentre', errors);
  await assertCodeFree(tx, tenantId, 'station', input.code);
  if (errors.length || !centre) throw invalid('station', errors);
  const id = await repo.insert(tx, tenantId, 'station', { code: input.code, name: input.name, work_centre_id: centre.id });
  return get(tx, tenantId, 'station', id);
}

/** Optimistic update of any level: only the columns given change. */
async function updateLevel<L extends Level>(tx: Sql, tenantId: string, level: L, id: string, version: number, set: Record<string, unknown>, errors: FieldError[]) {
  const current = await get(tx, tenantId, level, id);
  if (errors.length) throw invalid(level, errors, false);
  const columns = Object.fromEntries(Object.entries(set).filter(([, v]) => v !== undefined));
  if (!(await repo.update(tx, tenantId, level, id, version, columns))) {
    throw conflict('VERSION_CONFLICT', `${LABEL[level]} ${current.code} is at version ${current.version}, not ${version}`, { currentVersion: current.version });
  }
  return get(tx, tenantId, level, id);
}

export async function updatePlant(tx: Sql, tenantId: string, id: string, input: UpdatePlantInput): Promise<PlantSummary> {
  const errors: FieldError[] = [];
  if (input.timeZone) checkTimeZone(input.timeZone, errors);
  if (input.calendarId) await resolveCalendarRef(tx, tenantId, { id: input.calendarId }, errors, true);
  return updateLevel(tx, tenantId, 'plant', id, input.version, { name: input.name, status: input.status, address: input.address, time_zone: input.timeZone, calendar_id: input.calendarId }, errors);
}

/** Workshops and lines: name, status and own calendar (null: the parent's). */
export async function updateWithCalendar(tx: Sql, tenantId: string, level: 'workshop' | 'line', id: string, input: UpdateLevelInput) {
  const errors: FieldError[] = [];
  if (input.calendarId) await resolveCalendarRef(tx, tenantId, { id: input.calendarId }, errors, true);
  return updateLevel(tx, tenantId, level, id, input.version, { name: input.name, status: input.status, calendar_id: input.calendarId }, errors);
}

export async function updateWorkCentre(tx: Sql, tenantId: string, id: string, input: UpdateWorkCentreInput): Promise<WorkCentre> {
  const errors: FieldError[] = [];
  if (input.calendarId) await resolveCalendarRef(tx, tenantId, { id: input.calendarId }, errors, true);
  checkEfficiency(input.efficiency, errors);
  return publicWorkCentre(await updateLevel(tx, tenantId, 'workCentre', id, input.version, {
    name: input.name, status: input.status, calendar_id: input.calendarId, capacity_unit: input.capacityUnit, parallel_count: input.parallelCount,
    efficiency: input.efficiency === undefined ? undefined : formatQty(qty(input.efficiency)),
  }, errors));
}

export async function updateStation(tx: Sql, tenantId: string, id: string, input: { version: number; name?: string; status?: 'active' | 'blocked' }): Promise<Station> {
  return updateLevel(tx, tenantId, 'station', id, input.version, { name: input.name, status: input.status }, []);
}

export function publicWorkCentre(w: WorkCentreWithZone): WorkCentre {
  const { timeZone: _, ...rest } = w;
  return rest;
}

// ---------------------------------------------------------------- for other modules

/** Work centres by id or code, in one query. */
export async function findWorkCentres(tx: Sql, tenantId: string, ids: string[], codes: string[]): Promise<WorkCentre[]> {
  return (await repo.findMany(tx, tenantId, 'workCentre', ids, codes)).map(publicWorkCentre);
}

export const findPlants = (tx: Sql, tenantId: string, ids: string[], codes: string[] = []) => repo.findMany(tx, tenantId, 'plant', ids, codes);
export const findWorkshops = (tx: Sql, tenantId: string, ids: string[], codes: string[] = []) => repo.findMany(tx, tenantId, 'workshop', ids, codes);
export const findLines = (tx: Sql, tenantId: string, ids: string[], codes: string[] = []) => repo.findMany(tx, tenantId, 'line', ids, codes);
export const findStations = (tx: Sql, tenantId: string, ids: string[], codes: string[] = []) => repo.findMany(tx, tenantId, 'station', ids, codes);

// ---------------------------------------------------------------- capacity

export function checkPeriod(from: string, to: string): void {
  const days = daysBetween(from, to);
  if (days < 0) throw badRequest('INVALID_PERIOD', 'from must not be after to', [fieldError('to', 'BEFORE_FROM', 'must be on or after from', 'query')]);
  if (days >= MAX_CAPACITY_DAYS) throw badRequest('INVALID_PERIOD', `at most ${MAX_CAPACITY_DAYS} days at once`, [fieldError('to', 'PERIOD_TOO_LONG', `at most ${MAX_CAPACITY_DAYS} days after from`, 'query')]);
}

/**
 * Capacity per day of many work centres over [from, to] (inclusive), in three queries whatever
 * their number: the scheduler's input. Unknown ids are absent from the map.
 */
export async function capacityOf(tx: Sql, tenantId: string, workCentreIds: string[], from: string, to: string): Promise<Map<string, Capacity>> {
  checkPeriod(from, to);
  const centres = await repo.findMany(tx, tenantId, 'workCentre', workCentreIds, []);
  const { shifts, exceptions } = await repo.calendarDays(tx, tenantId, [...new Set(centres.map((c) => c.effectiveCalendarId))], from, to);
  const out = new Map<string, Capacity>();
  for (const c of centres) {
    const days = capacityDays({
      parallelCount: c.parallelCount,
      efficiency: c.efficiency,
      shifts: shifts.filter((s) => s.calendar_id === c.effectiveCalendarId),
      exceptions: exceptions.filter((e) => e.calendar_id === c.effectiveCalendarId),
    }, from, to);
    const total = days.reduce((n, d) => n.plus(qty(d.capacityMinutes)), qty(0));
    out.set(c.id, {
      workCentreId: c.id, workCentreCode: c.code, capacityUnit: c.capacityUnit, parallelCount: c.parallelCount, efficiency: c.efficiency,
      calendarId: c.effectiveCalendarId, calendarCode: c.effectiveCalendarCode, timeZone: c.timeZone, from, to, days,
      totalMinutes: formatQty(total), totalHours: formatQty(roundTo(total.div(60), 4, 'half_up')),
    });
  }
  return out;
}

/** Capacity hours per day of one work centre over [from, to] (what planning calls). */
export async function capacityHours(tx: Sql, tenantId: string, workCentreId: string, from: string, to: string): Promise<Capacity> {
  const found = (await capacityOf(tx, tenantId, [workCentreId], from, to)).get(workCentreId);
  if (!found) throw notFound('work centre', workCentreId);
  return found;
}
