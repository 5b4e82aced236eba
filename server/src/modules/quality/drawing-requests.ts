/**
 * A drawing revision requested from a defect (S1-5.4.5-e): the defect must be one the inspection
 * found (a failed result); the drawing must be linked to what was inspected (production decides,
 * it owns drawings and their requests).
 */
import type { Sql } from '../../platform/db.js';
import { fieldError, unprocessable } from '../../platform/errors.js';
import type { Who } from '../production/common.js';
import { requestRevision } from '../production/drawing-requests.js';
import type { DrawingRevisionRequest } from '../production/drawing-schema.js';
import * as production from '../production/orders.js';
import { getInspection } from './inspections.js';
import type { DrawingRevisionRequestInput } from './schema.js';

export async function requestDrawingRevision(tx: Sql, who: Who, inspectionId: string, input: DrawingRevisionRequestInput): Promise<DrawingRevisionRequest> {
  const i = await getInspection(tx, who.tenantId, inspectionId);
  const found = [...new Set(i.results.filter((r) => !r.passed && r.defectCode).map((r) => r.defectCode!))].sort();
  if (!found.includes(input.defectCode)) {
    throw unprocessable('REVISION_REQUEST_INVALID', `${i.docNo} found no defect ${input.defectCode}`, [
      fieldError('defectCode', 'DEFECT_NOT_FOUND', found.length ? `${i.docNo} found ${found.join(', ')}` : `${i.docNo} found no defect`),
    ]);
  }
  const order = i.productionOrderId ? await production.findOrder(tx, who.tenantId, i.productionOrderId) : undefined;
  return requestRevision(tx, who, {
    drawingId: input.drawingId, inspectionId: i.id, defectCode: input.defectCode, reason: input.reason,
    inspected: { materialId: i.materialId, planCode: i.planCode, routingCode: order?.routingCode ?? null, operationSeq: i.operationSeq },
  });
}
