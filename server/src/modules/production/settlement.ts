/**
 * Settlement of pending-inspection quantities (S1-5.4.4-h, S1-5.4.5-c). A work report's pending
 * pieces wait for the in-process inspection the report started; when quality judges it (or a
 * reviewer overturns the judgement), quality calls here and the pending quantity is settled into
 * good and scrap on the operation: the rejected pieces come out of the pending ones first (they
 * are the ones that were waiting for the verdict), the rest is good. Rejected pieces beyond the
 * pending quantity were reported good by the operator; they stay good here and are the
 * disposition's to rework or scrap.
 *
 * The report records its settlement (reported quantities stay as reported), so the operation's
 * good, scrap and pending remain the sums of its reports. A settlement is set, not added: judged
 * again (review), the difference is applied. The quantity flow rule still holds: settling can
 * only lower what the operation passed (good + pending), and lowers its good only on a review that
 * rejects more, which is refused when a later operation already passed more than that leaves.
 */
import type { Sql } from '../../platform/db.js';
import { fieldError, unprocessable } from '../../platform/errors.js';
import { recordEvent } from '../../platform/outbox.js';
import { formatQty, qty, type Qty } from '../../platform/quantity.js';
import { tolerances } from './execution-common.js';
import * as repo from './execution-repo.js';
import { lockOrder } from './orders.js';

export interface Settlement { workReportId: string; rejected: Qty; inspectionId: string; inspectionDocNo: string }

/** Settles a report's pending quantity by a judgement; nothing happens for a report with nothing pending. */
export async function settlePendingInspection(tx: Sql, t: string, s: Settlement): Promise<void> {
  const orderId = await repo.orderOfReport(tx, t, s.workReportId);
  if (!orderId) return;
  // The order's lock first, as reports take it: settlement and reports on one order queue.
  const order = await lockOrder(tx, t, orderId);
  const ops = await repo.lockOperations(tx, t, orderId);
  const report = (await repo.lockReportForSettlement(tx, t, s.workReportId))!;
  const pending = qty(report.pending_inspection_quantity);
  if (pending.isZero()) return;
  const scrap = s.rejected.gt(pending) ? pending : s.rejected;
  const good = pending.minus(scrap);
  const dGood = good.minus(qty(report.settled_good));
  const dScrap = scrap.minus(qty(report.settled_scrap));
  if (dGood.isZero() && dScrap.isZero()) return;
  const op = ops.find((o) => o.id === report.operation_id)!;
  if (dGood.lt(0)) {
    const next = ops.find((o) => o.seq > op.seq);
    const tol = await tolerances(tx, t);
    const limit = qty(op.good_quantity).plus(dGood).mul(tol.report);
    const passedNext = next ? qty(next.good_quantity).plus(qty(next.pending_inspection_quantity)) : qty(0);
    if (next && passedNext.gt(limit)) {
      throw unprocessable('QUANTITY_FLOW_VIOLATION', `operation ${next.seq} of production order ${order.doc_no} already passed ${formatQty(passedNext)}; rejecting ${formatQty(dGood.neg())} more at operation ${op.seq} would leave it ${formatQty(limit)} to pass; nothing was recorded`,
        [fieldError('judgement', 'QUANTITY_FLOW_VIOLATION', `operation ${op.seq} must keep the good that operation ${next.seq} already passed`)]);
    }
  }
  await repo.updateOperation(tx, t, op.id, { good: formatQty(dGood), scrap: formatQty(dScrap), pending: formatQty(dGood.plus(dScrap).neg()), status: op.status });
  await repo.setSettlement(tx, t, report.id, { good: formatQty(good), scrap: formatQty(scrap), inspectionId: s.inspectionId, inspectionNo: s.inspectionDocNo });
  recordEvent(tx, {
    tenantId: t, type: 'production_operation.settled', aggregateType: 'production_order', aggregateId: orderId,
    payload: {
      orderId, orderDocNo: order.doc_no, workshopId: order.workshop_id, operationSeq: op.seq, workReportId: report.id, workReportDocNo: report.doc_no,
      inspectionId: s.inspectionId, inspectionDocNo: s.inspectionDocNo, good: formatQty(good), scrap: formatQty(scrap), goodChange: formatQty(dGood), scrapChange: formatQty(dScrap),
    },
  });
}
