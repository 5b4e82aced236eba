/**
 * Gateway → server end to end through the machine's real Mosquitto (127.0.0.1:1883, left running
 * as it is): a simulated CNC publishes JSON on its own topic, the real @mes/edge gateway subscribes,
 * converts to the unified record format and uploads signed batches; the server stores every record
 * once (S1-6.1-h data collection from devices with interfaces, S1-5.3.8-b one format).
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createKeyFile, Gateway, parseConfig, silentLogger, startJsonCnc } from '@mes/edge';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { equipmentTenant, type EquipmentTenant } from './equipment-setup.js';
import { startTestServer, type TestServer } from './harness.js';
import { waitFor } from './util.js';
import { budget } from '../../vitest.shared.js';

const MOSQUITTO = 'mqtt://127.0.0.1:1883';
let t: TestServer;
let T: EquipmentTenant;
const cleanups: (() => unknown)[] = [];

beforeAll(async () => {
  t = await startTestServer();
  T = await equipmentTenant(t, 'mqtt-e2e');
}, budget(120_000));
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
  await t?.stop();
});

describe('gateway to server through Mosquitto', () => {
  it('S1-6.1-h S1-5.3.8-b: JSON published on Mosquitto reaches status through the gateway as signed batches; every seq stored once', async () => {
    const prefix = `mes-e2e-${randomUUID().slice(0, 8)}`;
    const dir = mkdtempSync(join(tmpdir(), 'mes-eq-mqtt-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const keyFile = join(dir, 'gateway.pem');
    const gw = await T.make('/v1/gateways', { code: 'gw-mqtt', name: 'MQTT gateway', publicKey: createKeyFile(keyFile).publicKeyPem });
    const cnc = await T.make('/v1/equipment', {
      code: 'CNC-MQ', name: 'CNC on MQTT', workshopId: T.workshop.id, gatewayId: gw.id, energyPoint: 'energy',
      points: [
        { point: 'state', type: 'string' }, { point: 'spindle_speed', type: 'number', unit: 'rpm' },
        { point: 'temperature', type: 'number', unit: 'degC', min: 0, max: 200 }, { point: 'energy', type: 'number', unit: 'kWh' },
      ],
    });
    const topic = `${prefix}/cnc-01/telemetry`;
    const source = (jsonPath: string) => ({ topic, jsonPath, tsPath: '$.ts' });
    const config = parseConfig({
      gatewayId: `${T.id}.gw-mqtt`, cloudUrl: t.url, keyFile, journalDir: join(dir, 'journal'), httpPort: 0, httpHost: '127.0.0.1', heartbeatMs: 200, brokerUrl: MOSQUITTO,
      forward: { lingerMs: 20, minBackoffMs: 50, maxBackoffMs: 300, timeoutMs: 5000 },
      devices: [{
        device: 'CNC-MQ', protocol: 'mqtt', connection: {},
        points: [
          { point: 'state', type: 'string', source: source('$.state') }, { point: 'spindle_speed', type: 'number', unit: 'rpm', source: source('$.spindle.speed') },
          { point: 'temperature', type: 'number', unit: 'degC', source: source('$.temperature.value') }, { point: 'energy', type: 'number', unit: 'kWh', source: source('$.energy') },
        ],
      }],
    });
    const gateway = await Gateway.start(config, { log: silentLogger });
    cleanups.push(() => gateway.stop());
    const publisher = await startJsonCnc(MOSQUITTO, { prefix, intervalMs: 50 });
    cleanups.push(() => publisher.close());
    await waitFor('60 records stored', async () => (await T.as('GET', `/v1/gateways/${gw.id}`)).body.highestSeq >= 60, 30_000);
    await publisher.close();
    const status = (await T.as('GET', `/v1/equipment/${cnc.id}/status`)).body;
    expect(status.readings.map((r: any) => r.point)).toEqual(['energy', 'spindle_speed', 'state', 'temperature']);
    expect(status.readings.find((r: any) => r.point === 'temperature')).toMatchObject({ unit: 'degC', quality: 'good' });
    expect(['run', 'idle', 'down', 'setup']).toContain(status.state);
    await gateway.stop();
    // Stopped gracefully: everything the journal held went up; 0 lost, 0 duplicated, by seq.
    const last = (await T.as('GET', `/v1/gateways/${gw.id}`)).body.highestSeq as number;
    const seqs = await t.server.built.ctx.db.asOwner(async (sql) =>
      (await sql.query<{ seq: string }>('SELECT seq FROM telemetry_readings WHERE gateway_id = $1 ORDER BY seq', [gw.id])).rows.map((r) => Number(r.seq)));
    expect(seqs.length).toBe(last);
    expect(seqs.every((s, i) => s === i + 1)).toBe(true);
    const rejected = (await T.as('GET', `/v1/gateways/${gw.id}`)).body.rejections;
    expect(rejected).toEqual([]);
  }, budget(90_000));
});
