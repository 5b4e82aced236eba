import type { Database, Sql } from '../../platform/db.js';

export interface StreamedEvent {
  seq: number;
  type: string;
  aggregateType: string;
  aggregateId: string;
  payload: Record<string, unknown>;
  occurredAt: string;
}

/** `sales_order.*` is a prefix, anything else an exact type; LIKE's own wildcards are escaped. */
export function typePattern(type: string | undefined): string | null {
  if (type === undefined) return null;
  const escape = (s: string) => s.replace(/[\\%_]/g, '\\$&');
  return type.endsWith('*') ? `${escape(type.slice(0, -1))}%` : escape(type);
}

/**
 * Which events a reader wants: types matching any of `patterns` (LIKE patterns from typePattern;
 * null is every type) and, with `payload`, only events whose payload contains those members (a
 * workshop's board asks for `{ workshopId }`).
 */
export interface EventFilter {
  patterns: string[] | null;
  payload?: Record<string, string>;
}

export const filterOf = (pattern: string | null): EventFilter => ({ patterns: pattern === null ? null : [pattern] });

/** The tenant's events after `after`, in commit order. */
export async function listEvents(tx: Sql, tenantId: string, after: number, filter: EventFilter, aggregateId: string | null, limit: number): Promise<StreamedEvent[]> {
  const { rows } = await tx.query<{ seq: string; event_type: string; aggregate_type: string; aggregate_id: string; payload: Record<string, unknown>; occurred_at: Date }>(
    `SELECT seq, event_type, aggregate_type, aggregate_id, payload, occurred_at FROM outbox_events
      WHERE tenant_id = $1 AND seq > $2 AND ($3::text[] IS NULL OR event_type LIKE ANY($3)) AND ($4::uuid IS NULL OR aggregate_id = $4)
        AND ($6::jsonb IS NULL OR payload @> $6)
      ORDER BY seq LIMIT $5`,
    [tenantId, after, filter.patterns, aggregateId, limit, filter.payload ? JSON.stringify(filter.payload) : null],
  );
  return rows.map((r) => ({ seq: Number(r.seq), type: r.event_type, aggregateType: r.aggregate_type, aggregateId: r.aggregate_id, payload: r.payload, occurredAt: r.occurred_at.toISOString() }));
}

export function readEventsAfter(db: Database, tenantId: string, after: number, filter: EventFilter, limit: number): Promise<StreamedEvent[]> {
  return db.transaction({ tenantId }, (tx) => listEvents(tx, tenantId, after, filter, null, limit));
}

/** The seq of the tenant's newest event; 0 before its first. */
export function readHead(db: Database, tenantId: string): Promise<number> {
  return db.transaction({ tenantId }, (tx) => headOf(tx, tenantId));
}

/** The same inside a reader's transaction, so a snapshot and the seq it goes with agree. */
export async function headOf(tx: Sql, tenantId: string): Promise<number> {
  const { rows } = await tx.query<{ last_seq: string }>('SELECT last_seq FROM outbox_heads WHERE tenant_id = $1', [tenantId]);
  return rows.length ? Number(rows[0].last_seq) : 0;
}
