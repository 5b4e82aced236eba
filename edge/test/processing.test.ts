import { createHash, generateKeyPairSync, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signatureHeaders } from '../src/forward/signing.js';
import type { DeviceConfig } from '../src/config.js';
import { parseConfig } from '../src/config.js';
import { decodeRegisters, encodeRegisters } from '../src/drivers/modbus-codec.js';
import { extract } from '../src/drivers/mqtt.js';
import { topicMatches } from '../src/drivers/mqtt-connect.js';
import { AlarmEvaluator } from '../src/processing/alarms.js';
import { WindowAggregate } from '../src/processing/aggregate.js';
import { PointFilter } from '../src/processing/filter.js';
import { DevicePipeline } from '../src/processing/pipeline.js';
import { MachineState } from '../src/processing/state.js';
import { convert } from '../src/processing/units.js';
import type { Reading } from '../src/record.js';

const T0 = Date.parse('2026-01-01T00:00:00.000Z');

describe('edge processing (S1-5.3.8-c)', () => {
  it('S1-5.3.8-c: absolute and percent deadband, minimum sampling interval, quality changes always pass', () => {
    const abs = new PointFilter({ deadband: 0.5 });
    expect([10, 10.4, 10.6, 10.2, 10.2].map((v, i) => abs.pass(v, 'good', T0 + i))).toEqual([true, false, true, false, false]);
    expect(abs.pass(10.2, 'bad', T0 + 9)).toBe(true);
    const pct = new PointFilter({ deadband: { percent: 10 } });
    expect([100, 109, 111, 101, 125].map((v, i) => pct.pass(v, 'good', T0 + i))).toEqual([true, false, true, false, true]);
    const sampled = new PointFilter({ sampleMs: 1000 });
    expect([0, 400, 999, 1000, 1500, 2100].map((t, i) => sampled.pass(i, 'good', T0 + t))).toEqual([true, false, false, true, false, true]);
    const text = new PointFilter({ deadband: { absolute: 0 } });
    expect(['run', 'run', 'idle'].map((v, i) => text.pass(v, 'good', T0 + i))).toEqual([true, true, true]);
    const changed = new PointFilter({ deadband: 1 });
    expect(['run', 'run', 'idle'].map((v, i) => changed.pass(v, 'good', T0 + i))).toEqual([true, false, true]);
  });

  it('S1-5.3.8-c: unit conversion between units of one dimension', () => {
    expect(convert(212, 'degF', 'degC')).toBeCloseTo(100, 9);
    expect(convert(0, 'degC', 'K')).toBeCloseTo(273.15, 9);
    expect(convert(1500, 'Wh', 'kWh')).toBeCloseTo(1.5, 12);
    expect(convert(1, 'bar', 'psi')).toBeCloseTo(14.5038, 4);
    expect(convert(120, 'rpm', 'Hz')).toBeCloseTo(2, 12);
  });

  it('S1-5.3.8-c: tumbling-window min/max/avg/count, closed by a later sample or by the clock', () => {
    const w = new WindowAggregate(1000);
    expect(w.add(4, T0 + 100)).toBeUndefined();
    expect(w.add(8, T0 + 900)).toBeUndefined();
    expect(w.add(6, T0 + 950)).toBeUndefined();
    expect(w.add(1, T0 + 1200)).toEqual({ startMs: T0, values: { min: 4, max: 8, avg: 6, count: 3 } });
    expect(w.tick(T0 + 1999)).toBeUndefined();
    expect(w.tick(T0 + 2000)).toEqual({ startMs: T0 + 1000, values: { min: 1, max: 1, avg: 1, count: 1 } });
    expect(w.tick(T0 + 5000)).toBeUndefined();
  });

  it('S1-5.3.8-c: machine state from signals by ordered rules (run / idle / down / setup)', () => {
    const s = new MachineState({
      rules: [
        { state: 'down', when: { point: 'fault', op: '==', value: true } },
        { state: 'setup', when: { point: 'mode', op: '==', value: 'setup' } },
        { state: 'run', when: { all: [{ point: 'speed', op: '>', value: 0 }, { any: [{ point: 'door', op: '==', value: 'closed' }, { point: 'override', op: '==', value: true }] }] } },
      ],
    });
    const at = (o: Record<string, string | number | boolean>) => s.evaluate(new Map(Object.entries(o)));
    expect(at({ speed: 0, door: 'closed' })).toBe('idle');
    expect(at({ speed: 0, door: 'closed' })).toBeUndefined();
    expect(at({ speed: 900, door: 'closed' })).toBe('run');
    expect(at({ speed: 900, door: 'open', mode: 'setup' })).toBe('setup');
    expect(at({ speed: 900, door: 'closed', fault: true })).toBe('down');
  });

  it('S1-5.3.8-c: threshold alarm with hysteresis does not flap; rate-of-change alarm over a window', () => {
    const t = new AlarmEvaluator({ code: 'HOT', point: 'temp', kind: 'threshold', high: 80, hysteresis: 2 });
    const seq = [79, 81, 79.5, 80.5, 77.9, 81].map((v, i) => t.update(v, T0 + i)?.active);
    expect(seq).toEqual([undefined, true, undefined, undefined, false, true]);
    const low = new AlarmEvaluator({ code: 'LOW', point: 'p', kind: 'threshold', low: 5, hysteresis: 1 });
    expect([6, 4.9, 5.5, 6.1].map((v, i) => low.update(v, T0 + i)?.active)).toEqual([undefined, true, undefined, false]);
    const r = new AlarmEvaluator({ code: 'RISE', point: 'p', kind: 'rate', windowMs: 10_000, maxPerMinute: 6 });
    expect(r.update(100, T0)).toBeUndefined();
    expect(r.update(100.5, T0 + 5000)).toBeUndefined(); // 6/min: not above
    const fired = r.update(102, T0 + 10_000); // 12/min
    expect(fired).toMatchObject({ code: 'RISE', active: true });
    expect(fired!.measured).toBeCloseTo(12, 9);
    expect(r.update(102, T0 + 40_000)?.active).toBe(false);
  });

  it('S1-5.3.8-b: the pipeline turns raw readings into unified records and counts wrong types and unknown points', () => {
    const records: Reading[] = [];
    const bad: string[] = [];
    const alarms: string[] = [];
    const device: DeviceConfig = {
      device: 'M1', protocol: 'mqtt', connection: {},
      points: [
        { point: 'temp', type: 'number', unit: 'degC', rawUnit: 'degF', source: { topic: 't' }, deadband: 1, aggregate: { windowMs: 1000, functions: ['max', 'count'] } },
        { point: 'energy', type: 'number', unit: 'kWh', scale: { factor: 0.001 }, source: { topic: 't' } },
        { point: 'speed', type: 'number', source: { topic: 't' } },
      ],
      state: { rules: [{ state: 'run', when: { point: 'speed', op: '>', value: 0 } }] },
      alarms: [{ code: 'HOT', point: 'temp', kind: 'threshold', high: 90, hysteresis: 5, grade: 'major' }],
    };
    const p = new DevicePipeline(device, {
      records: (r) => records.push(...r),
      badInput: (point, reason) => bad.push(`${point}:${reason}`),
      alarm: (point, c) => alarms.push(`${point}:${c.code}:${c.active}`),
    });
    p.ingest('temp', 212, T0);
    p.ingest('temp', 212.5, T0 + 10); // within the 1 °C deadband after conversion
    p.ingest('energy', 1500, T0 + 20);
    p.ingest('speed', 'fast', T0 + 30);
    p.ingest('nope', 1, T0 + 40);
    p.ingest('speed', 10, T0 + 50);
    p.ingest('temp', 32, T0 + 1100); // closes the first window
    expect(bad).toEqual(['speed:WRONG_TYPE', 'nope:UNKNOWN_POINT']);
    expect(alarms).toEqual(['temp:HOT:true', 'temp:HOT:false']);
    const simple = records.map((r) => `${r.point}=${typeof r.value === 'number' ? Math.round(r.value * 1000) / 1000 : r.value}@${r.ts.slice(17)}${r.unit ? ` ${r.unit}` : ''}`);
    expect(simple).toEqual([
      'temp=100@00.000Z degC',
      'alarm.HOT=true@00.000Z',
      'state=idle@00.000Z',
      'energy=1.5@00.020Z kWh',
      'speed=10@00.050Z',
      'state=run@00.050Z',
      'temp=0@01.100Z degC',
      'temp.max=100.278@00.000Z degC',
      'temp.count=2@00.000Z',
      'alarm.HOT=false@01.100Z',
    ]);
    expect(records[0]).toEqual({ device: 'M1', point: 'temp', ts: '2026-01-01T00:00:00.000Z', value: 100, quality: 'good', unit: 'degC' });
  });
});

describe('protocol helpers (S1-5.3.8-b)', () => {
  it('S1-5.3.8-b: Modbus int16/uint16/int32/uint32/float32 with byte and word order round-trip', () => {
    expect(decodeRegisters([0xffff], 'int16')).toBe(-1);
    expect(decodeRegisters([0xffff], 'uint16')).toBe(65535);
    expect(decodeRegisters([0x0001, 0x0002], 'uint32')).toBe(65538);
    expect(decodeRegisters([0x0002, 0x0001], 'uint32', 'big', 'little')).toBe(65538);
    expect(decodeRegisters([0x0100, 0x0200], 'uint32', 'little', 'big')).toBe(65538);
    expect(decodeRegisters([0xfffe, 0xffff], 'int32', 'big', 'little')).toBe(-2);
    expect(decodeRegisters([0x4049, 0x0fdb], 'float32')).toBeCloseTo(3.14159, 5);
    for (const [v, type] of [[-1234, 'int16'], [54321, 'uint16'], [-7654321, 'int32'], [4000000000, 'uint32'], [7.25, 'float32']] as const) {
      for (const bo of ['big', 'little'] as const) {
        for (const wo of ['big', 'little'] as const) expect(decodeRegisters(encodeRegisters(v, type, bo, wo), type, bo, wo)).toBe(v);
      }
    }
    expect(() => encodeRegisters(70000, 'uint16')).toThrow(RangeError);
  });

  it('S1-5.3.8-b: JSON paths and MQTT topic filters', () => {
    const doc = { a: { b: [{ c: 5 }] }, 'x-y': { z: true } };
    expect(extract(doc, '$.a.b[0].c')).toBe(5);
    expect(extract(doc, "$['x-y'].z")).toBe(true);
    expect(extract(doc, '$.a.q')).toBeUndefined();
    expect(extract(7, '$')).toBe(7);
    expect(topicMatches('plant/+/telemetry', 'plant/cnc/telemetry')).toBe(true);
    expect(topicMatches('plant/#', 'plant/cnc/telemetry')).toBe(true);
    expect(topicMatches('plant/+', 'plant/cnc/telemetry')).toBe(false);
  });

  it('S1-5.2.2.1-a: the signature is Ed25519 over the contract\'s string, checkable with nothing but node:crypto', () => {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const body = Buffer.from('{"batchSeq":7,"records":[]}');
    const at = new Date('2026-03-01T08:00:00.123Z');
    const h = signatureHeaders(privateKey, '8d3c1f7e-3a4b-4c5d-9e8f-0a1b2c3d4e5f.gw-1', body, at);
    expect(h['x-mes-gateway']).toBe('8d3c1f7e-3a4b-4c5d-9e8f-0a1b2c3d4e5f.gw-1');
    expect(h['x-mes-timestamp']).toBe('2026-03-01T08:00:00.123Z');
    const signed = `mes-telemetry-v1\n8d3c1f7e-3a4b-4c5d-9e8f-0a1b2c3d4e5f.gw-1\n2026-03-01T08:00:00.123Z\n${createHash('sha256').update(body).digest('hex')}`;
    const sig = Buffer.from(h['x-mes-signature'].replace(/^ed25519=/, ''), 'base64url');
    expect(verify(null, Buffer.from(signed, 'utf8'), publicKey, sig)).toBe(true);
    expect(verify(null, Buffer.from(signed.replace('gw-1', 'gw-2'), 'utf8'), publicKey, sig)).toBe(false);
  });

  it('S1-4.2.3: the config is checked as a whole and every problem is named', () => {
    expect(() => parseConfig({
      gatewayId: 'nope', cloudUrl: 'ftp://x', fsync: 'sometimes',
      devices: [
        { device: 'A', protocol: 'carrier-pigeon', points: [] },
        { device: 'B', protocol: 'modbus', connection: {}, points: [{ point: 'p', type: 'number', source: { area: 'coil', address: 70000 } }] },
      ],
    })).toThrow(/gatewayId.*cloudUrl.*fsync.*devices\[0\]\.protocol.*devices\[1\]\.connection\.host.*devices\[1\]\.points\[0\]\.source\.address.*devices\[1\]\.points\[0\]\.type/);
    const ok = parseConfig({ gatewayId: '8d3c1f7e-3a4b-4c5d-9e8f-0a1b2c3d4e5f.gw-1', cloudUrl: 'https://mes.example/', devices: [] });
    expect(ok).toMatchObject({ fsync: 'batch', httpPort: 9464, keyFile: '/etc/mes-edge/keys/gateway.pem', journalDir: '/var/lib/mes-edge/journal', dataDir: '/var/lib/mes-edge', cloudUrl: 'https://mes.example' });
  });
});
