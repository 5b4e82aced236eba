/**
 * The real @mes/edge gateway against the real server (no test receiver): a Modbus compressor
 * simulator polled by the gateway, signed batches into POST /v1/telemetry/batches, heartbeat,
 * config pull and a setpoint command; and the fault test: the MES unreachable for a while and the
 * gateway killed with -9 mid-buffer, then every seq stored exactly once.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createKeyFile, Gateway, MODBUS_MAP, parseConfig, silentLogger, startModbusSimulator, type ModbusSimulator } from '@mes/edge';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { equipmentTenant, type EquipmentTenant } from './equipment-setup.js';
import { startTestServer, type TestServer } from './harness.js';
import { waitFor } from './util.js';

let t: TestServer;
let T: EquipmentTenant;
let modbus: ModbusSimulator;
const cleanups: (() => unknown)[] = [];

/** The compressor's device map: every poll a record (no deadband). */
const compressor = (pollMs: number, device = 'COMP-02') => ({
  device, protocol: 'modbus', connection: { host: '127.0.0.1', port: modbus.port, pollMs },
  points: [
    { point: 'temperature', type: 'number', unit: 'degC', source: { ...MODBUS_MAP.temperature }, scale: { factor: 0.1 } },
    { point: 'pressure', type: 'number', unit: 'bar', source: { ...MODBUS_MAP.pressure } },
    { point: 'speed_setpoint', type: 'number', unit: 'rpm', source: { ...MODBUS_MAP.setpoint }, writable: true },
    { point: 'running', type: 'boolean', source: { ...MODBUS_MAP.running } },
  ],
});

/** A gateway's files and its registration at the MES under `code`. */
async function gatewayFiles(code: string, equipmentId?: string) {
  const dir = mkdtempSync(join(tmpdir(), `mes-eq-${code}-`));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const keyFile = join(dir, 'gateway.pem');
  const { publicKeyPem } = createKeyFile(keyFile);
  const gw = await T.make('/v1/gateways', { code, name: code, publicKey: publicKeyPem });
  if (equipmentId) {
    const e = (await T.as('GET', `/v1/equipment/${equipmentId}`)).body;
    await T.as('PATCH', `/v1/equipment/${equipmentId}`, { version: e.version, gatewayId: gw.id });
  }
  const config = (cloudUrl: string, devices: unknown[], extra: Record<string, unknown> = {}) => ({
    gatewayId: `${T.id}.${code}`, cloudUrl, keyFile, journalDir: join(dir, 'journal'), httpPort: 0, httpHost: '127.0.0.1', heartbeatMs: 200,
    forward: { lingerMs: 20, minBackoffMs: 50, maxBackoffMs: 300, timeoutMs: 5000 }, devices, ...extra,
  });
  return { dir, gw, config, configFile: (c: unknown) => { const f = join(dir, 'gateway.json'); writeFileSync(f, JSON.stringify(c)); return f; } };
}

/** Seqs stored for a gateway, read as the database owner: the count that proves 0 lost and 0 duplicated. */
async function storedSeqs(gatewayId: string): Promise<number[]> {
  return t.server.built.ctx.db.asOwner(async (sql) =>
    (await sql.query<{ seq: string }>('SELECT seq FROM telemetry_readings WHERE gateway_id = $1 ORDER BY seq', [gatewayId])).rows.map((r) => Number(r.seq)));
}

beforeAll(async () => {
  t = await startTestServer();
  T = await equipmentTenant(t, 'edge-e2e');
  modbus = await startModbusSimulator();
  modbus.freeze({ temperature: 41.5, energyWh: 123_456, pressure: 7.25, running: true });
});
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
  await modbus?.close();
  await t?.stop();
});

async function createCompressor(code: string) {
  return T.make('/v1/equipment', {
    code, name: `Compressor ${code}`, workshopId: T.workshop.id,
    points: [
      { point: 'temperature', type: 'number', unit: 'degC', min: 10, max: 40 }, { point: 'pressure', type: 'number', unit: 'bar', min: 6, max: 8 },
      { point: 'speed_setpoint', type: 'number', unit: 'rpm', writable: true }, { point: 'running', type: 'boolean' },
    ],
    alarmRules: [{ code: 'HOT', point: 'temperature', kind: 'threshold', high: 40, grade: 'major' }],
  });
}

describe('the @mes/edge gateway against the MES', () => {
  it('S1-5.3.8-a: a registered gateway uploads signed batches; readings reach status, running standards and alarms (S1-5.4.6-b, -d)', async () => {
    const comp = await createCompressor('COMP-02');
    const files = await gatewayFiles('gw-e2e', comp.id);
    const gateway = await Gateway.start(parseConfig(files.config(t.url, [compressor(50)])), { log: silentLogger });
    cleanups.push(() => gateway.stop());
    await waitFor('200 records stored', async () => (await T.as('GET', `/v1/gateways/${files.gw.id}`)).body.highestSeq >= 200, 20_000);
    const status = (await T.as('GET', `/v1/equipment/${comp.id}/status`)).body;
    expect(status.readings.map((r: any) => [r.point, r.value, r.deviation])).toEqual([
      ['pressure', 7.25, null], ['running', true, null], ['speed_setpoint', expect.any(Number), null], ['temperature', 41.5, 'high'],
    ]);
    const alarms = (await T.as('GET', `/v1/equipment-alarms?equipmentId=${comp.id}`)).body.items;
    expect(alarms.map((a: any) => [a.code, a.status, a.raisedValue])).toEqual([['HOT', 'open', 41.5]]);
    const seqs = await storedSeqs(files.gw.id);
    expect(seqs.every((s, i) => s === i + 1)).toBe(true);
    expect(gateway.status().forwarder).toMatchObject({ cloudReachable: true });

    // S1-4.2.3 / S1-5.2.4: a new device map is pulled; a setpoint is written to the device and its result recorded.
    await T.as('PUT', `/v1/gateways/${files.gw.id}/config`, { devices: [compressor(100)] });
    await waitFor('config version 1 in use', () => gateway.status().configVersion === 1, 10_000);
    const cmd = (await T.as('POST', `/v1/equipment/${comp.id}/commands`, { point: 'speed_setpoint', value: 1800 })).body;
    await waitFor('the command result', async () => (await T.as('GET', `/v1/device-commands/${cmd.id}`)).body.status === 'done', 10_000);
    expect(modbus.holding[10]).toBe(1800);
    const gw = (await T.as('GET', `/v1/gateways/${files.gw.id}`)).body;
    expect(gw.lastStatus).toMatchObject({ gatewayId: `${T.id}.gw-e2e`, configVersion: 1 });
    await gateway.stop();
  });
});

describe('fault: the MES unreachable and the gateway killed with -9 mid-buffer', () => {
  it('S1-5.3.8-a: 0 readings lost and 0 duplicated in the server, counted by seq', async () => {
    const comp = await createCompressor('COMP-03');
    const files = await gatewayFiles('gw-fault', comp.id);
    const proxy = await cloudLink(new URL(t.url).port);
    cleanups.push(() => proxy.close());
    const forward = { lingerMs: 20, minBackoffMs: 50, maxBackoffMs: 200, maxBatch: 100, timeoutMs: 5000 };
    const configFile = files.configFile(files.config(proxy.url, [compressor(5, 'COMP-03')], { fsync: 'batch', forward, pullConfig: false }));
    let child = await startGateway(configFile);
    cleanups.push(() => child.process.exitCode === null && child.process.kill('SIGKILL'));
    const highest = async () => (await T.as('GET', `/v1/gateways/${files.gw.id}`)).body.highestSeq as number;
    await waitFor('100 records stored', async () => (await highest()) >= 100, 20_000);
    await proxy.down(); // the MES goes away
    await waitFor('a backlog', async () => (await child.status()).journal.backlogRecords >= 300, 20_000);
    child.process.kill('SIGKILL');
    await child.exited;
    child = await startGateway(configFile); // restarted while the MES is still away
    await waitFor('more records after the restart', async () => (await child.status()).journal.backlogRecords >= 500, 20_000);
    const before = await highest();
    await proxy.up();
    await waitFor('the replay under way', async () => (await highest()) >= before + 200, 20_000);
    child.process.kill('SIGKILL'); // killed again in the middle of the replay
    await child.exited;
    // The last run has no devices: it only drains the journal, so the count is exact.
    child = await startGateway(files.configFile(files.config(proxy.url, [], { forward: { ...forward, lingerMs: 0 }, pullConfig: false })));
    const last = (await child.status()).journal.lastSeq;
    await waitFor('everything stored', async () => (await highest()) >= last, 30_000);
    child.process.kill('SIGTERM');
    await child.exited;
    const seqs = await storedSeqs(files.gw.id);
    expect(last).toBeGreaterThanOrEqual(500);
    expect(seqs.length).toBe(last); // 0 lost
    expect(seqs.every((s, i) => s === i + 1)).toBe(true); // every seq 1..last exactly once: 0 duplicated
    const gw = (await T.as('GET', `/v1/gateways/${files.gw.id}`)).body;
    expect(gw.rejections).toEqual([]);
    console.log(`equipment fault test: ${last} readings journaled, ${seqs.length} stored, each seq once`);
  });
});

interface ChildGateway { process: ChildProcess; exited: Promise<void>; status(): Promise<{ journal: { backlogRecords: number; lastSeq: number } }> }

async function startGateway(configFile: string): Promise<ChildGateway> {
  const child = spawn(process.execPath, [join(import.meta.dirname, 'edge-gateway-runner.mjs'), configFile], { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const address = await new Promise<{ host: string; port: number }>((resolve, reject) => {
    let buf = '';
    child.stdout!.on('data', (c: Buffer) => {
      buf += c.toString();
      const m = /^ready (.*)$/m.exec(buf);
      if (m) resolve(JSON.parse(m[1]));
    });
    child.once('exit', (code) => reject(new Error(`gateway exited with ${code} before it was ready`)));
  });
  return { process: child, exited, status: async () => (await fetch(`http://${address.host}:${address.port}/status`)).json() };
}

/** A TCP link to the server that the test can cut (connections refused) and restore on the same port. */
async function cloudLink(targetPort: string) {
  const sockets = new Set<net.Socket>();
  let server: net.Server | undefined;
  let port = 0;
  const up = async () => {
    server = net.createServer((client) => {
      const upstream = net.connect(Number(targetPort), '127.0.0.1');
      for (const s of [client, upstream]) {
        sockets.add(s);
        s.on('close', () => sockets.delete(s));
        s.on('error', () => s.destroy());
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => server!.listen(port, '127.0.0.1', resolve));
    port = (server.address() as net.AddressInfo).port;
  };
  const down = async () => {
    const s = server;
    server = undefined;
    for (const sock of sockets) sock.destroy();
    if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
  };
  await up();
  return { url: `http://127.0.0.1:${port}`, up, down, close: down };
}
