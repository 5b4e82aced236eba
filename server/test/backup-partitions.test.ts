/**
 * Telemetry is partitioned by month, and the server creates the partitions as readings arrive,
 * not the migrations: a backup records them, and a restore (whole instance or one tenant) creates
 * them before the rows load, with their row-level security as it was.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { restoreInstance, sendBackup, verifyBackup, readinessInProcess } from '../src/index.js';
import { createPartition } from '../src/modules/equipment/telemetry-repo.js';
import { backupDir, emptyDatabase, rowsOfTenant, tableContents, takeBackup } from './backup-util.js';
import { createTenant, startTestServer, type TestServer } from './harness.js';

let s1: TestServer;
let s2: TestServer;
let tenantId: string;
const dest = backupDir();
const dbOf = (t: TestServer) => t.server.built.ctx.db;

/** Readings in two months (as the equipment module stores them: its partitions first, then the rows). */
beforeAll(async () => {
  [s1, s2] = await Promise.all([startTestServer(), startTestServer()]);
  tenantId = (await createTenant(s1, 'plant')).id;
  await dbOf(s1).asOwner(async (sql) => {
    await createPartition(sql, new Date('2026-11-01T00:00:00Z'));
    await createPartition(sql, new Date('2026-12-01T00:00:00Z'));
  });
  await dbOf(s1).transaction({ tenantId }, (tx) => tx.query(
    `INSERT INTO telemetry_readings (tenant_id, gateway_id, equipment_id, point, ts, seq, num_value, quality)
     SELECT $1, '00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000002', 'spindle.rpm', ts, n, n * 1.5, 'good'
       FROM (VALUES ('2026-11-20T08:00:00Z'::timestamptz, 1), ('2026-12-02T08:00:00Z', 2), ('2026-12-02T08:00:01Z', 3)) v(ts, n)`,
    [tenantId],
  ));
});

afterAll(async () => {
  await Promise.all([s1?.stop(), s2?.stop()]);
  dest.remove();
});

const partitionsOf = (t: { asOwner: TestServer['server']['built']['ctx']['db']['asOwner'] }) => t.asOwner(async (sql) => (await sql.query<{ name: string; rls: boolean; force: boolean }>(
  `SELECT c.relname AS name, c.relrowsecurity AS rls, c.relforcerowsecurity AS force FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent
    WHERE p.relname = 'telemetry_readings' ORDER BY 1`,
)).rows);

describe('telemetry partitions', () => {
  it('S1-8.4: an instance backup with telemetry restores into an empty database and verifies: the months\' partitions are created, RLS forced on them, every reading back', async () => {
    const { manifest, reader } = await takeBackup(s1, dest.dir);
    const entry = manifest.tables.find((t) => t.name === 'telemetry_readings')!;
    expect(entry.rows).toBe(3);
    expect(entry.partitions).toEqual([
      { name: 'telemetry_readings_2026_11', bound: "FOR VALUES FROM ('2026-11-01 00:00:00+00') TO ('2026-12-01 00:00:00+00')", rowSecurity: true, forceRowSecurity: true },
      { name: 'telemetry_readings_2026_12', bound: "FOR VALUES FROM ('2026-12-01 00:00:00+00') TO ('2027-01-01 00:00:00+00')", rowSecurity: true, forceRowSecurity: true },
    ]);
    const target = await emptyDatabase();
    try {
      const report = await verifyBackup(reader, target.db, { readiness: readinessInProcess });
      expect(report.verified).toBe(true);
      expect(await partitionsOf(target.db)).toEqual([
        { name: 'telemetry_readings_2026_11', rls: true, force: true },
        { name: 'telemetry_readings_2026_12', rls: true, force: true },
      ]);
      const rows = (await tableContents(target.db, (t) => (t === 'telemetry_readings' ? 'true' : undefined))).telemetry_readings;
      expect(rows).toHaveLength(3);
      expect(rows).toEqual((await tableContents(dbOf(s1), (t) => (t === 'telemetry_readings' ? 'true' : undefined))).telemetry_readings);
    } finally {
      await target.drop();
    }
    // A second restore of the same backup into another empty database, as `mes backup restore` does it.
    const again = await emptyDatabase();
    try {
      const r = await restoreInstance(again.db, reader);
      expect(r.rows).toBe(manifest.tables.reduce((n, t) => n + t.rows, 0));
    } finally {
      await again.drop();
    }
  });

  it('S1-8.2: a tenant with telemetry restored into another instance: the partitions it needs are created there with RLS forced, its readings arrive', async () => {
    const { reader } = await takeBackup(s1, dest.dir, { tenant: 'plant' });
    expect(await partitionsOf(dbOf(s2))).toEqual([]);
    const res = await fetch(`${s2.url}/v1/tenant-restores`, {
      method: 'POST',
      headers: { authorization: `Bearer ${s2.adminKey}`, 'content-type': 'application/vnd.mes.backup-stream' },
      body: sendBackup(reader) as unknown as BodyInit,
      duplex: 'half',
    } as RequestInit);
    expect(res.status, await res.clone().text()).toBe(201);
    expect((await res.json()).tenantId).toBe(tenantId);
    expect(await partitionsOf(dbOf(s2))).toEqual([
      { name: 'telemetry_readings_2026_11', rls: true, force: true },
      { name: 'telemetry_readings_2026_12', rls: true, force: true },
    ]);
    const only = (t: string, columns: string[]) => (t === 'telemetry_readings' ? rowsOfTenant(tenantId)(t, columns) : undefined);
    expect((await tableContents(dbOf(s2), only)).telemetry_readings).toEqual((await tableContents(dbOf(s1), only)).telemetry_readings);
  });
});
