import { Type } from '@sinclair/typebox';
import * as plant from '../plant/service.js';
import { CalendarExceptionInput, CreateCalendarBody, WeeklyShiftInput, type CreateCalendarInput } from '../plant/schema.js';
import { eachDocument, locating, presentGroups, type Locate } from './documents.js';
import { defined } from './kinds-masterdata.js';
import { distinct, str } from './rows.js';
import type { KindSpec, Row } from './spec.js';

const WEEKDAYS: Record<string, string[]> = {
  1: ['周一', '星期一', 'mon', 'monday'], 2: ['周二', '星期二', 'tue', 'tuesday'], 3: ['周三', '星期三', 'wed', 'wednesday'], 4: ['周四', '星期四', 'thu', 'thursday'],
  5: ['周五', '星期五', 'fri', 'friday'], 6: ['周六', '星期六', 'sat', 'saturday'], 7: ['周日', '星期日', '星期天', '周天', 'sun', 'sunday'],
};

/** A row without a date is a weekly shift (its weekday, when missing or misspelt, is what is reported). */
const isWeekly = (v: Record<string, unknown>) => v.weekday !== undefined || v.date === undefined;
/** A row names a shift when it has any of a shift's cells; a date row without one is a holiday. */
const hasShift = (v: Record<string, unknown>) => [v.shiftName, v.start, v.end, v.breakMinutes].some((x) => x !== undefined);
const shiftOf = (v: Record<string, unknown>) => defined({ name: v.shiftName, start: v.start, end: v.end, breakMinutes: v.breakMinutes });

/** A weekly row as the calendar's weekly shift; a date row as that day's exception with its one shift (or none: a holiday). */
function calendarRow(v: Record<string, unknown>): Record<string, unknown> {
  if (isWeekly(v)) return defined({ weekday: Number(v.weekday), ...shiftOf(v), date: v.date, reason: v.reason });
  return defined({ date: v.date, reason: v.reason, shifts: hasShift(v) ? [shiftOf(v)] : [] });
}

/** A shift's service field (`shifts[2].start`) as its column's field. */
const SHIFT_FIELD: Record<string, string> = { name: 'shiftName', start: 'start', end: 'end', breakMinutes: 'breakMinutes', weekday: 'weekday', date: 'date', reason: 'reason' };
const HEADER_FIELD: Record<string, string> = { code: 'calendarCode', name: 'calendarName' };

/**
 * Plant calendars (the working time capacity comes from, S1-5.4.4-e): one row per weekly shift (星期 and
 * its times) or per exception day (日期: with times a shift worked that day, without a holiday),
 * the calendar's code and name repeated. The rows of a code become one calendar through the plant
 * service; a code the tenant already has is left as it is.
 */
export const calendars: KindSpec = {
  kind: 'calendars', en: 'Calendars', zh: '工作日历', permission: 'masterdata:write',
  columns: [
    { field: 'calendarCode', en: 'Calendar code', zh: '日历编码', aliases: ['日历', '工作日历编码'], type: 'text', required: true, example: 'CAL-STD' },
    { field: 'calendarName', en: 'Calendar name', zh: '日历名称', aliases: ['工作日历名称'], type: 'text', required: true, example: '标准日历' },
    { field: 'weekday', en: 'Weekday', zh: '星期', aliases: ['周几'], type: 'enum', example: '周一', values: WEEKDAYS },
    { field: 'date', en: 'Date', zh: '日期', aliases: ['例外日期', '节假日日期'], type: 'date', example: '' },
    { field: 'reason', en: 'Reason', zh: '说明', aliases: ['节假日', '原因', '备注'], type: 'text', example: '' },
    { field: 'shiftName', en: 'Shift', zh: '班次', aliases: ['班次名称', '班别'], type: 'text', example: '白班' },
    { field: 'start', en: 'Start', zh: '开始时间', aliases: ['上班时间', '开始'], type: 'time', example: '08:00' },
    { field: 'end', en: 'End', zh: '结束时间', aliases: ['下班时间', '结束'], type: 'time', example: '17:00' },
    { field: 'breakMinutes', en: 'Break minutes', zh: '休息分钟', aliases: ['休息时间', '休息'], type: 'integer', example: '60' },
  ],
  body: WeeklyShiftInput,
  bodyOf: (v) => (isWeekly(v) ? WeeklyShiftInput : CalendarExceptionInput),
  fieldOfPath: { name: 'shiftName', 'shifts/0/name': 'shiftName', 'shifts/0/start': 'start', 'shifts/0/end': 'end', 'shifts/0/breakMinutes': 'breakMinutes' },
  input: calendarRow,
  header: {
    body: Type.Pick(CreateCalendarBody, ['code', 'name']),
    input: (v) => defined({ code: v.calendarCode, name: v.calendarName }),
    fieldOfPath: HEADER_FIELD,
  },
  key: (v) => [str(v.calendarCode), isWeekly(v) ? `w${str(v.weekday)}` : `d${str(v.date)}`, str(v.start)].join('|'),
  group: (v) => str(v.calendarCode),
  async present(tx, tenantId, rows) {
    const held = await plant.existingCalendars(tx, tenantId, distinct(rows, 'calendarCode'));
    return presentGroups(calendars, rows, (code) => held.has(code));
  },
  async write(tx, ctx, rows) {
    await eachDocument(tx, ctx, calendars, rows, { lines: 'shifts' }, async (lines) => {
      const weekly = lines.filter((l) => isWeekly(l.values));
      const days = new Map<string, Row[]>();
      for (const l of lines.filter((r) => !isWeekly(r.values))) (days.get(str(l.values.date)) ?? days.set(str(l.values.date), []).get(str(l.values.date))!).push(l);
      const dayRows = [...days.values()];
      const input = {
        ...calendars.header!.input(lines[0].values),
        shifts: weekly.map((l) => calendarRow(l.values)),
        exceptions: dayRows.map((rs) => defined({ date: str(rs[0].values.date), reason: rs.map((r) => str(r.values.reason)).find(Boolean), shifts: rs.filter((r) => hasShift(r.values)).map((r) => shiftOf(r.values)) })),
      } as unknown as CreateCalendarInput;
      await locating(calendars, lines[0], locateIn(lines[0], weekly, dayRows), () => plant.createCalendar(tx, ctx.tenantId, input));
    });
  },
};

/** The row of a calendar's field error: `shifts[i]` is the i-th weekly row, `exceptions[i].shifts[k]` the k-th shift row of the i-th date. */
function locateIn(first: Row, weekly: Row[], days: Row[][]): Locate {
  return (field) => {
    const w = /^shifts\[(\d+)\]\.?(\w*)$/.exec(field);
    if (w && weekly[Number(w[1])]) return { row: weekly[Number(w[1])], field: SHIFT_FIELD[w[2]] ?? 'start' };
    const e = /^exceptions\[(\d+)\](?:\.shifts\[(\d+)\])?\.?(\w*)$/.exec(field);
    const day = e ? days[Number(e[1])] : undefined;
    if (e && day) {
      const row = e[2] === undefined ? day[0] : day.filter((r) => hasShift(r.values))[Number(e[2])] ?? day[0];
      return { row, field: SHIFT_FIELD[e[3]] ?? 'date' };
    }
    return { row: first, field: HEADER_FIELD[field] ?? field };
  };
}
