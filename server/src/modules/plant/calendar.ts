/**
 * Working time from calendars (pure): which shifts a date works, and the capacity that gives a work
 * centre. Minutes are exact integers per shift; capacity minutes are exact decimals (parallel count
 * × efficiency); hours are for display, rounded to 4 decimals.
 */
import { fieldError, type FieldError } from '../../platform/errors.js';
import { formatQty, qty, roundTo } from '../../platform/quantity.js';
import { shiftMinutes, toShift, type NewShift, type ShiftRow } from './repo.js';
import type { CapacityDay } from './schema.js';

/** A shift as entered: on a weekday of the pattern or on an exception date. */
export interface CalendarDayInput {
  weekday?: number;
  date?: string;
  name?: string;
  start: string;
  end: string;
  breakMinutes?: number;
}

const DAY_MS = 86_400_000;
export const MAX_CAPACITY_DAYS = 366;

const toDate = (iso: string) => new Date(`${iso}T00:00:00Z`);
export const isoDate = (d: Date) => d.toISOString().slice(0, 10);
export const addDays = (iso: string, n: number) => isoDate(new Date(toDate(iso).getTime() + n * DAY_MS));
/** 1 = Monday … 7 = Sunday. */
export const isoWeekday = (iso: string) => ((toDate(iso).getUTCDay() + 6) % 7) + 1;
export const daysBetween = (from: string, to: string) => Math.round((toDate(to).getTime() - toDate(from).getTime()) / DAY_MS);

const start = (s: { start: string }) => Number(s.start.slice(0, 2)) * 60 + Number(s.start.slice(3, 5));

/**
 * Checks one day's shifts (a weekday of the pattern, or an exception date) and numbers them by
 * start time: breaks shorter than the shift, no two shifts overlapping (a night shift overlaps the
 * next day's early shifts only through its own day, which is not checked across days).
 */
export function checkDayShifts(shifts: CalendarDayInput[], field: (i: number) => string, errors: FieldError[]): NewShift[] {
  const sorted = shifts.map((s, i) => ({ s, i })).sort((a, b) => start(a.s) - start(b.s));
  const out: NewShift[] = [];
  let previousEnd = -1;
  for (const [n, { s, i }] of sorted.entries()) {
    const breakMinutes = s.breakMinutes ?? 0;
    const minutes = shiftMinutes(s.start, s.end, breakMinutes);
    if (minutes <= 0) errors.push(fieldError(`${field(i)}.breakMinutes`, 'BREAK_TOO_LONG', `a ${s.start}–${s.end} shift has no working time left after ${breakMinutes} minutes of breaks`));
    if (start(s) < previousEnd) errors.push(fieldError(`${field(i)}.start`, 'SHIFTS_OVERLAP', `the shift starting ${s.start} overlaps the one before it`));
    previousEnd = start(s) + minutes + breakMinutes;
    out.push({ weekday: s.weekday, date: s.date, shiftNo: n + 1, name: s.name ?? '', start: s.start, end: s.end, breakMinutes });
  }
  return out;
}

export interface CapacityInput {
  parallelCount: number;
  efficiency: string;
  shifts: ShiftRow[];
  exceptions: { on_date: string; reason: string }[];
}

/** Day by day over [from, to]: the shifts worked, their minutes and the work centre's capacity. */
export function capacityDays(c: CapacityInput, from: string, to: string): CapacityDay[] {
  const days: CapacityDay[] = [];
  const exceptions = new Map(c.exceptions.map((e) => [e.on_date, e.reason]));
  for (let date = from; date <= to; date = addDays(date, 1)) {
    const exception = exceptions.get(date);
    const rows = exception === undefined ? c.shifts.filter((s) => s.weekday === isoWeekday(date)) : c.shifts.filter((s) => s.on_date === date);
    const shifts = rows.map(toShift).map((s) => ({
      shiftNo: s.shiftNo,
      name: s.name,
      start: `${date}T${s.start}`,
      end: `${s.end > s.start ? date : addDays(date, 1)}T${s.end}`,
      minutes: s.minutes,
    }));
    const minutes = shifts.reduce((n, s) => n + s.minutes, 0);
    const capacity = qty(minutes).mul(c.parallelCount).mul(qty(c.efficiency)).div(100);
    days.push({
      date,
      exception: exception ?? null,
      shifts,
      shiftMinutes: minutes,
      capacityMinutes: formatQty(capacity),
      capacityHours: formatQty(roundTo(capacity.div(60), 4, 'half_up')),
    });
  }
  return days;
}
