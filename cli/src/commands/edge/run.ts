import { Flags } from '@oclif/core';
import { ConfigError, Gateway, loadConfig, type GatewayConfig } from '@mes/edge';
import { CommandFailure, MesCommand } from '../../base-command.js';
import { exitAtOnce, stopSignal } from '../../signals.js';

export interface EdgeRunResult {
  gatewayId: string;
  cloudUrl: string;
  devices: Array<{ device: string; protocol: string }>;
  journalDir: string;
  fsync: string;
  /** Where /healthz, /readyz, /metrics and /status answer. */
  http: { host: string; port: number };
}

export default class EdgeRun extends MesCommand<typeof EdgeRun> {
  static override summary = 'Run the edge gateway: read devices, process at the edge, journal, and upload signed batches to the MES.';

  static override description = `Reads the devices of the gateway config (MQTT/JSON, Sparkplug B, OPC UA, Modbus TCP), turns every reading into the unified record, applies deadband, sampling, scaling, unit conversion, windowed aggregates, derived machine state and local alarm rules, writes the records to the local journal (fsync policy per the config) and forwards them in order, signed with the gateway's Ed25519 key, to POST /v1/telemetry/batches. While the MES cannot be reached the journal keeps everything (up to journal.maxBytes) and the gateway keeps retrying with back-off; local alarms keep firing.

It also sends a heartbeat with its status, pulls a newer device map when the MES announces one (the config file's devices are the fallback) and executes device commands from the heartbeat answer.

Serves /healthz, /readyz, /metrics (Prometheus) and /status on httpPort (default 9464). Prints one JSON line with --json once started. SIGINT/SIGTERM stops reading devices, writes what is queued to the journal and exits 0; a second signal exits at once (the journal is crash-safe either way). See docs/edge.md for the config reference.`;

  static override examples = [
    { description: 'The container entrypoint', command: '<%= config.bin %> <%= command.id %> --config /etc/mes-edge/gateway.json' },
    { description: 'A demo against `mes edge simulate --config-out gw.json`', command: '<%= config.bin %> <%= command.id %> --config gw.json --json' },
  ];

  static override flags = {
    config: Flags.string({ summary: 'Gateway config file (JSON).', env: 'MES_EDGE_CONFIG', required: true }),
  };

  public async run(): Promise<EdgeRunResult | undefined> {
    let config: GatewayConfig;
    try {
      config = loadConfig(this.flags.config);
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      throw new CommandFailure(`${this.flags.config} is not a valid gateway config`, {
        code: err.code, fields: err.problems.map((p) => ({ field: p.field || '(file)', message: p.message })),
      });
    }
    const stop = stopSignal(exitAtOnce);
    let gateway: Gateway;
    try {
      gateway = await Gateway.start(config);
    } catch (err) {
      stop.dispose();
      const e = err as Error & { code?: string };
      throw new CommandFailure(`the gateway could not start: ${e.message}`, { code: e.code === 'EADDRINUSE' ? 'PORT_IN_USE' : 'START_FAILED', cause: err });
    }
    const result: EdgeRunResult = {
      gatewayId: config.gatewayId,
      cloudUrl: config.cloudUrl,
      devices: gateway.status().devices.map((d) => ({ device: d.device, protocol: d.protocol })),
      journalDir: config.journalDir,
      fsync: config.fsync,
      http: gateway.httpAddress()!,
    };
    if (this.jsonEnabled()) process.stdout.write(`${JSON.stringify(result)}\n`);
    else this.log(banner(result, gateway.journal.stats().backlogRecords));
    const signal = await stop.received;
    this.logToStderr(`${signal}: stopping the gateway (devices, then the journal)…`);
    try {
      await gateway.stop();
    } finally {
      stop.dispose();
    }
    this.logToStderr(`The gateway has stopped; ${gateway.journal.stats().backlogRecords} records wait in the journal for the next start.`);
    // The start line was the JSON document; nothing more on stdout.
    return undefined;
  }
}

function banner(r: EdgeRunResult, backlog: number): string {
  return [
    `Edge gateway ${r.gatewayId} running`,
    `  MES:      ${r.cloudUrl}`,
    `  devices:  ${r.devices.map((d) => `${d.device} (${d.protocol})`).join(', ') || 'none'}`,
    `  journal:  ${r.journalDir} (fsync ${r.fsync}; ${backlog} records waiting)`,
    `  health:   http://${r.http.host}:${r.http.port}/healthz  /readyz  /metrics  /status`,
    'Stop with Ctrl+C.',
  ].join('\n');
}
