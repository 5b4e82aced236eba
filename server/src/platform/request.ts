import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { appendAudit } from './audit.js';
import { actorId, type Principal } from './auth.js';
import { canonicalJson } from './canonical-json.js';
import type { Database, Sql, TxScope } from './db.js';
import { MesProblem, conflict, unprocessable } from './errors.js';
import { IDEMPOTENCY_TTL_HOURS } from './housekeeping.js';

declare module 'fastify' {
  interface FastifyRequest {
    traceId: string;
    principal?: Principal;
  }
  interface FastifyContextConfig {
    /** No credentials needed (health, metrics, login, the spec). */
    public?: boolean;
    /** The permission the caller must hold. */
    permission?: string;
    /** Runs with platform-wide visibility (tenants); requires a platform permission. */
    platform?: boolean;
    /** Optional query parameters of which at least one must be given (422 otherwise); in the spec as x-mes-one-of-query. */
    oneOfQuery?: string[];
    /** A POST that changes nothing (a scan lookup, a label): refusals are not audited as changes. */
    readOnly?: boolean;
    /**
     * Let through while the tenant is frozen for a go-live cutover (platform/freeze.ts): 'own'
     * the cutover API itself, 'import' an import naming the frozen cutover in the Mes-Cutover header.
     */
    cutover?: 'own' | 'import';
  }
}

export function principalOf(req: FastifyRequest): Principal {
  if (!req.principal) throw new MesProblem(401, 'AUTH_MISSING', 'this route needs credentials');
  return req.principal;
}

function scopeOf(req: FastifyRequest): TxScope {
  const p = principalOf(req);
  return { tenantId: p.tenantId, platform: req.routeOptions.config.platform === true };
}

/** A read: READ ONLY, scoped to the caller's tenant; each statement one write on PostgreSQL (TxScope.readOnly). */
export function read<T>(db: Database, req: FastifyRequest, fn: (tx: Sql) => Promise<T>): Promise<T> {
  return db.transaction({ ...scopeOf(req), readOnly: true }, fn);
}

/**
 * A read that leaves a trace (a download, an export, S1-8.3): not READ ONLY, because the audit
 * record (auditRead) is appended in the same transaction as the rows it describes.
 */
export function readAudited<T>(db: Database, req: FastifyRequest, fn: (tx: Sql) => Promise<T>): Promise<T> {
  return db.transaction(scopeOf(req), fn);
}

export interface MutationOptions<T> {
  status?: number;
  /** Names what was changed, for the audit record. */
  resource: (result: T) => string;
  details?: (result: T) => Record<string, unknown>;
  /**
   * The response carries a secret shown once (an API key). It is not stored for replay: a replay
   * answers 409 naming what the first request created, so the secret never rests in the database.
   */
  oneTimeSecret?: boolean;
}

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

/**
 * A state change: one transaction that runs the service, appends the audit record and (when the
 * request carries an Idempotency-Key) stores the response, all committing together. A replay of
 * the same key and body by the same credential answers with the stored response and changes
 * nothing; keys are scoped per credential (an API key, or the user behind a login token), so two
 * integrations of one tenant never see each other's responses.
 */
export async function mutate<F extends (tx: Sql) => Promise<unknown>, T = Awaited<ReturnType<F>>>(
  db: Database,
  req: FastifyRequest,
  reply: FastifyReply,
  fn: F,
  opts: MutationOptions<T>,
): Promise<T> {
  const p = principalOf(req);
  const key = idempotencyKeyOf(req);
  const credential = credentialOf(p);
  const status = opts.status ?? 200;
  const result = await db.transaction(scopeOf(req), async (tx) => {
    if (key) {
      const replay = await claimIdempotencyKey(tx, p.tenantId, credential, key, requestHash(req));
      if (replay && opts.oneTimeSecret) throw secretNotReplayable(replay.body);
      if (replay) {
        await appendAudit(tx, auditEntry(req, p, replay.status, req.url, { idempotentReplay: true, idempotencyKey: key }));
        return replay;
      }
    }
    const body = (await fn(tx)) as T;
    const resource = opts.resource(body);
    if (key) {
      const stored = opts.oneTimeSecret ? { createdResource: resource } : body ?? null;
      tx.defer('UPDATE idempotency_keys SET status_code = $4, response_body = $5 WHERE tenant_id = $1 AND credential = $2 AND key = $3', [
        p.tenantId, credential, key, status, JSON.stringify(stored),
      ]);
    }
    await appendAudit(tx, auditEntry(req, p, status, resource, { ...opts.details?.(body), ...(key ? { idempotencyKey: key } : {}) }));
    return { status, body, replayed: false };
  });
  reply.code(result.status);
  if (result.replayed) reply.header('idempotent-replayed', 'true');
  return result.body as T;
}

/**
 * The audit record of a read that leaves a trace, appended in the reading transaction (readAudited),
 * so a read that answered is always on the record.
 */
export async function auditRead(tx: Sql, req: FastifyRequest, resource: string, details: Record<string, unknown>): Promise<void> {
  await appendAudit(tx, auditEntry(req, principalOf(req), 200, resource, details));
}

function secretNotReplayable(stored: unknown): MesProblem {
  const created = (stored as { createdResource?: string } | null)?.createdResource ?? 'a resource';
  return conflict(
    'SECRET_NOT_REPLAYABLE',
    `this Idempotency-Key already created ${created}, whose secret was in the first response only; revoke it and create a new one if that response was lost`,
    { createdResource: created },
  );
}

function auditEntry(req: FastifyRequest, p: Principal, statusCode: number, resource: string, details: Record<string, unknown>) {
  return {
    tenantId: p.tenantId,
    actorType: p.via,
    actorId: actorId(p),
    action: req.routeOptions.schema?.operationId ?? `${req.method} ${req.routeOptions.url}`,
    resource,
    outcome: 'success' as const,
    statusCode,
    requestId: req.id,
    traceId: req.traceId,
    details,
  };
}

function idempotencyKeyOf(req: FastifyRequest): string | undefined {
  if (req.method !== 'POST') return undefined;
  const key = req.headers['idempotency-key'];
  if (key === undefined) return undefined;
  if (typeof key !== 'string' || !IDEMPOTENCY_KEY.test(key)) {
    throw new MesProblem(400, 'IDEMPOTENCY_KEY_INVALID', 'Idempotency-Key must be 1 to 255 visible ASCII characters', {
      errors: [{ in: 'header', field: 'idempotency-key', code: 'INVALID_FORMAT', message: 'must be 1 to 255 visible ASCII characters' }],
    });
  }
  return key;
}

function requestHash(req: FastifyRequest): string {
  const hash = createHash('sha256').update(`${req.method} ${req.url}\n`);
  // A binary body (a drawing upload) is hashed as its bytes, not walked as an object.
  return (Buffer.isBuffer(req.body) ? hash.update(req.body) : hash.update(canonicalJson(req.body ?? null))).digest('hex');
}

/** Whose Idempotency-Keys these are: the API key, or the user a login token was issued to. */
function credentialOf(p: Principal): string {
  return p.via === 'api_key' ? `api_key:${p.keyId}` : `user:${p.userId}`;
}

/**
 * Claims the key for this request, or returns the stored response of the request that claimed
 * it first. A concurrent duplicate blocks on the key's row until the first commits, then replays.
 */
async function claimIdempotencyKey(tx: Sql, tenantId: string, credential: string, key: string, hash: string) {
  tx.defer(`DELETE FROM idempotency_keys WHERE tenant_id = $1 AND credential = $2 AND key = $3 AND created_at < now() - interval '${IDEMPOTENCY_TTL_HOURS} hours'`, [tenantId, credential, key]);
  const claimed = await tx.query(
    'INSERT INTO idempotency_keys (tenant_id, credential, key, request_hash, status_code) VALUES ($1, $2, $3, $4, 0) ON CONFLICT DO NOTHING',
    [tenantId, credential, key, hash],
  );
  if (claimed.rowCount === 1) return undefined;
  const { rows } = await tx.query<{ request_hash: string; status_code: number; response_body: unknown }>(
    'SELECT request_hash, status_code, response_body FROM idempotency_keys WHERE tenant_id = $1 AND credential = $2 AND key = $3',
    [tenantId, credential, key],
  );
  const stored = rows[0];
  if (stored.request_hash !== hash) {
    throw unprocessable('IDEMPOTENCY_KEY_REUSED', 'this Idempotency-Key was already used for a different request; use a new key for a new request', [
      { in: 'header', field: 'idempotency-key', code: 'REUSED', message: 'already used with a different method, path or body' },
    ]);
  }
  return { status: stored.status_code, body: stored.response_body, replayed: true };
}
