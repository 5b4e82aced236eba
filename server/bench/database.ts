import { randomBytes } from 'node:crypto';
import pg from 'pg';

export const BENCH_PG_URL = process.env.MES_BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** A throwaway database on the benchmark PostgreSQL server. */
export async function freshDatabase(purpose: string) {
  const name = `mes_bench_${purpose}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: BENCH_PG_URL });
  await admin.connect().catch((err) => {
    throw new Error(`benchmarks need PostgreSQL at ${BENCH_PG_URL} (set MES_BENCH_PG_URL): ${err.message}`);
  });
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(BENCH_PG_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: BENCH_PG_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}
