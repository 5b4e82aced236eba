import type { Sql } from '../../platform/db.js';
import type { BackupDrill } from './schema.js';

interface DrillRow {
  id: string;
  status: BackupDrill['status'];
  scope: BackupDrill['scope'];
  requested_by: string;
  started_at: Date;
  finished_at: Date | null;
  result: (Record<string, unknown> & { rtoMs?: number; rpoMs?: number }) | null;
}

const SELECT = 'SELECT id, status, scope, requested_by, started_at, finished_at, result FROM backup_drills';

const toDrill = (r: DrillRow): BackupDrill => {
  const failed = r.status === 'failed' ? (r.result as { error?: BackupDrill['error'] } | null)?.error ?? null : null;
  return {
    id: r.id,
    status: r.status,
    scope: r.scope,
    requestedBy: r.requested_by,
    startedAt: r.started_at.toISOString(),
    finishedAt: r.finished_at?.toISOString() ?? null,
    rtoMs: r.status === 'passed' ? r.result?.rtoMs ?? null : null,
    rpoMs: r.status === 'passed' ? r.result?.rpoMs ?? null : null,
    result: r.status === 'passed' ? r.result : null,
    error: failed,
  };
};

export async function insertDrill(tx: Sql, d: { id: string; scope: BackupDrill['scope']; requestedBy: string }): Promise<BackupDrill> {
  const { rows } = await tx.query<DrillRow>(
    `INSERT INTO backup_drills (id, status, scope, requested_by) VALUES ($1, 'running', $2, $3) RETURNING id, status, scope, requested_by, started_at, finished_at, result`,
    [d.id, JSON.stringify(d.scope), d.requestedBy],
  );
  return toDrill(rows[0]);
}

export async function finishDrill(tx: Sql, id: string, status: 'passed' | 'failed', result: Record<string, unknown>): Promise<void> {
  await tx.query(`UPDATE backup_drills SET status = $2, result = $3, finished_at = now() WHERE id = $1`, [id, status, JSON.stringify(result)]);
}

export async function findDrill(tx: Sql, id: string): Promise<BackupDrill | undefined> {
  const { rows } = await tx.query<DrillRow>(`${SELECT} WHERE id = $1`, [id]);
  return rows[0] && toDrill(rows[0]);
}

/** Newest first. */
export async function listDrills(tx: Sql, limit: number, after?: [string, string]): Promise<BackupDrill[]> {
  const { rows } = await tx.query<DrillRow>(
    `${SELECT} WHERE ($1::timestamptz IS NULL OR (started_at, id) < ($1::timestamptz, $2::uuid)) ORDER BY started_at DESC, id DESC LIMIT $3`,
    [after?.[0] ?? null, after?.[1] ?? null, limit + 1],
  );
  return rows.map(toDrill);
}
