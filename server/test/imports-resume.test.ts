/**
 * A killed import resumes (S1-7.3-a): the real server process (`node dist/main.js`) on PostgreSQL
 * is killed with SIGKILL while an import job writes; a new process resumes the job, which ends
 * with exactly the rows of the file: none lost, none twice. Always on PostgreSQL: a PGlite data
 * directory is one process's, and a kill is what this proves against.
 */
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { call, freshPostgresDatabase } from './harness.js';
import { finished, upload } from './imports-util.js';
import { killHard, startServerProcess } from './server-process.js';
import { runCleanups, sleep, waitFor } from './util.js';
import { budget } from '../../vitest.shared.js';

const ROWS = 6000;

const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(() => runCleanups(cleanups));

describe('a killed import job', () => {
  it('S1-7.3-a: killed with SIGKILL while writing, the job resumes in a new process and ends with exactly the rows of the file', async () => {
    const db = await freshPostgresDatabase();
    cleanups.push(() => db.drop());
    const first = await startServerProcess(db.url, { cleanups, firstStart: true });
    const tenant = await call(first.url, first.adminKey, 'POST', '/v1/tenants', { slug: 'imp-kill', name: 'Kill', plan: 'unlimited' });
    const key = tenant.body.apiKey.key as string;
    expect((await call(first.url, key, 'POST', '/v1/units', { code: 'PCS', name: '个', decimals: 0 })).status).toBe(201);
    const lines = ['物料编码,物料名称,基本单位'];
    for (let i = 1; i <= ROWS; i++) lines.push(`K-${String(i).padStart(5, '0')},物料 ${i},PCS`);
    const file = Buffer.from(`${lines.join('\r\n')}\r\n`);

    const job = (await upload(first.url, key, file, { kind: 'materials', fileName: 'materials.csv' })).body;
    expect(job).toMatchObject({ status: 'writing', totalRows: ROWS, doneRows: 0 });
    await waitFor('the first chunk to commit', async () => (await call(first.url, key, 'GET', `/v1/imports/${job.id}`)).body.doneRows > 0, 30_000);
    await killHard(first);

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

    const second = await startServerProcess(db.url, { cleanups });
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
