/** What the execution files share: where stock is, which order state allows work, and presenting material documents. */
import type { Sql } from '../../platform/db.js';
import { conflict, fieldError, type FieldError } from '../../platform/errors.js';
import { qty, roundTo, type Qty } from '../../platform/quantity.js';
import * as inventory from '../inventory/repo.js';
import * as masterdata from '../masterdata/repo.js';
import type { Warehouse } from '../masterdata/schema.js';
import * as plant from '../plant/service.js';
import { getSettings } from '../settings/service.js';
import * as repo from './execution-repo.js';
import type { MaterialDoc } from './execution-schema.js';
import type { OrderRow } from './order-repo.js';

export type Err = (field: string, code: string, message: string) => void;

/** Work is booked against released and running orders; returns also against completed ones. */
export function assertInProduction(row: OrderRow, what: string, alsoCompleted = false): void {
  const allowed = alsoCompleted ? ['released', 'in_progress', 'completed'] : ['released', 'in_progress'];
  if (!allowed.includes(row.status)) {
    throw conflict('ORDER_NOT_IN_PRODUCTION', `production order ${row.doc_no} is ${row.status}: ${what} only against a released or running order${alsoCompleted ? ' (or a completed one)' : ''}`, { documentStatus: row.status });
  }
}

export async function resolveWarehouse(tx: Sql, tenantId: string, ref: object, field: string, errors: FieldError[], required: boolean): Promise<Warehouse | undefined> {
  const idField = `${field}Id`;
  const codeField = `${field}Code`;
  const id = (ref as Record<string, string | undefined>)[idField];
  const code = (ref as Record<string, string | undefined>)[codeField];
  if (!id && !code) {
    if (required) errors.push(fieldError(idField, 'REQUIRED', `name the warehouse by ${idField} or ${codeField}`));
    return undefined;
  }
  const w = (await masterdata.listWarehouses(tx, tenantId)).find((x) => (id ? x.id === id : x.code === code));
  if (!w) return errors.push(fieldError(id ? idField : codeField, 'UNKNOWN_WAREHOUSE', `no warehouse ${id ?? code}`)), undefined;
  if (w.status === 'blocked') return errors.push(fieldError(id ? idField : codeField, 'WAREHOUSE_BLOCKED', `warehouse ${w.code} is blocked`)), undefined;
  return w;
}

export async function pickBin(tx: Sql, tenantId: string, warehouseId: string, id: string | undefined, code: string | undefined, field: string, err: Err): Promise<string | null> {
  if (!id && !code) return null;
  const bin = (await inventory.binsOf(tx, tenantId)).find((b) => b.warehouseId === warehouseId && (id ? b.id === id : b.code === code));
  if (!bin) err(`${field}.${id ? 'binId' : 'binCode'}`, 'UNKNOWN_BIN', `no bin ${id ?? code} in that warehouse`);
  return bin?.id ?? null;
}

export async function resolveStation(tx: Sql, tenantId: string, ref: { stationId?: string; stationCode?: string }, errors: FieldError[]): Promise<string | null> {
  if (!ref.stationId && !ref.stationCode) return null;
  const [s] = await plant.findStations(tx, tenantId, ref.stationId ? [ref.stationId] : [], ref.stationId ? [] : [ref.stationCode!]);
  if (!s) errors.push(fieldError(ref.stationId ? 'stationId' : 'stationCode', 'UNKNOWN_STATION', `no station ${ref.stationId ?? ref.stationCode}`));
  return s?.id ?? null;
}

/** The tenant's over-issue and over-report tolerances as factors (1 + percent / 100). */
export async function tolerances(tx: Sql, tenantId: string): Promise<{ issue: Qty; report: Qty; issuePercent: string; reportPercent: string }> {
  const s = await getSettings(tx, tenantId);
  return {
    issue: qty(1).plus(qty(s.productionIssueTolerance).div(100)), report: qty(1).plus(qty(s.productionReportTolerance).div(100)),
    issuePercent: s.productionIssueTolerance, reportPercent: s.productionReportTolerance,
  };
}

/** Rounds a quantity up to what a unit can hold: what is consumed is never less than the standard. */
export const roundUp = (value: Qty, decimals: number) => roundTo(value, decimals, 'up');

export async function presentMaterialDocs(tx: Sql, tenantId: string, q: Parameters<typeof repo.materialDocs>[2]): Promise<MaterialDoc[]> {
  const { docs, lines } = await repo.materialDocs(tx, tenantId, q);
  return docs.map((d) => ({
    id: d.id, docNo: d.doc_no, orderId: d.order_id, kind: d.kind, operationSeq: d.operation_seq, sourceReportId: d.source_report_id, sourceReceiptId: d.source_receipt_id,
    reason: d.reason, createdBy: d.created_by, createdAt: d.created_at.toISOString(),
    lines: lines.filter((l) => l.doc_id === d.id).map((l) => ({
      lineNo: l.line_no, componentLineNo: l.component_line_no, materialId: l.material_id, materialCode: l.material_code, quantity: l.quantity, unit: l.unit,
      baseQuantity: l.base_quantity, baseUnit: l.base_unit, warehouseId: l.warehouse_id, warehouseCode: l.warehouse_code, binId: l.bin_id, binCode: l.bin_code,
      batchNo: l.batch_no, serialNo: l.serial_no, origin: l.origin,
    })),
  }));
}

export async function getMaterialDoc(tx: Sql, tenantId: string, id: string): Promise<MaterialDoc> {
  return (await presentMaterialDocs(tx, tenantId, { ids: [id], limit: 1 }))[0];
}
