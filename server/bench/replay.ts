/**
 * gateway-replay: the edge gateway (@mes/edge, built) replays a backlog journaled during an outage
 * (MES_BENCH_REPLAY_BACKLOG readings, default 1,000,000) into the real server on PostgreSQL over
 * loopback: signed batches of 5,000 through POST /v1/telemetry/batches, every reading stored. The
 * figure is readings/s from the gateway's start to the server's highestSeq reaching the backlog;
 * the rows in telemetry_readings are counted after. Bounded: 30 minutes at most.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { request, startBenchServer } from './api-overhead.js';
import { freshDatabase } from './database.js';

export interface ReplayBenchResult { backlog: number; devices: number; seconds: number; readingsPerSecond: number; storedRows: number; journalSeconds: number }

const DEVICES = 10;
const POINTS = ['temperature', 'spindle_speed', 'energy'];
const LIMIT_MS = 30 * 60_000;

// The edge package's build, loaded at run time (the bench project compiles the server's side only).
const edge = async <T>(path: string): Promise<T> => (await import(new URL(`../../../edge/dist/${path}`, import.meta.url).href)) as T;

export async function replayBench(backlog = Number(process.env.MES_BENCH_REPLAY_BACKLOG ?? 1_000_000)): Promise<ReplayBenchResult> {
  const { parseConfig } = await edge<{ parseConfig: (x: unknown) => unknown }>('config.js');
  const { createKeyFile } = await edge<{ createKeyFile: (file: string) => { publicKeyPem: string } }>('forward/signing.js');
  const { Gateway } = await edge<{ Gateway: { start: (c: unknown, o: unknown) => Promise<{ stop: () => Promise<void> }> } }>('gateway.js');
  const { Journal } = await edge<{ Journal: { open: (o: unknown) => { append: (r: unknown[]) => Promise<void>; close: () => void } } }>('journal/journal.js');
  const { silentLogger } = await edge<{ silentLogger: unknown }>('log.js');

  const db = await freshDatabase('replay');
  const server = await startBenchServer(db.url, { MES_DB_POOL_SIZE: '4' });
  const dir = mkdtempSync(join(tmpdir(), 'mes-replay-bench-'));
  const agent = new http.Agent({ keepAlive: true });
  let gateway: { stop: () => Promise<void> } | undefined;
  try {
    const api = async (method: string, path: string, key: string, body?: unknown) => {
      const res = await request(agent, server.port, method, path, key, body);
      if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${res.body}`);
      return JSON.parse(res.body);
    };
    const tenant = await api('POST', '/v1/tenants', server.adminKey, { slug: 'bench-replay', name: 'Bench', plan: 'unlimited' });
    const key: string = tenant.apiKey.key;
    const cal = await api('POST', '/v1/calendars', key, { code: 'CAL', name: 'Cal', shifts: [{ weekday: 1, start: '08:00', end: '16:00' }] });
    const plant = await api('POST', '/v1/plants', key, { code: 'P', name: 'P', calendarId: cal.id });
    const ws = await api('POST', '/v1/workshops', key, { code: 'WS', name: 'WS', plantId: plant.id });
    for (let d = 0; d < DEVICES; d++) {
      await api('POST', '/v1/equipment', key, { code: `M${d}`, name: `Machine ${d}`, workshopId: ws.id, points: POINTS.map((point) => ({ point, type: 'number', unit: 'x' })) });
    }
    const keyFile = join(dir, 'gateway.pem');
    const { publicKeyPem } = createKeyFile(keyFile);
    const gw = await api('POST', '/v1/gateways', key, { code: 'gw-bench', name: 'Bench gateway', publicKey: publicKeyPem });

    // The outage: the backlog journaled while the MES was away, readings 5 ms apart up to now.
    const journalDir = join(dir, 'journal');
    const t0 = Date.now() - backlog * 5 - 60_000;
    const j = Journal.open({ dir: journalDir, fsync: 'interval' });
    const started = performance.now();
    for (let i = 0; i < backlog; i += 5000) {
      await j.append(Array.from({ length: Math.min(5000, backlog - i) }, (_, k) => {
        const n = i + k;
        return { device: `M${n % DEVICES}`, point: POINTS[n % POINTS.length], ts: new Date(t0 + n * 5).toISOString(), value: (n % 1000) / 10, quality: 'good', unit: 'x' };
      }));
    }
    j.close();
    const journalSeconds = (performance.now() - started) / 1000;

    // The MES is back: the gateway starts and replays its journal.
    const t = performance.now();
    gateway = await Gateway.start(parseConfig({
      gatewayId: `${tenant.tenant.id}.gw-bench`, cloudUrl: `http://127.0.0.1:${server.port}`, keyFile, journalDir, httpPort: 0, httpHost: '127.0.0.1', heartbeatMs: 0,
      forward: { maxBatch: 5000, lingerMs: 0 }, devices: [],
    }), { log: silentLogger });
    for (;;) {
      if ((await api('GET', `/v1/gateways/${gw.id}`, key)).highestSeq >= backlog) break;
      if (performance.now() - t > LIMIT_MS) throw new Error(`replay did not finish in ${LIMIT_MS / 60_000} minutes`);
      await new Promise((r) => setTimeout(r, 200));
    }
    const seconds = (performance.now() - t) / 1000;
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    const storedRows = Number((await client.query('SELECT count(*) AS n FROM telemetry_readings')).rows[0].n);
    await client.end();
    return { backlog, devices: DEVICES, seconds: Math.round(seconds * 100) / 100, readingsPerSecond: Math.round(backlog / seconds), storedRows, journalSeconds: Math.round(journalSeconds * 100) / 100 };
  } finally {
    await gateway?.stop();
    agent.destroy();
    await server.stop();
    await db.drop();
    rmSync(dir, { recursive: true, force: true });
  }
}

export function printReplayBench(r: ReplayBenchResult): void {
  console.log(`\ngateway-replay: the edge gateway replays a journaled backlog of ${r.backlog.toLocaleString('en')} readings (${r.devices} machines) into the real server on PostgreSQL over loopback`);
  console.log(`  ${r.seconds} s = ${r.readingsPerSecond.toLocaleString('en')} readings/s; ${r.storedRows.toLocaleString('en')} rows stored (journaling the backlog took ${r.journalSeconds} s, not counted)`);
}
