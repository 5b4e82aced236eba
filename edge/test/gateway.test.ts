import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { generateKeyPairSync } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig, type DeviceConfig } from '../src/config.js';
import { Gateway } from '../src/gateway.js';
import { Journal } from '../src/journal/journal.js';
import { silentLogger } from '../src/log.js';
import mqtt from 'mqtt';
import { startBroker } from '../src/simulators/broker.js';
import { MODBUS_MAP, startModbusSimulator, type ModbusSimulator } from '../src/simulators/modbus-server.js';
import { gatewayFixture, getJson, until } from './support/fixture.js';
import { TestReceiver } from './support/receiver.js';

let modbus: ModbusSimulator;

/** A compressor on Modbus polled every `pollMs`, every reading a record (no deadband). */
function compressor(pollMs: number, extra: Partial<DeviceConfig> = {}): DeviceConfig {
  return {
    device: 'COMP-02', protocol: 'modbus', connection: { host: '127.0.0.1', port: modbus.port, pollMs },
    points: [
      { point: 'temperature', type: 'number', unit: 'degC', source: { ...MODBUS_MAP.temperature }, scale: { factor: 0.1 } },
      { point: 'energy', type: 'number', unit: 'kWh', rawUnit: 'Wh', source: { ...MODBUS_MAP.energy } },
      { point: 'pressure', type: 'number', unit: 'bar', source: { ...MODBUS_MAP.pressure } },
      { point: 'speed_setpoint', type: 'number', unit: 'rpm', source: { ...MODBUS_MAP.setpoint }, writable: true },
      { point: 'running', type: 'boolean', source: { ...MODBUS_MAP.running } },
    ],
    ...extra,
  };
}

beforeAll(async () => {
  modbus = await startModbusSimulator();
  modbus.freeze({ temperature: 41.5, energyWh: 123_456, pressure: 7.25, running: true });
});
afterAll(async () => {
  await modbus.close();
});

describe('gateway to MES over the telemetry contract', () => {
  const fx = gatewayFixture('gw-e2e');
  const receiver = new TestReceiver();
  let gateway: Gateway;
  let health: string;

  beforeAll(async () => {
    await receiver.start();
    // Registered with ANOTHER key first: every upload must be refused until the right key is known.
    receiver.addGateway(fx.gatewayId, generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }).toString());
    gateway = await Gateway.start(parseConfig(fx.config(receiver.url, [compressor(50, { alarms: [{ code: 'HOT', point: 'temperature', kind: 'threshold', high: 40, grade: 'major' }] })])), { log: silentLogger });
    const a = gateway.httpAddress()!;
    health = `http://${a.host}:${a.port}`;
  });
  afterAll(async () => {
    await gateway?.stop();
    await receiver.stop();
    fx.cleanup();
  });

  it('S1-5.2.2.1-a: a gateway whose key the MES does not hold is refused (SIGNATURE_INVALID) and keeps every record journaled', async () => {
    await receiver.until(() => receiver.refusals.filter((c) => c === 'SIGNATURE_INVALID').length >= 2);
    expect(receiver.stored.size).toBe(0);
    expect(receiver.refusals.every((c) => c === 'SIGNATURE_INVALID')).toBe(true);
    await until('a backlog', () => gateway.journal.stats().backlogRecords > 20);
    expect(gateway.status().forwarder).toMatchObject({ cloudReachable: true, lastError: { code: 'SIGNATURE_INVALID' } });
  });

  it('S1-5.3.8-a: with the registered Ed25519 key the signed batches are accepted; records arrive in the unified format, every seq once', async () => {
    receiver.addGateway(fx.gatewayId, fx.publicKeyPem);
    const target = gateway.journal.stats().lastSeq + 20;
    await receiver.until(() => receiver.highestSeq >= target);
    const seqs = [...receiver.stored.keys()].sort((a, b) => a - b);
    expect(seqs[0]).toBe(1);
    expect(seqs.at(-1)).toBe(seqs.length); // contiguous: nothing lost across the refusals
    const temp = [...receiver.stored.values()].find((r) => r.point === 'temperature')!;
    expect(temp).toMatchObject({ device: 'COMP-02', value: 41.5, quality: 'good', unit: 'degC' });
    expect(temp.ts).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    const energy = [...receiver.stored.values()].find((r) => r.point === 'energy')!;
    expect(energy).toMatchObject({ value: 123.456, unit: 'kWh' });
    expect([...receiver.stored.values()].find((r) => r.point === 'pressure')!.value).toBe(7.25);
    // The local alarm fired at the edge and travelled as a record like any reading.
    expect([...receiver.stored.values()].find((r) => r.point === 'alarm.HOT')).toMatchObject({ value: true, quality: 'good' });
    await until('the journal to be truncated', () => gateway.journal.stats().ackedSeq >= target);
  });

  it('S1-4.2.3: heartbeat carries the status; a newer config version is pulled; commands are written to the device and their results reported (S1-5.2.4)', async () => {
    receiver.config = { version: 3, devices: [compressor(100)] };
    receiver.queued.push(
      { id: 'cmd-1', device: 'COMP-02', point: 'speed_setpoint', value: 1800, issuedAt: new Date().toISOString() },
      { id: 'cmd-2', device: 'COMP-02', point: 'temperature', value: 1, issuedAt: new Date().toISOString() },
      { id: 'cmd-3', device: 'PRESS-09', point: 'x', value: 1, issuedAt: new Date().toISOString() },
    );
    await receiver.until(() => receiver.results.length >= 3);
    expect(modbus.holding[10]).toBe(1800);
    const byId = Object.fromEntries(receiver.results.map((r) => [r.id, r]));
    expect(byId['cmd-1']).toMatchObject({ ok: true });
    expect(byId['cmd-2']).toMatchObject({ ok: false, error: expect.stringMatching(/^NOT_WRITABLE/) });
    expect(byId['cmd-3']).toMatchObject({ ok: false, error: expect.stringMatching(/^UNKNOWN_DEVICE/) });
    await until('config version 3', () => gateway.status().configVersion === 3);
    const beat = receiver.heartbeats.at(-1)!;
    expect(beat.status).toMatchObject({ gatewayId: fx.gatewayId, devices: [{ device: 'COMP-02', protocol: 'modbus' }] });
    expect(typeof (beat.status.journal as { backlogRecords: number }).backlogRecords).toBe('number');
  });

  it('S1-5.3.8-c: /healthz, /readyz, /status and /metrics report the journal, uploads and alarms', async () => {
    expect((await getJson(`${health}/healthz`)).status).toBe(200);
    expect(await getJson(`${health}/readyz`)).toEqual({ status: 200, body: { ready: true } });
    const status = (await getJson(`${health}/status`)).body;
    expect(status.forwarder.sentSeq).toBeGreaterThan(0);
    const metrics = (await getJson(`${health}/metrics`)).body as string;
    const value = (name: string) => Number(new RegExp(`^${name} (\\d+)`, 'm').exec(metrics)?.[1]);
    expect(value('mes_edge_records_journaled_total')).toBeGreaterThan(20);
    expect(metrics).toMatch(/mes_edge_records_forwarded_total\{result="accepted"\} [1-9]/);
    expect(metrics).toMatch(/mes_edge_batches_total\{outcome="refused"\} [1-9]/);
    expect(metrics).toMatch(/mes_edge_local_alarms_total\{device="COMP-02",point="temperature",alarm="HOT",grade="major"\} 1/);
    expect(metrics).toMatch(/mes_edge_device_connected\{device="COMP-02",protocol="modbus"\} 1/);
    expect(metrics).toMatch(/^process_cpu_seconds_total/m);
  });
});

describe('gateway with the MES unreachable', () => {
  it('S1-5.3.8-c: bad input is counted per device and point in /status and /metrics; local alarms still fire and are journaled', async () => {
    const fx = gatewayFixture('gw-offline');
    const broker = await startBroker();
    const publisher = await mqtt.connectAsync(broker.url);
    const topic = 'hall/line-1/oven';
    const gateway = await Gateway.start(parseConfig({
      ...fx.config('http://127.0.0.1:1', [{
        device: 'OVEN-01', protocol: 'mqtt', connection: {},
        points: [
          { point: 'temperature', type: 'number', unit: 'degC', source: { topic, jsonPath: '$.t' } },
          { point: 'door_open', type: 'boolean', source: { topic, jsonPath: '$.door' } },
        ],
        alarms: [{ code: 'OVERHEAT', point: 'temperature', kind: 'threshold', high: 250, hysteresis: 10, grade: 'critical' }],
      }]),
      brokerUrl: broker.url,
    }), { log: silentLogger });
    try {
      const a = gateway.httpAddress()!;
      await until('the MQTT subscription', () => gateway.status().devices[0].connection === 'connected');
      // Publish until the subscription is in place (the first reading arrives).
      await until('the first reading', async () => {
        await publisher.publishAsync(topic, JSON.stringify({ t: 180, door: false }), { qos: 1 });
        return gateway.status().devices[0].readings > 0;
      });
      await publisher.publishAsync(topic, '{"t": 18', { qos: 1 });
      await publisher.publishAsync(topic, JSON.stringify({ t: 'hot', door: 'open' }), { qos: 1 });
      await publisher.publishAsync(topic, JSON.stringify({ t: 265, door: false }), { qos: 1 });
      await until('the alarm', () => gateway.status().alarms.length === 1);
      const bad = gateway.status().devices[0].badInput;
      expect(bad).toEqual(expect.arrayContaining([
        { point: 'temperature', reason: 'MALFORMED_PAYLOAD', count: 1 },
        { point: 'door_open', reason: 'MALFORMED_PAYLOAD', count: 1 },
        { point: 'temperature', reason: 'WRONG_TYPE', count: 1 },
        { point: 'door_open', reason: 'WRONG_TYPE', count: 1 },
      ]));
      expect(gateway.status().alarms[0]).toMatchObject({ device: 'OVEN-01', code: 'OVERHEAT', grade: 'critical', measured: 265 });
      await until('a failed upload', () => gateway.status().forwarder.lastError?.code === 'CLOUD_UNREACHABLE');
      expect(gateway.status().forwarder.cloudReachable).toBe(false);
      const metrics = (await getJson(`http://${a.host}:${a.port}/metrics`)).body as string;
      expect(metrics).toContain('mes_edge_bad_input_total{device="OVEN-01",point="temperature",reason="WRONG_TYPE"} 1');
      expect(metrics).toContain('mes_edge_local_alarm_active{device="OVEN-01",alarm="OVERHEAT"} 1');
      expect(metrics).toMatch(/mes_edge_cloud_reachable 0/);
      await until('the alarm record in the journal', () => gateway.journal.durableSeq >= gateway.journal.stats().lastSeq && gateway.journal.stats().lastSeq >= 3);
      const journaled = gateway.journal.read(0, 100)!.payloads.map((p) => JSON.parse(p.toString()));
      expect(journaled).toContainEqual(expect.objectContaining({ device: 'OVEN-01', point: 'alarm.OVERHEAT', value: true, quality: 'good' }));
    } finally {
      await gateway.stop();
      await publisher.endAsync();
      await broker.close();
      fx.cleanup();
    }
  });
});

describe('TLS to the MES', () => {
  it('S1-5.3.8-a: uploads over https trusting a private CA from tls.caFile; without it the certificate is refused', async () => {
    const fx = gatewayFixture('gw-tls');
    // A certificate for 127.0.0.1 that no public CA signed: the plant's private PKI.
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '1',
      '-keyout', join(fx.dir, 'tls.key'), '-out', join(fx.dir, 'ca.pem'), '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
    const receiver = new TestReceiver({ key: readFileSync(join(fx.dir, 'tls.key'), 'utf8'), cert: readFileSync(join(fx.dir, 'ca.pem'), 'utf8') });
    await receiver.start();
    receiver.addGateway(fx.gatewayId, fx.publicKeyPem);
    const untrusting = await Gateway.start(parseConfig(fx.config(receiver.url, [compressor(20)])), { log: silentLogger });
    try {
      await until('a refused certificate', () => untrusting.status().forwarder.lastError);
      expect(untrusting.status().forwarder.lastError).toMatchObject({ code: 'CLOUD_UNREACHABLE', message: expect.stringMatching(/self[- ]signed/i) });
      expect(receiver.stored.size).toBe(0);
    } finally {
      await untrusting.stop();
    }
    const gateway = await Gateway.start(parseConfig({ ...fx.config(receiver.url, [compressor(20)]), tls: { caFile: join(fx.dir, 'ca.pem') } }), { log: silentLogger });
    try {
      await receiver.until(() => receiver.stored.size >= 10);
      expect([...receiver.stored.keys()].sort((a, b) => a - b).slice(0, 3)).toEqual([1, 2, 3]);
    } finally {
      await gateway.stop();
      await receiver.stop();
      fx.cleanup();
    }
  });
});

describe('fault: MES down and the gateway killed with -9 mid-buffer', () => {
  it('S1-5.3.8-c: 0 readings lost and 0 duplicated at the MES, counted by seq', async () => {
    const fx = gatewayFixture('gw-fault');
    const receiver = new TestReceiver();
    await receiver.start();
    receiver.addGateway(fx.gatewayId, fx.publicKeyPem);
    const configFile = fx.writeConfig(fx.config(receiver.url, [compressor(5)], { fsync: 'batch', forward: { lingerMs: 20, minBackoffMs: 50, maxBackoffMs: 200, maxBatch: 100, timeoutMs: 5000 } }));
    let child = await startGateway(configFile);
    try {
      await receiver.until(() => receiver.stored.size >= 100);
      await receiver.stop(); // the MES goes away
      await until('a backlog', async () => (await child.status()).journal.backlogRecords >= 300);
      child.process.kill('SIGKILL');
      await child.exited;
      child = await startGateway(configFile); // restarted while the MES is still down
      await until('more records after the restart', async () => (await child.status()).journal.backlogRecords >= 500);
      const okBefore = receiver.batchesOk;
      await receiver.start();
      await receiver.until(() => receiver.batchesOk >= okBefore + 2);
      child.process.kill('SIGKILL'); // killed again in the middle of the replay
      await child.exited;
      // The last run has no devices: it only drains the journal, so the count below is exact.
      child = await startGateway(fx.writeConfig(fx.config(receiver.url, [], { forward: { lingerMs: 0, minBackoffMs: 50, maxBackoffMs: 200, maxBatch: 100, timeoutMs: 5000 } })));
      const last = (await child.status()).journal.lastSeq;
      await receiver.until(() => receiver.highestSeq >= last);
      child.process.kill('SIGTERM');
      await child.exited;
      const journal = Journal.open({ dir: join(fx.dir, 'journal'), fsync: 'always' });
      const finalSeq = journal.stats().lastSeq;
      journal.close();
      expect(finalSeq).toBe(last);
      expect(last).toBeGreaterThanOrEqual(500);
      const stored = [...receiver.stored.keys()].sort((a, b) => a - b);
      expect(stored.length).toBe(finalSeq); // 0 lost
      expect(stored.every((s, i) => s === i + 1)).toBe(true); // each seq 1..last exactly once: 0 duplicated
      expect(receiver.received - receiver.duplicates).toBe(finalSeq);
      console.log(`fault test: ${finalSeq} records journaled and stored, ${receiver.duplicates} resent duplicates removed by seq`);
    } finally {
      if (child.process.exitCode === null) child.process.kill('SIGKILL');
      await receiver.stop();
      fx.cleanup();
    }
  });
});

interface ChildGateway {
  process: ChildProcess;
  exited: Promise<void>;
  status(): Promise<{ journal: { backlogRecords: number; lastSeq: number } }>;
}

async function startGateway(configFile: string): Promise<ChildGateway> {
  const child = spawn(process.execPath, [join(import.meta.dirname, 'support/gateway-runner.mjs'), configFile], { stdio: ['ignore', 'pipe', 'inherit'] });
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
  return {
    process: child,
    exited,
    status: async () => (await getJson(`http://${address.host}:${address.port}/status`)).body,
  };
}
