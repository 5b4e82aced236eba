/**
 * Disposition of a judged lot (S1-5.4.5-c, -e): accept, return to the supplier, quarantine,
 * rework (on a production order), use under concession (with its approver), scrap. Every stock
 * effect goes through the ledger: a purchase receipt's lot through purchasing's inspection gate
 * (accepted into stock as a purchase inbound, or back to the supplier as a purchase return), a lot
 * in stock by transfer into the quarantine warehouse, an issue out of stock for scrap, or an issue to
 * the rework order a rework disposition makes (linked to the order whose output it reworks).
 */
import { randomUUID } from 'node:crypto';
import type { Principal } from '../../platform/auth.js';
import type { Sql } from '../../platform/db.js';
import { conflict, fieldError, notFound, unprocessable, type FieldError } from '../../platform/errors.js';
import { recordEvent } from '../../platform/outbox.js';
import { formatQty, qty, type Qty } from '../../platform/quantity.js';
import { postMovements, type Movement } from '../inventory/ledger.js';
import * as inventory from '../inventory/stock.js';
import * as masterdata from '../masterdata/service.js';
import * as production from '../production/orders.js';
import { createReworkOrder } from '../production/rework.js';
import { whoOf } from '../sales/service.js';
import * as purchasing from '../purchasing/service.js';
import { getInspection } from './inspections.js';
import * as repo from './repo.js';
import type { DispositionInput, Inspection, InspectionSummary } from './schema.js';

type Line = DispositionInput['lines'][number];
/** Kinds that release the lot's good part, and kinds that deal with its rejected part (a concession uses rejected goods). */
const ACCEPTING = new Set(['accept']);
const INCOMING_KINDS = new Set(['accept', 'concession', 'return', 'quarantine']);
const IN_STOCK_KINDS = new Set(['accept', 'concession', 'quarantine', 'rework', 'scrap']);

interface Planned { line: Line; k: number; quantity: Qty; warehouseKind?: string }

export async function dispose(tx: Sql, principal: Principal, who: string, id: string, input: DispositionInput): Promise<Inspection> {
  const t = principal.tenantId;
  const head = await repo.findInspectionSummary(tx, t, id, true);
  if (!head) throw notFound('quality inspection', id);
  if (head.status === 'open') throw conflict('NOT_JUDGED', `${head.docNo} has no results yet: record them first`);
  if (head.status === 'closed') throw conflict('INSPECTION_CLOSED', `${head.docNo} is fully disposed`);
  const planned = await check(tx, t, head, input);

  const acceptedNow = planned.filter((p) => ACCEPTING.has(p.line.kind)).reduce((s, p) => s.plus(p.quantity), qty(0));
  const rejectedNow = planned.filter((p) => !ACCEPTING.has(p.line.kind)).reduce((s, p) => s.plus(p.quantity), qty(0));
  const ids = planned.map(() => randomUUID());
  const docs = head.receiptLineId ? await throughPurchasing(tx, principal, head, planned) : await inStock(tx, t, who, head, planned, ids);
  for (const [n, p] of planned.entries()) {
    const orderId = p.line.kind === 'rework' ? p.line.productionOrderId ?? head.productionOrderId : p.line.productionOrderId ?? null;
    const rework = p.line.kind === 'rework'
      ? await createReworkOrder(tx, whoOf(principal), {
        ofOrderId: orderId!, quantity: formatQty(p.quantity), inspectionDocNo: head.docNo, reason: p.line.reason ?? '',
        // Where the defect was found counts on the inspected order only; rework of another order's output starts at its last operation.
        at: orderId === head.productionOrderId ? { seq: head.operationSeq, inspectionRef: head.planCode } : null,
      })
      : undefined;
    await repo.insertDisposition(tx, t, id, who, {
      id: ids[n], lineNo: n + 1, kind: p.line.kind, quantity: formatQty(p.quantity), warehouseId: p.line.warehouseId ?? null, productionOrderId: orderId ?? null,
      approvedBy: p.line.approvedBy ?? null, reason: p.line.reason ?? '', purchaseInboundId: docs[n]?.inboundId ?? null, purchaseReturnId: docs[n]?.returnId ?? null,
      reworkOrderId: rework?.id ?? null,
    });
  }
  const rejected = qty(head.rejectedQuantity ?? '0');
  const good = qty(head.lotSize).minus(rejected);
  const closes = qty(head.disposedAccepted).plus(acceptedNow).gte(good) && qty(head.disposedRejected).plus(rejectedNow).gte(rejected);
  await repo.addDisposed(tx, t, id, formatQty(acceptedNow), formatQty(rejectedNow), closes);
  recordEvent(tx, {
    tenantId: t, type: 'quality_inspection.disposed', aggregateType: 'quality_inspection', aggregateId: id,
    payload: { id, docNo: head.docNo, lines: planned.map((p) => ({ kind: p.line.kind, quantity: formatQty(p.quantity) })), closed: closes },
  });
  return getInspection(tx, t, id);
}

/** Kinds, quantities and references, all before anything is written. */
async function check(tx: Sql, t: string, head: InspectionSummary, input: DispositionInput): Promise<Planned[]> {
  const errors: FieldError[] = [];
  const incoming = !!head.receiptLineId;
  const rejected = qty(head.rejectedQuantity ?? '0');
  let acceptLeft = qty(head.lotSize).minus(rejected).minus(qty(head.disposedAccepted));
  let rejectLeft = rejected.minus(qty(head.disposedRejected));
  const planned: Planned[] = [];
  for (const [k, line] of input.lines.entries()) {
    const err = (f: string, code: string, msg: string) => errors.push(fieldError(`lines[${k}].${f}`, code, msg));
    const quantity = qty(line.quantity);
    if (quantity.lte(0)) err('quantity', 'NOT_POSITIVE', 'must be above 0');
    const allowed = incoming ? INCOMING_KINDS : IN_STOCK_KINDS;
    if (!allowed.has(line.kind)) {
      err('kind', 'DISPOSITION_NOT_ALLOWED', incoming
        ? `a purchase receipt's lot is not in stock yet: accept, concession, quarantine or return it (not ${line.kind})`
        : `${line.kind} is for purchase receipts' lots; a lot in stock is accepted, conceded, quarantined, reworked or scrapped`);
      continue;
    }
    if (ACCEPTING.has(line.kind)) {
      if (quantity.gt(acceptLeft)) err('quantity', 'DISPOSITION_EXCEEDS_ACCEPTED', `${head.docNo} has ${formatQty(acceptLeft.lt(0) ? qty(0) : acceptLeft)} accepted left to release`);
      acceptLeft = acceptLeft.minus(quantity);
    } else {
      if (quantity.gt(rejectLeft)) err('quantity', 'DISPOSITION_EXCEEDS_REJECTED', `${head.docNo} has ${formatQty(rejectLeft.lt(0) ? qty(0) : rejectLeft)} rejected left to dispose of; this disposes of ${line.quantity}`);
      rejectLeft = rejectLeft.minus(quantity);
    }
    if (line.kind === 'concession' && !line.approvedBy) err('approvedBy', 'CONCESSION_NEEDS_APPROVAL', 'a concession names who approved using the rejected goods');
    if (line.kind === 'concession' && !line.reason) err('reason', 'REASON_REQUIRED', 'a concession records why the goods may be used');
    if (line.kind === 'rework') {
      const orderId = line.productionOrderId ?? head.productionOrderId;
      const order = orderId ? await production.findOrder(tx, t, orderId) : undefined;
      if (!orderId) err('productionOrderId', 'REQUIRED', 'rework is ordered against the production order whose output it reworks: name it');
      else if (!order) err('productionOrderId', 'UNKNOWN_PRODUCTION_ORDER', `no production order ${orderId}`);
      else if (order.materialId !== head.materialId) err('productionOrderId', 'NOT_ORDER_OUTPUT', `production order ${order.docNo} makes ${order.materialCode}, not the inspected material`);
    }
    let warehouseKind: string | undefined;
    const needsWarehouse = line.kind === 'quarantine' || (incoming && (line.kind === 'accept' || line.kind === 'concession'));
    if (needsWarehouse && !line.warehouseId) err('warehouseId', 'REQUIRED', `${line.kind} puts the goods into a warehouse: name it`);
    if (line.warehouseId) {
      const w = await masterdata.findWarehouse(tx, t, line.warehouseId);
      if (!w) err('warehouseId', 'UNKNOWN_WAREHOUSE', `no warehouse ${line.warehouseId}`);
      else if (line.kind === 'quarantine' && w.kind !== 'quarantine') err('warehouseId', 'NOT_QUARANTINE_WAREHOUSE', `${w.code} is not a quarantine warehouse`);
      warehouseKind = w?.kind;
    }
    if (!incoming && (line.kind === 'quarantine' || line.kind === 'scrap') && !head.warehouseId) {
      // (rework of a lot not in stock, e.g. at an operation, moves nothing: the rework order takes the pieces on the shop floor)
      err('kind', 'NO_STOCK_LOCATION', `${head.docNo} names no warehouse the lot lies in; ${line.kind} moves stock`);
    }
    planned.push({ line, k, quantity, warehouseKind });
  }
  if (errors.length) throw unprocessable('DISPOSITION_INVALID', 'the disposition cannot be recorded as given; nothing was saved', errors);
  return planned;
}

/** A receipt's lot: one call to purchasing's gate, which posts the inbound and writes the return. */
async function throughPurchasing(tx: Sql, principal: Principal, head: InspectionSummary, planned: Planned[]): Promise<{ inboundId?: string; returnId?: string }[]> {
  const result = await purchasing.inspect(tx, purchasing.whoOf(principal), head.receiptId!, {
    lines: planned.map((p) => {
      const accepted = p.line.kind !== 'return';
      return {
        receiptLineId: head.receiptLineId!, accepted: accepted ? formatQty(p.quantity) : '0', rejected: accepted ? '0' : formatQty(p.quantity),
        ...(p.line.warehouseId ? { warehouseId: p.line.warehouseId } : {}), remarks: `${head.docNo}: ${p.line.kind}${p.line.reason ? ` (${p.line.reason})` : ''}`,
      };
    }),
  });
  return planned.map((p) => (p.line.kind === 'return' ? { returnId: result.return?.id } : { inboundId: result.inbound?.id }));
}

/** A lot in stock: quarantine transfers it, scrap issues it; both through the ledger, sourced by the disposition. */
async function inStock(tx: Sql, t: string, who: string, head: InspectionSummary, planned: Planned[], ids: string[]): Promise<{ inboundId?: string; returnId?: string }[]> {
  const material = (await masterdata.findMaterial(tx, t, head.materialId))!;
  const batchId = head.batchNo ? await inventory.findBatchId(tx, t, head.materialId, head.batchNo) : null;
  for (const [n, p] of planned.entries()) {
    if (p.line.kind !== 'quarantine' && p.line.kind !== 'scrap' && p.line.kind !== 'rework') continue;
    // A lot at an operation (no warehouse) is not in stock: its rework order takes the pieces on the shop floor, nothing moves.
    if (p.line.kind === 'rework' && !head.warehouseId) continue;
    const at = (warehouseId: string, type: Movement['type'], quantity: Qty, line: number): Movement => ({
      type, materialId: head.materialId, warehouseId, binId: null, batchId, serialId: null, quantity, enteredQuantity: formatQty(quantity.abs()),
      enteredUnit: material.baseUnit, sourceLine: line, field: `lines[${p.k}]`,
    });
    const moves = p.line.kind === 'quarantine'
      ? [at(head.warehouseId!, 'transfer_out', p.quantity.neg(), 1), at(p.line.warehouseId!, 'transfer_in', p.quantity, 2)]
      : [at(head.warehouseId!, p.line.kind === 'rework' ? 'issue' : 'other_out', p.quantity.neg(), 1)];
    await postMovements(tx, t, { type: 'quality_disposition', id: ids[n] }, who, moves);
  }
  return planned.map(() => ({}));
}
