/** The cutover tables (migration 0019); only this file touches them. */
import type { Sql } from '../../platform/db.js';
import type { Cutover, CutoverStep } from './schema.js';
import { CHECKS, STEPS } from './steps.js';

const CUTOVER_COLUMNS = `id, status, frozen, note, planned_by AS "plannedBy", backup, reconciliation, rollback,
  to_char(go_live_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "goLiveAt",
  to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "createdAt",
  to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "updatedAt",
  to_char(finished_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "finishedAt"`;

const STEP_COLUMNS = `seq, key, kind, state, actor, duration_ms AS "durationMs", runner, result,
  to_char(heartbeat_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "heartbeatAt",
  to_char(started_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "startedAt",
  to_char(finished_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "finishedAt"`;

type CutoverRow = Omit<Cutover, 'steps' | 'checks'>;

/** Which cutover holds the tenant frozen (the request pipeline's freeze check). */
export async function frozenCutoverId(tx: Sql, tenantId: string): Promise<string | null> {
  const { rows } = await tx.query<{ id: string }>('SELECT id FROM cutovers WHERE tenant_id = $1 AND frozen', [tenantId]);
  return rows[0]?.id ?? null;
}

export async function openCutoverId(tx: Sql, tenantId: string): Promise<string | undefined> {
  const { rows } = await tx.query<{ id: string }>(`SELECT id FROM cutovers WHERE tenant_id = $1 AND status IN ('planned', 'running', 'failed')`, [tenantId]);
  return rows[0]?.id;
}

export async function insertCutover(tx: Sql, tenantId: string, c: { note: string | null; plannedBy: string }): Promise<string> {
  const { rows } = await tx.query<{ id: string }>(`INSERT INTO cutovers (tenant_id, status, note, planned_by) VALUES ($1, 'planned', $2, $3) RETURNING id`, [tenantId, c.note, c.plannedBy]);
  const id = rows[0].id;
  const entries = [...STEPS.map((s) => ({ key: s.key, kind: 'step' })), ...CHECKS.map((c) => ({ key: c.key, kind: 'check' }))];
  await tx.query(
    `INSERT INTO cutover_steps (tenant_id, cutover_id, seq, key, kind, state)
     SELECT $1, $2, x.seq, x.key, x.kind, 'pending' FROM unnest($3::text[], $4::text[]) WITH ORDINALITY AS x(key, kind, seq)`,
    [tenantId, id, entries.map((e) => e.key), entries.map((e) => e.kind)],
  );
  return id;
}

export async function findCutover(tx: Sql, tenantId: string, id: string, lock = false): Promise<Cutover | undefined> {
  const { rows } = await tx.query<CutoverRow>(`SELECT ${CUTOVER_COLUMNS} FROM cutovers WHERE tenant_id = $1 AND id = $2${lock ? ' FOR UPDATE' : ''}`, [tenantId, id]);
  if (!rows[0]) return undefined;
  const steps = (await tx.query<CutoverStep & { kind: string }>(`SELECT ${STEP_COLUMNS} FROM cutover_steps WHERE cutover_id = $1 ORDER BY seq`, [id])).rows;
  const strip = ({ kind: _kind, ...s }: CutoverStep & { kind: string }) => s;
  return { ...rows[0], steps: steps.filter((s) => s.kind === 'step').map(strip), checks: steps.filter((s) => s.kind === 'check').map(strip) };
}

export async function listCutovers(tx: Sql, tenantId: string, limit: number, after?: [string, string]): Promise<CutoverRow[]> {
  const { rows } = await tx.query<CutoverRow>(
    `SELECT ${CUTOVER_COLUMNS} FROM cutovers WHERE tenant_id = $1
        AND ($2::timestamptz IS NULL OR (created_at, id) < ($2::timestamptz, $3::uuid))
      ORDER BY created_at DESC, id DESC LIMIT $4`,
    [tenantId, after?.[0] ?? null, after?.[1] ?? null, limit + 1],
  );
  return rows;
}

/**
 * Marks a step running for this runner, if it is neither running nor passed, or running with a
 * heartbeat older than the lease (its process died); false when a live run holds it.
 */
export async function startStep(tx: Sql, cutoverId: string, key: string, actor: string, runner: string, leaseMs: number): Promise<boolean> {
  const r = await tx.query(
    `UPDATE cutover_steps SET state = 'running', actor = $3, runner = $4, heartbeat_at = now(), started_at = now(), finished_at = NULL, duration_ms = NULL, result = NULL
      WHERE cutover_id = $1 AND key = $2
        AND (state NOT IN ('running', 'passed') OR (state = 'running' AND coalesce(heartbeat_at, started_at) < now() - make_interval(secs => $5::double precision / 1000)))`,
    [cutoverId, key, actor, runner, leaseMs],
  );
  return r.rowCount === 1;
}

/** Renews a running step's lease; false when the step is no longer this runner's. */
export async function heartbeat(tx: Sql, cutoverId: string, key: string, runner: string): Promise<boolean> {
  const r = await tx.query(`UPDATE cutover_steps SET heartbeat_at = now() WHERE cutover_id = $1 AND key = $2 AND state = 'running' AND runner = $3`, [cutoverId, key, runner]);
  return r.rowCount === 1;
}

/** How long ago a running step's heartbeat was, in ms (null: no step running with a heartbeat). */
export async function heartbeatAgeMs(tx: Sql, cutoverId: string, key: string): Promise<number | null> {
  const { rows } = await tx.query<{ age: number | null }>(
    `SELECT (extract(epoch FROM now() - coalesce(heartbeat_at, started_at)) * 1000)::int AS age FROM cutover_steps WHERE cutover_id = $1 AND key = $2 AND state = 'running'`,
    [cutoverId, key],
  );
  return rows[0]?.age ?? null;
}

export async function finishStep(tx: Sql, cutoverId: string, key: string, state: string, result: unknown): Promise<void> {
  await tx.query(
    `UPDATE cutover_steps SET state = $3, finished_at = now(), duration_ms = GREATEST(0, (extract(epoch FROM now() - started_at) * 1000)::int), result = $4
      WHERE cutover_id = $1 AND key = $2`,
    [cutoverId, key, state, JSON.stringify(result ?? null)],
  );
}

export async function setCheck(tx: Sql, cutoverId: string, key: string, state: string, actor: string, result: unknown): Promise<void> {
  await tx.query(
    `UPDATE cutover_steps SET state = $3, actor = $4, started_at = now(), finished_at = now(), duration_ms = 0, result = $5 WHERE cutover_id = $1 AND key = $2`,
    [cutoverId, key, state, actor, JSON.stringify(result)],
  );
}

export interface CutoverChange {
  status?: string;
  frozen?: boolean;
  backup?: unknown;
  backupManifest?: unknown;
  reconciliation?: unknown;
  rollback?: unknown;
  goLive?: boolean;
  finished?: boolean;
}

export async function updateCutover(tx: Sql, id: string, c: CutoverChange): Promise<void> {
  const sets: string[] = ['updated_at = now()'];
  const params: unknown[] = [id];
  const set = (column: string, value: unknown) => {
    params.push(value);
    sets.push(`${column} = $${params.length}`);
  };
  if (c.status !== undefined) set('status', c.status);
  if (c.frozen !== undefined) set('frozen', c.frozen);
  if (c.backup !== undefined) set('backup', JSON.stringify(c.backup));
  if (c.backupManifest !== undefined) set('backup_manifest', JSON.stringify(c.backupManifest));
  if (c.reconciliation !== undefined) set('reconciliation', JSON.stringify(c.reconciliation));
  if (c.rollback !== undefined) set('rollback', JSON.stringify(c.rollback));
  if (c.goLive) sets.push('go_live_at = now()');
  if (c.finished) sets.push('finished_at = now()');
  await tx.query(`UPDATE cutovers SET ${sets.join(', ')} WHERE id = $1`, params);
}

export async function backupManifest(tx: Sql, tenantId: string, id: string): Promise<unknown> {
  const { rows } = await tx.query<{ m: unknown }>('SELECT backup_manifest AS m FROM cutovers WHERE tenant_id = $1 AND id = $2', [tenantId, id]);
  return rows[0]?.m ?? null;
}

export async function insertBackupChunk(tx: Sql, tenantId: string, cutoverId: string, file: string, seq: number, chunk: Buffer): Promise<void> {
  await tx.query('INSERT INTO cutover_backup_chunks (tenant_id, cutover_id, file, seq, chunk) VALUES ($1, $2, $3, $4, $5)', [tenantId, cutoverId, file, seq, chunk]);
}

export async function deleteBackupChunks(tx: Sql, cutoverId: string): Promise<void> {
  await tx.query('DELETE FROM cutover_backup_chunks WHERE cutover_id = $1', [cutoverId]);
}

export async function backupChunks(tx: Sql, cutoverId: string, file: string): Promise<Buffer[]> {
  const { rows } = await tx.query<{ chunk: Buffer }>('SELECT chunk FROM cutover_backup_chunks WHERE cutover_id = $1 AND file = $2 ORDER BY seq', [cutoverId, file]);
  return rows.map((r) => Buffer.from(r.chunk));
}
