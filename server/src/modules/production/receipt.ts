/**
 * Production receipts (S1-5.4.4-i): finished or semi-finished goods and by-products into a
 * warehouse and bin, with batch and serial numbers from the coding rules, and the genealogy that
 * links each produced batch or serial to the component batches and serials the order consumed,
 * the BOM version, operators, stations, equipment and times.
 *
 * The product received never exceeds what the last operation passed as good (an order without
 * operations: its quantity plus the report tolerance), RECEIPT_EXCEEDS_REPORTED. Components
 * backflushed on receipt follow the cumulative quantity received. When the order has received
 * its quantity it completes.
 */
import { randomUUID } from 'node:crypto';
import type { Sql } from '../../platform/db.js';
import { fieldError, notFound, unprocessable, type FieldError } from '../../platform/errors.js';
import { recordEvent } from '../../platform/outbox.js';
import { formatQty, qty, type Qty } from '../../platform/quantity.js';
import { postMovements, type Movement } from '../inventory/ledger.js';
import * as inventory from '../inventory/repo.js';
import { nextCode } from '../masterdata/coding.js';
import * as masterdata from '../masterdata/repo.js';
import { UnitConverter } from '../masterdata/units.js';
import * as quality from '../quality/triggers.js';
import { numberLast } from '../sales/service.js';
import { refuseIfAny, type Who } from './common.js';
import { assertInProduction, pickBin, presentMaterialDocs, resolveWarehouse, tolerances, type Err } from './execution-common.js';
import * as repo from './execution-repo.js';
import type { Genealogy, GenealogyQueryInput, Receipt, ReceiptInput } from './execution-schema.js';
import { backflush } from './issue.js';
import { lockOrder, markCompleted, markInProgress } from './orders.js';

async function present(tx: Sql, tenantId: string, q: Parameters<typeof repo.receipts>[2]): Promise<Receipt[]> {
  const { heads, lines } = await repo.receipts(tx, tenantId, q);
  const ids = heads.flatMap((h) => (h.backflush_id ? [h.backflush_id] : []));
  const flushed = new Map((ids.length ? await presentMaterialDocs(tx, tenantId, { ids, limit: ids.length }) : []).map((d) => [d.id, d]));
  return heads.map((h) => ({
    id: h.id, docNo: h.doc_no, orderId: h.order_id, orderDocNo: h.order_doc_no, warehouseId: h.warehouse_id, warehouseCode: h.warehouse_code, bomVersionId: h.bom_version_id,
    operators: h.operators, stationIds: h.station_ids, equipmentCodes: h.equipment_codes, workStartedAt: h.work_started_at?.toISOString() ?? null,
    workEndedAt: h.work_ended_at?.toISOString() ?? null,
    lines: lines.filter((l) => l.receipt_id === h.id).map((l) => ({
      lineNo: l.line_no, kind: l.kind, materialId: l.material_id, materialCode: l.material_code, quantity: l.quantity, unit: l.unit, baseQuantity: l.base_quantity,
      baseUnit: l.base_unit, binId: l.bin_id, batchNo: l.batch_no, serialNo: l.serial_no,
    })),
    backflush: h.backflush_id ? flushed.get(h.backflush_id)! : null, createdBy: h.created_by, createdAt: h.created_at.toISOString(),
  }));
}

export const listReceipts = (tx: Sql, tenantId: string, orderId: string, limit: number, after?: [string, string]) => present(tx, tenantId, { orderId, limit, after });

export async function getReceipt(tx: Sql, tenantId: string, id: string): Promise<Receipt> {
  const [r] = await present(tx, tenantId, { id, limit: 1 });
  if (!r) throw notFound('production receipt', id);
  return r;
}

export async function postReceipt(tx: Sql, who: Who, orderId: string, input: ReceiptInput): Promise<Receipt> {
  const row = await lockOrder(tx, who.tenantId, orderId);
  assertInProduction(row, 'goods are received');
  const ops = await repo.lockOperations(tx, who.tenantId, orderId);
  const errors: FieldError[] = [];
  const err: Err = (f, c, m) => errors.push(fieldError(f, c, m));
  const warehouse = await resolveWarehouse(tx, who.tenantId, input, 'warehouse', errors, true);
  const backflushWarehouse = await resolveWarehouse(tx, who.tenantId, input, 'backflushWarehouse', errors, false);
  const materials = await masterdata.findMaterials(tx, who.tenantId, [row.material_id, ...input.lines.flatMap((l) => (l.materialId ? [l.materialId] : []))], input.lines.flatMap((l) => (l.materialCode ? [l.materialCode] : [])));
  const product = materials.find((m) => m.id === row.material_id)!;
  const units = await UnitConverter.load(tx, who.tenantId);
  const lines: (repo.NewReceiptLine & { field: string })[] = [];
  let productBase = qty(0);
  for (const [i, l] of input.lines.entries()) {
    const field = `lines[${i}]`;
    const named = l.materialId || l.materialCode;
    const material = named ? materials.find((m) => (l.materialId ? m.id === l.materialId : m.code === l.materialCode)) : product;
    if (!material) { err(`${field}.${l.materialId ? 'materialId' : 'materialCode'}`, 'UNKNOWN_MATERIAL', `no material ${l.materialId ?? l.materialCode}`); continue; }
    const kind = l.kind ?? (material.id === product.id ? 'product' : 'by_product');
    if (kind === 'product' && material.id !== product.id) { err(`${field}.materialId`, 'NOT_THE_PRODUCT', `the order makes ${product.code}; receive ${material.code} as a by_product`); continue; }
    if (kind === 'by_product' && material.id === product.id) { err(`${field}.kind`, 'PRODUCT_AS_BY_PRODUCT', `${product.code} is the order's product`); continue; }
    if (material.status === 'blocked') { err(`${field}.materialId`, 'MATERIAL_BLOCKED', `material ${material.code} is blocked`); continue; }
    const unit = l.unit ?? (kind === 'product' ? material.productionUnit : material.baseUnit);
    const base = units.toBase(material, l.quantity, unit, field, errors);
    if (!base) continue;
    if (!base.gt(0)) { err(`${field}.quantity`, 'NOT_POSITIVE', 'must be greater than 0'); continue; }
    const binId = warehouse ? await pickBin(tx, who.tenantId, warehouse.id, l.binId, l.binCode, field, err) : null;
    if (material.tracking === 'none' && (l.batchNo || l.serialNos)) { err(`${field}.${l.batchNo ? 'batchNo' : 'serialNos'}`, 'NOT_TRACKED', `${material.code} is not batch- or serial-tracked`); continue; }
    if (material.tracking === 'batch' && l.serialNos) { err(`${field}.serialNos`, 'NOT_TRACKED', `${material.code} is batch-tracked, not serial-tracked`); continue; }
    if (kind === 'product') productBase = productBase.plus(base);
    if (material.tracking === 'serial') {
      if (!base.isInteger()) { err(`${field}.quantity`, 'SERIAL_QUANTITY', 'serial-tracked goods come in whole pieces'); continue; }
      if (l.serialNos && l.serialNos.length !== base.toNumber()) { err(`${field}.serialNos`, 'SERIAL_COUNT', `${formatQty(base)} pieces need ${formatQty(base)} serial numbers, not ${l.serialNos.length}`); continue; }
      if (l.serialNos && new Set(l.serialNos).size !== l.serialNos.length) { err(`${field}.serialNos`, 'SERIAL_DUPLICATE', 'a serial number is given twice'); continue; }
      for (let k = 0; k < base.toNumber(); k++) {
        lines.push({ field, kind, materialId: material.id, quantity: '1', unit: material.baseUnit, baseQuantity: '1', binId, batchNo: l.batchNo ?? null, serialNo: l.serialNos?.[k] ?? null });
      }
    } else {
      lines.push({ field, kind, materialId: material.id, quantity: formatQty(qty(l.quantity)), unit, baseQuantity: formatQty(base), binId, batchNo: l.batchNo ?? null, serialNo: null });
    }
  }
  refuseIfAny(errors, 'PRODUCTION_RECEIPT_INVALID', 'the receipt cannot be posted as given');

  // Never more product than the last operation passed as good (without operations: the order quantity plus tolerance).
  const tol = await tolerances(tx, who.tenantId);
  const last = ops[ops.length - 1];
  const limit: Qty = last ? qty(last.good_quantity) : qty(row.base_quantity).mul(tol.report);
  const received = qty(row.received_base).plus(productBase);
  if (received.gt(limit)) {
    const field = `lines[${input.lines.findIndex((l) => (l.kind ?? 'product') === 'product')}].quantity`;
    throw unprocessable('RECEIPT_EXCEEDS_REPORTED', `${formatQty(received)} ${product.baseUnit} received would exceed ${last ? `the ${formatQty(limit)} operation ${last.seq} passed as good` : `the order quantity plus ${tol.reportPercent}% (${formatQty(limit)})`}; nothing was posted`,
      [fieldError(field, 'RECEIPT_EXCEEDS_REPORTED', `at most ${formatQty(limit.minus(qty(row.received_base)))} ${product.baseUnit} more`)]);
  }

  // Numbers the lines leave open come from the coding rules.
  const byId = new Map(materials.map((m) => [m.id, m]));
  const batchOf = new Map<string, string>();
  for (const l of lines) {
    const m = byId.get(l.materialId)!;
    if (m.tracking === 'batch' && !l.batchNo) {
      // The pieces of one input line share one new batch.
      l.batchNo = batchOf.get(l.field) ?? (await nextCode(tx, who.tenantId, 'batch', { material: m.code }, { pattern: 'B{yyyy}{mm}{dd}-{seq:3}', reset: 'daily', description: 'Batch numbers' }));
      batchOf.set(l.field, l.batchNo);
    }
    if (m.tracking === 'serial' && !l.serialNo) {
      l.serialNo = await nextCode(tx, who.tenantId, 'serial', { material: m.code }, { pattern: '{material}-{seq:6}', reset: 'never', description: 'Serial numbers' });
    }
  }

  const id = randomUUID();
  const work = await repo.workSummary(tx, who.tenantId, orderId);
  await repo.insertReceipt(tx, who.tenantId, {
    id, orderId, warehouseId: warehouse!.id, bomVersionId: row.bom_version_id, operators: work.operators, stationIds: work.station_ids, equipmentCodes: work.equipment_codes,
    started: work.started, ended: work.ended, createdBy: who.actor,
  }, lines);
  const today = new Date().toISOString().slice(0, 10);
  const moves: Movement[] = [];
  for (const [i, l] of lines.entries()) {
    const batchId = l.batchNo ? await inventory.batchId(tx, who.tenantId, l.materialId, l.batchNo, { productionDate: today, expiryDate: null, supplierBatch: null }) : null;
    const serialId = l.serialNo ? await inventory.serialId(tx, who.tenantId, l.materialId, l.serialNo, batchId, true) : null;
    moves.push({ type: 'production_in', materialId: l.materialId, warehouseId: warehouse!.id, binId: l.binId, batchId, serialId, quantity: qty(l.baseQuantity), enteredQuantity: l.quantity, enteredUnit: l.unit, sourceLine: i + 1, field: l.field });
  }
  await postMovements(tx, who.tenantId, { type: 'production_receipt', id }, who.actor, moves);
  if (productBase.gt(0)) await repo.addReceived(tx, who.tenantId, orderId, formatQty(productBase));
  await markInProgress(tx, who, row);

  // Components backflushed on receipt follow the cumulative product received.
  const comps = await repo.lockComponents(tx, who.tenantId, orderId);
  const flushed = await backflush(tx, who, row, comps.filter((c) => c.issue_type === 'backflush_receipt').map((component) => ({ component, made: received })), backflushWarehouse?.id, { sourceReceiptId: id });

  // Genealogy: every line received to everything the order has consumed so far.
  const consumed = (await repo.heldByOrder(tx, who.tenantId, orderId)).filter((h) => qty(h.consumed).gt(0));
  const merged = new Map<string, { materialId: string; batchNo: string | null; serialNo: string | null; quantity: Qty }>();
  for (const h of consumed) {
    const key = `${h.material_id}|${h.batch_no ?? ''}|${h.serial_no ?? ''}`;
    const m = merged.get(key) ?? { materialId: h.material_id, batchNo: h.batch_no, serialNo: h.serial_no, quantity: qty(0) };
    m.quantity = m.quantity.plus(qty(h.consumed));
    merged.set(key, m);
  }
  await repo.insertGenealogy(tx, who.tenantId, id, orderId, [...merged.values()].map((m) => ({ ...m, quantity: formatQty(m.quantity) })));

  if (received.gte(qty(row.base_quantity))) await markCompleted(tx, who, orderId);
  const docNo = await numberLast(tx, who.tenantId, 'production_receipts', id, 'production_receipt', 'PRC{yyyy}{mm}{dd}-{seq:4}', 'Production receipt numbers');
  // A final inspection order per batch of the product received (S1-5.4.5-b).
  await quality.onProductionReceived(tx, who.tenantId, who.actor, {
    orderId, receiptId: id, materialId: product.id, warehouseId: warehouse!.id,
    lines: lines.filter((l) => l.kind === 'product').map((l) => ({ batchNo: l.batchNo, baseQuantity: l.baseQuantity })),
  });
  recordEvent(tx, {
    tenantId: who.tenantId, type: 'production_receipt.posted', aggregateType: 'production_order', aggregateId: orderId,
    payload: {
      id, docNo, orderId, orderDocNo: row.doc_no, workshopId: row.workshop_id, warehouseId: warehouse!.id, materialId: product.id, received: formatQty(productBase),
      receivedTotal: formatQty(received), byProducts: lines.filter((l) => l.kind === 'by_product').length, backflushId: flushed?.id ?? null,
    },
  });
  return getReceipt(tx, who.tenantId, id);
}

/** The genealogy of a batch or serial: backward to what it was made of, forward to what it went into, level by level. */
export async function genealogyOf(tx: Sql, tenantId: string, direction: 'backward' | 'forward', q: GenealogyQueryInput): Promise<Genealogy> {
  const errors: FieldError[] = [];
  if (!q.batchNo && !q.serialNo) errors.push(fieldError('batchNo', 'REQUIRED', 'name the batch (batchNo) or the serial (serialNo)', 'query'));
  if (!q.materialId && !q.materialCode) errors.push(fieldError('materialId', 'REQUIRED', 'name the material by materialId or materialCode', 'query'));
  const [material] = errors.length ? [] : await masterdata.findMaterials(tx, tenantId, q.materialId ? [q.materialId] : [], q.materialId ? [] : [q.materialCode!]);
  if (!errors.length && !material) errors.push(fieldError(q.materialId ? 'materialId' : 'materialCode', 'UNKNOWN_MATERIAL', `no material ${q.materialId ?? q.materialCode}`, 'query'));
  refuseIfAny(errors, 'GENEALOGY_QUERY_INVALID', 'the genealogy cannot be traced as asked');
  const maxDepth = q.maxDepth ?? 10;
  const rows = await repo.genealogy(tx, tenantId, direction, { materialId: material!.id, batchNo: q.batchNo ?? null, serialNo: q.serialNo ?? null }, maxDepth);
  const item = (id: string, code: string, batchNo: string | null, serialNo: string | null) => ({ materialId: id, materialCode: code, batchNo, serialNo });
  return {
    direction, item: item(material!.id, material!.code, q.batchNo ?? null, q.serialNo ?? null), truncated: rows.some((r) => r.level > maxDepth),
    links: rows.filter((r) => r.level <= maxDepth).map((r) => ({
      level: r.level, produced: item(r.produced_material_id, r.produced_material_code, r.produced_batch_no, r.produced_serial_no),
      consumed: item(r.consumed_material_id, r.consumed_material_code, r.consumed_batch_no, r.consumed_serial_no), consumedQuantity: r.consumed_quantity,
      orderId: r.order_id, orderDocNo: r.order_doc_no, receiptId: r.receipt_id, receiptDocNo: r.receipt_doc_no, bomVersionId: r.bom_version_id, operators: r.operators,
      stationIds: r.station_ids, equipmentCodes: r.equipment_codes, workStartedAt: r.work_started_at?.toISOString() ?? null, workEndedAt: r.work_ended_at?.toISOString() ?? null,
      receivedAt: r.received_at.toISOString(),
    })),
  };
}
