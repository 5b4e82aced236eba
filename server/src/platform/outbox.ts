import type { Sql } from './db.js';

/** A state change of a business document, published to whoever integrates with the MES (S1-5.3.5). */
export interface OutboxEvent {
  tenantId: string;
  /** `<aggregate>.<what happened>`: `sales_order.approved`. */
  type: string;
  aggregateType: string;
  aggregateId: string;
  payload: Record<string, unknown>;
}

const pending = new WeakMap<Sql, OutboxEvent[]>();

/**
 * Records an event in the caller's transaction. It is written when the transaction commits, with
 * the change it reports or not at all.
 */
export function recordEvent(tx: Sql, event: OutboxEvent): void {
  const list = pending.get(tx) ?? [];
  list.push(event);
  pending.set(tx, list);
}

/**
 * Writes the transaction's events, deferred with its COMMIT; the database layer calls it just
 * before committing. Numbering last keeps the outbox head's row lock, which orders a tenant's
 * events, to the end of the transaction, after every other lock: no transaction waits on it while
 * holding another, so it cannot deadlock.
 */
export async function writeRecordedEvents(tx: Sql): Promise<void> {
  const events = pending.get(tx);
  if (!events?.length) return;
  pending.delete(tx);
  const byTenant = new Map<string, OutboxEvent[]>();
  for (const e of events) byTenant.set(e.tenantId, [...(byTenant.get(e.tenantId) ?? []), e]);
  for (const [tenantId, list] of [...byTenant.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
    tx.defer(
      `WITH head AS (
         INSERT INTO outbox_heads (tenant_id, last_seq) VALUES ($1, $2)
           ON CONFLICT (tenant_id) DO UPDATE SET last_seq = outbox_heads.last_seq + $2
         RETURNING last_seq)
       INSERT INTO outbox_events (tenant_id, seq, event_type, aggregate_type, aggregate_id, payload)
       SELECT $1, head.last_seq - $2 + x.n, t, a, i, p
         FROM head, unnest($3::text[], $4::text[], $5::uuid[], $6::jsonb[]) WITH ORDINALITY AS x(t, a, i, p, n)`,
      [tenantId, list.length, list.map((e) => e.type), list.map((e) => e.aggregateType), list.map((e) => e.aggregateId), list.map((e) => JSON.stringify(e.payload))],
    );
  }
}
