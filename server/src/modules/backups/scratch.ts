/**
 * A database to restore a backup into and throw away: a new database on a PostgreSQL server
 * (`adminUrl`: a user allowed to create databases), else PGlite, in `dir` when given (large
 * backups) or in memory.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openDatabase, type Database } from '../../platform/db.js';

export interface Scratch {
  db: Database;
  kind: 'pglite' | 'postgres';
  /** Where it is, for reports (no credentials). */
  location: string;
  drop(): Promise<void>;
}

export async function openScratch(opts: { adminUrl?: string; dir?: string }): Promise<Scratch> {
  if (!opts.adminUrl) {
    const db = await openDatabase({ url: opts.dir ?? 'memory://', dataDir: opts.dir ?? '/tmp' });
    return { db, kind: 'pglite', location: opts.dir ? `pglite:${opts.dir}` : 'pglite:memory', drop: () => db.close() };
  }
  const name = `mes_scratch_${randomBytes(6).toString('hex')}`;
  const admin = async (sql: string) => {
    const c = new pg.Client({ connectionString: opts.adminUrl, application_name: 'mes-backup-scratch' });
    await c.connect();
    try {
      await c.query(sql);
    } finally {
      await c.end();
    }
  };
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(opts.adminUrl);
  url.pathname = `/${name}`;
  const db = await openDatabase({ url: url.toString(), dataDir: '/tmp', poolSize: 4 });
  return {
    db,
    kind: 'postgres',
    location: `postgres://${url.host}/${name}`,
    async drop() {
      await db.close();
      await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}
