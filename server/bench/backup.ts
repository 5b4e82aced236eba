/**
 * backup: `mes backup create` and `mes backup restore` of a PostgreSQL MES whose one tenant holds
 * 1,000,000 stock movements (S1-8.4), against `pg_dump -Fc` and `pg_restore` of the same database in
 * the same run, in alternating rounds. What is timed is what an SRE runs: the CLI as a child
 * process, the backup streamed from a server process over HTTP into a directory (compressed,
 * signed, not encrypted), the restore into an empty database (schema by the migrations, then the
 * data, then the checks the restore makes). pg_dump writes its custom format (compressed) to a file;
 * pg_restore loads it into an empty database with one job, as the MES restore uses one connection.
 *
 * Speed ratio = baseline seconds / MES seconds, each the fastest of its rounds (the aim is ≥ 0.5);
 * MB/s is of the files each wrote.
 * MES_BENCH_BACKUP_MOVEMENTS (default 1,000,000) and MES_BENCH_BACKUP_ROUNDS (default 3) size it; the history is
 * generateLedger's (database.ts), the one the ledger bench reads.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { generateKeyPairSync } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import pg from 'pg';
import { request, startBenchServer, type BenchServer } from './api-overhead.js';
import { freshDatabase, generateLedger } from './database.js';

const run = promisify(execFile);
const MOVEMENTS = Number(process.env.MES_BENCH_BACKUP_MOVEMENTS ?? 1_000_000);
const ROUNDS = Number(process.env.MES_BENCH_BACKUP_ROUNDS ?? 3);
const CLI = fileURLToPath(new URL('../../../cli/bin/run.js', import.meta.url));

interface Timed {
  seconds: number[];
  bytes: number;
}

export interface BackupBenchResult {
  movements: number;
  rows: number;
  generationSeconds: number;
  backup: { mes: Timed; pgDump: Timed; speedRatio: number; mesMBps: number; pgDumpMBps: number };
  restore: { mes: Timed; pgRestore: Timed; speedRatio: number };
}

/** The fastest round: on a shared machine the others measure the neighbours as much as the code. */
const best = (xs: number[]) => Math.min(...xs);

async function timed<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const t0 = performance.now();
  const out = await fn();
  return [(performance.now() - t0) / 1000, out];
}

async function sizeOf(p: string): Promise<number> {
  const s = await stat(p);
  if (!s.isDirectory()) return s.size;
  let n = 0;
  for (const e of await readdir(p)) n += await sizeOf(path.join(p, e));
  return n;
}

async function cli(args: string[], env: Record<string, string>): Promise<any> {
  const { stdout } = await run(process.execPath, [CLI, ...args, '--json'], { env: { ...process.env, ...env }, maxBuffer: 64 * 1024 * 1024 });
  return JSON.parse(stdout);
}

export async function backupBench(): Promise<BackupBenchResult> {
  const source = await freshDatabase('backup');
  const work = await mkdtemp(path.join(tmpdir(), 'mes-bench-backup-'));
  const signingKey = path.join(work, 'signing.pem');
  writeFileSync(signingKey, generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }));
  const targets: Array<{ drop(): Promise<void> }> = [];
  const owner = new pg.Client({ connectionString: source.url });
  const agent = new http.Agent({ keepAlive: true });
  let server: BenchServer | undefined;
  try {
    server = await startBenchServer(source.url);
    const { port, adminKey } = server;
    await owner.connect();
    const created = await request(agent, port, 'POST', '/v1/tenants', adminKey, { slug: 'bench-backup', name: 'Bench backup', plan: 'unlimited' });
    if (created.status !== 201) throw new Error(`creating the tenant: ${created.status} ${created.body}`);
    const tenant = JSON.parse(created.body);
    const unit = await request(agent, port, 'POST', '/v1/units', tenant.apiKey.key, { code: 'PCS', name: 'Pieces', decimals: 0 });
    if (unit.status !== 201) throw new Error(`creating the unit: ${unit.status} ${unit.body}`);
    const [generationSeconds] = await timed(() => generateLedger(owner, tenant.tenant.id, MOVEMENTS));

    const env = { MES_URL: `http://127.0.0.1:${port}`, MES_API_KEY: adminKey };
    const r: BackupBenchResult = {
      movements: MOVEMENTS, rows: 0, generationSeconds,
      backup: { mes: { seconds: [], bytes: 0 }, pgDump: { seconds: [], bytes: 0 }, speedRatio: 0, mesMBps: 0, pgDumpMBps: 0 },
      restore: { mes: { seconds: [], bytes: 0 }, pgRestore: { seconds: [], bytes: 0 }, speedRatio: 0 },
    };
    for (let round = 0; round < ROUNDS; round++) {
      const dumpFile = path.join(work, `round${round}.dump`);
      const [dumpS] = await timed(() => run('pg_dump', ['-Fc', '-f', dumpFile, '-d', source.url]));
      r.backup.pgDump.seconds.push(dumpS);
      r.backup.pgDump.bytes = await sizeOf(dumpFile);

      const dest = path.join(work, `mes${round}`);
      const [mesS, made] = await timed(() => cli(['backup', 'create', '--to', dest, '--signing-key', signingKey], env));
      r.backup.mes.seconds.push(mesS);
      r.backup.mes.bytes = made.bytes;
      r.rows = made.rows;

      const pgTarget = await freshDatabase('pgrestore');
      targets.push(pgTarget);
      const [pgRestoreS] = await timed(() => run('pg_restore', ['-d', pgTarget.url, dumpFile]));
      r.restore.pgRestore.seconds.push(pgRestoreS);
      r.restore.pgRestore.bytes = r.backup.pgDump.bytes;

      const mesTarget = await freshDatabase('mesrestore');
      targets.push(mesTarget);
      const [mesRestoreS] = await timed(() => cli(['backup', 'restore', made.location, '--database', mesTarget.url], {}));
      r.restore.mes.seconds.push(mesRestoreS);
      r.restore.mes.bytes = made.bytes;
      const restored = new pg.Client({ connectionString: mesTarget.url });
      await restored.connect();
      const n = Number((await restored.query('SELECT count(*) AS n FROM stock_movements')).rows[0].n);
      await restored.end();
      if (n !== MOVEMENTS) throw new Error(`the restored copy holds ${n} movements, expected ${MOVEMENTS}`);
      await Promise.all(targets.splice(0).map((t) => t.drop()));
    }
    const mb = 1024 * 1024;
    r.backup.speedRatio = best(r.backup.pgDump.seconds) / best(r.backup.mes.seconds);
    r.backup.mesMBps = r.backup.mes.bytes / mb / best(r.backup.mes.seconds);
    r.backup.pgDumpMBps = r.backup.pgDump.bytes / mb / best(r.backup.pgDump.seconds);
    r.restore.speedRatio = best(r.restore.pgRestore.seconds) / best(r.restore.mes.seconds);
    return r;
  } finally {
    agent.destroy();
    await owner.end().catch(() => {});
    await server?.stop();
    await Promise.all(targets.map((t) => t.drop().catch(() => {})));
    await source.drop();
    await rm(work, { recursive: true, force: true });
  }
}

export function printBackupBench(r: BackupBenchResult): void {
  const s = (xs: number[]) => xs.map((x) => x.toFixed(1)).join(' / ');
  const mb = (b: number) => (b / 1024 / 1024).toFixed(1);
  console.log(`\nbackup: one tenant with ${r.movements.toLocaleString('en')} stock movements (${r.rows.toLocaleString('en')} rows in the backup; generated in ${r.generationSeconds.toFixed(1)} s), PostgreSQL, fastest of ${r.backup.mes.seconds.length} rounds`);
  console.log(`  mes backup create   ${s(r.backup.mes.seconds)} s   ${mb(r.backup.mes.bytes)} MB   ${r.backup.mesMBps.toFixed(1)} MB/s`);
  console.log(`  pg_dump -Fc         ${s(r.backup.pgDump.seconds)} s   ${mb(r.backup.pgDump.bytes)} MB   ${r.backup.pgDumpMBps.toFixed(1)} MB/s`);
  console.log(`  backup speed ratio (pg_dump s / mes s): ${r.backup.speedRatio.toFixed(2)} (aim ≥ 0.5)`);
  console.log(`  mes backup restore  ${s(r.restore.mes.seconds)} s`);
  console.log(`  pg_restore          ${s(r.restore.pgRestore.seconds)} s`);
  console.log(`  restore speed ratio (pg_restore s / mes s): ${r.restore.speedRatio.toFixed(2)} (aim ≥ 0.5)`);
}
