import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeviceConfig } from '../src/config.js';
import { modbusDriver } from '../src/drivers/modbus.js';
import { opcuaDriver } from '../src/drivers/opcua.js';
import { MODBUS_MAP, startModbusSimulator, type ModbusSimulator } from '../src/simulators/modbus-server.js';
import { startOpcuaSimulator, type OpcuaSimulator } from '../src/simulators/opcua-server.js';
import { recordingContext } from './support/context.js';

const dir = mkdtempSync(join(tmpdir(), 'mes-edge-drivers-'));
/** The simulator's PKI is kept between runs: making its certificates costs seconds of CPU. */
const SIM_PKI = join(tmpdir(), 'mes-edge-test-opcua-simulator');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('Modbus TCP driver', () => {
  let sim: ModbusSimulator;
  beforeAll(async () => {
    sim = await startModbusSimulator();
    sim.freeze({ temperature: -12.3, energyWh: 3_000_000_123, pressure: 6.5, running: true });
  });
  afterAll(() => sim.close());

  it('S2-5.2.1: polls input and holding registers, coils and discrete inputs with types and word order; writes registers and coils (S1-5.2.4)', async () => {
    const device: DeviceConfig = {
      device: 'COMP-02', protocol: 'modbus', connection: { host: '127.0.0.1', port: sim.port, pollMs: 20 },
      points: [
        { point: 'temperature', type: 'number', source: { ...MODBUS_MAP.temperature } },
        { point: 'energy', type: 'number', source: { ...MODBUS_MAP.energy } },
        { point: 'pressure', type: 'number', source: { ...MODBUS_MAP.pressure } },
        { point: 'pressure_wrong_order', type: 'number', source: { ...MODBUS_MAP.pressure, wordOrder: 'big' } },
        { point: 'setpoint', type: 'number', source: { ...MODBUS_MAP.setpoint }, writable: true, scale: { factor: 2 } },
        { point: 'motor_on', type: 'boolean', source: { ...MODBUS_MAP.motorOn }, writable: true },
        { point: 'running', type: 'boolean', source: { ...MODBUS_MAP.running } },
        { point: 'beyond_the_map', type: 'number', source: { area: 'holding', address: 200 } },
      ],
    };
    expect(modbusDriver.validate(device)).toEqual([]);
    const r = recordingContext(device);
    const driver = modbusDriver.create(r.ctx);
    await driver.start();
    try {
      await r.until(() => r.readings.length >= 7 && r.bad.length >= 1);
      const first = Object.fromEntries(r.readings.slice(0, 7).map((x) => [x.point, x.value]));
      expect(first.temperature).toBe(-123); // int16 ×10 in the register; scaling is the pipeline's job
      expect(first.energy).toBe(3_000_000_123); // uint32 over two registers
      expect(first.pressure).toBe(6.5); // float32, low word first
      expect(first.pressure_wrong_order).not.toBe(6.5);
      expect(first.setpoint).toBe(1500);
      expect(first.motor_on).toBe(true);
      expect(first.running).toBe(true);
      expect(r.bad[0]).toMatchObject({ point: 'beyond_the_map', reason: 'READ_FAILED' });

      await driver.write!(device.points[4], 3600); // 3600 rpm at factor 2 = register 1800
      await driver.write!(device.points[5], false);
      expect(sim.holding[10]).toBe(1800);
      expect(sim.coils[0]).toBe(false);
      await expect(driver.write!(device.points[5], 1)).rejects.toThrow(/true or false/);
    } finally {
      await driver.stop();
    }
  });

  it('S1-5.3.8-a: a device that is down is retried until it answers again; the connection state says so', async () => {
    const late = await startModbusSimulator();
    const port = late.port;
    await late.close(); // the device is switched off
    const device: DeviceConfig = {
      device: 'LATE', protocol: 'modbus', connection: { host: '127.0.0.1', port, pollMs: 20, timeoutMs: 200 },
      points: [{ point: 'setpoint', type: 'number', source: { ...MODBUS_MAP.setpoint } }],
    };
    const r = recordingContext(device);
    const driver = modbusDriver.create(r.ctx);
    await driver.start();
    const back = { sim: undefined as ModbusSimulator | undefined };
    try {
      await r.until(() => r.states.filter((s) => s === 'disconnected').length >= 2, 'two failed attempts');
      expect(r.readings).toEqual([]);
      back.sim = await startModbusSimulator({ port }); // switched on again
      await r.until(() => r.readings.length > 0, 'a reading after the device is back');
      expect(r.readings[0]).toMatchObject({ point: 'setpoint', value: 1500 });
      expect(r.states.at(-1)).toBe('connected');
    } finally {
      await driver.stop();
      await back.sim?.close();
    }
  });
});

describe('OPC UA driver', () => {
  let sim: OpcuaSimulator;
  beforeAll(async () => {
    sim = await startOpcuaSimulator({ pkiDir: SIM_PKI, user: { name: 'edge', password: 's3cret' }, allowAnonymous: false });
  });
  afterAll(() => sim.close());

  it('S1-5.3.8-a: SignAndEncrypt with the gateway\'s own certificate and a user/password: subscribed values arrive; the setpoint is written (S1-5.2.4)', async () => {
    const device: DeviceConfig = {
      device: 'CNC-02', protocol: 'opcua',
      connection: { endpointUrl: sim.endpointUrl, securityMode: 'SignAndEncrypt', username: 'edge', password: 's3cret', acceptUnknownCertificate: true, publishingIntervalMs: 100 },
      points: [
        { point: 'temperature', type: 'number', source: { nodeId: sim.nodes.temperature, samplingMs: 50 } },
        { point: 'state', type: 'string', source: { nodeId: sim.nodes.state } },
        { point: 'energy', type: 'number', source: { nodeId: sim.nodes.energy } },
        { point: 'setpoint', type: 'number', source: { nodeId: sim.nodes.setpoint }, writable: true },
        { point: 'missing', type: 'number', source: { nodeId: 'ns=1;s=CNC1.NoSuchNode' } },
      ],
    };
    const r = recordingContext(device, { dataDir: join(dir, 'gateway') });
    const driver = opcuaDriver.create(r.ctx);
    await driver.start();
    try {
      await r.until(() => ['temperature', 'state', 'energy', 'setpoint'].every((p) => r.readings.some((x) => x.point === p)), 'a value of every node', 30_000);
      const temp = r.readings.find((x) => x.point === 'temperature')!;
      expect(typeof temp.value).toBe('number');
      expect(temp.quality).toBe('good');
      expect(['run', 'idle', 'setup', 'down']).toContain(r.readings.find((x) => x.point === 'state')!.value);
      expect(r.readings.find((x) => x.point === 'setpoint')!.value).toBe(8000);
      // The unknown node answers with a bad status: counted or delivered as bad quality, never a crash.
      await r.until(() => r.bad.some((b) => b.point === 'missing') || r.readings.some((x) => x.point === 'missing' && x.quality === 'bad'), 'the unknown node');
      await driver.write!(device.points[3], 9100);
      expect(sim.setpoint()).toBe(9100);
      await r.until(() => r.readings.some((x) => x.point === 'setpoint' && x.value === 9100), 'the written setpoint back');
      // The gateway created and kept its application certificate under its data dir.
      expect(readdirSync(join(dir, 'gateway', 'pki', 'opcua', 'own', 'certs')).some((f) => f.endsWith('.pem'))).toBe(true);
    } finally {
      await driver.stop();
    }
  });

  it('S1-5.3.8-a: a wrong password never connects and never reports a value', async () => {
    const device: DeviceConfig = {
      device: 'CNC-03', protocol: 'opcua',
      connection: { endpointUrl: sim.endpointUrl, securityMode: 'Sign', username: 'edge', password: 'wrong', acceptUnknownCertificate: true },
      points: [{ point: 'temperature', type: 'number', source: { nodeId: sim.nodes.temperature } }],
    };
    const r = recordingContext(device, { dataDir: join(dir, 'gateway') });
    const driver = opcuaDriver.create(r.ctx);
    await driver.start();
    try {
      await r.until(() => r.states.at(-1) === 'disconnected', 'the refusal');
      expect(r.states).not.toContain('connected');
      expect(r.readings).toEqual([]);
    } finally {
      await driver.stop();
    }
  });

  it('S1-5.3.8-a: after the OPC UA server restarts, the client reconnects and its monitored items report again', async () => {
    const port = Number(new URL(sim.endpointUrl.replace('opc.tcp', 'http')).port);
    const device: DeviceConfig = {
      device: 'CNC-04', protocol: 'opcua', connection: { endpointUrl: sim.endpointUrl, username: 'edge', password: 's3cret', publishingIntervalMs: 100 },
      points: [{ point: 'setpoint', type: 'number', source: { nodeId: sim.nodes.setpoint, samplingMs: 100 } }],
    };
    const r = recordingContext(device, { dataDir: join(dir, 'gateway') });
    const driver = opcuaDriver.create(r.ctx);
    await driver.start();
    try {
      await r.until(() => r.readings.length > 0, 'the first value');
      await sim.close();
      await r.until(() => r.states.at(-1) !== 'connected', 'the lost connection');
      sim = await startOpcuaSimulator({ pkiDir: SIM_PKI, user: { name: 'edge', password: 's3cret' }, allowAnonymous: false, port });
      const before = r.readings.length;
      await r.until(() => r.states.at(-1) === 'connected' && r.readings.length > before, 'values after the restart', 45_000);
      expect(r.readings.at(-1)!.point).toBe('setpoint');
    } finally {
      await driver.stop();
    }
  });
});
