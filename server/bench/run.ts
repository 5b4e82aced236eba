/**
 * `npm run bench`: every benchmark, each reporting a ratio to a baseline measured in the same
 * run. MES_BENCH_SECONDS sets each measured phase (default 10). Results also go to
 * bench-results/<time>.json for comparison across commits.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { apiOverhead, printApiOverhead } from './api-overhead.js';
import { ledgerBench, printLedgerBench } from './ledger.js';

const seconds = Number(process.env.MES_BENCH_SECONDS ?? 10);
const results: Record<string, unknown> = {};

results.apiOverhead = await apiOverhead({ seconds, concurrency: 16 }).then((r) => {
  printApiOverhead(r);
  return r;
});

results.ledger = await ledgerBench({ seconds, concurrency: 16 }).then((r) => {
  printLedgerBench(r);
  return r;
});

mkdirSync('bench-results', { recursive: true });
const file = `bench-results/${new Date().toISOString().replace(/[:.]/g, '-')}.json`;
writeFileSync(file, JSON.stringify({ at: new Date().toISOString(), node: process.version, seconds, results }, null, 2));
console.log(`\nresults written to ${file}`);
