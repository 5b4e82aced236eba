/**
 * Live shop-floor data (S1-5.4.4-l, S1-4.3.6): what an e-kanban board shows. Per workshop and work
 * centre the open orders, the late ones and the operations by status; per open order each
 * operation's planned quantity against good, scrap and pending inspection; and every operation in
 * progress or paused with its station and operator. The board then follows the production feed
 * (the outbox, from `lastSeq` on) and reads this again when it wants totals.
 */
import { Decimal } from 'decimal.js';
import type { Sql } from '../../platform/db.js';
import { fieldError, unprocessable } from '../../platform/errors.js';
import { formatQty, qty } from '../../platform/quantity.js';
import { headOf } from '../events/repo.js';
import * as plant from '../plant/service.js';
import { materialsById, today } from './common.js';
import * as repo from './progress-repo.js';
import type { OperationProgress, OrderProgress, ProductionProgress, ProgressQuery } from './progress-schema.js';

/** A board never needs more than this many active operations at once; beyond it the tenant has other problems. */
const ACTIVE_LIMIT = 1000;

const STATUS_KEYS = { pending: 'pending', in_progress: 'inProgress', paused: 'paused', completed: 'completed' } as const;
const noCounts = () => ({ pending: 0, inProgress: 0, paused: 0, completed: 0 });

/** The workshop a query names (by id or code); 422 UNKNOWN_WORKSHOP if the tenant has none such. */
export async function workshopOf(tx: Sql, tenantId: string, q: { workshopId?: string; workshopCode?: string }): Promise<string | null> {
  if (!q.workshopId && !q.workshopCode) return null;
  const [w] = await plant.findWorkshops(tx, tenantId, q.workshopId ? [q.workshopId] : [], q.workshopId ? [] : [q.workshopCode!]);
  if (!w || (q.workshopId && q.workshopCode && w.code !== q.workshopCode)) {
    const field = q.workshopId ? 'workshopId' : 'workshopCode';
    throw unprocessable('UNKNOWN_WORKSHOP', `no workshop ${q.workshopId ?? q.workshopCode}`, [fieldError(field, 'UNKNOWN_WORKSHOP', `no workshop ${q.workshopId ?? q.workshopCode}${q.workshopCode && q.workshopId ? ` with code ${q.workshopCode}` : ''}`, 'query')]);
  }
  return w.id;
}

/** The line a query names (by id or code); 422 UNKNOWN_LINE if the tenant has none such. */
async function lineOf(tx: Sql, tenantId: string, q: { lineId?: string; lineCode?: string }): Promise<string | null> {
  if (!q.lineId && !q.lineCode) return null;
  const [l] = await plant.findLines(tx, tenantId, q.lineId ? [q.lineId] : [], q.lineId ? [] : [q.lineCode!]);
  if (!l || (q.lineId && q.lineCode && l.code !== q.lineCode)) {
    const field = q.lineId ? 'lineId' : 'lineCode';
    throw unprocessable('UNKNOWN_LINE', `no production line ${q.lineId ?? q.lineCode}`, [fieldError(field, 'UNKNOWN_LINE', `no production line ${q.lineId ?? q.lineCode}${q.lineCode && q.lineId ? ` with code ${q.lineCode}` : ''}`, 'query')]);
  }
  return l.id;
}

export async function progress(tx: Sql, tenantId: string, q: ProgressQuery): Promise<ProductionProgress> {
  // A workshop and a line together read the orders of that line in that workshop (none if the line is elsewhere).
  const scope: repo.Scope = { workshopId: await workshopOf(tx, tenantId, q), lineId: await lineOf(tx, tenantId, q) };
  const asOf = q.asOf ?? today();
  const limit = q.limit ?? 100;
  const lastSeq = await headOf(tx, tenantId);
  const orderRows = await repo.openOrders(tx, tenantId, scope, asOf, limit);
  const truncated = orderRows.length > limit;
  const orders = orderRows.slice(0, limit);
  const [totals, counts, opRows, activeRows] = [
    await repo.workshopTotals(tx, tenantId, scope, asOf),
    await repo.operationCounts(tx, tenantId, scope),
    orders.length ? await repo.operations(tx, tenantId, { orderIds: orders.map((o) => o.id), scope, limit: orders.length * 1000 }) : [],
    await repo.operations(tx, tenantId, { orderIds: null, scope, limit: ACTIVE_LIMIT }),
  ];
  const names = await namesOf(tx, tenantId, [...totals.map((t) => t.workshop_id), ...orders.map((o) => o.workshop_id)], [...counts, ...opRows, ...activeRows],
    [...opRows, ...activeRows].map((r) => r.station_id), [...orders, ...activeRows].map((r) => r.line_id));
  const materials = await materialsById(tx, tenantId, orders.map((o) => o.material_id));
  const present = (r: repo.ProgressOperationRow): OperationProgress => presentOperation(r, names);
  return {
    asOf,
    generatedAt: new Date().toISOString(),
    lastSeq,
    workshops: presentWorkshops(totals, counts, names),
    active: activeRows.map((r) => ({ orderId: r.order_id, docNo: r.doc_no, workshopId: r.workshop_id, ...lineOfRow(r.line_id, names), ...present(r) })),
    orders: orders.map((o): OrderProgress => {
      const m = materials.get(o.material_id)!;
      return {
        orderId: o.id, docNo: o.doc_no, status: o.status, materialId: o.material_id, materialCode: m.code, baseUnit: m.baseUnit, quantity: formatQty(qty(o.base_quantity)),
        received: formatQty(qty(o.received_base)), workshopId: o.workshop_id, workshopCode: o.workshop_id ? names.workshops.get(o.workshop_id)?.code ?? null : null,
        ...lineOfRow(o.line_id, names),
        plannedStart: o.planned_start, plannedFinish: o.planned_finish, dueDate: o.due_date, late: o.days_late > 0, daysLate: o.days_late,
        operations: opRows.filter((r) => r.order_id === o.id).map(present),
      };
    }),
    truncated,
  };
}

interface Names {
  workshops: Map<string, { code: string; name: string }>;
  lines: Map<string, string>;
  centres: Map<string, string>;
  stations: Map<string, string>;
}

async function namesOf(tx: Sql, tenantId: string, workshopIds: (string | null)[], centreRefs: { work_centre_id: string }[], stationIds: (string | null)[], lineIds: (string | null)[]): Promise<Names> {
  const ids = (xs: (string | null)[]) => [...new Set(xs.filter((x): x is string => x !== null))];
  const workshops = await plant.findWorkshops(tx, tenantId, ids(workshopIds));
  const centres = await plant.findWorkCentres(tx, tenantId, ids(centreRefs.map((r) => r.work_centre_id)), []);
  const stations = await plant.findStations(tx, tenantId, ids(stationIds));
  const lines = await plant.findLines(tx, tenantId, ids(lineIds));
  return {
    workshops: new Map(workshops.map((w) => [w.id, { code: w.code, name: w.name }])),
    lines: new Map(lines.map((l) => [l.id, l.code])),
    centres: new Map(centres.map((c) => [c.id, c.code])),
    stations: new Map(stations.map((s) => [s.id, s.code])),
  };
}

const lineOfRow = (lineId: string | null, names: Names) => ({ lineId, lineCode: lineId ? names.lines.get(lineId) ?? null : null });

function presentWorkshops(totals: repo.WorkshopTotalsRow[], counts: repo.CentreCountRow[], names: Names): ProductionProgress['workshops'] {
  const key = (id: string | null) => id ?? '';
  const out = new Map(totals.map((t) => {
    const w = t.workshop_id ? names.workshops.get(t.workshop_id) : undefined;
    return [key(t.workshop_id), {
      workshopId: t.workshop_id, workshopCode: w?.code ?? null, workshopName: w?.name ?? null, openOrders: t.open_orders, lateOrders: t.late_orders,
      operations: noCounts(), workCentres: [] as ProductionProgress['workshops'][number]['workCentres'],
    }];
  }));
  for (const c of counts) {
    const shop = out.get(key(c.workshop_id));
    if (!shop) continue; // an order closed between the two reads
    shop.operations[STATUS_KEYS[c.status]] += c.n;
    let centre = shop.workCentres.find((w) => w.workCentreId === c.work_centre_id);
    if (!centre) shop.workCentres.push((centre = { workCentreId: c.work_centre_id, workCentreCode: names.centres.get(c.work_centre_id)!, operations: noCounts() }));
    centre.operations[STATUS_KEYS[c.status]] += c.n;
  }
  const shops = [...out.values()];
  for (const s of shops) s.workCentres.sort((a, b) => a.workCentreCode.localeCompare(b.workCentreCode));
  // Named workshops by code; orders without a workshop last.
  return shops.sort((a, b) => (a.workshopCode ?? '\uffff').localeCompare(b.workshopCode ?? '\uffff'));
}

function presentOperation(r: repo.ProgressOperationRow, names: Names): OperationProgress {
  const reported = qty(r.good_quantity).plus(qty(r.scrap_quantity)).plus(qty(r.pending_inspection_quantity));
  return {
    seq: r.seq, name: r.name, workCentreId: r.work_centre_id, workCentreCode: names.centres.get(r.work_centre_id)!, status: r.status,
    planned: formatQty(qty(r.base_quantity)), good: formatQty(qty(r.good_quantity)), scrap: formatQty(qty(r.scrap_quantity)),
    pendingInspection: formatQty(qty(r.pending_inspection_quantity)), remaining: formatQty(Decimal.max(qty(r.base_quantity).minus(reported), 0)),
    plannedStart: r.planned_start?.toISOString() ?? null, plannedFinish: r.planned_finish?.toISOString() ?? null, actualStart: r.actual_start?.toISOString() ?? null,
    stationId: r.station_id, stationCode: r.station_id ? names.stations.get(r.station_id) ?? null : null, operator: r.operator, since: r.since?.toISOString() ?? null,
  };
}
