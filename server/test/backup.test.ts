/**
 * Backups that prove themselves (S1-8.4, S1-8.2, S1-5.2.2.3), over real HTTP on the test backend:
 * an instance backup restored into an empty database is the original row for row and serves the
 * same answers; one tenant moves to another instance under a new slug without touching the
 * tenants there; damaged, truncated, mis-keyed and lying backups are refused with a code naming
 * the file; a newer schema is refused and an older one migrated forward; the server runs drills.
 */
import { cpSync, readdirSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BackupError, BackupSetReader, BackupSetWriter, dumpDatabase, loadConfig, restoreInstance, sendBackup, startServer, verifyBackup, readinessInProcess, type BackupManifest } from '../src/index.js';
import { signBytes } from '../src/modules/backups/crypto.js';
import { manifestBytes } from '../src/modules/backups/backup-set.js';
import { applyMigrations, readMigrations } from '../src/platform/migrations.js';
import { backupDir, emptyDatabase, PASSPHRASE, rowsOfTenant, signingKey, tableContents, takeBackup } from './backup-util.js';
import { call, createTenant, startTestServer, type TestServer } from './harness.js';
import { listAll, waitFor } from './util.js';
import { budget } from '../../vitest.shared.js';

let s1: TestServer;
let s2: TestServer;
let A: Seeded;
let B: Seeded;
let C: Seeded;
const dest = backupDir();

type Seeded = Awaited<ReturnType<typeof seed>>;

/** A small factory: units, materials (one batch-tracked), a warehouse with a bin, posted stock, a user, a narrow key, a setting. */
async function seed(t: TestServer, slug: string) {
  const tenant = await createTenant(t, slug);
  const as = (method: string, p: string, body?: unknown) => call(t.url, tenant.key, method, p, body);
  const make = async (p: string, body: unknown) => {
    const res = await as('POST', p, body);
    if (res.status !== 201) throw new Error(`${p}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };
  await make('/v1/units', { code: 'PCS', name: 'Pieces', decimals: 0 });
  await make('/v1/units', { code: 'KG', name: 'Kilogram', decimals: 3 });
  const fan = await make('/v1/materials', { code: 'FAN-01', name: 'Fan\tbody "A"\nline 2', baseUnit: 'PCS' });
  const copper = await make('/v1/materials', { code: 'CU-WIRE', name: 'Copper wire', baseUnit: 'KG', tracking: 'batch' });
  const wh = await make('/v1/warehouses', { code: 'MAIN', name: 'Main' });
  const bin = await make(`/v1/warehouses/${wh.id}/bins`, { code: 'A-01' });
  await make('/v1/stock-documents', {
    type: 'other_in', post: true, reason: 'opening stock',
    lines: [{ materialId: fan.id, warehouseId: wh.id, binId: bin.id, quantity: '120' }, { materialId: copper.id, warehouseId: wh.id, quantity: '12.250', batchNo: 'B-1' }],
  });
  await make('/v1/stock-documents', { type: 'other_out', post: true, lines: [{ materialId: fan.id, warehouseId: wh.id, binId: bin.id, quantity: '20' }] });
  await make('/v1/users', { username: 'planner', displayName: 'Planner', password: 'planner-password-1' });
  const narrow = await make('/v1/api-keys', { name: 'reader', permissions: ['inventory:read'] });
  await as('PATCH', '/v1/settings', { forbidSelfApproval: true });
  return { ...tenant, slug, as, fan: fan.id as string, warehouse: wh.id as string, narrowKey: narrow.key as string };
}

beforeAll(async () => {
  [s1, s2] = await Promise.all([startTestServer(), startTestServer()]);
  [A, B, C] = await Promise.all([seed(s1, 'acme'), seed(s1, 'bolt'), seed(s2, 'cobalt')]);
});

afterAll(async () => {
  await Promise.all([s1?.stop(), s2?.stop()]);
  dest.remove();
});

const dbOf = (t: TestServer) => t.server.built.ctx.db;

/** What a tenant sees through the API: enough to tell two copies apart. */
async function apiView(url: string, key: string) {
  const get = async (p: string) => {
    const res = await call(url, key, 'GET', p);
    expect(res.status, `${p}: ${JSON.stringify(res.body)}`).toBe(200);
    return res.body;
  };
  const audit = await get('/v1/audit/verify');
  return {
    materials: (await get('/v1/materials?limit=500')).items,
    balances: (await get('/v1/stock/balances?limit=500')).items,
    users: (await get('/v1/users?limit=500')).items,
    settings: await get('/v1/settings'),
    audit: { intact: audit.intact, headSeq: audit.headSeq },
  };
}

async function restoreVia(t: TestServer, source: Parameters<typeof sendBackup>[0], query = '') {
  const res = await fetch(`${t.url}/v1/tenant-restores${query}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${t.adminKey}`, 'content-type': 'application/vnd.mes.backup-stream' },
    body: sendBackup(source) as unknown as BodyInit,
    duplex: 'half',
  } as RequestInit);
  return { status: res.status, body: await res.json() };
}

const errorOf = async (p: Promise<unknown>): Promise<BackupError> => {
  try {
    await p;
  } catch (err) {
    if (err instanceof BackupError) return err;
    throw err;
  }
  throw new Error('expected the backup to be refused');
};

describe('instance backup and restore', () => {
  it('S1-8.4: an encrypted instance backup, verified by restoring it into an empty database: row for row the original, audit chains and ledger checked, the server on the copy answers as the original', async () => {
    const { dir, manifest, reader } = await takeBackup(s1, dest.dir);
    expect(manifest.scope).toEqual({ kind: 'instance' });
    expect(manifest.tenants.map((t) => t.slug).sort()).toEqual(['acme', 'bolt', 'default']);
    expect(manifest.secrets).toBe('included');
    expect(manifest.encryption).toMatchObject({ algorithm: 'aes-256-gcm', kdf: { name: 'scrypt' } });
    expect(manifest.tables.map((t) => t.name)).toEqual(expect.arrayContaining(['tenants', 'users', 'api_keys', 'audit_log', 'stock_movements', 'stock_balances', 'backup_drills']));
    // Parents before children: tenants before users before user_roles.
    const order = manifest.tables.map((t) => t.name);
    expect(order.indexOf('tenants')).toBeLessThan(order.indexOf('users'));
    expect(order.indexOf('users')).toBeLessThan(order.indexOf('user_roles'));
    expect(manifest.tables.find((t) => t.name === 'stock_movements')!.rows).toBe(6);
    const acme = manifest.tenants.find((t) => t.slug === 'acme')!;
    expect(acme.ledger).toEqual({ movements: 3, movementSum: '112.25', balances: 2, balanceSum: '112.25' });
    // Encrypted: no business data readable in any file.
    const usersFile = readFileSync(path.join(dir, `${manifest.tables.find((t) => t.name === 'materials')!.file}.enc`));
    expect(usersFile.subarray(0, 8).toString()).toBe('MESENC01');

    const target = await emptyDatabase();
    try {
      const report = await verifyBackup(reader, target.db, { readiness: readinessInProcess });
      expect(report).toMatchObject({ verified: true, backupId: manifest.id, migratedForward: [] });
      expect(report.checks.content).toEqual({ tables: manifest.tables.length, rows: manifest.tables.reduce((n, t) => n + t.rows, 0) });
      expect(report.checks.auditChains.tenants).toBe(3);
      expect(report.checks.ledger).toEqual({ tenants: 3, movements: 6, balances: 4 });
      expect(report.checks.foreignKeys.checked).toBeGreaterThan(50);
      expect(report.checks.readiness?.status).toBe(200);
      expect(report.rtoMs).toBeGreaterThan(0);
      expect(report.rpoMs).toBeGreaterThanOrEqual(0);

      expect(await tableContents(target.db)).toEqual(await tableContents(dbOf(s1)));
      const copy = await startServer(loadConfig({ databaseUrl: target.url, port: 0, logLevel: 'silent', dataDir: dest.dir }, {}), target.url === 'memory://' ? { db: target.db } : {});
      try {
        // The keys work on the copy: their hashes were in the (encrypted) backup.
        for (const tenant of [A, B]) expect(await apiView(copy.url, tenant.key)).toEqual(await apiView(s1.url, tenant.key));
        expect((await call(copy.url, A.narrowKey, 'GET', '/v1/stock/balances')).status).toBe(200);
      } finally {
        await copy.shutdown();
      }
    } finally {
      await target.drop();
    }
  });

  it('S1-8.4: restore refuses a database that is not empty and leaves it as it was', async () => {
    const { reader } = await takeBackup(s1, dest.dir, { tenant: 'bolt' });
    const before = await tableContents(dbOf(s2));
    const err = await errorOf(restoreInstance(dbOf(s2), reader));
    expect(err.code).toBe('RESTORE_TARGET_NOT_EMPTY');
    expect(await tableContents(dbOf(s2))).toEqual(before);
  });
});

describe('tenant backup restored into another instance (S1-8.2)', () => {
  it('S1-8.2: tenant A restored as A2 into an instance with other tenants: A2 equals A, the others are untouched, RLS holds for A2', async () => {
    const { manifest, reader } = await takeBackup(s1, dest.dir, { tenant: 'acme' });
    expect(manifest.scope).toEqual({ kind: 'tenant', tenantId: A.id, slug: 'acme' });
    expect(manifest.tenants.map((t) => t.slug)).toEqual(['acme']);
    // Its plan comes along (the platform row it needs); other tenants' rows do not.
    expect(manifest.tables.find((t) => t.name === 'plans')!.rows).toBe(1);
    expect(manifest.tables.find((t) => t.name === 'tenants')!.rows).toBe(1);
    expect(manifest.tables.find((t) => t.name === 'platform_settings')).toBeUndefined();

    const others = await tableContents(dbOf(s2), (table, cols) => (table === 'tenants' ? `t.id <> '${A.id}'` : cols.includes('tenant_id') ? `t.tenant_id <> '${A.id}'` : 'true'));
    const taken = await restoreVia(s2, reader, '?as=cobalt');
    expect(taken.status).toBe(409);
    expect(taken.body.code).toBe('TENANT_SLUG_TAKEN');

    const restored = await restoreVia(s2, reader, '?as=acme2');
    expect(restored.status, JSON.stringify(restored.body)).toBe(201);
    expect(restored.body).toMatchObject({ tenantId: A.id, slug: 'acme2', platformAdminsDemoted: 0 });
    // Cobalt's movements took the ids acme's had: acme2's were numbered afresh.
    expect(restored.body.renumbered).toContain('stock_movements');

    const identity = ['stock_movements.id', 'count_entries.id', 'tenants.slug'];
    expect(await tableContents(dbOf(s2), rowsOfTenant(A.id), identity)).toEqual(await tableContents(dbOf(s1), rowsOfTenant(A.id), identity));
    // Every other tenant's rows, and the platform's, are as they were; the restore's audit record went to the caller's chain.
    const after = await tableContents(dbOf(s2), (table, cols) => (table === 'tenants' ? `t.id <> '${A.id}'` : cols.includes('tenant_id') ? `t.tenant_id <> '${A.id}'` : 'true'));
    const defaultId = (await call(s2.url, s2.adminKey, 'GET', '/v1/me')).body.tenant.id;
    const withoutCallerAudit = (rows: Record<string, string[]>) => ({ ...rows, audit_log: rows.audit_log.filter((r) => !r.includes(defaultId)), audit_heads: rows.audit_heads.filter((r) => !r.includes(defaultId)) });
    expect(withoutCallerAudit(after)).toEqual(withoutCallerAudit(others));
    // Both attempts are in the caller's audit chain: the refused one and the restore.
    expect(after.audit_log.filter((r) => r.includes('restoreTenant')).map((r) => /,(success|rejected),/.exec(r)?.[1]).sort()).toEqual(['rejected', 'success']);

    // A's own keys work against the new instance, see A2 as A was, and nothing else.
    expect(await apiView(s2.url, A.key)).toEqual(await apiView(s1.url, A.key));
    expect((await call(s2.url, A.key, 'GET', '/v1/me')).body.tenant.slug).toBe('acme2');
    expect((await call(s2.url, A.key, 'GET', `/v1/materials/${C.fan}`)).status).toBe(404);
    expect((await call(s2.url, C.key, 'GET', `/v1/materials/${A.fan}`)).status).toBe(404);
    expect((await listAll(s2, C.key, '/v1/materials')).map((m) => m.id)).not.toContain(A.fan);
    const moves = await listAll(s2, A.key, '/v1/stock/movements');
    expect(moves).toHaveLength(3);

    const again = await restoreVia(s2, reader, '?as=acme3');
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('TENANT_EXISTS');
  });

  it('S1-8.2: a tenant cut out of an instance backup restores the same way; the tenant restore refuses a damaged stream and other content types', async () => {
    const { reader } = await takeBackup(s1, dest.dir);
    const bolt = reader.forTenant(B.id);
    expect(bolt.manifest.tables.find((t) => t.name === 'stock_movements')!.rows).toBe(3);
    const restored = await restoreVia(s2, bolt);
    expect(restored.status, JSON.stringify(restored.body)).toBe(201);
    expect(await tableContents(dbOf(s2), rowsOfTenant(B.id), ['stock_movements.id'])).toEqual(await tableContents(dbOf(s1), rowsOfTenant(B.id), ['stock_movements.id']));

    const json = await call(s2.url, s2.adminKey, 'POST', '/v1/tenant-restores', { manifest: {} });
    expect([json.status, json.body.code]).toEqual([415, 'UNSUPPORTED_MEDIA_TYPE']);
    const garbage = await call(s2.url, s2.adminKey, 'POST', '/v1/tenant-restores', 'not a backup stream at all', { 'content-type': 'application/vnd.mes.backup-stream' });
    expect([garbage.status, garbage.body.code]).toEqual([400, 'BACKUP_STREAM_INVALID']);
    const denied = await call(s2.url, C.key, 'POST', '/v1/tenant-restores', 'x', { 'content-type': 'application/vnd.mes.backup-stream' });
    expect([denied.status, denied.body.code]).toEqual([403, 'PERMISSION_DENIED']);
  });
});

describe('damaged backups are refused, naming the file', () => {
  let good: Awaited<ReturnType<typeof takeBackup>>;
  let copies = 0;
  beforeAll(async () => {
    good = await takeBackup(s1, dest.dir, { tenant: 'bolt' });
  });
  const copy = () => {
    const dir = `${good.dir}-copy${++copies}`;
    cpSync(good.dir, dir, { recursive: true });
    return dir;
  };
  const biggest = (dir: string) => {
    const tables = readdirSync(path.join(dir, 'tables')).map((f) => `tables/${f}`);
    return tables.sort((a, b) => statSync(path.join(dir, b)).size - statSync(path.join(dir, a)).size)[0];
  };
  const resign = (dir: string, edit: (m: BackupManifest) => void) => {
    const m = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as BackupManifest;
    edit(m);
    const bytes = manifestBytes(m);
    writeFileSync(path.join(dir, 'manifest.json'), bytes);
    writeFileSync(path.join(dir, 'manifest.sig'), `${signBytes(bytes, signingKey)}\n`);
  };

  it('S1-8.4: a truncated file: BACKUP_FILE_TRUNCATED naming it', async () => {
    const dir = copy();
    const file = biggest(dir);
    truncateSync(path.join(dir, file), Math.floor(statSync(path.join(dir, file)).size / 2));
    const err = await errorOf((await BackupSetReader.open(dir, { key: { passphrase: PASSPHRASE } })).checkFiles());
    expect([err.code, err.file]).toEqual(['BACKUP_FILE_TRUNCATED', file]);
    expect(err.message).toContain(file);
  });

  it('S1-8.4: a byte flipped: BACKUP_FILE_CORRUPT naming the file, also when the table is read without the file check', async () => {
    const dir = copy();
    const file = biggest(dir);
    const bytes = readFileSync(path.join(dir, file));
    bytes[Math.floor(bytes.length / 2)] ^= 0x01;
    writeFileSync(path.join(dir, file), bytes);
    const reader = await BackupSetReader.open(dir, { key: { passphrase: PASSPHRASE } });
    const err = await errorOf(reader.checkFiles());
    expect([err.code, err.file]).toEqual(['BACKUP_FILE_CORRUPT', file]);
    const entry = reader.manifest.tables.find((t) => file.endsWith(`${t.file.slice('tables/'.length)}.enc`))!;
    const read = async () => {
      for await (const _ of reader.table(entry)) void _;
    };
    const streamed = await errorOf(read());
    expect([streamed.code, streamed.file]).toEqual(['BACKUP_FILE_CORRUPT', file]);
  });

  it('S1-8.4: a wrong passphrase: BACKUP_PASSPHRASE_WRONG before any file is read; none: BACKUP_KEY_MISSING', async () => {
    expect((await errorOf(BackupSetReader.open(good.dir, { key: { passphrase: 'not the passphrase' } }))).code).toBe('BACKUP_PASSPHRASE_WRONG');
    expect((await errorOf(BackupSetReader.open(good.dir))).code).toBe('BACKUP_KEY_MISSING');
  });

  it('S1-8.4: a manifest changed after signing: BACKUP_SIGNATURE_INVALID; a signed manifest that lies about a count: the restore finds it, BACKUP_ROW_COUNT_MISMATCH naming the file', async () => {
    const edited = copy();
    const m = JSON.parse(readFileSync(path.join(edited, 'manifest.json'), 'utf8'));
    m.tables[0].rows += 1;
    writeFileSync(path.join(edited, 'manifest.json'), manifestBytes(m));
    const unsigned = await errorOf(BackupSetReader.open(edited, { key: { passphrase: PASSPHRASE } }));
    expect([unsigned.code, unsigned.file]).toEqual(['BACKUP_SIGNATURE_INVALID', 'manifest.json']);

    const lying = copy();
    resign(lying, (x) => {
      x.tables.find((t) => t.name === 'stock_movements')!.rows = 4;
    });
    const reader = await BackupSetReader.open(lying, { key: { passphrase: PASSPHRASE } });
    await reader.checkFiles();
    const scratch = await emptyDatabase();
    try {
      const err = await errorOf(verifyBackup(reader, scratch.db, { readiness: readinessInProcess }));
      const file = `${reader.manifest.tables.find((t) => t.name === 'stock_movements')!.file}.enc`;
      expect([err.code, err.file]).toEqual(['BACKUP_ROW_COUNT_MISMATCH', file]);
      expect(err.message).toMatch(/holds 3 rows of stock_movements, the manifest says 4/);
      // Rolled back: the scratch database is as empty as it was.
      expect(Object.keys(await tableContents(scratch.db))).toEqual([]);
    } finally {
      await scratch.drop();
    }
  });
});

describe('schema versions', () => {
  it('S1-8.4: a backup from a newer schema is refused (BACKUP_SCHEMA_NEWER); one from an older schema is restored and migrated forward', async () => {
    const newer = `${dest.dir}/newer`;
    const { dir } = await takeBackup(s1, newer, { tenant: 'bolt', key: null });
    const m = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as BackupManifest;
    m.schema.migrations.push({ name: '9999_from_the_future.sql', checksum: 'f'.repeat(64) });
    writeFileSync(path.join(dir, 'manifest.json'), manifestBytes(m));
    writeFileSync(path.join(dir, 'manifest.sig'), `${signBytes(manifestBytes(m), signingKey)}\n`);
    const target = await emptyDatabase();
    try {
      const err = await errorOf(restoreInstance(target.db, await BackupSetReader.open(dir)));
      expect(err.code).toBe('BACKUP_SCHEMA_NEWER');
      expect(err.message).toContain('9999_from_the_future.sql');

      // A database at the schema before the latest migration, with a tenant in it, backed up and restored by this version.
      const files = readMigrations();
      const old = await emptyDatabase();
      try {
        await old.db.bulk({}, async (s) => {
          await applyMigrations(s, files.slice(0, -1));
          await s.query(`INSERT INTO tenants (id, slug, name, plan_code) VALUES ('7d0c5b8e-4f1a-4c55-9f6e-2b9d1f0c9a11', 'legacy', 'Legacy', 'basic')`);
        });
        const writer = await BackupSetWriter.create({ dir: (id) => path.join(dest.dir, 'older', id), signingKey, tool: { name: 'test', version: '0' } });
        const { dir: olderDir } = await writer.finish(await dumpDatabase(old.db, { includeSecrets: false }, writer));
        const report = await restoreInstance(target.db, await BackupSetReader.open(olderDir));
        expect(report.migratedForward).toEqual([files.at(-1)!.name]);
        const now = await tableContents(target.db, (table) => (table === 'tenants' ? 'true' : table === 'schema_migrations' ? 'true' : undefined));
        expect(now.tenants).toHaveLength(1);
        expect(now.tenants[0]).toContain('legacy');
        const migrated = await target.db.asOwner((s) => s.query<{ name: string }>('SELECT name FROM schema_migrations ORDER BY name'));
        expect(migrated.rows.map((r) => r.name)).toEqual(files.map((f) => f.name));
      } finally {
        await old.drop();
      }
    } finally {
      await target.drop();
    }
  });
});

describe('through the API', () => {
  it('S1-8.4: backups are platform-admin work: a tenant admin is denied, an unknown tenant is 404, bad options are 400', async () => {
    const denied = await call(s1.url, A.key, 'POST', '/v1/backups', {});
    expect([denied.status, denied.body.code]).toEqual([403, 'PERMISSION_DENIED']);
    const unknown = await call(s1.url, s1.adminKey, 'POST', '/v1/backups', { tenant: 'nobody-here' });
    expect([unknown.status, unknown.body.code]).toEqual([404, 'RESOURCE_NOT_FOUND']);
    const bad = await call(s1.url, s1.adminKey, 'POST', '/v1/backups', { compressionLevel: 12, extra: true });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['compressionLevel', 'extra'].sort());
    const drillDenied = await call(s1.url, A.key, 'POST', '/v1/backup-drills', {});
    expect(drillDenied.status).toBe(403);
  });

  it('S1-8.4 S1-5.2.2.3: the server runs a drill on request and records RTO, RPO and every check', async () => {
    const started = await call(s1.url, s1.adminKey, 'POST', '/v1/backup-drills', { tenant: 'acme' });
    expect(started.status).toBe(202);
    expect(started.body).toMatchObject({ status: 'running', scope: { kind: 'tenant', tenant: 'acme' }, rtoMs: null });
    let drill = started.body;
    await waitFor('the drill to end', async () => {
      drill = (await call(s1.url, s1.adminKey, 'GET', `/v1/backup-drills/${started.body.id}`)).body;
      return drill.status !== 'running';
    }, budget(45_000));
    expect(drill.status, JSON.stringify(drill.error)).toBe('passed');
    expect(drill.rtoMs).toBeGreaterThan(0);
    expect(drill.rpoMs).toBeGreaterThanOrEqual(0);
    expect(drill.result.tenants).toEqual([{ id: A.id, slug: 'acme', auditHeadSeq: expect.any(Number) }]);
    expect(drill.result.verify.checks).toMatchObject({ ledger: { tenants: 1, movements: 3, balances: 2 }, readiness: { status: 200 } });
    const list = await call(s1.url, s1.adminKey, 'GET', '/v1/backup-drills');
    expect(list.body.items[0]).toMatchObject({ id: drill.id, status: 'passed' });
  });
});
