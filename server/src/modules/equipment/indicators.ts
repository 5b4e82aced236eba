/**
 * Indicators (S1-5.4.6-f) per machine and period, from the state history and the count point:
 * availability = run / planned time, performance = output / (target output per hour × run hours),
 * quality = good / (good + scrap) of the production work reports that named the machine and ended
 * in the period (through production's service), OEE = availability × performance × quality (no
 * report: quality null, counted as 1). Intact rate = the share of the period the machine was not
 * down. MTBF = run time / failures, MTTR = mean length of the down periods that
 * started in the period, failure rate = failures per run hour. Energy: the increase of the energy
 * meter point over the period; over periods longer than two days the counters are read from the
 * hour rollups.
 */
import type { Sql } from '../../platform/db.js';
import { qty } from '../../platform/quantity.js';
import { equipmentOutputs } from '../production/reporting.js';
import { getEquipment } from './master.js';
import type { Indicators } from './schema.js';
import { stateHistory } from './status.js';
import { counterIncreaseHourly, MINUTE_SERIES_MAX_MS } from './rollups.js';
import { counterIncrease } from './telemetry-repo.js';

const round = (n: number, digits = 4) => Math.round(n * 10 ** digits) / 10 ** digits;

export async function indicators(tx: Sql, tenantId: string, id: string, from: string, to: string, now = Date.now()): Promise<Indicators> {
  const e = await getEquipment(tx, tenantId, id);
  const history = await stateHistory(tx, tenantId, id, from, to, now);
  const s = history.seconds;
  const periodSeconds = (Date.parse(history.to) - Date.parse(history.from)) / 1000;
  const known = s.run + s.idle + s.down + s.setup + s.other;
  const planned = e.availableMinutesPerDay !== null ? periodSeconds * (e.availableMinutesPerDay / 1440) : known;
  // Long periods read the hour rollups (the raw readings of old months may be gone by retention).
  const hourly = periodSeconds * 1000 > MINUTE_SERIES_MAX_MS;
  const increase = (point: string) => (hourly ? counterIncreaseHourly : counterIncrease)(tx, tenantId, id, point, history.from, history.to);
  const output = e.countPoint ? await increase(e.countPoint) : null;
  const energy = e.energyPoint ? await increase(e.energyPoint) : null;
  const a = planned > 0 ? Math.min(1, s.run / planned) : null;
  const p = output !== null && e.targetOutputPerHour !== null && s.run > 0 ? output / (e.targetOutputPerHour * (s.run / 3600)) : null;
  const fStart = Date.parse(history.from);
  const downs = history.periods.filter((p) => p.state === 'down' && Date.parse(p.start) >= fStart);
  const failures = downs.length;
  const q = await qualityRate(tx, tenantId, e.code, history.from, history.to);
  // OEE from the unrounded factors, so rounding happens once.
  const oee = a !== null && p !== null ? round(a * p * (q.ratio ?? 1)) : null;
  return {
    equipmentId: id, code: e.code, from: history.from, to: history.to, seconds: s, plannedSeconds: round(planned, 3), output,
    energy: energy === null ? null : round(energy, 6), energyUnit: e.energyPoint ? e.points.find((p) => p.point === e.energyPoint)?.unit ?? null : null,
    availability: a === null ? null : round(a), performance: p === null ? null : round(p), quality: q.ratio === null ? null : round(q.ratio),
    workReports: q.workReports, goodQuantity: q.goodQuantity, scrapQuantity: q.scrapQuantity, oee,
    intactRate: periodSeconds > 0 ? round((periodSeconds - s.down) / periodSeconds) : null,
    failures,
    mtbfSeconds: failures ? round(s.run / failures, 3) : null,
    mttrSeconds: failures ? round(downs.reduce((n, p) => n + p.seconds, 0) / failures, 3) : null,
    failureRatePerHour: failures && s.run > 0 ? round(failures / (s.run / 3600)) : null,
    countersFrom: hourly ? 'hourRollups' : 'readings',
  };
}

/** Quality rate from production's work reports on the machine: good / (good + scrap); null when none reported anything good or scrapped. */
async function qualityRate(tx: Sql, tenantId: string, code: string, from: string, to: string) {
  const r = (await equipmentOutputs(tx, tenantId, [code], from, to)).get(code);
  const good = qty(r?.goodQuantity ?? '0');
  const total = good.plus(qty(r?.scrapQuantity ?? '0'));
  return { ratio: total.gt(0) ? good.div(total).toNumber() : null, workReports: r?.reports ?? 0, goodQuantity: r?.goodQuantity ?? '0', scrapQuantity: r?.scrapQuantity ?? '0' };
}
