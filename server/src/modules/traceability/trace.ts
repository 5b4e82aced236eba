/**
 * Forward and backward trace of a batch or serial (S1-5.4.5-d): the genealogy graph as nodes and
 * typed edges. The walk and the facts come from one statement (repo.trace); this turns its rows
 * into the graph: items (batches, serials, untracked materials), suppliers and customers.
 */
import type { Sql } from '../../platform/db.js';
import { MesProblem, fieldError, unprocessable } from '../../platform/errors.js';
import * as repo from './repo.js';
import { DEFAULT_DEPTH, MAX_DEPTH, type Trace, type TraceEdgeT, type TraceNodeT } from './schema.js';

export const itemId = (materialCode: string, batchNo: string | null, serialNo: string | null) =>
  serialNo !== null ? `serial:${materialCode}:${serialNo}` : batchNo !== null ? `batch:${materialCode}:${batchNo}` : `item:${materialCode}`;

export function parseDirection(direction: string | undefined): repo.Direction {
  const d = direction ?? 'backward';
  if (d !== 'backward' && d !== 'forward') {
    throw unprocessable('TRACE_DIRECTION_INVALID', `direction must be backward or forward, not ${JSON.stringify(d)}`, [
      fieldError('direction', 'TRACE_DIRECTION_INVALID', 'must be one of: "backward", "forward"', 'query'),
    ]);
  }
  return d;
}

export function parseDepth(depth: number | undefined): number {
  const d = depth ?? DEFAULT_DEPTH;
  if (d < 1 || d > MAX_DEPTH) {
    throw unprocessable('TRACE_DEPTH_OUT_OF_RANGE', `depth must be 1 to ${MAX_DEPTH}, not ${d}`, [
      fieldError('depth', 'TRACE_DEPTH_OUT_OF_RANGE', `must be 1 to ${MAX_DEPTH}`, 'query'),
    ]);
  }
  return d;
}

/** The one batch or serial asked for: 404 if no material has it, 422 if several do and none was named. */
export async function resolveRoot(tx: Sql, tenantId: string, q: { batchNo?: string; serialNo?: string; materialCode?: string }): Promise<repo.Root> {
  const roots = await repo.findRoots(tx, tenantId, q);
  const what = q.serialNo !== undefined ? `serial ${q.serialNo}` : `batch ${q.batchNo}`;
  const of = q.materialCode ? ` of material ${q.materialCode}` : '';
  if (!roots.length) throw new MesProblem(404, q.serialNo !== undefined ? 'SERIAL_NOT_FOUND' : 'BATCH_NOT_FOUND', `no ${what}${of} was ever in stock or received`);
  if (roots.length > 1) {
    throw new MesProblem(422, 'TRACE_MATERIAL_AMBIGUOUS', `${what} exists for ${roots.length} materials; name one with materialCode`, {
      errors: [fieldError('materialCode', 'TRACE_MATERIAL_AMBIGUOUS', `one of: ${roots.map((r) => r.materialCode).join(', ')}`, 'query')],
      materialCodes: roots.map((r) => r.materialCode),
    });
  }
  return roots[0];
}

export async function traceItem(tx: Sql, tenantId: string, root: repo.Root, direction: repo.Direction, depth: number): Promise<Trace> {
  const row = await repo.trace(tx, tenantId, direction, root, depth);
  return toGraph(row, root, direction, depth);
}

/** The statement's items become nodes; their purchase and delivery facts become supplier and customer nodes with edges. */
export function toGraph(row: repo.TraceRow, root: repo.Root, direction: repo.Direction, depth: number): Trace {
  const nodes: TraceNodeT[] = [];
  const partners = new Map<string, TraceNodeT>();
  const edges: TraceEdgeT[] = row.edges.map((e) => ({
    type: 'consumed_into', from: itemId(e.fromMaterialCode, e.fromBatchNo, e.fromSerialNo), to: itemId(e.toMaterialCode, e.toBatchNo, e.toSerialNo), quantity: e.quantity,
    production: { orderId: e.orderId, orderDocNo: e.orderDocNo, receiptId: e.receiptId, receiptDocNo: e.receiptDocNo },
  }));
  const partner = (kind: 'supplier' | 'customer', id: string, code: string, name: string, depthOf: number) => {
    const key = `${kind}:${code}`;
    const seen = partners.get(key);
    if (seen) seen.depth = Math.min(seen.depth, depthOf);
    else partners.set(key, { id: key, type: kind, depth: depthOf, partnerId: id, partnerCode: code, partnerName: name });
    return key;
  };
  for (const n of row.nodes) {
    const id = itemId(n.materialCode, n.batchNo, n.serialNo);
    const type = n.serialNo !== null ? 'serial' : n.batchNo !== null ? 'batch' : 'item';
    nodes.push({
      id, type, depth: n.depth, materialId: n.materialId, materialCode: n.materialCode, materialName: n.materialName, baseUnit: n.baseUnit,
      batchNo: n.batchNo, serialNo: n.serialNo, made: n.made as never, stock: n.stock as never, returned: n.returned as never, ledger: n.ledger,
    });
    for (const s of n.supplied as any[]) {
      const from = partner('supplier', s.supplierId, s.supplierCode, s.supplierName, n.depth);
      edges.push({
        type: 'supplied', from, to: id, quantity: s.quantity,
        purchase: {
          purchaseOrderId: s.purchaseOrderId, purchaseOrderDocNo: s.purchaseOrderDocNo, receiptId: s.receiptId, receiptDocNo: s.receiptDocNo, supplierBatch: s.supplierBatch,
          accepted: s.accepted, rejected: s.rejected, receivedAt: s.receivedAt, inspections: s.inspections,
        },
      });
    }
    for (const d of n.delivered as any[]) {
      const to = partner('customer', d.customerId, d.customerCode, d.customerName, n.depth);
      edges.push({
        type: 'delivered', from: id, to, quantity: d.quantity,
        delivery: {
          outboundId: d.outboundId, outboundDocNo: d.outboundDocNo, deliveryPlanId: d.deliveryPlanId, deliveryPlanDocNo: d.deliveryPlanDocNo,
          salesOrderDocNo: d.salesOrderDocNo, returned: d.returned, shippedAt: d.shippedAt,
        },
      });
    }
  }
  const order = (n: TraceNodeT) => (n.type === 'supplier' ? 0 : 1);
  nodes.push(...[...partners.values()].sort((a, b) => order(a) - order(b) || a.id.localeCompare(b.id)));
  return { direction, depth, root: itemId(root.materialCode, root.serialNo !== null ? null : root.batchNo, root.serialNo), truncated: row.truncated, nodes, edges };
}
