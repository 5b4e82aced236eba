/**
 * Quality-caused sales returns (S1-5.4.5-e), sales' half: a return's lines name the quality
 * inspection of the returned goods, and show the batches the goods came from (the shipment's
 * movements). Quality calls these; sales asks quality's service what an inspection is.
 */
import type { Sql } from '../../platform/db.js';
import { notFound } from '../../platform/errors.js';
import * as inventory from '../inventory/repo.js';
import { inspectionRefs } from '../quality/links.js';
import * as repo from './repo.js';
import type { SalesReturn } from './schema.js';

/** A return as stored, its lines naming their inspection (what quality links). */
export type ReturnRecord = repo.ReturnRecord;

/** The reason code of a quality-caused return. */
export const QUALITY_REASON = 'failed_inspection';

/** A return as the API shows it: each line with its inspection and the batches its goods came from. */
export async function getReturn(tx: Sql, tenantId: string, id: string): Promise<SalesReturn> {
  const r = await repo.findReturn(tx, tenantId, id);
  if (!r) throw notFound('sales return', id);
  const refs = await inspectionRefs(tx, tenantId, r.lines.flatMap((l) => (l.qualityInspectionId ? [l.qualityInspectionId] : [])));
  const moved = r.sourceOutboundId ? await inventory.batchesMovedBy(tx, tenantId, 'sales_outbound', r.sourceOutboundId) : [];
  return {
    ...r,
    lines: r.lines.map(({ qualityInspectionId, ...l }) => ({
      ...l,
      qualityInspection: qualityInspectionId ? refs.get(qualityInspectionId) ?? null : null,
      sourceBatches: moved.filter((m) => m.sourceLine === l.outboundLineNo).map(({ batchNo, serialNo, quantity }) => ({ batchNo, serialNo, quantity })),
    })),
  };
}

/** The return locked for linking, as stored (lines name their inspection id). */
export async function returnForInspection(tx: Sql, tenantId: string, id: string): Promise<repo.ReturnRecord> {
  const r = await repo.findReturn(tx, tenantId, id, true);
  if (!r) throw notFound('sales return', id);
  return r;
}

export const linkInspection = repo.linkInspection;

/** The return lines an inspection is linked to, for the inspection's view. */
export async function returnsOfInspection(tx: Sql, tenantId: string, inspectionId: string) {
  return (await repo.returnLinesOfInspection(tx, tenantId, inspectionId)).map((r) => ({
    returnId: r.return_id, docNo: r.doc_no, customerCode: r.customer_code, reasonCode: r.reason_code, lineNo: r.line_no,
    quantity: r.base_quantity, batchNo: r.batch_no, serialNo: r.serial_no, returnedAt: r.created_at.toISOString(),
  }));
}
