/**
 * The pipelined transaction layer on PostgreSQL (docs/ARCHITECTURE.md, "Transactions"): BEGIN, the
 * tenant scope and statements travel together, statements run prepared per connection, and yet
 * row-level security still fails closed (S1-5.3.2-a): a statement that forgets its tenant sees
 * nothing, and a pooled connection never carries an earlier transaction's tenant, whether that
 * transaction committed, failed in a statement, failed in a deferred statement or was a read.
 * Pipelining is PostgreSQL's, so these run on a fresh PostgreSQL database on every backend.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshPostgresDatabase } from '../../test/harness.js';
import { openDatabase, type Database, type Sql } from './db.js';
import { migrate } from './migrations.js';

const A = randomUUID();
const B = randomUUID();

let db: Database;
let drop: () => Promise<void>;

beforeAll(async () => {
  const fresh = await freshPostgresDatabase();
  drop = fresh.drop;
  // One pooled connection: every transaction below reuses the session of the one before.
  db = await openDatabase({ url: fresh.url, dataDir: '/tmp/mes-transactions-unused', poolSize: 1 });
  await migrate(db);
  await db.asOwner(async (sql) => {
    for (const [id, slug] of [[A, 'tx-a'], [B, 'tx-b']]) await sql.query(`INSERT INTO tenants (id, slug, name, plan_code) VALUES ($1, $2, $2, 'unlimited')`, [id, slug]);
    for (const [tenant, name] of [[A, 'a1'], [A, 'a2'], [B, 'b1']]) await sql.query('INSERT INTO users (tenant_id, username, display_name) VALUES ($1, $2, $2)', [tenant, name]);
    // A table with no tenant column for the schema-change test: SELECT * changes its result type.
    await sql.query('CREATE TABLE tx_probe (id int PRIMARY KEY); GRANT SELECT ON tx_probe TO mes_app; INSERT INTO tx_probe VALUES (1)');
  });
});

afterAll(async () => {
  await db?.close();
  await drop?.();
});

// The same text every time, so it runs as the same prepared statement on the one connection.
const USERNAMES = 'SELECT username FROM users WHERE username LIKE $1 ORDER BY username';
const usernames = async (tx: Sql) => (await tx.query<{ username: string }>(USERNAMES, ['%'])).rows.map((r) => r.username);
const session = async (tx: Sql) =>
  (await tx.query<{ pid: number; tenant: string }>(`SELECT pg_backend_pid() AS pid, coalesce(current_setting('mes.tenant_id', true), '') AS tenant, $1::text AS probe`, ['x'])).rows[0];

describe('pipelined transactions keep row-level security fail-closed', () => {
  it('S1-5.3.2-a: one prepared statement on one connection answers each tenant with its own rows only, reads and writes alike', async () => {
    const a = await db.transaction({ tenantId: A }, async (tx) => ({ names: await usernames(tx), pid: (await session(tx)).pid }));
    const b = await db.transaction({ tenantId: B, readOnly: true }, async (tx) => ({ names: await usernames(tx), pid: (await session(tx)).pid }));
    const a2 = await db.transaction({ tenantId: A, readOnly: true }, async (tx) => ({ names: await usernames(tx), pid: (await session(tx)).pid }));
    expect([a.names, b.names, a2.names]).toEqual([['a1', 'a2'], ['b1'], ['a1', 'a2']]);
    expect(new Set([a.pid, b.pid, a2.pid]).size).toBe(1); // the same session throughout
  });

  it('S1-5.3.2-a: a statement that forgets its tenant sees nothing: no scope, or outside any transaction, on the session a tenant just used', async () => {
    const used = await db.transaction({ tenantId: A }, async (tx) => (await session(tx)).pid);
    const unscoped = await db.transaction({}, async (tx) => ({ names: await usernames(tx), s: await session(tx) }));
    expect(unscoped.s.pid).toBe(used);
    expect(unscoped.names).toEqual([]);
    expect(unscoped.s.tenant).toBe('');
    expect((await db.query<{ n: number }>('SELECT count(*)::int AS n FROM users')).rows[0].n).toBe(0);
    expect(await db.asOwner(async (sql) => (await sql.query<{ n: number }>('SELECT count(*)::int AS n FROM users')).rows[0].n)).toBe(3);
  });

  it('S1-5.3.2-a: after a failed statement, a failed deferred statement and a failed read, the session carries no tenant and no open transaction', async () => {
    const failures: [string, (tx: Sql) => Promise<unknown>, boolean?][] = [
      ['a statement', async (tx) => { await usernames(tx); await tx.query('SELECT 1 / $1::int', [0]); }],
      ['a deferred statement', async (tx) => { await usernames(tx); tx.defer('SELECT 1 / $1::int', [0]); }],
      ['a read', async (tx) => { await usernames(tx); await tx.query('SELECT 1 / $1::int', [0]); }, true],
    ];
    for (const [what, fn, readOnly] of failures) {
      await expect(db.transaction({ tenantId: A, readOnly }, fn), what).rejects.toThrow(/division by zero/);
      const after = await db.transaction({}, async (tx) => ({ names: await usernames(tx), s: await session(tx) }));
      expect(after, what).toEqual({ names: [], s: expect.objectContaining({ tenant: '' }) });
      // A statement outside a transaction starts its own: it began with this statement, not earlier.
      expect((await db.query<{ fresh: boolean }>('SELECT now() = statement_timestamp() AS fresh')).rows[0].fresh, what).toBe(true);
    }
  });

  it('S1-5.3.2-a: a deferred statement that fails fails the commit with its own error (translated), and nothing of the transaction stays', async () => {
    const refused = db.transaction({ tenantId: A }, async (tx) => {
      await tx.query('INSERT INTO users (tenant_id, username, display_name) VALUES ($1, $2, $2)', [A, 'kept-only-if-committed']);
      tx.defer('INSERT INTO users (tenant_id, username, display_name) VALUES ($1, $2, $2)', [A, 'a1'], (err) => new Error(`translated: ${(err as { code?: string }).code}`));
    });
    await expect(refused).rejects.toThrow('translated: 23505');
    expect(await db.transaction({ tenantId: A, readOnly: true }, usernames)).toEqual(['a1', 'a2']);
    // A deferred statement from tenant A's transaction cannot write tenant B's rows either.
    await expect(db.transaction({ tenantId: A }, async (tx) => tx.defer('INSERT INTO users (tenant_id, username, display_name) VALUES ($1, $2, $2)', [B, 'intruder']))).rejects.toThrow(/row-level security/);
    expect(await db.transaction({ tenantId: B, readOnly: true }, usernames)).toEqual(['b1']);
  });

  it('a prepared statement that a schema change invalidated is prepared again and the transaction retried once', async () => {
    const read = () => db.transaction({ tenantId: A }, async (tx) => {
      runs++;
      return (await tx.query('SELECT * FROM tx_probe WHERE id = $1', [1])).rows[0];
    });
    let runs = 0;
    expect(await read()).toEqual({ id: 1 });
    // What a migration by another replica does while this one holds the statement prepared.
    await db.asOwner((sql) => sql.query("ALTER TABLE tx_probe ADD COLUMN label text NOT NULL DEFAULT 'added'"));
    runs = 0;
    expect(await read()).toEqual({ id: 1, label: 'added' });
    expect(runs).toBe(2);
    runs = 0;
    expect(await read()).toEqual({ id: 1, label: 'added' });
    expect(runs).toBe(1);
  });
});
