/** Gateways, their keys, device maps, batches, rejection counts and device commands. */
import type { Sql } from '../../platform/db.js';
import type { BatchAnswer, Gateway, GatewaySummary } from './gateway-schema.js';
import type { DeviceCommand } from './schema.js';

export interface GatewayRow {
  id: string; code: string; name: string; site_id: string | null; status: 'active' | 'blocked'; highest_seq: string;
  last_heartbeat_at: Date | null; last_status: Record<string, unknown> | null; version: number; created_at: Date;
}
const GATEWAY = 'SELECT id, code, name, site_id, status, highest_seq, last_heartbeat_at, last_status, version, created_at FROM gateways';

export async function insertGateway(tx: Sql, tenantId: string, g: { code: string; name: string; siteId: string | null }): Promise<string> {
  const { rows } = await tx.query<{ id: string }>('INSERT INTO gateways (tenant_id, code, name, site_id) VALUES ($1, $2, $3, $4) RETURNING id', [tenantId, g.code, g.name, g.siteId]);
  return rows[0].id;
}

/** A gateway by id or code; `lock` takes its row lock (one upload of a gateway at a time). */
export async function findGatewayRow(tx: Sql, tenantId: string, ref: { id?: string; code?: string }, lock = false): Promise<GatewayRow | undefined> {
  const { rows } = await tx.query<GatewayRow>(`${GATEWAY} WHERE tenant_id = $1 AND ${ref.id ? 'id = $2::uuid' : 'code = $2'}${lock ? ' FOR UPDATE' : ''}`, [tenantId, ref.id ?? ref.code]);
  return rows[0];
}

export async function listGateways(tx: Sql, tenantId: string, q: { limit: number; after?: string }): Promise<GatewaySummary[]> {
  const { rows } = await tx.query<GatewayRow>(`${GATEWAY} WHERE tenant_id = $1 AND ($2::text IS NULL OR code > $2) ORDER BY code LIMIT $3`, [tenantId, q.after ?? null, q.limit + 1]);
  return rows.map((r) => ({ id: r.id, code: r.code, name: r.name, status: r.status, highestSeq: Number(r.highest_seq), lastHeartbeatAt: r.last_heartbeat_at?.toISOString() ?? null }));
}

export async function gatewayDetail(tx: Sql, tenantId: string, r: GatewayRow): Promise<Gateway> {
  const keys = (await tx.query<{ id: string; fingerprint: string; created_at: Date; revoked_at: Date | null }>(
    'SELECT id, fingerprint, created_at, revoked_at FROM gateway_keys WHERE tenant_id = $1 AND gateway_id = $2 ORDER BY created_at, id', [tenantId, r.id],
  )).rows;
  const rejections = (await tx.query<{ device: string; code: string; count: string; last_seq: string; last_at: Date }>(
    'SELECT device, code, count, last_seq, last_at FROM gateway_rejections WHERE tenant_id = $1 AND gateway_id = $2 ORDER BY device, code', [tenantId, r.id],
  )).rows;
  return {
    id: r.id, code: r.code, name: r.name, siteId: r.site_id, status: r.status, highestSeq: Number(r.highest_seq), configVersion: await configVersion(tx, tenantId, r.id),
    lastHeartbeatAt: r.last_heartbeat_at?.toISOString() ?? null, lastStatus: r.last_status,
    keys: keys.map((k) => ({ id: k.id, fingerprint: k.fingerprint, createdAt: k.created_at.toISOString(), revokedAt: k.revoked_at?.toISOString() ?? null })),
    rejections: rejections.map((x) => ({ device: x.device, code: x.code, count: Number(x.count), lastSeq: Number(x.last_seq), lastAt: x.last_at.toISOString() })),
    version: r.version, createdAt: r.created_at.toISOString(),
  };
}

export async function insertKey(tx: Sql, tenantId: string, gatewayId: string, publicKey: string, fingerprint: string): Promise<string | undefined> {
  const { rows } = await tx.query<{ id: string }>(
    'INSERT INTO gateway_keys (tenant_id, gateway_id, public_key, fingerprint) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING RETURNING id',
    [tenantId, gatewayId, publicKey, fingerprint],
  );
  return rows[0]?.id;
}

export async function revokeKey(tx: Sql, tenantId: string, gatewayId: string, keyId: string): Promise<'revoked' | 'already' | 'missing'> {
  const { rows } = await tx.query<{ revoked_at: Date | null }>('SELECT revoked_at FROM gateway_keys WHERE tenant_id = $1 AND gateway_id = $2 AND id = $3 FOR UPDATE', [tenantId, gatewayId, keyId]);
  if (!rows[0]) return 'missing';
  if (rows[0].revoked_at) return 'already';
  await tx.query('UPDATE gateway_keys SET revoked_at = now() WHERE tenant_id = $1 AND id = $2', [tenantId, keyId]);
  return 'revoked';
}

export async function activeKeys(tx: Sql, tenantId: string, gatewayId: string): Promise<string[]> {
  return (await tx.query<{ public_key: string }>('SELECT public_key FROM gateway_keys WHERE tenant_id = $1 AND gateway_id = $2 AND revoked_at IS NULL', [tenantId, gatewayId])).rows.map((r) => r.public_key);
}

export async function updateGateway(tx: Sql, tenantId: string, id: string, version: number, set: { name?: string; status?: string }): Promise<boolean> {
  const { rowCount } = await tx.query(
    'UPDATE gateways SET name = coalesce($4, name), status = coalesce($5, status), version = version + 1 WHERE tenant_id = $1 AND id = $2 AND version = $3',
    [tenantId, id, version, set.name ?? null, set.status ?? null],
  );
  return rowCount === 1;
}

export async function touchGateway(tx: Sql, tenantId: string, id: string): Promise<void> {
  await tx.query('UPDATE gateways SET version = version + 1 WHERE tenant_id = $1 AND id = $2', [tenantId, id]);
}

// ---------------------------------------------------------------- device maps

export async function configVersion(tx: Sql, tenantId: string, gatewayId: string): Promise<number> {
  const { rows } = await tx.query<{ v: number | null }>('SELECT max(version) AS v FROM gateway_configs WHERE tenant_id = $1 AND gateway_id = $2', [tenantId, gatewayId]);
  return rows[0].v ?? 0;
}

export async function latestConfig(tx: Sql, tenantId: string, gatewayId: string): Promise<{ version: number; devices: Record<string, unknown>[] }> {
  const { rows } = await tx.query<{ version: number; devices: Record<string, unknown>[] }>(
    'SELECT version, devices FROM gateway_configs WHERE tenant_id = $1 AND gateway_id = $2 ORDER BY version DESC LIMIT 1', [tenantId, gatewayId],
  );
  return rows[0] ?? { version: 0, devices: [] };
}

export async function insertConfig(tx: Sql, tenantId: string, gatewayId: string, version: number, devices: unknown[]): Promise<void> {
  await tx.query('INSERT INTO gateway_configs (tenant_id, gateway_id, version, devices) VALUES ($1, $2, $3, $4)', [tenantId, gatewayId, version, JSON.stringify(devices)]);
}

// ---------------------------------------------------------------- batches and heartbeat

export async function findBatch(tx: Sql, tenantId: string, gatewayId: string, batchSeq: number): Promise<{ body_sha256: string; answer: BatchAnswer } | undefined> {
  const { rows } = await tx.query<{ body_sha256: string; answer: BatchAnswer }>(
    'SELECT body_sha256, answer FROM gateway_batches WHERE tenant_id = $1 AND gateway_id = $2 AND batch_seq = $3', [tenantId, gatewayId, batchSeq],
  );
  return rows[0];
}

export async function insertBatch(tx: Sql, tenantId: string, gatewayId: string, batchSeq: number, sha256: string, answer: BatchAnswer): Promise<void> {
  await tx.query('INSERT INTO gateway_batches (tenant_id, gateway_id, batch_seq, body_sha256, answer) VALUES ($1, $2, $3, $4, $5)', [tenantId, gatewayId, batchSeq, sha256, JSON.stringify(answer)]);
}

export async function raiseHighestSeq(tx: Sql, tenantId: string, gatewayId: string, seq: number): Promise<number> {
  const { rows } = await tx.query<{ highest_seq: string }>(
    'UPDATE gateways SET highest_seq = GREATEST(highest_seq, $3) WHERE tenant_id = $1 AND id = $2 RETURNING highest_seq', [tenantId, gatewayId, seq],
  );
  return Number(rows[0].highest_seq);
}

export async function countRejections(tx: Sql, tenantId: string, gatewayId: string, counts: { device: string; code: string; count: number; lastSeq: number }[]): Promise<void> {
  if (!counts.length) return;
  await tx.query(
    `INSERT INTO gateway_rejections (tenant_id, gateway_id, device, code, count, last_seq)
     SELECT $1, $2, d, c, n, s FROM unnest($3::text[], $4::text[], $5::bigint[], $6::bigint[]) AS x(d, c, n, s)
     ON CONFLICT (tenant_id, gateway_id, device, code) DO UPDATE
       SET count = gateway_rejections.count + EXCLUDED.count, last_seq = EXCLUDED.last_seq, last_at = now()`,
    [tenantId, gatewayId, counts.map((c) => c.device), counts.map((c) => c.code), counts.map((c) => c.count), counts.map((c) => c.lastSeq)],
  );
}

export async function recordHeartbeat(tx: Sql, tenantId: string, gatewayId: string, status: Record<string, unknown>): Promise<void> {
  await tx.query('UPDATE gateways SET last_heartbeat_at = now(), last_status = $3 WHERE tenant_id = $1 AND id = $2', [tenantId, gatewayId, JSON.stringify(status)]);
}

// ---------------------------------------------------------------- commands

interface CommandRow {
  id: string; equipment_id: string; gateway_id: string; device: string; point: string; value: number | boolean | string; status: DeviceCommand['status'];
  error: string | null; issued_by: string; issued_at: Date; delivered_at: Date | null; completed_at: Date | null;
}
const COMMAND = `SELECT c.id, c.equipment_id, c.gateway_id, e.code AS device, c.point, c.value, c.status, c.error, c.issued_by, c.issued_at, c.delivered_at, c.completed_at
  FROM device_commands c JOIN equipment e ON e.tenant_id = c.tenant_id AND e.id = c.equipment_id`;
const toCommand = (r: CommandRow): DeviceCommand => ({
  id: r.id, equipmentId: r.equipment_id, gatewayId: r.gateway_id, device: r.device, point: r.point, value: r.value, status: r.status, error: r.error,
  issuedBy: r.issued_by, issuedAt: r.issued_at.toISOString(), deliveredAt: r.delivered_at?.toISOString() ?? null, completedAt: r.completed_at?.toISOString() ?? null,
});

export async function insertCommand(tx: Sql, tenantId: string, c: { equipmentId: string; gatewayId: string; point: string; value: unknown; issuedBy: string }): Promise<string> {
  const { rows } = await tx.query<{ id: string }>(
    'INSERT INTO device_commands (tenant_id, equipment_id, gateway_id, point, value, issued_by) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id',
    [tenantId, c.equipmentId, c.gatewayId, c.point, JSON.stringify(c.value), c.issuedBy],
  );
  return rows[0].id;
}

export async function findCommand(tx: Sql, tenantId: string, id: string): Promise<DeviceCommand | undefined> {
  const { rows } = await tx.query<CommandRow>(`${COMMAND} WHERE c.tenant_id = $1 AND c.id = $2`, [tenantId, id]);
  return rows[0] ? toCommand(rows[0]) : undefined;
}

/** Commands not yet done: marked delivered and handed to the gateway (again, until it reports a result). */
export async function deliverCommands(tx: Sql, tenantId: string, gatewayId: string): Promise<DeviceCommand[]> {
  await tx.query(`UPDATE device_commands SET status = 'delivered', delivered_at = now() WHERE tenant_id = $1 AND gateway_id = $2 AND status = 'queued'`, [tenantId, gatewayId]);
  const { rows } = await tx.query<CommandRow>(`${COMMAND} WHERE c.tenant_id = $1 AND c.gateway_id = $2 AND c.status = 'delivered' ORDER BY c.issued_at, c.id LIMIT 100`, [tenantId, gatewayId]);
  return rows.map(toCommand);
}

/** Records a result once; a result reported again (or for another gateway's command) changes nothing. */
export async function completeCommand(tx: Sql, tenantId: string, gatewayId: string, id: string, ok: boolean, error: string | null): Promise<DeviceCommand | undefined> {
  const { rows } = await tx.query<{ id: string }>(
    `UPDATE device_commands SET status = $4, error = $5, completed_at = now() WHERE tenant_id = $1 AND gateway_id = $2 AND id = $3 AND status IN ('queued', 'delivered') RETURNING id`,
    [tenantId, gatewayId, id, ok ? 'done' : 'failed', error],
  );
  return rows[0] ? findCommand(tx, tenantId, id) : undefined;
}

/** Deletes up to `limit` of the tenant's stored batch answers received before `before`; returns how many. */
export async function deleteBatchesBefore(tx: Sql, tenantId: string, before: Date, limit: number): Promise<number> {
  return (await tx.query(
    `DELETE FROM gateway_batches WHERE tenant_id = $1 AND (gateway_id, batch_seq) IN (
       SELECT gateway_id, batch_seq FROM gateway_batches WHERE tenant_id = $1 AND received_at < $2 LIMIT $3)`,
    [tenantId, before, limit],
  )).rowCount;
}

export async function countActiveGateways(tx: Sql, tenantId: string): Promise<number> {
  const { rows } = await tx.query<{ n: number }>(`SELECT count(*)::int AS n FROM gateways WHERE tenant_id = $1 AND status = 'active'`, [tenantId]);
  return rows[0].n;
}
