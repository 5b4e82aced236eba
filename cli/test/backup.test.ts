/**
 * `mes backup create|verify|restore|list|prune|drill` as an SRE runs them: real processes against a
 * real server (in-memory PGlite), backups in a directory. The restore into a fresh PostgreSQL
 * database runs when the test PostgreSQL answers (MES_TEST_PG_ADMIN_URL), and is skipped otherwise.
 */
import { createPublicKey, verify } from 'node:crypto';
import { cpSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalJson } from '@mes/conformance';
import { call, createTenant, freshPostgresDatabase, PG_ADMIN_URL, startTestServer, type TestServer } from '../../server/test/harness.js';
import { killAll, mes, mesJson, tempDir } from './helpers.js';

let t: TestServer;
let acmeId: string;
const work = tempDir('mes-cli-backup-');
const dest = path.join(work.dir, 'backups');
const signingKey = path.join(work.dir, 'signing-key.pem');
/** Every backup command runs with the test's signing key and a PGlite scratch database. */
const run = () => ({ url: t.url, apiKey: t.adminKey, env: { MES_BACKUP_SIGNING_KEY: signingKey, MES_BACKUP_SCRATCH: 'pglite' } });
const backup = (args: string[]) => mes(['backup', ...args], run());
const backupJson = (args: string[]) => mesJson(['backup', ...args], run());

async function postgresAnswers(): Promise<boolean> {
  const c = new pg.Client({ connectionString: process.env.MES_TEST_DATABASE_URL ?? PG_ADMIN_URL, connectionTimeoutMillis: 2000 });
  try {
    await c.connect();
    await c.end();
    return true;
  } catch {
    return false;
  }
}
const havePostgres = await postgresAnswers();

/** Row counts of a few tables of the source server's database (as its owner: every tenant's rows). */
const COUNTED = ['tenants', 'users', 'materials', 'units', 'warehouses', 'stock_movements', 'stock_balances', 'audit_log'];
async function sourceCounts(): Promise<Record<string, number>> {
  return t.server.built.ctx.db.bulk({}, async (s) => {
    const out: Record<string, number> = {};
    for (const table of COUNTED) out[table] = Number((await s.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`)).rows[0].n);
    return out;
  });
}

beforeAll(async () => {
  t = await startTestServer();
  const acme = await createTenant(t, 'acme');
  acmeId = acme.id;
  const as = async (p: string, body: unknown) => {
    const res = await call(t.url, acme.key, 'POST', p, body);
    if (res.status !== 201) throw new Error(`${p}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };
  await as('/v1/units', { code: 'PCS', name: 'Pieces', decimals: 0 });
  const fan = await as('/v1/materials', { code: 'FAN-01', name: 'Fan body', baseUnit: 'PCS' });
  const wh = await as('/v1/warehouses', { code: 'MAIN', name: 'Main' });
  await as('/v1/stock-documents', { type: 'other_in', post: true, reason: 'opening stock', lines: [{ materialId: fan.id, warehouseId: wh.id, quantity: '120' }] });
  await as('/v1/stock-documents', { type: 'other_out', post: true, lines: [{ materialId: fan.id, warehouseId: wh.id, quantity: '20' }] });
});

afterAll(async () => {
  await killAll();
  await t?.stop();
  work.remove();
});

/** The ids the steps share, in the order they are taken. */
const ids: string[] = [];

describe('mes backup', () => {
  it('S1-8.4: create writes a signed backup and its catalogue entry; verify restores it into a scratch database and marks it verified', async () => {
    const created = await backupJson(['create', '--to', dest]);
    expect(created.code, created.stderr).toBe(0);
    const c = created.json;
    expect(c).toMatchObject({ scope: 'instance', encrypted: false, secrets: 'redacted', location: path.join(dest, c.id), signer: expect.stringMatching(/^SHA256:/) });
    expect(c.id).toMatch(/^\d{8}T\d{6}Z-instance-[0-9a-f]{6}$/);
    expect(c.rows).toBeGreaterThan(0);
    expect(c.bytes).toBeGreaterThan(0);
    ids.push(c.id);
    const files = readdirSync(path.join(dest, c.id)).sort();
    expect(files).toEqual(['manifest.json', 'manifest.sig', 'signer.pub.pem', 'tables']);
    const manifest = JSON.parse(readFileSync(path.join(dest, c.id, 'manifest.json'), 'utf8'));
    const movements = manifest.tables.find((x: { name: string }) => x.name === 'stock_movements');
    expect(movements.rows).toBe(2);
    expect(manifest.tenants.find((x: { slug: string }) => x.slug === 'acme').ledger).toEqual({ movements: 2, movementSum: '100', balances: 1, balanceSum: '100' });
    expect(existsSync(path.join(dest, 'catalogue', `${c.id}.json`))).toBe(true);
    expect(created.stderr).toMatch(/generated a new Ed25519 signing key/);

    const v = await backupJson(['verify', c.location]);
    expect(v.code, v.stderr).toBe(0);
    expect(v.json).toMatchObject({
      backupId: c.id, verified: true, location: c.location, migratedForward: [],
      checks: { content: { tables: manifest.tables.length, rows: c.rows }, auditChains: { tenants: 2 }, ledger: { tenants: 2, movements: 2, balances: 1 }, readiness: { status: 200 } },
    });
    expect(v.json.checks.foreignKeys.checked).toBeGreaterThan(50);
    expect(v.json.rtoMs).toBe(v.json.timings.restoreMs + v.json.timings.readyMs);
    expect(v.json.rpoMs).toBeGreaterThan(0);
    const entry = JSON.parse(readFileSync(path.join(dest, 'catalogue', `${c.id}.json`), 'utf8'));
    expect(entry.verification).toMatchObject({ ok: true, rtoMs: v.json.rtoMs });
  });

  it('S1-8.4: a byte flipped in a table file: verify exits 1 with BACKUP_FILE_CORRUPT naming the file before starting a scratch database, and the catalogue records the failure', async () => {
    const copy = path.join(work.dir, 'damaged');
    cpSync(dest, copy, { recursive: true });
    const manifest = JSON.parse(readFileSync(path.join(copy, ids[0], 'manifest.json'), 'utf8'));
    const file = manifest.tables.find((x: { name: string }) => x.name === 'materials').file as string;
    const full = path.join(copy, ids[0], file);
    const bytes = readFileSync(full);
    bytes[Math.floor(bytes.length / 2)] ^= 0x01;
    writeFileSync(full, bytes);

    // --scratch postgres: a damaged backup is refused on its files, before a PostgreSQL is started for it.
    const human = await backup(['verify', path.join(copy, ids[0]), '--scratch', 'postgres']);
    expect(human.code).toBe(1);
    expect(human.stdout).toBe('');
    expect(human.stderr).toContain(`Error: ${file} does not match its SHA-256 in the manifest: the file was altered`);
    expect(human.stderr).not.toContain('starting a private PostgreSQL');

    const json = await backupJson(['verify', path.join(copy, ids[0])]);
    expect(json.code).toBe(1);
    expect(json.json).toEqual({ status: 1, error: { code: 'BACKUP_FILE_CORRUPT', message: `${file} does not match its SHA-256 in the manifest: the file was altered`, details: { file } } });
    const entry = JSON.parse(readFileSync(path.join(copy, 'catalogue', `${ids[0]}.json`), 'utf8'));
    expect(entry.verification).toMatchObject({ ok: false, code: 'BACKUP_FILE_CORRUPT', file });
  });

  it.skipIf(!havePostgres)('S1-8.4 S1-8.2: restore into a fresh PostgreSQL database gives the same rows; a database that is not empty is refused', async () => {
    const target = await freshPostgresDatabase();
    try {
      const before = await sourceCounts();
      const r = await backupJson(['restore', path.join(dest, ids[0]), '--database', target.url]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.json).toMatchObject({ backupId: ids[0], into: 'database', migratedForward: [], recoveryKey: expect.stringMatching(/^mes_/) });
      expect(r.json.target).not.toContain('@127.0.0.1:5432/postgres');
      const db = new pg.Client({ connectionString: target.url });
      await db.connect();
      try {
        const after: Record<string, number> = {};
        for (const table of COUNTED) after[table] = Number((await db.query(`SELECT count(*) AS n FROM ${table}`)).rows[0].n);
        expect(after).toEqual(before);
        const fan = await db.query(`SELECT m.code, m.name FROM materials m WHERE m.tenant_id = $1`, [acmeId]);
        expect(fan.rows).toEqual([{ code: 'FAN-01', name: 'Fan body' }]);
        const stock = await db.query(`SELECT quantity::text AS q FROM stock_balances WHERE tenant_id = $1`, [acmeId]);
        expect(stock.rows).toEqual([{ q: '100' }]);
      } finally {
        await db.end();
      }
      const again = await backupJson(['restore', path.join(dest, ids[0]), '--database', target.url]);
      expect(again.code).toBe(1);
      expect(again.json.error.code).toBe('RESTORE_TARGET_NOT_EMPTY');
    } finally {
      await target.drop();
    }
  });

  it('S1-8.4: list shows every backup newest first with its verification; prune keeps the newest and the newest verified', async () => {
    for (let i = 0; i < 2; i++) {
      const c = await backupJson(['create', '--to', dest]);
      expect(c.code, c.stderr).toBe(0);
      ids.push(c.json.id);
    }
    const listed = await backupJson(['list', '--in', dest]);
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.json.map((e: { id: string }) => e.id)).toEqual([...ids].reverse());
    expect(listed.json[2]).toMatchObject({ id: ids[0], series: 'instance', encrypted: false, verification: { ok: true } });
    expect(listed.json[0].verification).toBeNull();
    const human = await backup(['list', '--in', dest]);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(new RegExp(`${ids[0]}.* ok .*`));
    expect(human.stdout).toMatch(new RegExp(`${ids[2]}.* never `));

    const dry = await backupJson(['prune', '--in', dest, '--keep-daily', '1', '--dry-run']);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.json).toEqual({ kept: [{ id: ids[2], reasons: ['newest', expect.stringMatching(/^daily \d{4}-\d{2}-\d{2}$/)] }, { id: ids[0], reasons: ['newest verified'] }], removed: [ids[1]], dryRun: true });
    expect(existsSync(path.join(dest, ids[1]))).toBe(true);

    const pruned = await backupJson(['prune', '--in', dest, '--keep-daily', '1']);
    expect(pruned.code, pruned.stderr).toBe(0);
    expect(pruned.json.removed).toEqual([ids[1]]);
    expect(existsSync(path.join(dest, ids[1]))).toBe(false);
    expect(existsSync(path.join(dest, 'catalogue', `${ids[1]}.json`))).toBe(false);
    expect((await backupJson(['list', '--in', dest])).json.map((e: { id: string }) => e.id)).toEqual([ids[2], ids[0]]);
  });

  it('S1-8.4 S1-5.2.2.3: drill backs up, verifies by restoring and writes a signed record with the measured RTO and RPO', async () => {
    const d = await backupJson(['drill', '--to', dest, '--max-rto', '10m']);
    expect(d.code, d.stderr).toBe(0);
    const { record, signature } = d.json;
    expect(record).toMatchObject({ target: t.url, destination: dest, backup: { scope: 'instance', encrypted: false }, objectives: { maxRtoMs: 600_000, met: true } });
    expect(record.rtoMs).toBeGreaterThan(0);
    expect(record.rtoMs).toBe(record.verification.rtoMs);
    expect(record.rpoMs).toBe(record.verification.rpoMs);
    expect(record.verification).toMatchObject({ verified: true, checks: { readiness: { status: 200 } } });
    // The stored record is what was printed, and its signature holds under the key it names.
    const stored = JSON.parse(readFileSync(path.join(dest, 'drills', `${record.drillId}.json`), 'utf8'));
    expect(stored).toEqual(d.json);
    expect(verify(null, Buffer.from(canonicalJson(record)), createPublicKey(signature.publicKey), Buffer.from(signature.value, 'base64'))).toBe(true);
    expect(signature.fingerprint).toBe(JSON.parse(readFileSync(path.join(dest, 'catalogue', `${record.backup.id}.json`), 'utf8')).signer);
    const listed = (await backupJson(['list', '--in', dest])).json;
    expect(listed[0]).toMatchObject({ id: record.backup.id, verification: { ok: true }, drills: [{ id: record.drillId, rtoMs: record.rtoMs, rpoMs: record.rpoMs, passed: true }] });
  });

  it('S1-8.4: bad flags exit 2 with a message saying what to pass', async () => {
    const cases: [string[], RegExp][] = [
      [['create'], /Missing required flag to/],
      [['create', '--to', dest, '--encrypt'], /--encrypt needs a key: --passphrase-file, MES_BACKUP_PASSPHRASE or --key-file/],
      [['restore', path.join(dest, ids[0])], /say where to restore: --database postgres:\/\/…, --data-dir <dir>, or --tenant <slug>/],
      [['restore', path.join(dest, ids[0]), '--database', 'postgres://x/y', '--data-dir', work.dir], /give --database or --data-dir, not both/],
      [['prune', '--in', dest], /say what to keep: --keep-daily, --keep-weekly and\/or --keep-monthly/],
      [['verify', path.join(dest, ids[0]), '--scratch', 'sqlite'], /--scratch must be auto, postgres, pglite or a postgres:\/\/ URL, got "sqlite"/],
    ];
    const results = await Promise.all(cases.map(([args]) => backup(args)));
    for (const [i, [args, message]] of cases.entries()) {
      expect(results[i].code, `mes backup ${args.join(' ')}: ${results[i].stderr}`).toBe(2);
      expect(results[i].stderr).toMatch(message);
    }
    const json = await backupJson(['prune', '--in', dest]);
    expect(json.code).toBe(2);
    expect(json.json).toMatchObject({ status: 2, error: { code: 'USAGE', message: expect.stringMatching(/^say what to keep/) } });
  });
});
