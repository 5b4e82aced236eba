import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Flags } from '@oclif/core';
import {
  DataDirLockedError, MigrationChecksumError, MigrationUnknownError, PortInUseError, loadConfig, startServer, type RunningServer,
  type ServerConfig,
} from '@mes/server';
import { LocalPlatform, PlatformError, type LocalPlatformOptions, type PlatformEvent, type Replica } from '@mes/platform';
import { CommandFailure, EXIT, MesCommand } from '../base-command.js';
import { redactUrl } from '../format.js';
import { exitAtOnce, stopSignal } from '../signals.js';

export interface UpResult {
  url: string;
  tenant: string;
  /** Only on the first start of an empty database. */
  apiKey?: string;
  /** With --replicas: the replicas behind the front. */
  replicas?: Array<Pick<Replica, 'id' | 'pid' | 'url' | 'release'> & { port: number }>;
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export default class Up extends MesCommand<typeof Up> {
  static override summary = 'Start the MES in this process and keep it running.';

  static override description = `Opens the database (embedded PGlite in <data-dir>/pgdata unless --database or MES_DATABASE_URL names a PostgreSQL server), applies pending migrations and listens for HTTP.

On the first start of an empty database it creates the tenant "default" and its platform admin, and prints the admin's API key once: it is never logged and cannot be shown again.

Server logs (JSON lines) go to stderr, so stdout carries only what this command prints. With --json, stdout gets exactly one JSON line when the server is ready: {"url","tenant","apiKey"} (apiKey on the first start only).

SIGINT (Ctrl+C) or SIGTERM shuts the server down gracefully (readiness false, in-flight requests drained, database closed) and exits 0.

Flags override MES_* environment variables, which override the defaults.

With --replicas N it runs the local platform instead: N server processes on 127.0.0.1 (free ports) over one PostgreSQL database, behind a load-balancing front on --host/--port with active health checks (/readyz), retries on another replica when safe, and replacement of a replica that dies. It prints the front URL, the replicas (id, pid, port, release) and, on an empty database, the admin key; --json prints one line {"url","tenant","apiKey","replicas"}. Platform events (replicas ready, unready, replaced, scaled) go to stderr, replica logs to files in a temporary directory named there. --autoscale-max and --autoscale-target add an autoscaler following the Kubernetes HPA algorithm on a metric read from each replica's /metrics. SIGINT/SIGTERM drains and stops every replica, then the front. Replicas need PostgreSQL: processes cannot share an embedded PGlite.`;

  static override examples = [
    { description: 'Start on http://127.0.0.1:8080 with the data in ./.mes', command: '<%= config.bin %> <%= command.id %>' },
    { description: 'Another port and data directory', command: '<%= config.bin %> <%= command.id %> --port 9090 --data-dir /var/lib/mes' },
    { description: 'On PostgreSQL', command: '<%= config.bin %> <%= command.id %> --database postgres://mes@db.internal:5432/mes' },
    { description: 'For scripts: a free port, one JSON line on stdout when ready', command: '<%= config.bin %> <%= command.id %> --json --port 0' },
    { description: 'Three replicas behind a local balancer on one PostgreSQL database', command: '<%= config.bin %> <%= command.id %> --replicas 3 --database postgres://postgres@127.0.0.1:5432/mes' },
    {
      description: 'Autoscaled between 2 and 6 replicas at 50 requests/s per replica',
      command: '<%= config.bin %> <%= command.id %> --replicas 2 --database postgres://postgres@127.0.0.1:5432/mes --autoscale-min 2 --autoscale-max 6 --autoscale-target 50',
    },
  ];

  static override flags = {
    port: Flags.integer({ summary: 'TCP port to listen on; 0 picks a free one. Default: MES_PORT or 8080.', min: 0, max: 65_535 }),
    host: Flags.string({ summary: 'Address to listen on. Default: MES_HOST or 127.0.0.1.' }),
    'data-dir': Flags.string({ summary: 'Data directory (embedded database, lock). Default: MES_DATA_DIR or ./.mes.' }),
    database: Flags.string({ summary: 'PostgreSQL URL (postgres://…). Default: MES_DATABASE_URL, else embedded PGlite in the data directory.' }),
    'log-level': Flags.string({ summary: 'Server log level. Default: MES_LOG_LEVEL or info.', options: LOG_LEVELS }),
    replicas: Flags.integer({ summary: 'Run N server processes behind a local load-balancing front (needs --database postgres://…).', min: 1, max: 64, helpGroup: 'PLATFORM' }),
    'autoscale-min': Flags.integer({ summary: 'Autoscaler: fewest replicas. Default 1.', min: 1, dependsOn: ['replicas'], helpGroup: 'PLATFORM' }),
    'autoscale-max': Flags.integer({ summary: 'Autoscaler: most replicas; with --autoscale-target it turns the autoscaler on.', min: 1, dependsOn: ['replicas', 'autoscale-target'], helpGroup: 'PLATFORM' }),
    'autoscale-target': Flags.string({ summary: 'Autoscaler: target average of the metric per replica (e.g. 50 requests/s).', dependsOn: ['replicas', 'autoscale-max'], helpGroup: 'PLATFORM' }),
    'autoscale-metric': Flags.string({
      summary: 'Autoscaler: metric from /metrics; *_total and *_count are read as a rate per second. Default mes_http_request_duration_seconds_count.',
      dependsOn: ['autoscale-target'],
      helpGroup: 'PLATFORM',
    }),
  };

  public async run(): Promise<UpResult | undefined> {
    const { flags } = this;
    if (flags.replicas !== undefined) return this.runPlatform(flags.replicas);
    let config: ServerConfig;
    try {
      config = loadConfig({
        port: flags.port,
        host: flags.host,
        dataDir: flags['data-dir'],
        databaseUrl: flags.database,
        logLevel: flags['log-level'],
        webDir: process.env.MES_WEB_DIR ? undefined : builtConsole(),
      });
    } catch (err) {
      throw new CommandFailure(`invalid configuration: ${(err as Error).message}`, { code: 'INVALID_CONFIG', cause: err });
    }

    return this.serveUntilSignal({
      starting: `Starting the MES (${describeDatabase(config)})…`,
      start: () => startServer(config, { logStream: process.stderr }),
      present: (server) => {
        const result: UpResult = { url: server.url, tenant: server.bootstrap.tenant, ...(server.bootstrap.apiKey ? { apiKey: server.bootstrap.apiKey } : {}) };
        return { result, banner: () => this.banner(config, server, result) };
      },
      stopping: 'shutting down…',
      stop: (server) => server.shutdown(),
    });
  }

  /** `--replicas N`: the local platform in this process, until a signal stops it. */
  private async runPlatform(replicas: number): Promise<undefined> {
    const { flags } = this;
    const databaseUrl = flags.database ?? process.env.MES_DATABASE_URL ?? '';
    if (!/^postgres(ql)?:\/\//.test(databaseUrl)) {
      throw new CommandFailure('--replicas runs several server processes, which cannot share an embedded PGlite: pass --database postgres://… (or set MES_DATABASE_URL)', { code: 'NEEDS_POSTGRES', exit: EXIT.usage });
    }
    const webDir = process.env.MES_WEB_DIR || builtConsole();
    const opts: LocalPlatformOptions = {
      databaseUrl,
      replicas,
      host: flags.host ?? process.env.MES_HOST ?? '127.0.0.1',
      port: flags.port ?? portFromEnv(),
      env: { MES_LOG_LEVEL: flags['log-level'] ?? process.env.MES_LOG_LEVEL ?? 'warn', ...(webDir ? { MES_WEB_DIR: webDir } : {}) },
      autoscaler: autoscalerFlags(flags, replicas),
      onEvent: (e: PlatformEvent) => process.stderr.write(`[platform] ${e.at} ${e.type}: ${e.message}\n`),
    };
    return this.serveUntilSignal({
      starting: `Starting ${replicas} replica(s) on PostgreSQL ${redactUrl(databaseUrl)}…`,
      start: () => LocalPlatform.start(opts),
      present: async (platform) => {
        const list = (await platform.replicas()).map((r) => ({ id: r.id, pid: r.pid, port: Number(new URL(r.url!).port), url: r.url, release: r.release }));
        const result: UpResult = { url: platform.url, tenant: 'default', ...(platform.bootstrapApiKey ? { apiKey: platform.bootstrapApiKey } : {}), replicas: list };
        return { result, banner: () => this.platformBanner(result, opts) };
      },
      stopping: 'draining and stopping every replica…',
      stop: (platform) => platform.close(),
    });
  }

  /**
   * What both modes do: take over SIGINT/SIGTERM before anything starts (a stop during start-up
   * still shuts down cleanly; a second signal exits at once), start, print the result (one JSON
   * line, or the banner), wait for a signal, stop gracefully.
   */
  private async serveUntilSignal<T>(mode: {
    starting: string;
    start(): Promise<T>;
    present(running: T): { result: UpResult; banner(): string } | Promise<{ result: UpResult; banner(): string }>;
    stopping: string;
    stop(running: T): Promise<void>;
  }): Promise<undefined> {
    const stop = stopSignal(exitAtOnce);
    this.logToStderr(mode.starting);
    let running: T;
    try {
      running = await mode.start();
    } catch (err) {
      stop.dispose();
      throw startFailure(err as Error);
    }
    const { result, banner } = await mode.present(running);
    if (this.jsonEnabled()) process.stdout.write(`${JSON.stringify(result)}\n`);
    else this.log(banner());

    const signal = await stop.received;
    this.logToStderr(`${signal}: ${mode.stopping}`);
    try {
      await mode.stop(running);
    } catch (err) {
      throw new CommandFailure(`shutdown did not complete: ${(err as Error).message}`, { code: 'SHUTDOWN_FAILED', cause: err });
    } finally {
      stop.dispose();
    }
    this.logToStderr('The MES has stopped.');
    // Nothing should be left running; if a library left a handle open, do not hang on it.
    setTimeout(() => process.exit(process.exitCode ?? 0), 3000).unref();
    return undefined;
  }

  private platformBanner(result: UpResult, opts: LocalPlatformOptions): string {
    const lines = [
      `MES is running at ${result.url} (${result.replicas!.length} replica(s) behind the local balancer)`,
      `  database: PostgreSQL ${redactUrl(opts.databaseUrl)}`,
      ...(opts.autoscaler ? [`  autoscaler: ${opts.autoscaler.minReplicas}–${opts.autoscaler.maxReplicas} replicas, target ${opts.autoscaler.target} ${opts.autoscaler.metric ?? 'mes_http_request_duration_seconds_count'} per replica`] : []),
      '',
      '  replica  pid      port   release',
      ...result.replicas!.map((r) => `  ${r.id.padEnd(8)} ${String(r.pid ?? '').padEnd(8)} ${String(r.port).padEnd(6)} ${r.release}`),
      '',
    ];
    lines.push(...firstStartLines(result));
    lines.push('Platform events go to stderr. Press Ctrl+C to stop every replica.');
    return lines.join('\n');
  }

  private banner(config: ServerConfig, server: RunningServer, result: UpResult): string {
    const lines = [
      `MES ${config.version} is running at ${server.url}`,
      `  tenant:   ${result.tenant}`,
      `  database: ${describeDatabase(config)}`,
      '',
    ];
    if (result.apiKey) {
      lines.push(...firstStartLines(result));
    } else {
      lines.push(`Authenticate with the admin API key printed on the first start (export MES_API_KEY=… and MES_URL=${server.url}).`, '');
    }
    lines.push('Server logs go to stderr. Press Ctrl+C to stop.');
    return lines.join('\n');
  }
}

function portFromEnv(): number {
  const port = Number(process.env.MES_PORT ?? 8080);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new CommandFailure(`MES_PORT must be a port number, got "${process.env.MES_PORT}"`, { code: 'INVALID_CONFIG', exit: EXIT.usage });
  return port;
}

function autoscalerFlags(flags: Up['flags'], replicas: number): LocalPlatformOptions['autoscaler'] {
  if (flags['autoscale-max'] === undefined) return undefined;
  const target = Number(flags['autoscale-target']);
  if (!(target > 0)) throw new CommandFailure(`--autoscale-target must be a number above 0, got "${flags['autoscale-target']}"`, { code: 'USAGE', exit: EXIT.usage });
  const minReplicas = flags['autoscale-min'] ?? 1;
  const maxReplicas = flags['autoscale-max'];
  if (minReplicas > maxReplicas || replicas < minReplicas || replicas > maxReplicas) {
    throw new CommandFailure(`need --autoscale-min (${minReplicas}) ≤ --replicas (${replicas}) ≤ --autoscale-max (${maxReplicas})`, { code: 'USAGE', exit: EXIT.usage });
  }
  return { minReplicas, maxReplicas, target, ...(flags['autoscale-metric'] ? { metric: flags['autoscale-metric'] } : {}) };
}

/** The admin key of a first start, shown once, and how to use it from another terminal. */
function firstStartLines(result: UpResult): string[] {
  if (!result.apiKey) return [];
  return [
    `First start: created the tenant "${result.tenant}" and its platform admin.`,
    'Admin API key (shown once: store it now, it is never logged and cannot be shown again):',
    '',
    `  ${result.apiKey}`,
    '',
    'Use it from another terminal:',
    `  export MES_URL=${result.url}`,
    `  export MES_API_KEY=${result.apiKey}`,
    '  mes status',
    '',
  ];
}

function describeDatabase(config: ServerConfig): string {
  if (config.databaseUrl === 'memory://') return 'PGlite in memory: nothing is kept';
  if (config.databaseUrl && /^postgres(ql)?:\/\//.test(config.databaseUrl)) return `PostgreSQL ${redactUrl(config.databaseUrl)}`;
  return `PGlite in ${path.resolve(config.databaseUrl ?? path.join(config.dataDir, 'pgdata'))}`;
}

function startFailure(err: Error): CommandFailure {
  if (err instanceof PlatformError) return new CommandFailure(err.message, { code: err.code, cause: err });
  if (err instanceof PortInUseError || err instanceof DataDirLockedError || err instanceof MigrationChecksumError || err instanceof MigrationUnknownError) {
    return new CommandFailure(err.message, { code: err.code, cause: err });
  }
  return new CommandFailure(`the MES could not start: ${err.message}`, { code: 'START_FAILED', cause: err });
}
/**
 * The built web console (the @mes/web package's dist/), served at / by the server; undefined when
 * it is not built (the API still serves, and a note says how to get the console).
 */
function builtConsole(): string | undefined {
  try {
    const dir = path.join(path.dirname(createRequire(import.meta.url).resolve('@mes/web/package.json')), 'dist');
    if (existsSync(path.join(dir, 'index.html'))) return dir;
  } catch {
    // not installed
  }
  process.stderr.write('mes: the web console is not built (npm run build); serving the API only\n');
  return undefined;
}
