/**
 * Quality reports (S1-5.4.5-f): defect distribution (Pareto by defect code, supplier, material,
 * operation or line), first-pass yield per material and inspection type, PPM per supplier,
 * inspection lead time (created → judged) per inspection type and per supplier, and an X̄-R control
 * chart of a quantitative item with Western Electric rule violations flagged. All over inspections
 * judged in [from, to).
 */
import type { Sql } from '../../platform/db.js';
import { notFound, unprocessable, fieldError } from '../../platform/errors.js';
import * as production from '../production/orders.js';
import * as repo from './report-repo.js';
import * as standardsRepo from './standards-repo.js';

export interface Period { from: string; to: string }

export async function defectPareto(tx: Sql, t: string, p: Period, by: repo.ParetoBy) {
  // Production places the shop-floor references; quality counts its own results against them.
  const places = by === 'operation' || by === 'line' ? await production.operationsAt(tx, t, await repo.shopFloorRefs(tx, t, p)) : [];
  const rows = await repo.defectCounts(tx, t, p, by, places);
  const total = rows.reduce((s, r) => s + r.count, 0);
  let running = 0;
  return {
    groupBy: by, from: p.from, to: p.to, total,
    items: rows.map((r) => {
      running += r.count;
      return { key: r.key, name: r.name, count: r.count, share: pct(r.count, total), cumulativeShare: pct(running, total) };
    }),
  };
}

const pct = (n: number, d: number) => (d ? Math.round((n / d) * 10_000) / 100 : 0);

export async function firstPassYield(tx: Sql, t: string, p: Period) {
  const rows = await repo.yieldRows(tx, t, p);
  return {
    from: p.from, to: p.to,
    items: rows.map((r) => ({ ...r, firstPassYield: pct(r.passedFirst, r.lots) })),
  };
}

export async function supplierPpm(tx: Sql, t: string, p: Period) {
  const rows = await repo.supplierRows(tx, t, p);
  return {
    from: p.from, to: p.to,
    items: rows.map((r) => ({
      ...r,
      // Defective pieces per million inspected (the samples), and rejected per million received (the lots).
      samplePpm: r.sampled ? Math.round((r.defectives / r.sampled) * 1_000_000) : 0,
      lotPpm: Number(r.received) ? Math.round((Number(r.rejected) / Number(r.received)) * 1_000_000) : 0,
    })),
  };
}

/** Created → judged in minutes (0.1): p50, p95 (continuous percentiles, as percentile_cont), mean and max, per inspection type and per supplier. */
export async function leadTimes(tx: Sql, t: string, p: Period) {
  const rows = async (by: 'type' | 'supplier') => (await repo.leadTimeRows(tx, t, p, by)).map((r) => ({
    key: r.key, name: r.name, lots: r.lots, p50Minutes: tenth(r.p50), p95Minutes: tenth(r.p95), meanMinutes: tenth(r.mean), maxMinutes: tenth(r.max),
  }));
  return { from: p.from, to: p.to, byInspectionType: await rows('type'), bySupplier: await rows('supplier') };
}

const tenth = (v: number) => Math.round(Number(v) * 10) / 10;

/** Shewhart constants for X̄-R charts by subgroup size n (ISO 7870-2 Table 2). */
const A2: Record<number, number> = { 2: 1.88, 3: 1.023, 4: 0.729, 5: 0.577, 6: 0.483, 7: 0.419, 8: 0.373, 9: 0.337, 10: 0.308 };
const D3: Record<number, number> = { 2: 0, 3: 0, 4: 0, 5: 0, 6: 0, 7: 0.076, 8: 0.136, 9: 0.184, 10: 0.223 };
const D4: Record<number, number> = { 2: 3.267, 3: 2.574, 4: 2.282, 5: 2.114, 6: 2.004, 7: 1.924, 8: 1.864, 9: 1.816, 10: 1.777 };

const round = (v: number) => Math.round(v * 1e6) / 1e6;

/** X̄-R: each inspection of the plan is a subgroup (its samples' values of the item), oldest first. */
export async function controlChart(tx: Sql, t: string, planId: string, itemCode: string, p: Period) {
  const plan = await standardsRepo.findPlan(tx, t, planId);
  if (!plan) throw notFound('quality plan', planId);
  const groups = await repo.itemSubgroups(tx, t, planId, itemCode, p);
  const n = groups[0]?.values.length ?? 0;
  if (groups.length < 2 || groups.some((g) => g.values.length !== n) || !A2[n]) {
    throw unprocessable('CHART_NOT_POSSIBLE', 'an X̄-R chart needs at least 2 inspections, each with the same 2…10 values of the item', [
      fieldError('itemCode', 'SUBGROUPS_UNFIT', `${groups.length} inspections with ${[...new Set(groups.map((g) => g.values.length))].join('/') || 'no'} values of ${itemCode}`, 'query'),
    ]);
  }
  const points = groups.map((g) => ({ inspectionId: g.inspectionId, docNo: g.docNo, mean: g.values.reduce((s, v) => s + v, 0) / n, range: Math.max(...g.values) - Math.min(...g.values) }));
  const grand = points.reduce((s, x) => s + x.mean, 0) / points.length;
  const rBar = points.reduce((s, x) => s + x.range, 0) / points.length;
  const sigma = (A2[n] * rBar) / 3;
  const flags = westernElectric(points.map((x) => x.mean), grand, sigma);
  return {
    planId, itemCode, subgroupSize: n,
    xBar: { centre: round(grand), ucl: round(grand + A2[n] * rBar), lcl: round(grand - A2[n] * rBar) },
    range: { centre: round(rBar), ucl: round(D4[n] * rBar), lcl: round(D3[n] * rBar) },
    points: points.map((x, i) => ({ ...x, mean: round(x.mean), range: round(x.range), violations: flags[i] })),
  };
}

/**
 * Western Electric rules on the means: 1 beyond 3σ; 2 of 3 beyond 2σ on one side; 4 of 5 beyond
 * 1σ on one side; 8 in a row on one side of the centre. A point is flagged with every rule whose
 * run ends at it.
 */
export function westernElectric(means: number[], centre: number, sigma: number): number[][] {
  const z = means.map((m) => (sigma > 0 ? (m - centre) / sigma : 0));
  const run = (i: number, len: number, need: number, beyond: number) => {
    if (i + 1 < len) return false;
    const window = z.slice(i + 1 - len, i + 1);
    return [1, -1].some((side) => window.filter((v) => v * side > beyond).length >= need && z[i] * side > beyond);
  };
  return z.map((v, i) => {
    const rules: number[] = [];
    if (Math.abs(v) > 3) rules.push(1);
    if (run(i, 3, 2, 2)) rules.push(2);
    if (run(i, 5, 4, 1)) rules.push(3);
    if (run(i, 8, 8, 0)) rules.push(4);
    return rules;
  });
}
