import type { DeviceConfig } from '../config.js';
import { validateDevices } from '../config.js';
import type { Logger } from '../log.js';
import type { EdgeMetrics } from '../metrics.js';
import type { PointValue } from '../record.js';
import type { CloudClient } from './cloud.js';

/** A command to a device, delivered in a heartbeat answer (S1-5.2.4). */
export interface Command {
  id: string;
  device: string;
  point: string;
  value: PointValue;
  issuedAt: string;
}

export interface CommandResult {
  id: string;
  ok: boolean;
  error?: string;
  at: string;
}

export interface CloudConfig {
  version: number;
  devices: DeviceConfig[];
}

export interface ManagementHooks {
  status(): Record<string, unknown>;
  configVersion(): number;
  applyConfig(config: CloudConfig): Promise<void>;
  execute(command: Command): Promise<{ ok: boolean; error?: string }>;
}

/** Results kept for commands delivered again (a lost result report): they are not written twice. */
const REMEMBERED_COMMANDS = 1000;

/**
 * Gateway management (S1-4.2.3): the heartbeat with the gateway's status, pulling a newer device
 * map when the MES announces one, and executing the commands the heartbeat answer carries.
 */
export class Management {
  private timer?: NodeJS.Timeout;
  private beating?: Promise<void>;
  private readonly done = new Map<string, CommandResult>();
  private unreported: CommandResult[] = [];
  private pulling?: Promise<void>;
  private stopped = false;

  constructor(
    private readonly cloud: CloudClient,
    private readonly opts: { heartbeatMs: number; pullConfig: boolean },
    private readonly hooks: ManagementHooks,
    private readonly metrics: EdgeMetrics,
    private readonly log: Logger,
  ) {}

  start(): void {
    const tick = () => {
      this.beating = this.beat().finally(() => {
        if (!this.stopped) this.timer = setTimeout(tick, this.opts.heartbeatMs);
      });
    };
    tick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.beating;
    await this.pulling;
  }

  /** One heartbeat; never throws (a failure is counted and logged, the next beat tries again). */
  async beat(): Promise<void> {
    try {
      const body = Buffer.from(JSON.stringify({ status: this.hooks.status(), sentAt: new Date().toISOString() }));
      const res = await this.cloud.request('POST', '/v1/gateways/heartbeat', body);
      if (res.status !== 200) throw new Error(`heartbeat answered ${res.status} ${res.code ?? ''}`.trim());
      this.metrics.heartbeats.inc({ outcome: 'ok' });
      const answer = res.body as { configVersion?: number; commands?: Command[] };
      // The new device map first: the commands may be for its devices, and drivers restart with it.
      if (answer.configVersion !== undefined) await this.configAnnounced(answer.configVersion);
      await this.runCommands(answer.commands ?? []);
    } catch (err) {
      this.metrics.heartbeats.inc({ outcome: 'failed' });
      this.log.warn('heartbeat failed', { error: (err as Error).message });
    }
    await this.report();
  }

  /** The MES has config `version`: pull it if it is newer than the one in use (one pull at a time). */
  configAnnounced(version: number): Promise<void> {
    if (this.opts.pullConfig && version > this.hooks.configVersion() && !this.pulling) {
      this.pulling = this.pull().finally(() => (this.pulling = undefined));
    }
    return this.pulling ?? Promise.resolve();
  }

  private async pull(): Promise<void> {
    try {
      const res = await this.cloud.request('GET', '/v1/gateways/config');
      if (res.status !== 200) throw new Error(`config answered ${res.status} ${res.code ?? ''}`.trim());
      const config = res.body as CloudConfig;
      const problems = validateDevices(config.devices ?? []);
      if (problems.length) throw new Error(`config version ${config.version} is invalid: ${problems.map((p) => `${p.field}: ${p.message}`).join('; ')}`);
      await this.hooks.applyConfig(config);
      this.log.info('device map updated from the MES', { version: config.version, devices: config.devices.length });
    } catch (err) {
      this.log.error('config pull failed; keeping the device map in use', { error: (err as Error).message });
    }
  }

  private async runCommands(commands: Command[]): Promise<void> {
    for (const c of commands) {
      const known = this.done.get(c.id);
      if (known) {
        this.unreported.push(known);
        continue;
      }
      const outcome = await this.hooks.execute(c).catch((err: Error) => ({ ok: false, error: err.message }));
      const result: CommandResult = { id: c.id, ok: outcome.ok, ...(outcome.error ? { error: outcome.error } : {}), at: new Date().toISOString() };
      this.metrics.commands.inc({ outcome: result.ok ? 'done' : 'failed' });
      this.log.info('command executed', { command: c.id, device: c.device, point: c.point, ok: result.ok, error: result.error });
      this.done.set(c.id, result);
      if (this.done.size > REMEMBERED_COMMANDS) this.done.delete(this.done.keys().next().value!);
      this.unreported.push(result);
    }
  }

  /** Sends the results not yet reported; keeps them for the next beat if that fails. */
  private async report(): Promise<void> {
    if (!this.unreported.length) return;
    const results = this.unreported;
    this.unreported = [];
    try {
      const res = await this.cloud.request('POST', '/v1/gateways/command-results', Buffer.from(JSON.stringify({ results })));
      if (res.status >= 300) throw new Error(`command-results answered ${res.status} ${res.code ?? ''}`.trim());
    } catch (err) {
      this.unreported.unshift(...results);
      this.log.warn('command results not reported; will retry', { error: (err as Error).message, results: results.length });
    }
  }
}
