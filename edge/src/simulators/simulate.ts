import type { DeviceConfig } from '../config.js';
import { startBroker, type EmbeddedBroker } from './broker.js';
import { MODBUS_MAP, startModbusSimulator, type ModbusSimulator } from './modbus-server.js';
import { startJsonCnc, startJsonPress, startSparkplugCompressor, type Publisher } from './mqtt-publishers.js';
import { startOpcuaSimulator, type OpcuaSimulator } from './opcua-server.js';

export interface Simulation {
  brokerUrl: string;
  /** True when the simulation runs its own broker (aedes, in process). */
  embeddedBroker: boolean;
  opcua: OpcuaSimulator;
  modbus: ModbusSimulator;
  /** A device map that reads every simulated machine: paste it into a gateway config. */
  devices: DeviceConfig[];
  close(): Promise<void>;
}

export interface SimulationOptions {
  /** An MQTT broker to publish to; absent: an embedded aedes broker. */
  brokerUrl?: string;
  mqttPort?: number;
  opcuaPort?: number;
  modbusPort?: number;
  /** The OPC UA server's PKI. */
  dataDir: string;
  intervalMs?: number;
}

/**
 * Every simulator at once, for demos (`mes edge simulate`): a CNC and a press on MQTT/JSON, a
 * compressor on Sparkplug B, a CNC on OPC UA and a compressor on Modbus TCP.
 */
export async function startSimulation(opts: SimulationOptions): Promise<Simulation> {
  const closers: Array<() => Promise<void>> = [];
  try {
    let broker: EmbeddedBroker | undefined;
    if (!opts.brokerUrl) {
      broker = await startBroker(opts.mqttPort ?? 0);
      closers.push(() => broker!.close());
    }
    const brokerUrl = opts.brokerUrl ?? broker!.url;
    const intervalMs = opts.intervalMs ?? 1000;
    const publishers: Publisher[] = [
      await startJsonCnc(brokerUrl, { intervalMs }),
      await startJsonPress(brokerUrl, { intervalMs }),
      await startSparkplugCompressor(brokerUrl, { intervalMs }),
    ];
    closers.unshift(...publishers.map((p) => () => p.close()));
    const opcua = await startOpcuaSimulator({ port: opts.opcuaPort, pkiDir: `${opts.dataDir}/opcua-sim-pki` });
    closers.unshift(() => opcua.close());
    const modbus = await startModbusSimulator({ port: opts.modbusPort });
    closers.unshift(() => modbus.close());
    return {
      brokerUrl,
      embeddedBroker: !!broker,
      opcua,
      modbus,
      devices: simulatedDevices(opcua, modbus.port),
      close: async () => {
        for (const c of closers) await c().catch(() => {});
      },
    };
  } catch (err) {
    for (const c of closers) await c().catch(() => {});
    throw err;
  }
}

function simulatedDevices(opcua: OpcuaSimulator, modbusPort: number): DeviceConfig[] {
  return [
    {
      device: 'CNC-01', protocol: 'mqtt', connection: {},
      points: [
        { point: 'spindle_speed', type: 'number', unit: 'rpm', source: { topic: 'plant/cnc-01/telemetry', jsonPath: '$.spindle.speed', tsPath: '$.ts' }, deadband: 50, aggregate: { windowMs: 60_000 } },
        { point: 'temperature', type: 'number', unit: 'degC', source: { topic: 'plant/cnc-01/telemetry', jsonPath: '$.temperature.value', tsPath: '$.ts' }, deadband: { percent: 1 } },
        { point: 'energy', type: 'number', unit: 'kWh', source: { topic: 'plant/cnc-01/telemetry', jsonPath: '$.energy', tsPath: '$.ts' }, sampleMs: 10_000 },
        { point: 'fault', type: 'boolean', source: { topic: 'plant/cnc-01/telemetry', jsonPath: '$.alarm', tsPath: '$.ts' } },
      ],
      state: { rules: [{ state: 'down', when: { point: 'fault', op: '==', value: true } }, { state: 'run', when: { point: 'spindle_speed', op: '>', value: 0 } }], otherwise: 'idle' },
      alarms: [{ code: 'SPINDLE_HOT', point: 'temperature', kind: 'threshold', high: 49, hysteresis: 1, grade: 'warning' }],
    },
    {
      device: 'PRESS-01', protocol: 'mqtt', connection: {},
      points: [
        { point: 'strokes', type: 'number', source: { topic: 'plant/press-01/status', jsonPath: '$.strokes', tsPath: '$.time' } },
        { point: 'force', type: 'number', unit: 'kN', source: { topic: 'plant/press-01/status', jsonPath: '$.forceKn', tsPath: '$.time' }, deadband: 5 },
        { point: 'mode', type: 'string', source: { topic: 'plant/press-01/status', jsonPath: '$.mode', tsPath: '$.time' }, deadband: { absolute: 0 } },
      ],
      state: { rules: [{ state: 'setup', when: { point: 'mode', op: '==', value: 'setup' } }, { state: 'run', when: { point: 'force', op: '>', value: 0 } }], otherwise: 'idle' },
    },
    {
      device: 'COMP-01', protocol: 'sparkplug', connection: { groupId: 'plant', edgeNode: 'compressor-node', deviceId: 'compressor-01' },
      points: [
        { point: 'pressure', type: 'number', unit: 'bar', source: { metric: 'Pressure' }, deadband: 0.05 },
        { point: 'running', type: 'boolean', source: { metric: 'Motor/Running' } },
        { point: 'energy', type: 'number', unit: 'kWh', source: { metric: 'Energy' }, sampleMs: 10_000 },
      ],
      alarms: [{ code: 'PRESSURE_RISE', point: 'pressure', kind: 'rate', windowMs: 10_000, maxPerMinute: 3, grade: 'minor' }],
    },
    {
      device: 'CNC-02', protocol: 'opcua', connection: { endpointUrl: opcua.endpointUrl, securityMode: 'SignAndEncrypt', acceptUnknownCertificate: true },
      points: [
        { point: 'temperature', type: 'number', unit: 'degC', source: { nodeId: opcua.nodes.temperature }, deadband: 0.2 },
        { point: 'spindle_speed', type: 'number', unit: 'rpm', source: { nodeId: opcua.nodes.spindleSpeed }, deadband: 50 },
        { point: 'state', type: 'string', source: { nodeId: opcua.nodes.state } },
        { point: 'energy', type: 'number', unit: 'kWh', source: { nodeId: opcua.nodes.energy }, sampleMs: 10_000 },
        { point: 'speed_setpoint', type: 'number', unit: 'rpm', source: { nodeId: opcua.nodes.setpoint }, writable: true },
      ],
    },
    {
      device: 'COMP-02', protocol: 'modbus', connection: { host: '127.0.0.1', port: modbusPort, unitId: 1, pollMs: 1000 },
      points: [
        { point: 'temperature', type: 'number', unit: 'degC', source: { ...MODBUS_MAP.temperature }, scale: { factor: 0.1 }, deadband: 0.2 },
        { point: 'energy', type: 'number', unit: 'kWh', rawUnit: 'Wh', source: { ...MODBUS_MAP.energy }, sampleMs: 10_000 },
        { point: 'pressure', type: 'number', unit: 'bar', source: { ...MODBUS_MAP.pressure }, deadband: 0.05 },
        { point: 'speed_setpoint', type: 'number', unit: 'rpm', source: { ...MODBUS_MAP.setpoint }, writable: true },
        { point: 'motor_on', type: 'boolean', source: { ...MODBUS_MAP.motorOn }, writable: true },
        { point: 'running', type: 'boolean', source: { ...MODBUS_MAP.running } },
      ],
    },
  ];
}
