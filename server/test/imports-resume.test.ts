/**
 * A killed import resumes (S1-7.3-a): the real server process (`node dist/main.js`) on PostgreSQL
 * is killed with SIGKILL while an import job writes; a new process resumes the job, which ends
 * with exactly the rows of the file: none lost, none twice. Always on PostgreSQL: a PGlite data
 * directory is one process's, and a kill is what this proves against.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { call, freshPostgresDatabase } from './harness.js';
import { finished, upload } from './imports-util.js';
import { runCleanups, sleep, waitFor } from './util.js';
import { budget } from '../../vitest.shared.js';

const MAIN = fileURLToPath(new URL('../dist/main.js', import.meta.url));
const ROWS = 6000;

const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(() => runCleanups(cleanups));

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const port = (srv.address() as { port: number }).port;
  await new Promise((resolve) => srv.close(resolve));
  return port;
}

/** `node dist/main.js` on a database; resolves with its URL and (the first start only) the admin key it prints. */
async function startProcess(databaseUrl: string): Promise<{ child: ChildProcess; url: string; adminKey?: string }> {
  expect(existsSync(MAIN), `${MAIN} is missing: build first (npx tsc -b server)`).toBe(true);
  const port = await freePort();
  const child = spawn(process.execPath, [MAIN], {
    env: { PATH: process.env.PATH ?? '', MES_DATABASE_URL: databaseUrl, MES_HOST: '127.0.0.1', MES_PORT: String(port), MES_LOG_LEVEL: 'warn', MES_DATA_DIR: `/tmp/mes-import-${port}` },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  cleanups.push(() => child.exitCode === null && child.signalCode === null && child.kill('SIGKILL'));
  const out: string[] = [];
  child.stdout!.on('data', (c: Buffer) => out.push(c.toString('utf8')));
  child.stderr!.on('data', (c: Buffer) => out.push(c.toString('utf8')));
  const url = `http://127.0.0.1:${port}`;
  await waitFor('/healthz', async () => (await call(url, undefined, 'GET', '/healthz').catch(() => ({ status: 0 }))).status === 200, 30_000);
  const adminKey = /MES admin API key \(shown once\): (\S+)/.exec(out.join(''))?.[1];
  return { child, url, adminKey };
}

describe('a killed import job', () => {
  it('S1-7.3-a: killed with SIGKILL while writing, the job resumes in a new process and ends with exactly the rows of the file', async () => {
    const db = await freshPostgresDatabase();
    cleanups.push(() => db.drop());
    const first = await startProcess(db.url);
    const tenant = await call(first.url, first.adminKey, 'POST', '/v1/tenants', { slug: 'imp-kill', name: 'Kill', plan: 'unlimited' });
    const key = tenant.body.apiKey.key as string;
    expect((await call(first.url, key, 'POST', '/v1/units', { code: 'PCS', name: '个', decimals: 0 })).status).toBe(201);
    const lines = ['物料编码,物料名称,基本单位'];
    for (let i = 1; i <= ROWS; i++) lines.push(`K-${String(i).padStart(5, '0')},物料 ${i},PCS`);
    const file = Buffer.from(`${lines.join('\r\n')}\r\n`);

    const job = (await upload(first.url, key, file, { kind: 'materials', fileName: 'materials.csv' })).body;
    expect(job).toMatchObject({ status: 'writing', totalRows: ROWS, doneRows: 0 });
    await waitFor('the first chunk to commit', async () => (await call(first.url, key, 'GET', `/v1/imports/${job.id}`)).body.doneRows > 0, 30_000);
    first.child.kill('SIGKILL');
    await new Promise((resolve) => first.child.once('exit', resolve));

    const su = new pg.Client({ connectionString: db.url });
    await su.connect();
    cleanups.push(() => su.end());
    const count = async () => Number((await su.query(`SELECT count(*) FROM materials WHERE code LIKE 'K-%'`)).rows[0].count);
    const killed = (await su.query('SELECT status, written_rows, unchanged_rows FROM import_jobs WHERE id = $1', [job.id])).rows[0];
    // What the job says is done is exactly what is committed: whole chunks, no more, no less.
    expect(killed.status).toBe('writing');
    expect(killed.written_rows % 1000).toBe(0);
    expect(killed.written_rows).toBeGreaterThan(0);
    expect(killed.written_rows).toBeLessThan(ROWS);
    expect(await count()).toBe(killed.written_rows);

    const second = await startProcess(db.url);
    const resumed = await call(second.url, key, 'POST', `/v1/imports/${job.id}/resume`);
    expect(resumed.status).toBe(202);
    const done = await finished(second.url, key, job.id, 60_000);
    expect(done).toMatchObject({ status: 'done', totalRows: ROWS, writtenRows: ROWS, unchangedRows: 0, doneRows: ROWS, errors: [] });
    expect(await count()).toBe(ROWS);
    expect(Number((await su.query(`SELECT count(DISTINCT code) FROM materials WHERE code LIKE 'K-%'`)).rows[0].count)).toBe(ROWS);
    const again = await call(second.url, key, 'POST', `/v1/imports/${job.id}/resume`);
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ code: 'IMPORT_NOT_RESUMABLE', documentStatus: 'done' });
    await sleep(0);
  }, budget(120_000));
});
