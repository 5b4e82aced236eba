import type { Sql } from './db.js';

/**
 * Runs fn with the transaction switched to another tenant (a platform admin setting up a new
 * tenant), then switches back, so later statements, such as the caller's audit record, see
 * their own tenant again.
 */
export async function inTenant<T>(tx: Sql, tenantId: string, fn: () => Promise<T>): Promise<T> {
  const { rows } = await tx.query<{ previous: string }>(
    `SELECT current_setting('mes.tenant_id', true) AS previous, set_config('mes.tenant_id', $1, true)`,
    [tenantId],
  );
  // On failure the transaction rolls back as a whole, so only success needs to switch back.
  const result = await fn();
  await tx.query(`SELECT set_config('mes.tenant_id', $1, true)`, [rows[0].previous ?? '']);
  return result;
}
