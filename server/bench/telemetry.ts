/**
 * telemetry-ingest: signed batches of 1,000 records through POST /v1/telemetry/batches (HTTP,
 * Ed25519 verification, replay check, per-record checks, one multi-row INSERT, newest readings,
 * batch answer stored) against COPY of the same rows straight into telemetry_readings, with
 * `concurrency` gateways (one worker each) in interleaved phases of one run. Reported in
 * readings/s; the ratio is the figure that counts (aim ≥ 0.5).
 */
import { spawn } from 'node:child_process';
import { createHash, generateKeyPairSync, randomUUID, sign, type KeyObject } from 'node:crypto';
import http from 'node:http';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { freePort, readAdminKey, request, type BenchOptions } from './api-overhead.js';
import { freshDatabase } from './database.js';
import { formatInterleaved, interleave, type Interleaved } from './load.js';

export const BATCH = 1000;
const POINTS = ['temperature', 'pressure', 'speed', 'current', 'vibration'];

export interface RollupBenchResult {
  /** Number readings rolled up in each run (all the phases above stored). */
  readings: number;
  /** Per round: the rollup's time and the bare aggregate's, in ms, and bare / rollup. */
  rounds: Array<{ rollupMs: number; bareMs: number; ratio: number }>;
  median: number;
}
export interface TelemetryBenchResult { batches: Interleaved; readingsPerBatch: number; rollup: RollupBenchResult }

interface Slot { header: string; key: KeyObject; batchSeq: number; seq: number; copyGateway: string }

export async function telemetryBench(opts: BenchOptions): Promise<TelemetryBenchResult> {
  const db = await freshDatabase('telemetry');
  const port = await freePort();
  const server = spawn(process.execPath, [fileURLToPath(new URL('../../dist/main.js', import.meta.url))], {
    env: { ...process.env, MES_DATABASE_URL: db.url, MES_PORT: String(port), MES_LOG_LEVEL: 'warn', MES_DB_POOL_SIZE: String(opts.concurrency * 2) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    const adminKey = await readAdminKey(server);
    const agent = new http.Agent({ keepAlive: true, maxSockets: opts.concurrency * 2 });
    const api = async (method: string, path: string, key: string, body?: unknown) => {
      const res = await request(agent, port, method, path, key, body);
      if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${res.body}`);
      return JSON.parse(res.body);
    };
    const tenant = await api('POST', '/v1/tenants', adminKey, { slug: 'bench-telemetry', name: 'Bench', plan: 'unlimited' });
    const key: string = tenant.apiKey.key;
    const cal = await api('POST', '/v1/calendars', key, { code: 'CAL', name: 'Cal', shifts: [{ weekday: 1, start: '08:00', end: '16:00' }] });
    const plant = await api('POST', '/v1/plants', key, { code: 'P', name: 'P', calendarId: cal.id });
    const ws = await api('POST', '/v1/workshops', key, { code: 'WS', name: 'WS', plantId: plant.id });
    const equipment = await api('POST', '/v1/equipment', key, { code: 'M-1', name: 'Machine', workshopId: ws.id, points: POINTS.map((point) => ({ point, type: 'number', unit: 'x', min: 0, max: 100 })) });
    const slots: Slot[] = [];
    for (let i = 0; i < opts.concurrency; i++) {
      const { privateKey, publicKey } = generateKeyPairSync('ed25519');
      await api('POST', '/v1/gateways', key, { code: `gw-${i}`, name: `gw ${i}`, publicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString() });
      slots.push({ header: `${tenant.tenant.id}.gw-${i}`, key: privateKey, batchSeq: 0, seq: 0, copyGateway: randomUUID() });
    }
    const t0 = Date.now() - 3_600_000;
    const take = () => slots.pop()!;
    const give = (s: Slot) => slots.push(s);

    const ingest = async () => {
      const s = take();
      try {
        const first = s.seq + 1;
        s.seq += BATCH;
        const records = Array.from({ length: BATCH }, (_, i) => ({
          device: 'M-1', point: POINTS[i % POINTS.length], ts: new Date(t0 + first + i).toISOString(), value: (first + i) % 100, quality: 'good', seq: first + i,
        }));
        const body = Buffer.from(JSON.stringify({ batchSeq: ++s.batchSeq, records }));
        const timestamp = new Date().toISOString();
        const signature = sign(null, Buffer.from(`mes-telemetry-v1\n${s.header}\n${timestamp}\n${createHash('sha256').update(body).digest('hex')}`), s.key).toString('base64url');
        const res = await post(agent, port, body, { 'x-mes-gateway': s.header, 'x-mes-timestamp': timestamp, 'x-mes-signature': `ed25519=${signature}` });
        return res.status === 200 && JSON.parse(res.body).accepted === BATCH;
      } finally {
        give(s);
      }
    };

    const pool = new pg.Pool({ connectionString: db.url, max: opts.concurrency });
    const copy = async () => {
      const s = take();
      const client = await pool.connect();
      try {
        const first = s.seq + 1;
        s.seq += BATCH;
        const lines = Array.from({ length: BATCH }, (_, i) =>
          `${tenant.tenant.id}\t${s.copyGateway}\t${equipment.id}\t${POINTS[i % POINTS.length]}\t${new Date(t0 + first + i).toISOString()}\t${first + i}\t${(first + i) % 100}\tgood\tx\n`).join('');
        const stream = client.query(copyFrom('COPY telemetry_readings (tenant_id, gateway_id, equipment_id, point, ts, seq, num_value, quality, unit) FROM STDIN'));
        await new Promise<void>((resolve, reject) => {
          stream.on('finish', resolve);
          stream.on('error', reject);
          stream.end(lines);
        });
        return true;
      } finally {
        client.release();
        give(s);
      }
    };
    const batches = await interleave(opts, { label: `COPY ${BATCH} rows (pg, ${opts.concurrency} clients)`, once: copy }, { label: `API signed batch of ${BATCH}`, once: ingest });
    const rollup = await rollupBench(pool, tenant.tenant.id, opts.rounds);
    await pool.end();
    agent.destroy();
    return { batches, readingsPerBatch: BATCH, rollup };
  } finally {
    server.kill('SIGTERM');
    await new Promise((r) => server.once('exit', r));
    await db.drop();
  }
}

/**
 * The minute rollup (the server's own mergeReceived: aggregate, last reading by (ts, seq), upsert
 * into telemetry_rollups_minute) over every reading the phases stored, against a bare SQL aggregate
 * of the same rows (count, min, max, sum per machine, point and minute, nothing written), in
 * alternating rounds. Each rollup runs in a transaction rolled back, so every round rolls up the
 * same readings into empty buckets.
 */
async function rollupBench(pool: pg.Pool, tenantId: string, rounds: number): Promise<RollupBenchResult> {
  const { mergeReceived } = (await import(new URL('../../dist/modules/equipment/rollup-repo.js', import.meta.url).href)) as {
    mergeReceived: (tx: unknown, tenantId: string, resolution: 'minute', from: Date, to: Date) => Promise<number>;
  };
  const client = await pool.connect();
  const from = new Date(0);
  const to = new Date(Date.now() + 3_600_000);
  const timed = async (f: () => Promise<unknown>) => {
    const t = performance.now();
    await f();
    return performance.now() - t;
  };
  try {
    let readings = 0;
    const out: RollupBenchResult['rounds'] = [];
    for (let i = 0; i < rounds; i++) {
      await client.query('BEGIN');
      const rollupMs = await timed(async () => {
        readings = await mergeReceived(client, tenantId, 'minute', from, to);
      });
      await client.query('ROLLBACK');
      const bareMs = await timed(() => client.query(
        `SELECT equipment_id, point, date_trunc('minute', ts AT TIME ZONE 'UTC') AS b, count(*), min(num_value), max(num_value), sum(num_value)
           FROM telemetry_readings WHERE tenant_id = $1 AND received_at >= $2 AND received_at < $3 AND num_value IS NOT NULL GROUP BY 1, 2, 3`,
        [tenantId, from, to],
      ));
      out.push({ rollupMs: Math.round(rollupMs), bareMs: Math.round(bareMs), ratio: Math.round((bareMs / rollupMs) * 1000) / 1000 });
    }
    const median = [...out.map((r) => r.ratio)].sort((a, b) => a - b)[Math.floor(out.length / 2)];
    return { readings, rounds: out, median };
  } finally {
    client.release();
  }
}

function post(agent: http.Agent, port: number, body: Buffer, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method: 'POST', path: '/v1/telemetry/batches', agent, headers: { ...headers, 'content-type': 'application/json', 'content-length': String(body.length) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

export function printTelemetryBench(r: TelemetryBenchResult): void {
  console.log(`\ntelemetry-ingest: signed batches of ${r.readingsPerBatch} through the API vs COPY of the same rows, interleaved (one request = ${r.readingsPerBatch} readings)`);
  console.log(formatInterleaved(r.batches, 0.5));
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  console.log(`readings/s: API ${(median(r.batches.subject.map((x) => x.perSecond)) * r.readingsPerBatch).toFixed(0)}, COPY ${(median(r.batches.baseline.map((x) => x.perSecond)) * r.readingsPerBatch).toFixed(0)} (medians)`);
  const ro = r.rollup;
  console.log(`telemetry-rollup: minute rollup of ${ro.readings} readings vs a bare SQL aggregate of the same rows, alternating`);
  for (const x of ro.rounds) console.log(`  rollup ${x.rollupMs} ms (${Math.round(ro.readings / (x.rollupMs / 1000))} readings/s), bare aggregate ${x.bareMs} ms: ratio ${x.ratio}`);
  console.log(`  ratio median ${ro.median} (bare time / rollup time)`);
}
