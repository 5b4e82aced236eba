/**
 * Capacity reports (设备产能分布报表, S1-5.4.6-f): per machine and work centre over whole days,
 * the hours the plant calendar makes available (its work centre's calendar, through the plant
 * module), the hours the machine ran (its state history) and utilisation = run / available.
 *
 * Days are the work centre's local days: run time is counted from local midnight of `from` to
 * local midnight after `to` in its time zone. Available hours are the calendar's shift minutes
 * for one machine (the work centre's parallel count and efficiency are its own capacity, given
 * per work centre as `calendarCapacityHours`). Run time outside shifts counts too, so overtime
 * shows as utilisation above 1. A machine on no work centre has no calendar: listed, with
 * `missing: NO_WORK_CENTRE`, and left out of the sums.
 */
import type { Sql } from '../../platform/db.js';
import { addDays } from '../plant/calendar.js';
import { capacityOf, checkPeriod } from '../plant/service.js';
import { zonedToUtc } from '../production/scheduling.js';
import { fleetOf } from './fleet.js';
import type { CapacityReport } from './schema.js';
import { stateSecondsByMachine } from './telemetry-repo.js';

const round = (n: number) => Math.round(n * 1e4) / 1e4;
const ratio = (run: number, available: number) => (available > 0 ? round(run / available) : null);

export async function capacityReport(tx: Sql, tenantId: string, q: { from: string; to: string; workshopId?: string; workCentreId?: string }, now = new Date()): Promise<CapacityReport> {
  checkPeriod(q.from, q.to);
  const machines = await fleetOf(tx, tenantId, q);
  const centres = await capacityOf(tx, tenantId, [...new Set(machines.flatMap((m) => (m.workCentreId ? [m.workCentreId] : [])))], q.from, q.to);
  const run = await runSecondsByZone(tx, tenantId, machines, centres, q.from, q.to, now);
  const rows: CapacityReport['machines'] = machines.map((m) => {
    const c = m.workCentreId ? centres.get(m.workCentreId) : undefined;
    if (!c) return { equipmentId: m.id, code: m.code, workCentreId: m.workCentreId, workCentreCode: null, calendarCode: null, timeZone: null, availableHours: null, runHours: null, utilisation: null, missing: 'NO_WORK_CENTRE' };
    const availableHours = round(c.days.reduce((n, d) => n + d.shiftMinutes, 0) / 60);
    const runHours = round((run.get(m.id) ?? 0) / 3600);
    return { equipmentId: m.id, code: m.code, workCentreId: c.workCentreId, workCentreCode: c.workCentreCode, calendarCode: c.calendarCode, timeZone: c.timeZone, availableHours, runHours, utilisation: ratio(runHours, availableHours), missing: null };
  });
  const workCentres = [...centres.values()].map((c) => {
    const mine = rows.filter((r) => r.workCentreId === c.workCentreId);
    const availableHours = round(mine.reduce((n, r) => n + r.availableHours!, 0));
    const runHours = round(mine.reduce((n, r) => n + r.runHours!, 0));
    return { workCentreId: c.workCentreId, workCentreCode: c.workCentreCode, machines: mine.length, availableHours, runHours, utilisation: ratio(runHours, availableHours), calendarCapacityHours: Number(c.totalHours) };
  }).sort((a, b) => a.workCentreCode.localeCompare(b.workCentreCode));
  const counted = rows.filter((r) => r.missing === null);
  const availableHours = round(counted.reduce((n, r) => n + r.availableHours!, 0));
  const runHours = round(counted.reduce((n, r) => n + r.runHours!, 0));
  return { from: q.from, to: q.to, machines: rows, workCentres, totals: { machines: counted.length, availableHours, runHours, utilisation: ratio(runHours, availableHours) } };
}

/** Run seconds per machine over its work centre's local days [from, to]: one query per time zone. */
async function runSecondsByZone(
  tx: Sql, tenantId: string, machines: Array<{ id: string; workCentreId: string | null }>, centres: Awaited<ReturnType<typeof capacityOf>>, from: string, to: string, now: Date,
): Promise<Map<string, number>> {
  const byZone = new Map<string, string[]>();
  for (const m of machines) {
    const zone = m.workCentreId ? centres.get(m.workCentreId)?.timeZone : undefined;
    if (zone) byZone.set(zone, [...(byZone.get(zone) ?? []), m.id]);
  }
  const out = new Map<string, number>();
  for (const [zone, ids] of byZone) {
    const start = new Date(zonedToUtc(`${from}T00:00`, zone)).toISOString();
    const end = new Date(zonedToUtc(`${addDays(to, 1)}T00:00`, zone)).toISOString();
    for (const r of await stateSecondsByMachine(tx, tenantId, ids, start, end, now)) if (r.state === 'run') out.set(r.equipment_id, r.seconds);
  }
  return out;
}
