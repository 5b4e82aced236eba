/**
 * Purchasing's incoming-inspection gate, recorded in the one inspection model (S1-5.4.5-b):
 * `POST /v1/purchase-receipts/{id}/inspections` keeps its contract (accepted into stock as a
 * purchase inbound, rejected back to the supplier as a purchase return, all in purchasing), and
 * every receipt line it inspects becomes an incoming inspection order: no plan or samples (the
 * inspector gave quantities), judged good or defective by the rejected quantity, disposed of by
 * the inbound (accept) and the return, and closed, in the same transaction.
 */
import { randomUUID } from 'node:crypto';
import type { Sql } from '../../platform/db.js';
import { conflict } from '../../platform/errors.js';
import { recordEvent } from '../../platform/outbox.js';
import { formatQty, qty, type Qty } from '../../platform/quantity.js';
import type { InspectInput } from '../purchasing/schema.js';
import * as purchasing from '../purchasing/service.js';
import { number } from './inspections.js';
import * as repo from './repo.js';

type Who = Parameters<typeof purchasing.inspect>[1];

export async function inspectAtGate(tx: Sql, who: Who, receiptId: string, input: InspectInput) {
  const t = who.tenantId;
  const open = await repo.openInspectionsOfLines(tx, t, input.lines.map((l) => l.receiptLineId));
  if (open.length) {
    throw conflict('INSPECTION_OPEN', 'a line of the receipt has an open quality inspection order; record its results and dispose of it there (POST /v1/quality-inspections/{id}/results)');
  }
  const result = await purchasing.inspect(tx, who, receiptId, input);
  const supplierId = (await purchasing.receiptOfLine(tx, t, input.lines[0].receiptLineId))!.supplierId;
  const lines = new Map((await purchasing.receiptLines(tx, t, receiptId)).map((l) => [l.id, l]));
  const byLine = new Map<string, { accepted: Qty; rejected: Qty; accepts: { quantity: Qty; warehouseId: string }[] }>();
  for (const l of input.lines) {
    const g = byLine.get(l.receiptLineId) ?? { accepted: qty(0), rejected: qty(0), accepts: [] };
    g.accepted = g.accepted.plus(qty(l.accepted));
    g.rejected = g.rejected.plus(qty(l.rejected));
    byLine.set(l.receiptLineId, g);
  }
  // Where each accepted part went: the inbound's lines, in the order of the request's.
  const inboundLines = [...(result.inbound?.lines ?? [])];
  for (const l of input.lines) {
    if (!qty(l.accepted).gt(0)) continue;
    const k = inboundLines.findIndex((x) => x.receiptLineId === l.receiptLineId);
    byLine.get(l.receiptLineId)!.accepts.push({ quantity: qty(l.accepted), warehouseId: inboundLines[k].warehouseId });
    inboundLines.splice(k, 1);
  }
  for (const [lineId, g] of byLine) {
    const line = lines.get(lineId)!;
    const lot = g.accepted.plus(g.rejected);
    const pieces = Math.max(1, Math.ceil(lot.toNumber()));
    const id = randomUUID();
    await repo.insertInspection(tx, t, {
      id, docNo: `~${id}`, inspectionType: 'incoming', planId: null, materialId: line.material_id, sourceKind: 'purchase_receipt', receiptId, receiptLineId: lineId,
      productionOrderId: null, supplierId, warehouseId: null, batchNo: line.batch_no, lotSize: formatQty(lot), severity: null, codeLetter: null,
      sampleSize: pieces, acceptNumber: 0, rejectNumber: 1, createdBy: who.actor, trigger: 'receipt_gate',
    });
    const docNo = await number(tx, t, id);
    const judgement = g.rejected.gt(0) ? 'defective' : 'good';
    await repo.setJudgement(tx, t, id, {
      defectives: Math.ceil(g.rejected.toNumber()), judgement, by: input.inspector ?? who.actor, rejectedQuantity: formatQty(g.rejected),
      reason: `recorded at purchasing's incoming inspection gate: ${formatQty(g.accepted)} accepted, ${formatQty(g.rejected)} rejected ${line.base_unit}`,
    });
    let n = 0;
    for (const a of g.accepts) {
      await repo.insertDisposition(tx, t, id, who.actor, {
        id: randomUUID(), lineNo: ++n, kind: 'accept', quantity: formatQty(a.quantity), warehouseId: a.warehouseId, productionOrderId: null, approvedBy: null, reason: '',
        purchaseInboundId: result.inbound!.id, purchaseReturnId: null,
      });
    }
    if (g.rejected.gt(0)) {
      await repo.insertDisposition(tx, t, id, who.actor, {
        id: randomUUID(), lineNo: ++n, kind: 'return', quantity: formatQty(g.rejected), warehouseId: null, productionOrderId: null, approvedBy: null,
        reason: 'rejected at incoming inspection', purchaseInboundId: null, purchaseReturnId: result.return!.id,
      });
    }
    await repo.addDisposed(tx, t, id, formatQty(g.accepted), formatQty(g.rejected), true);
    recordEvent(tx, {
      tenantId: t, type: 'quality_inspection.created', aggregateType: 'quality_inspection', aggregateId: id,
      payload: { id, docNo, inspectionType: 'incoming', materialId: line.material_id, lotSize: formatQty(lot), receiptLineId: lineId, trigger: 'receipt_gate', judgement, closed: true },
    });
  }
  return result;
}
