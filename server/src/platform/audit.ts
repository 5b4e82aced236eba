import { createHash } from 'node:crypto';
import type { Sql } from './db.js';
import { canonicalJson } from './canonical-json.js';

export type AuditOutcome = 'success' | 'denied' | 'rejected' | 'error';

export interface AuditEntry {
  tenantId: string;
  /** anonymous: a caller without valid credentials (a failed login; actorId is the username it claimed). */
  actorType: 'api_key' | 'token' | 'system' | 'anonymous';
  actorId: string | null;
  action: string;
  resource: string;
  outcome: AuditOutcome;
  statusCode: number;
  requestId: string | null;
  traceId: string | null;
  details?: Record<string, unknown>;
}

export interface AuditRecord extends Required<AuditEntry> {
  seq: number;
  occurredAt: Date;
  prevHash: string;
  hash: string;
}

/** The hash a tenant's chain starts from. */
export function genesisHash(tenantId: string): string {
  return createHash('sha256').update(`mes-audit-genesis:${tenantId}`).digest('hex');
}

/**
 * What a record's hash covers: every field and the previous hash. Documented in docs/audit.md so
 * that anyone holding an export can verify a chain without this code.
 */
export function recordHash(r: Omit<AuditRecord, 'hash'>): string {
  const fields = [
    r.tenantId, String(r.seq), r.occurredAt.toISOString(), r.actorType, r.actorId, r.action, r.resource,
    r.outcome, r.statusCode, r.requestId, r.traceId, r.details, r.prevHash,
  ];
  return createHash('sha256').update(canonicalJson(fields)).digest('hex');
}

/**
 * Appends to the tenant's chain inside the caller's transaction, deferred: it travels with the
 * transaction's COMMIT and costs no round trip. The database numbers the record and computes its
 * hash (the same recordHash, from the canonical JSON built here around the sequence number and the
 * previous hash it reads under the chain head's row lock). That lock serialises appends within one
 * tenant until commit; taken in the COMMIT's own write, it is held for the commit alone.
 */
export async function appendAudit(tx: Sql, entry: AuditEntry): Promise<void> {
  const occurredAt = new Date();
  const r = { details: {}, ...entry };
  // recordHash's text is canonicalJson([tenantId, "<seq>", …, details, "<prevHash>"]): the parts before and after the two the database fills in.
  const beforeSeq = `${canonicalJson([r.tenantId]).slice(0, -1)},"`;
  const afterSeq = `",${canonicalJson([occurredAt.toISOString(), r.actorType, r.actorId, r.action, r.resource, r.outcome, r.statusCode, r.requestId, r.traceId, r.details]).slice(1, -1)},"`;
  tx.defer(
    `WITH head AS (
       INSERT INTO audit_heads AS h (tenant_id, last_seq, last_hash) VALUES ($1, 1, $2)
         ON CONFLICT (tenant_id) DO UPDATE SET last_seq = h.last_seq + 1
       RETURNING last_seq, last_hash)
     INSERT INTO audit_log (tenant_id, seq, occurred_at, actor_type, actor_id, action, resource, outcome, status_code,
                            request_id, trace_id, details, prev_hash, hash)
     SELECT $1, head.last_seq, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, head.last_hash,
            encode(sha256(convert_to($13::text || head.last_seq || $14::text || head.last_hash || '"]', 'UTF8')), 'hex')
       FROM head`,
    [
      r.tenantId, genesisHash(r.tenantId), occurredAt, r.actorType, r.actorId, r.action, r.resource,
      r.outcome, r.statusCode, r.requestId, r.traceId, JSON.stringify(r.details), beforeSeq, afterSeq,
    ],
  );
  tx.defer(
    'UPDATE audit_heads h SET last_hash = l.hash FROM audit_log l WHERE h.tenant_id = $1 AND l.tenant_id = $1 AND l.seq = h.last_seq',
    [r.tenantId],
  );
}

interface AuditRow {
  tenant_id: string;
  seq: string;
  occurred_at: Date;
  actor_type: AuditEntry['actorType'];
  actor_id: string | null;
  action: string;
  resource: string;
  outcome: AuditOutcome;
  status_code: number;
  request_id: string | null;
  trace_id: string | null;
  details: Record<string, unknown>;
  prev_hash: string;
  hash: string;
}

export const AUDIT_COLUMNS = `tenant_id, seq, occurred_at, actor_type, actor_id, action, resource, outcome, status_code,
  request_id, trace_id, details, prev_hash, hash`;

export function toAuditRecord(r: AuditRow): AuditRecord {
  return {
    tenantId: r.tenant_id,
    seq: Number(r.seq),
    occurredAt: r.occurred_at,
    actorType: r.actor_type,
    actorId: r.actor_id,
    action: r.action,
    resource: r.resource,
    outcome: r.outcome,
    statusCode: r.status_code,
    requestId: r.request_id,
    traceId: r.trace_id,
    details: r.details,
    prevHash: r.prev_hash,
    hash: r.hash,
  };
}

export interface ChainVerdict {
  intact: boolean;
  checked: number;
  headSeq: number;
  /** The first record that is not what the chain says it should be. */
  firstBad?: { seq: number; problem: 'altered' | 'missing' | 'relinked' };
}

/** Walks the tenant's chain in order and reports the first altered, relinked or missing record. */
export async function verifyChain(tx: Sql, tenantId: string, batch = 2000): Promise<ChainVerdict> {
  const head = await tx.query<{ last_seq: string; last_hash: string }>('SELECT last_seq, last_hash FROM audit_heads WHERE tenant_id = $1', [tenantId]);
  const headSeq = Number(head.rows[0]?.last_seq ?? 0);
  let expectedSeq = 1;
  let prevHash = genesisHash(tenantId);
  let checked = 0;
  const bad = (seq: number, problem: 'altered' | 'missing' | 'relinked'): ChainVerdict => ({ intact: false, checked, headSeq, firstBad: { seq, problem } });
  for (;;) {
    const { rows } = await tx.query<AuditRow>(
      `SELECT ${AUDIT_COLUMNS} FROM audit_log WHERE tenant_id = $1 AND seq >= $2 ORDER BY seq LIMIT $3`,
      [tenantId, expectedSeq, batch],
    );
    for (const row of rows) {
      const r = toAuditRecord(row);
      if (r.seq !== expectedSeq) return bad(expectedSeq, 'missing');
      if (r.prevHash !== prevHash) return bad(r.seq, 'relinked');
      if (recordHash(r) !== r.hash) return bad(r.seq, 'altered');
      prevHash = r.hash;
      expectedSeq++;
      checked++;
    }
    if (rows.length < batch) break;
  }
  if (checked < headSeq) return bad(expectedSeq, 'missing');
  if (headSeq > 0 && head.rows[0].last_hash !== prevHash) return bad(headSeq, 'altered');
  return { intact: true, checked, headSeq };
}

export interface ChainHead {
  seq: number;
  hash: string | null;
  /** When the newest record was written; null for an empty chain. */
  at: string | null;
}

/** The tip of the tenant's chain (what a backup records, and what a restored copy must match). */
export async function chainHead(tx: Sql, tenantId: string): Promise<ChainHead> {
  const { rows } = await tx.query<{ last_seq: string; last_hash: string; occurred_at: Date | null }>(
    `SELECT h.last_seq, h.last_hash, l.occurred_at FROM audit_heads h
       LEFT JOIN audit_log l ON l.tenant_id = h.tenant_id AND l.seq = h.last_seq
      WHERE h.tenant_id = $1`,
    [tenantId],
  );
  const head = rows[0];
  return head ? { seq: Number(head.last_seq), hash: head.last_hash, at: head.occurred_at ? new Date(head.occurred_at).toISOString() : null } : { seq: 0, hash: null, at: null };
}

/** How many writes of a tenant ended in each outcome since a time, from the audit chain (every write is on it). */
export async function auditOutcomesSince(tx: Sql, tenantId: string, since: string): Promise<{ outcome: AuditOutcome; n: number }[]> {
  const { rows } = await tx.query<{ outcome: AuditOutcome; n: number }>(
    'SELECT outcome, count(*)::int AS n FROM audit_log WHERE tenant_id = $1 AND occurred_at >= $2 GROUP BY outcome ORDER BY outcome',
    [tenantId, since],
  );
  return rows;
}
