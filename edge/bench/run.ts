/**
 * Edge bench (`npm run bench`): the journal's append rate under each fsync policy, and the
 * gateway's replay rate of a buffered backlog after an outage against a receiver on loopback, as a
 * ratio to sending the same signed bodies without the journal and the batch building.
 * MES_BENCH_SECONDS sets each append phase (default 3); MES_EDGE_BENCH_BACKLOG the backlog (1,000,000).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig } from '../src/config.js';
import { CloudClient } from '../src/forward/cloud.js';
import { createKeyFile, loadPrivateKey } from '../src/forward/signing.js';
import { Gateway } from '../src/gateway.js';
import { Journal, type FsyncPolicy } from '../src/journal/journal.js';
import { silentLogger } from '../src/log.js';
import type { Reading } from '../src/record.js';
import { TestReceiver } from '../test/support/receiver.js';

const seconds = Number(process.env.MES_BENCH_SECONDS ?? 3);
const backlog = Number(process.env.MES_EDGE_BENCH_BACKLOG ?? 1_000_000);
const root = mkdtempSync(join(tmpdir(), 'mes-edge-bench-'));
const results: Record<string, unknown> = {};

function reading(i: number): Reading {
  return { device: `M${i % 50}`, point: ['temperature', 'spindle_speed', 'energy'][i % 3], ts: new Date(1_760_000_000_000 + i * 10).toISOString(), value: Math.round(Math.sin(i) * 10_000) / 100, quality: 'good', unit: 'degC' };
}

/** Appends of `perAppend` records for `seconds`, one append awaited at a time, as a driver does. */
async function appendRate(fsync: FsyncPolicy, perAppend: number) {
  const dir = join(root, `append-${fsync}-${perAppend}`);
  const j = Journal.open({ dir, fsync, batchMs: 5, fsyncIntervalMs: 1000 });
  const batch = Array.from({ length: perAppend }, (_, i) => reading(i));
  const end = Date.now() + seconds * 1000;
  const start = process.hrtime.bigint();
  let records = 0;
  // 16 concurrent writers, as many devices feeding one gateway: group commit needs concurrency.
  await Promise.all(Array.from({ length: 16 }, async () => {
    while (Date.now() < end) {
      await j.append(batch);
      records += perAppend;
    }
  }));
  const s = Number(process.hrtime.bigint() - start) / 1e9;
  j.close();
  rmSync(dir, { recursive: true, force: true });
  return { fsync, perAppend, records, recordsPerSecond: Math.round(records / s) };
}

async function replay() {
  const dir = join(root, 'replay');
  mkdirSync(dir);
  const keyFile = join(dir, 'gateway.pem');
  const { publicKeyPem } = createKeyFile(keyFile);
  const gatewayId = '0f6e7a52-2b1c-4d3e-8f90-a1b2c3d4e5f6.gw-bench';
  // The outage: a backlog journaled while the MES is away.
  const journalDir = join(dir, 'journal');
  const j = Journal.open({ dir: journalDir, fsync: 'interval' });
  const chunk = 5000;
  for (let i = 0; i < backlog; i += chunk) await j.append(Array.from({ length: Math.min(chunk, backlog - i) }, (_, k) => reading(i + k)));
  const journalBytes = j.stats().bytes;
  j.close();

  // Baseline: the same records as pre-built, signed bodies sent straight over the same loopback.
  const bodies: Buffer[] = [];
  const pre = Journal.open({ dir: journalDir, fsync: 'always' });
  for (let s = pre.read(0, 5000), n = 1; s; s = pre.read(s.lastSeq, 5000), n++) bodies.push(Buffer.from(`{"batchSeq":${n},"records":[${s.payloads.join(',')}]}`));
  pre.close();
  const base = new TestReceiver();
  base.addGateway(gatewayId, publicKeyPem);
  await base.start();
  const cloud = new CloudClient({ baseUrl: base.url, gateway: gatewayId, key: loadPrivateKey(keyFile), timeoutMs: 60_000 });
  let t = process.hrtime.bigint();
  for (const body of bodies) {
    const res = await cloud.request('POST', '/v1/telemetry/batches', body);
    if (res.status !== 200) throw new Error(`baseline batch refused: ${res.status} ${res.code}`);
  }
  const baselineSeconds = Number(process.hrtime.bigint() - t) / 1e9;
  cloud.close();
  await base.stop();

  // The gateway restarts after the outage and replays its journal.
  const receiver = new TestReceiver();
  receiver.addGateway(gatewayId, publicKeyPem);
  await receiver.start();
  t = process.hrtime.bigint();
  const gateway = await Gateway.start(parseConfig({
    gatewayId, cloudUrl: receiver.url, keyFile, journalDir, httpPort: 0, httpHost: '127.0.0.1', heartbeatMs: 0,
    forward: { maxBatch: 5000, lingerMs: 0 }, devices: [],
  }), { log: silentLogger });
  await receiver.until(() => receiver.highestSeq >= backlog);
  const replaySeconds = Number(process.hrtime.bigint() - t) / 1e9;
  await gateway.stop();
  await receiver.stop();
  if (receiver.stored.size !== backlog) throw new Error(`replay stored ${receiver.stored.size} of ${backlog}`);
  return {
    backlog,
    journalMiB: Math.round(journalBytes / 2 ** 20),
    batches: receiver.batchesOk,
    replaySeconds: Math.round(replaySeconds * 100) / 100,
    replayRecordsPerSecond: Math.round(backlog / replaySeconds),
    baselineRecordsPerSecond: Math.round(backlog / baselineSeconds),
    ratioToBaseline: Math.round((baselineSeconds / replaySeconds) * 100) / 100,
  };
}

try {
  const appends = [];
  for (const fsync of ['always', 'batch', 'interval'] as const) appends.push(await appendRate(fsync, 1));
  appends.push(await appendRate('batch', 100));
  results.journalAppend = appends;
  console.log('\nEdge journal: append rate (16 concurrent writers)');
  for (const a of appends) console.log(`  fsync ${a.fsync.padEnd(8)} ${String(a.perAppend).padStart(3)} record(s)/append: ${a.recordsPerSecond.toLocaleString('en')} records/s`);
  const r = await replay();
  results.replay = r;
  console.log(`\nEdge replay after an outage: ${r.backlog.toLocaleString('en')} records (${r.journalMiB} MiB journal) in ${r.replaySeconds} s = ${r.replayRecordsPerSecond.toLocaleString('en')} records/s in ${r.batches} signed batches`);
  console.log(`  baseline (the same signed bodies, pre-built, straight over loopback): ${r.baselineRecordsPerSecond.toLocaleString('en')} records/s; ratio ${r.ratioToBaseline}`);
  mkdirSync('bench-results', { recursive: true });
  const file = `bench-results/edge-${new Date().toISOString().replace(/[:.]/g, '-')}.json`;
  writeFileSync(file, JSON.stringify({ at: new Date().toISOString(), node: process.version, seconds, results }, null, 2));
  console.log(`results written to ${file}`);
} finally {
  rmSync(root, { recursive: true, force: true });
}
