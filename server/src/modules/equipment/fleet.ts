/**
 * Intact rate (设备完好率, S1-5.4.6-f) per machine and per fleet over a period.
 *
 * Chinese equipment management counts it two ways: by machines (完好设备台数 / 设备总台数, at a
 * moment of inspection) and by machine time (完好台时 / 日历台时). With continuous state data the
 * second is the one that can be measured without an inspector: a machine is intact while it is
 * not down, so per machine the rate is (period − down) / period. The fleet rate adds the machines'
 * intact time and divides by their calendar time, which is the count ratio (intact machines / all
 * machines) averaged over every moment of the period; the count ratio at the period's end, the
 * inspector's snapshot, is given next to it. Time with no known state counts as intact: a machine
 * is down only once it said so.
 */
import type { Sql } from '../../platform/db.js';
import { badRequest, fieldError } from '../../platform/errors.js';
import * as repo from './repo.js';
import type { IntactRate } from './schema.js';
import { checkPeriod } from './status.js';
import { stateSecondsByMachine, statesAt } from './telemetry-repo.js';

const round = (n: number) => Math.round(n * 1e4) / 1e4;

/** The active machines a fleet report covers; more than FLEET_MAX is 400 FLEET_TOO_LARGE (ask per workshop or work centre). */
export async function fleetOf(tx: Sql, tenantId: string, q: { workshopId?: string; workCentreId?: string }) {
  const machines = await repo.fleet(tx, tenantId, q);
  if (machines.length > repo.FLEET_MAX) {
    throw badRequest('FLEET_TOO_LARGE', `more than ${repo.FLEET_MAX} machines; ask per workshop or work centre`, [fieldError('workshopId', 'FLEET_TOO_LARGE', 'narrow the fleet', 'query')]);
  }
  return machines;
}

export async function intactRate(tx: Sql, tenantId: string, q: { from: string; to: string; workshopId?: string; workCentreId?: string }, now = new Date()): Promise<IntactRate> {
  checkPeriod(q.from, q.to);
  const from = new Date(q.from).toISOString();
  const to = new Date(q.to).toISOString();
  const machines = await fleetOf(tx, tenantId, q);
  const ids = machines.map((m) => m.id);
  const down = new Map<string, number>();
  for (const r of await stateSecondsByMachine(tx, tenantId, ids, from, to, now)) if (r.state === 'down') down.set(r.equipment_id, r.seconds);
  const atEnd = await statesAt(tx, tenantId, ids, to);
  const periodSeconds = (Date.parse(to) - Date.parse(from)) / 1000;
  const rows = machines.map((m) => {
    const downSeconds = down.get(m.id) ?? 0;
    const stateAtEnd = atEnd.get(m.id) ?? null;
    return {
      equipmentId: m.id, code: m.code, workCentreId: m.workCentreId, downSeconds, intactSeconds: periodSeconds - downSeconds,
      intactRate: periodSeconds > 0 ? round((periodSeconds - downSeconds) / periodSeconds) : null, stateAtEnd, intactAtEnd: stateAtEnd !== 'down',
    };
  });
  const calendar = periodSeconds * rows.length;
  const intactAtEnd = rows.filter((r) => r.intactAtEnd).length;
  return {
    from, to, periodSeconds, machines: rows,
    fleet: {
      machines: rows.length, intactSeconds: rows.reduce((n, r) => n + r.intactSeconds, 0), calendarSeconds: calendar,
      intactRate: calendar > 0 ? round(rows.reduce((n, r) => n + r.intactSeconds, 0) / calendar) : null,
      intactAtEnd, intactRateAtEnd: rows.length ? round(intactAtEnd / rows.length) : null,
    },
  };
}
