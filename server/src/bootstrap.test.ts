/**
 * First-start bootstrap (S1-5.3.4, restarts and replicas): the first start creates the tenant
 * `default`, its platform admin and one API key; later starts create nothing; replicas starting
 * together on an empty PostgreSQL database create exactly one of each.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { backend, freshPostgresDatabase } from '../test/harness.js';
import { lockWaiters, runCleanups, waitFor } from '../test/util.js';
import { buildApp, type BuiltApp } from './app.js';
import { bootstrap } from './bootstrap.js';
import { loadConfig } from './config.js';
import { readMigrations } from './platform/migrations.js';

const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(() => runCleanups(cleanups));

async function build(databaseUrl: string | undefined, dataDir: string): Promise<BuiltApp> {
  const built = await buildApp(loadConfig({ databaseUrl, dataDir, port: 0, logLevel: 'silent' }, {}));
  // BuiltApp.close() may run once only (a second call throws), and a test may close early.
  let closed: Promise<void> | undefined;
  const close = built.close;
  built.close = () => (closed ??= close());
  cleanups.push(() => built.close());
  return built;
}

async function counts(built: BuiltApp) {
  return built.ctx.db.asOwner(async (sql) => {
    const n = async (table: string, where = '') => (await sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table} ${where}`)).rows[0].n;
    return { tenants: await n('tenants'), defaults: await n('tenants', `WHERE slug = 'default'`), users: await n('users'), apiKeys: await n('api_keys'), audit: await n('audit_log') };
  });
}

/** A database that outlives one app: a fresh PostgreSQL database, or a PGlite data directory. */
async function persistentDatabase(): Promise<{ url: string | undefined; dataDir: string }> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'mes-bootstrap-'));
  cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
  if (backend !== 'postgres') return { url: undefined, dataDir };
  const fresh = await freshPostgresDatabase();
  cleanups.push(fresh.drop);
  return { url: fresh.url, dataDir };
}

describe('bootstrap', () => {
  it('S1-5.3.4: the first start creates tenant default, a platform admin and one working key; the second start creates nothing', async () => {
    const where = await persistentDatabase();
    const first = await build(where.url, where.dataDir);
    const boot = await bootstrap(first.ctx.db);
    expect(boot).toEqual({ created: true, tenant: 'default', apiKey: expect.stringMatching(/^mes_[0-9a-f]{32}_[0-9a-f]{32}_[A-Za-z0-9_-]{43}$/) });
    const principal = await first.ctx.auth.authenticate(`Bearer ${boot.apiKey}`);
    expect(principal).toMatchObject({ tenantSlug: 'default', planCode: 'standard', username: 'admin', platformAdmin: true, via: 'api_key' });
    expect(principal.permissions).toEqual(expect.arrayContaining(['*', 'tenants:read', 'tenants:write']));
    const afterFirst = await counts(first);
    expect(afterFirst).toEqual({ tenants: 1, defaults: 1, users: 1, apiKeys: 1, audit: 1 });
    await first.close();

    // A restart on the same database.
    const second = await build(where.url, where.dataDir);
    expect(await bootstrap(second.ctx.db)).toEqual({ created: false, tenant: 'default' });
    expect(await counts(second)).toEqual(afterFirst);
    // The key from the first start still works after the restart.
    expect((await second.ctx.auth.authenticate(`Bearer ${boot.apiKey}`)).platformAdmin).toBe(true);
  });

  it('S1-5.3.4: two replicas migrating and bootstrapping one empty PostgreSQL database at once create exactly one default tenant', async () => {
    for (let round = 0; round < 3; round++) {
      const fresh = await freshPostgresDatabase();
      cleanups.push(fresh.drop);
      const dataDir = `/tmp/mes-bootstrap-${randomBytes(4).toString('hex')}`;
      const [a, b] = await Promise.all([build(fresh.url, dataDir), build(fresh.url, dataDir)]);
      // Force the race: both replicas count zero tenants, then wait to insert until both got there.
      const su = new pg.Client({ connectionString: fresh.url });
      await su.connect();
      cleanups.push(() => su.end());
      await su.query('BEGIN');
      await su.query('LOCK TABLE tenants IN SHARE ROW EXCLUSIVE MODE');
      const racing = Promise.all([bootstrap(a.ctx.db), bootstrap(b.ctx.db)]);
      await waitFor('both bootstraps blocked at their insert', async () => (await lockWaiters(su)) === 2);
      await su.query('COMMIT');
      const results = await racing;
      expect(results.filter((r) => r.created), `round ${round}`).toHaveLength(1);
      expect(results.filter((r) => r.apiKey !== undefined)).toHaveLength(1);
      expect(results.every((r) => r.tenant === 'default')).toBe(true);
      expect(await counts(a), `round ${round}`).toEqual({ tenants: 1, defaults: 1, users: 1, apiKeys: 1, audit: 1 });
      const migrations = await a.ctx.db.asOwner(async (sql) => (await sql.query<{ n: number }>('SELECT count(*)::int AS n FROM schema_migrations')).rows[0].n);
      expect(migrations).toBe(readMigrations().length);
    }
  });
});
