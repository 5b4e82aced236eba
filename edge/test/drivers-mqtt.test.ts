import { randomUUID } from 'node:crypto';
import mqtt from 'mqtt';
import sparkplug from 'sparkplug-payload';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeviceConfig } from '../src/config.js';
import { mqttDriver } from '../src/drivers/mqtt.js';
import { sparkplugDriver } from '../src/drivers/sparkplug.js';
import { startBroker, type EmbeddedBroker } from '../src/simulators/broker.js';
import { startJsonCnc, startSparkplugCompressor } from '../src/simulators/mqtt-publishers.js';
import { recordingContext } from './support/context.js';

const codec = sparkplug.get('spBv1.0')!;
let aedes: EmbeddedBroker;
beforeAll(async () => {
  aedes = await startBroker();
});
afterAll(async () => {
  await aedes.close();
});

// Every test runs on the embedded broker (aedes) and on the machine's Mosquitto.
const brokers = [
  { name: 'aedes', url: () => aedes.url },
  { name: 'mosquitto', url: () => 'mqtt://127.0.0.1:1883' },
];

describe.each(brokers)('MQTT drivers on $name', ({ url }) => {
  it('S2-5.2.1: MQTT/JSON: values by JSON path with the device timestamp; malformed payloads and missing values counted per point', async () => {
    const prefix = `mes-test-${randomUUID().slice(0, 8)}`;
    const topic = `${prefix}/cnc-01/telemetry`;
    const device: DeviceConfig = {
      device: 'CNC-01', protocol: 'mqtt', connection: {},
      points: [
        { point: 'spindle_speed', type: 'number', source: { topic, jsonPath: '$.spindle.speed', tsPath: '$.ts' } },
        { point: 'temperature', type: 'number', source: { topic: `${prefix}/+/telemetry`, jsonPath: '$.temperature.value', tsPath: '$.ts' } },
      ],
    };
    const r = recordingContext(device, { brokerUrl: url() });
    const driver = mqttDriver.create(r.ctx);
    await driver.start();
    const cnc = await startJsonCnc(url(), { prefix });
    const raw = await mqtt.connectAsync(url());
    try {
      await r.until(() => r.states.includes('connected'));
      // The subscription is made on connect; publish until the first reading shows it is in place.
      await r.until(() => {
        if (r.readings.length === 0) void cnc.publishOnce();
        return r.readings.length >= 2;
      });
      const speed = r.readings.find((x) => x.point === 'spindle_speed')!;
      expect(typeof speed.value).toBe('number');
      expect(Math.abs(speed.tsMs! - Date.now())).toBeLessThan(5000);
      expect(r.readings.find((x) => x.point === 'temperature')!.value).toBeGreaterThan(20);
      await raw.publishAsync(topic, 'this is not JSON', { qos: 1 });
      await raw.publishAsync(topic, JSON.stringify({ ts: new Date().toISOString(), spindle: {} }), { qos: 1 });
      await r.until(() => r.bad.length >= 4);
      expect(r.bad.map((b) => `${b.point}:${b.reason}`).sort()).toEqual([
        'spindle_speed:MALFORMED_PAYLOAD', 'spindle_speed:MISSING_VALUE', 'temperature:MALFORMED_PAYLOAD', 'temperature:MISSING_VALUE',
      ]);
    } finally {
      await raw.endAsync();
      await cnc.close();
      await driver.stop();
    }
  });

  it('S2-5.2.1: Sparkplug B: births give aliases, DDATA by alias, seq gap and unknown alias ask for a rebirth, DDEATH and NDEATH (by bdSeq) mark values bad', async () => {
    const group = `mes-test-${randomUUID().slice(0, 8)}`;
    const device: DeviceConfig = {
      device: 'COMP-01', protocol: 'sparkplug', connection: { groupId: group, edgeNode: 'compressor-node', deviceId: 'compressor-01' },
      // Energy is left out on purpose: a metric the point map does not know.
      points: [
        { point: 'pressure', type: 'number', source: { metric: 'Pressure' } },
        { point: 'running', type: 'boolean', source: { metric: 'Motor/Running' } },
      ],
    };
    const r = recordingContext(device, { brokerUrl: url() });
    const driver = sparkplugDriver.create(r.ctx);
    await driver.start();
    await r.until(() => r.states.includes('connected'));
    const comp = await startSparkplugCompressor(url(), { group });
    const raw = await mqtt.connectAsync(url());
    try {
      await r.until(() => r.readings.length >= 2, 'the DBIRTH values');
      expect(r.readings.slice(0, 2).map((x) => x.point)).toEqual(['pressure', 'running']);
      expect(r.bad).toContainEqual(expect.objectContaining({ point: 'Energy', reason: 'UNKNOWN_POINT' }));
      const before = r.readings.length;
      await comp.publishOnce(); // DDATA with aliases only
      await r.until(() => r.readings.length >= before + 2, 'DDATA values');
      expect(typeof r.readings.at(-2)!.value).toBe('number');
      expect(typeof r.readings.at(-1)!.value).toBe('boolean');

      const births = comp.births;
      comp.skipSeq();
      await comp.publishOnce();
      await r.until(() => comp.births > births && r.bad.some((b) => b.reason === 'SEQ_GAP'), 'a rebirth after the seq gap');
      expect(r.bad.find((b) => b.reason === 'SEQ_GAP')!.detail).toMatch(/expected/);

      const births2 = comp.births;
      await comp.sendUnknownAlias();
      await r.until(() => r.bad.some((b) => b.point === 'alias:99') && comp.births > births2, 'the unknown alias and its rebirth');
      await r.until(() => r.readings.length >= 2 && r.readings.at(-1)!.point === 'running', 'the DBIRTH values');

      // DDEATH: the device's last values are no longer current.
      const d = r.readings.length;
      await comp.deviceDeath();
      await r.until(() => r.readings.length >= d + 2, 'stale values after DDEATH');
      expect(r.readings.slice(d).map((x) => `${x.point}:${x.quality}`)).toEqual(['pressure:bad', 'running:bad']);

      // An NDEATH of an older session (another bdSeq) is ignored; the current one marks values bad.
      const death = (bdSeq: number) => raw.publishAsync(`spBv1.0/${group}/NDEATH/compressor-node`, Buffer.from(codec.encodePayload({ timestamp: Date.now(), metrics: [{ name: 'bdSeq', type: 'UInt64', value: bdSeq }] })));
      const n = r.readings.length;
      await death((comp.bdSeq + 1) % 256);
      await death(comp.bdSeq);
      await r.until(() => r.readings.length >= n + 2, 'stale values after NDEATH');
      expect(r.readings.slice(n).map((x) => `${x.point}:${x.quality}`)).toEqual(['pressure:bad', 'running:bad']);
    } finally {
      await raw.endAsync();
      await comp.close();
      await driver.stop();
    }
  });
});
