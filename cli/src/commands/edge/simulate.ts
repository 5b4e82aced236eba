import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Flags } from '@oclif/core';
import { startSimulation, type DeviceConfig } from '@mes/edge';
import { CommandFailure, MesCommand } from '../../base-command.js';
import { exitAtOnce, stopSignal } from '../../signals.js';

export interface EdgeSimulateResult {
  brokerUrl: string;
  embeddedBroker: boolean;
  opcuaEndpoint: string;
  modbus: { host: string; port: number };
  /** The gateway config written by --config-out, if any. */
  configFile?: string;
  devices: DeviceConfig[];
}

export default class EdgeSimulate extends MesCommand<typeof EdgeSimulate> {
  static override summary = 'Run simulated machines for demos and tests: MQTT/JSON, Sparkplug B, OPC UA and Modbus TCP.';

  static override description = `Starts a CNC machine and a press publishing JSON over MQTT, a compressor behind a Sparkplug B edge node (births, aliases, rebirth on request), an OPC UA server with a CNC (temperature, spindle speed, state, energy counter, a writable setpoint; security None/Sign/SignAndEncrypt) and a Modbus TCP server with a compressor's registers and coils. Their values follow a run / idle / setup / down duty cycle.

Without --broker an MQTT broker runs in this process (aedes) on --mqtt-port. --config-out writes a gateway config whose device map reads every simulated machine; give it --gateway-id and --cloud-url to make it complete, then run it with \`mes edge run --config <file>\`. Runs until Ctrl+C.`;

  static override examples = [
    { description: 'Everything embedded, with a gateway config to run against it', command: '<%= config.bin %> <%= command.id %> --config-out gw.json --gateway-id 6f1c…-…-….gw-hall-1 --cloud-url http://127.0.0.1:8080' },
    { description: 'Publish to the plant broker instead', command: '<%= config.bin %> <%= command.id %> --broker mqtt://127.0.0.1:1883 --opcua-port 4840 --modbus-port 5020' },
  ];

  static override flags = {
    broker: Flags.string({ summary: 'MQTT broker URL to publish to. Default: an embedded broker.' }),
    'mqtt-port': Flags.integer({ summary: 'Port of the embedded broker.', default: 1884, min: 0, max: 65535 }),
    'opcua-port': Flags.integer({ summary: 'Port of the OPC UA server.', default: 4840, min: 0, max: 65535 }),
    'modbus-port': Flags.integer({ summary: 'Port of the Modbus TCP server (0: any free port).', default: 5020, min: 0, max: 65535 }),
    'interval-ms': Flags.integer({ summary: 'How often the MQTT machines publish.', default: 1000, min: 10 }),
    'data-dir': Flags.string({ summary: 'Where the OPC UA server keeps its certificates. Default: a new temporary directory.' }),
    'config-out': Flags.string({ summary: 'Write a gateway config reading the simulated machines to this file.' }),
    'gateway-id': Flags.string({ summary: 'gatewayId for --config-out ("<tenant id>.<gateway code>", from `mes edge register`).' }),
    'cloud-url': Flags.string({ summary: 'cloudUrl for --config-out.', default: 'http://127.0.0.1:8080' }),
  };

  public async run(): Promise<EdgeSimulateResult | undefined> {
    const { flags } = this;
    const dataDir = flags['data-dir'] ?? mkdtempSync(join(tmpdir(), 'mes-edge-simulate-'));
    const stop = stopSignal(exitAtOnce);
    const sim = await startSimulation({
      brokerUrl: flags.broker, mqttPort: flags['mqtt-port'], opcuaPort: flags['opcua-port'], modbusPort: flags['modbus-port'], dataDir, intervalMs: flags['interval-ms'],
    }).catch((err: Error) => {
      stop.dispose();
      throw new CommandFailure(`the simulators could not start: ${err.message}`, { code: 'START_FAILED', cause: err });
    });
    const result: EdgeSimulateResult = {
      brokerUrl: sim.brokerUrl,
      embeddedBroker: sim.embeddedBroker,
      opcuaEndpoint: sim.opcua.endpointUrl,
      modbus: { host: '127.0.0.1', port: sim.modbus.port },
      devices: sim.devices,
    };
    if (flags['config-out']) {
      writeFileSync(flags['config-out'], `${JSON.stringify({
        gatewayId: flags['gateway-id'] ?? '<tenant id>.<gateway code>',
        cloudUrl: flags['cloud-url'],
        keyFile: join(dataDir, 'keys', 'gateway.pem'),
        journalDir: join(dataDir, 'journal'),
        brokerUrl: sim.brokerUrl,
        fsync: 'batch',
        devices: sim.devices,
      }, null, 2)}\n`);
      result.configFile = flags['config-out'];
    }
    if (this.jsonEnabled()) process.stdout.write(`${JSON.stringify(result)}\n`);
    else this.log(banner(result, !flags['gateway-id'] && !!flags['config-out']));
    const signal = await stop.received;
    this.logToStderr(`${signal}: stopping the simulators…`);
    await sim.close();
    stop.dispose();
    return undefined;
  }
}

function banner(r: EdgeSimulateResult, needsId: boolean): string {
  const lines = [
    'Simulated machines running',
    `  MQTT:     ${r.brokerUrl}${r.embeddedBroker ? ' (embedded broker)' : ''}: CNC-01 JSON on plant/cnc-01/telemetry, PRESS-01 JSON on plant/press-01/status, COMP-01 Sparkplug B plant/compressor-node/compressor-01`,
    `  OPC UA:   ${r.opcuaEndpoint} (CNC-02; None, Sign, SignAndEncrypt)`,
    `  Modbus:   ${r.modbus.host}:${r.modbus.port} unit 1 (COMP-02)`,
  ];
  if (r.configFile) lines.push(`  config:   ${r.configFile}${needsId ? ' (set gatewayId: see `mes edge register`)' : ''}`);
  lines.push('Stop with Ctrl+C.');
  return lines.join('\n');
}
