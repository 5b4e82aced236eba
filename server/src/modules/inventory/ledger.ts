import type { Sql } from '../../platform/db.js';
import { MesProblem, type FieldError } from '../../platform/errors.js';
import { recordEvent } from '../../platform/outbox.js';
import { formatQty, qty, type Qty } from '../../platform/quantity.js';

export type MovementType =
  | 'purchase_in' | 'purchase_return' | 'sales_out' | 'sales_return' | 'issue' | 'return' | 'production_in'
  | 'transfer_out' | 'transfer_in' | 'count_gain' | 'count_loss' | 'other_in' | 'other_out';

/** Where stock is: the key of one balance. */
export interface StockKey {
  materialId: string;
  warehouseId: string;
  binId: string | null;
  batchId: string | null;
  serialId: string | null;
}

export interface Movement extends StockKey {
  type: MovementType;
  /** Signed, in the material's base unit: receipts positive, issues negative. */
  quantity: Qty;
  enteredQuantity: string;
  enteredUnit: string;
  sourceLine: number;
  /** The input field this movement came from, for error messages (`lines[3]`). */
  field: string;
}

export interface Shortage extends StockKey {
  available: string;
  requested: string;
}

const keyOf = (k: StockKey) => `${k.materialId}|${k.warehouseId}|${k.binId ?? ''}|${k.batchId ?? ''}|${k.serialId ?? ''}`;

/**
 * Posts movements and their balances in the caller's transaction: the one way stock changes.
 *
 * Movements are inserted append-only; balance deltas are summed per key and upserted in one
 * statement, in key order so that two documents touching the same balances lock them in the same
 * order (no deadlock). The upsert's row lock serialises concurrent postings to a balance, so
 * there is no lost update; a balance that would go negative in a warehouse that does not allow
 * it fails the whole transaction with STOCK_INSUFFICIENT, naming every short line.
 */
export async function postMovements(
  tx: Sql,
  tenantId: string,
  source: { type: string; id: string },
  postedBy: string,
  moves: Movement[],
): Promise<void> {
  if (moves.length === 0) return;
  // The movements go in the same write as the balance upsert; nothing here awaits before it, so a
  // caller may send another locking statement (a document number) in that write too.
  insertMovements(tx, tenantId, source, postedBy, moves);
  const deltas = new Map<string, { key: StockKey; delta: Qty; fields: string[] }>();
  for (const m of moves) {
    const k = keyOf(m);
    const d = deltas.get(k) ?? { key: m, delta: qty(0), fields: [] };
    d.delta = d.delta.plus(m.quantity);
    d.fields.push(m.field);
    deltas.set(k, d);
  }
  const ordered = [...deltas.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, d]) => d);
  const { rows } = await tx.query<{ material_id: string; warehouse_id: string; bin_id: string | null; batch_id: string | null; serial_id: string | null; quantity: string }>(
    `INSERT INTO stock_balances (tenant_id, material_id, warehouse_id, bin_id, batch_id, serial_id, quantity)
     SELECT $1, m, w, b, ba, s, q FROM unnest($2::uuid[], $3::uuid[], $4::uuid[], $5::uuid[], $6::uuid[], $7::numeric[]) WITH ORDINALITY AS x(m, w, b, ba, s, q, ord)
      ORDER BY ord
     ON CONFLICT ON CONSTRAINT stock_balances_key DO UPDATE SET quantity = stock_balances.quantity + EXCLUDED.quantity, updated_at = now()
     RETURNING material_id, warehouse_id, bin_id, batch_id, serial_id, quantity::text`,
    [
      tenantId,
      ordered.map((d) => d.key.materialId),
      ordered.map((d) => d.key.warehouseId),
      ordered.map((d) => d.key.binId),
      ordered.map((d) => d.key.batchId),
      ordered.map((d) => d.key.serialId),
      ordered.map((d) => formatQty(d.delta)),
    ],
  );
  await refuseNegatives(tx, tenantId, rows, deltas);
  await refuseDuplicateSerials(tx, tenantId, ordered);
  // Whatever posted (a receipt, a shipment, a count), stock boards and integrations learn that it
  // moved. The aggregate is the tenant's stock as a whole; the posting document is in the payload.
  recordEvent(tx, {
    tenantId,
    type: 'stock.posted',
    aggregateType: 'stock',
    aggregateId: tenantId,
    payload: {
      sourceType: source.type,
      sourceId: source.id,
      movements: moves.length,
      materialIds: [...new Set(moves.map((m) => m.materialId))],
      warehouseIds: [...new Set(moves.map((m) => m.warehouseId))],
    },
  });
}

function insertMovements(tx: Sql, tenantId: string, source: { type: string; id: string }, postedBy: string, moves: Movement[]): void {
  tx.defer(
    `INSERT INTO stock_movements (tenant_id, movement_type, material_id, warehouse_id, bin_id, batch_id, serial_id, quantity,
                                  entered_quantity, entered_unit, source_type, source_id, source_line, posted_by)
     SELECT $1, t, m, w, b, ba, s, q, eq, eu, $10, $11, l, $12
       FROM unnest($2::text[], $3::uuid[], $4::uuid[], $5::uuid[], $6::uuid[], $7::uuid[], $8::numeric[], $9::numeric[], $13::text[], $14::int[])
         AS x(t, m, w, b, ba, s, q, eq, eu, l)`,
    [
      tenantId,
      moves.map((m) => m.type),
      moves.map((m) => m.materialId),
      moves.map((m) => m.warehouseId),
      moves.map((m) => m.binId),
      moves.map((m) => m.batchId),
      moves.map((m) => m.serialId),
      moves.map((m) => formatQty(m.quantity)),
      moves.map((m) => m.enteredQuantity),
      source.type,
      source.id,
      postedBy,
      moves.map((m) => m.enteredUnit),
      moves.map((m) => m.sourceLine),
    ],
  );
}

async function refuseNegatives(
  tx: Sql,
  tenantId: string,
  balances: { material_id: string; warehouse_id: string; bin_id: string | null; batch_id: string | null; serial_id: string | null; quantity: string }[],
  deltas: Map<string, { delta: Qty; fields: string[] }>,
): Promise<void> {
  const negative = balances.filter((b) => qty(b.quantity).isNegative());
  if (negative.length === 0) return;
  const { rows } = await tx.query<{ id: string }>(
    'SELECT id FROM warehouses WHERE tenant_id = $1 AND id = ANY($2::uuid[]) AND allow_negative',
    [tenantId, [...new Set(negative.map((b) => b.warehouse_id))]],
  );
  const allowed = new Set(rows.map((r) => r.id));
  const shortages: Shortage[] = [];
  const errors: FieldError[] = [];
  for (const b of negative.filter((n) => !allowed.has(n.warehouse_id))) {
    const key: StockKey = { materialId: b.material_id, warehouseId: b.warehouse_id, binId: b.bin_id, batchId: b.batch_id, serialId: b.serial_id };
    const d = deltas.get(keyOf(key))!;
    const available = qty(b.quantity).minus(d.delta);
    shortages.push({ ...key, available: formatQty(available), requested: formatQty(d.delta.neg()) });
    for (const f of d.fields) errors.push({ in: 'body', field: `${f}.quantity`, code: 'STOCK_INSUFFICIENT', message: `only ${formatQty(available)} available here` });
  }
  if (shortages.length) {
    throw new MesProblem(409, 'STOCK_INSUFFICIENT', `not enough stock for ${shortages.length} balance${shortages.length === 1 ? '' : 's'}; nothing was posted`, { errors, shortages });
  }
}

/** A serial number is one physical item: it can be in stock once, in one place. */
async function refuseDuplicateSerials(tx: Sql, tenantId: string, ordered: { key: StockKey; delta: Qty; fields: string[] }[]): Promise<void> {
  const received = ordered.filter((d) => d.key.serialId && d.delta.gt(0));
  if (received.length === 0) return;
  const { rows } = await tx.query<{ serial_id: string }>(
    `SELECT serial_id FROM stock_balances WHERE tenant_id = $1 AND serial_id = ANY($2::uuid[]) GROUP BY serial_id HAVING sum(quantity) > 1`,
    [tenantId, received.map((d) => d.key.serialId)],
  );
  if (rows.length === 0) return;
  const dup = new Set(rows.map((r) => r.serial_id));
  const errors = received
    .filter((d) => dup.has(d.key.serialId!))
    .flatMap((d) => d.fields.map((f) => ({ in: 'body' as const, field: `${f}.serialNo`, code: 'SERIAL_IN_STOCK', message: 'this serial number is already in stock' })));
  throw new MesProblem(409, 'SERIAL_IN_STOCK', 'a serial number received here is already in stock; nothing was posted', { errors });
}
