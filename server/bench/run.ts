/**
 * `npm run bench`: every benchmark, each reporting a ratio to a baseline measured in the same
 * run, in interleaved phases. MES_BENCH_SECONDS sets each measured phase (default 4),
 * MES_BENCH_ROUNDS how many baseline/subject pairs (default 5). Results also go to
 * bench-results/<time>.json for comparison across commits. The MRP bench sizes itself from
 * MES_BENCH_MRP_MATERIALS, MES_BENCH_MRP_DEMAND, MES_BENCH_MRP_RUNS and MES_BENCH_KIT_ORDERS (mrp.ts), the trace
 * bench from MES_BENCH_TRACE_BATCHES, MES_BENCH_TRACE_MOVEMENTS_PER_BATCH and MES_BENCH_TRACE_SAMPLES (trace.ts), the
 * backup bench from MES_BENCH_BACKUP_MOVEMENTS and MES_BENCH_BACKUP_ROUNDS (backup.ts), the gateway replay
 * into the real server from MES_BENCH_REPLAY_BACKLOG (replay.ts; needs the edge package built).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { apiOverhead, printApiOverhead } from './api-overhead.js';
import { backupBench, printBackupBench } from './backup.js';
import { importBench, printImportBench } from './imports.js';
import { ledgerBench, printLedgerBench } from './ledger.js';
import { printTelemetryBench, telemetryBench } from './telemetry.js';
import { mrpBench, printMrpBench } from './mrp.js';
import { printReplayBench, replayBench } from './replay.js';
import { printTraceBench, traceBench } from './trace.js';

const seconds = Number(process.env.MES_BENCH_SECONDS ?? 4);
const rounds = Number(process.env.MES_BENCH_ROUNDS ?? 5);
const results: Record<string, unknown> = {};

results.apiOverhead = await apiOverhead({ seconds, rounds, concurrency: 16 }).then((r) => {
  printApiOverhead(r);
  return r;
});

results.ledger = await ledgerBench({ seconds, rounds, concurrency: 16 }).then((r) => {
  printLedgerBench(r);
  return r;
});

results.telemetry = await telemetryBench({ seconds, rounds, concurrency: 4 }).then((r) => {
  printTelemetryBench(r);
  return r;
});

results.replay = await replayBench().then((r) => {
  printReplayBench(r);
  return r;
});

results.mrp = await mrpBench().then((r) => {
  printMrpBench(r);
  return r;
});

results.imports = await importBench().then((r) => {
  printImportBench(r);
  return r;
});

results.trace = await traceBench().then((r) => {
  printTraceBench(r);
  return r;
});

results.backup = await backupBench().then((r) => {
  printBackupBench(r);
  return r;
});

mkdirSync('bench-results', { recursive: true });
const file = `bench-results/${new Date().toISOString().replace(/[:.]/g, '-')}.json`;
writeFileSync(file, JSON.stringify({ at: new Date().toISOString(), node: process.version, seconds, rounds, results }, null, 2));
console.log(`\nresults written to ${file}`);
