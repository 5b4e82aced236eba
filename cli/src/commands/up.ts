import path from 'node:path';
import { Flags } from '@oclif/core';
import {
  DataDirLockedError, MigrationChecksumError, MigrationUnknownError, PortInUseError, loadConfig, startServer, type RunningServer,
  type ServerConfig,
} from '@mes/server';
import { CommandFailure, MesCommand } from '../base-command.js';
import { redactUrl } from '../format.js';

export interface UpResult {
  url: string;
  tenant: string;
  /** Only on the first start of an empty database. */
  apiKey?: string;
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export default class Up extends MesCommand<typeof Up> {
  static override summary = 'Start the MES in this process and keep it running.';

  static override description = `Opens the database (embedded PGlite in <data-dir>/pgdata unless --database or MES_DATABASE_URL names a PostgreSQL server), applies pending migrations and listens for HTTP.

On the first start of an empty database it creates the tenant "default" and its platform admin, and prints the admin's API key once: it is never logged and cannot be shown again.

Server logs (JSON lines) go to stderr, so stdout carries only what this command prints. With --json, stdout gets exactly one JSON line when the server is ready: {"url","tenant","apiKey"} (apiKey on the first start only).

SIGINT (Ctrl+C) or SIGTERM shuts the server down gracefully (readiness false, in-flight requests drained, database closed) and exits 0.

Flags override MES_* environment variables, which override the defaults.`;

  static override examples = [
    { description: 'Start on http://127.0.0.1:8080 with the data in ./.mes', command: '<%= config.bin %> <%= command.id %>' },
    { description: 'Another port and data directory', command: '<%= config.bin %> <%= command.id %> --port 9090 --data-dir /var/lib/mes' },
    { description: 'On PostgreSQL', command: '<%= config.bin %> <%= command.id %> --database postgres://mes@db.internal:5432/mes' },
    { description: 'For scripts: a free port, one JSON line on stdout when ready', command: '<%= config.bin %> <%= command.id %> --json --port 0' },
  ];

  static override flags = {
    port: Flags.integer({ summary: 'TCP port to listen on; 0 picks a free one. Default: MES_PORT or 8080.', min: 0, max: 65_535 }),
    host: Flags.string({ summary: 'Address to listen on. Default: MES_HOST or 127.0.0.1.' }),
    'data-dir': Flags.string({ summary: 'Data directory (embedded database, lock). Default: MES_DATA_DIR or ./.mes.' }),
    database: Flags.string({ summary: 'PostgreSQL URL (postgres://…). Default: MES_DATABASE_URL, else embedded PGlite in the data directory.' }),
    'log-level': Flags.string({ summary: 'Server log level. Default: MES_LOG_LEVEL or info.', options: LOG_LEVELS }),
  };

  public async run(): Promise<UpResult | undefined> {
    const { flags } = this;
    let config: ServerConfig;
    try {
      config = loadConfig({
        port: flags.port,
        host: flags.host,
        dataDir: flags['data-dir'],
        databaseUrl: flags.database,
        logLevel: flags['log-level'],
      });
    } catch (err) {
      throw new CommandFailure(`invalid configuration: ${(err as Error).message}`, { code: 'INVALID_CONFIG', cause: err });
    }

    // Signals are taken over before the database opens: a stop during start-up still shuts down cleanly.
    const stop = stopSignal((signal) => {
      process.stderr.write(`mes: ${signal} again: exiting without a graceful shutdown\n`);
      process.exit(1);
    });

    this.logToStderr(`Starting the MES (${describeDatabase(config)})…`);
    let server: RunningServer;
    try {
      server = await startServer(config, { logStream: process.stderr });
    } catch (err) {
      stop.dispose();
      throw startFailure(err as Error);
    }

    const result: UpResult = { url: server.url, tenant: server.bootstrap.tenant, ...(server.bootstrap.apiKey ? { apiKey: server.bootstrap.apiKey } : {}) };
    if (this.jsonEnabled()) process.stdout.write(`${JSON.stringify(result)}\n`);
    else this.log(this.banner(config, server, result));

    const signal = await stop.received;
    this.logToStderr(`${signal}: shutting down…`);
    try {
      await server.shutdown();
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

  private banner(config: ServerConfig, server: RunningServer, result: UpResult): string {
    const lines = [
      `MES ${config.version} is running at ${server.url}`,
      `  tenant:   ${result.tenant}`,
      `  database: ${describeDatabase(config)}`,
      '',
    ];
    if (result.apiKey) {
      lines.push(
        `First start: created the tenant "${result.tenant}" and its platform admin.`,
        'Admin API key (shown once: store it now, it is never logged and cannot be shown again):',
        '',
        `  ${result.apiKey}`,
        '',
        'Use it from another terminal:',
        `  export MES_URL=${server.url}`,
        `  export MES_API_KEY=${result.apiKey}`,
        '  mes status',
        '',
      );
    } else {
      lines.push(`Authenticate with the admin API key printed on the first start (export MES_API_KEY=… and MES_URL=${server.url}).`, '');
    }
    lines.push('Server logs go to stderr. Press Ctrl+C to stop.');
    return lines.join('\n');
  }
}

function describeDatabase(config: ServerConfig): string {
  if (config.databaseUrl === 'memory://') return 'PGlite in memory: nothing is kept';
  if (config.databaseUrl && /^postgres(ql)?:\/\//.test(config.databaseUrl)) return `PostgreSQL ${redactUrl(config.databaseUrl)}`;
  return `PGlite in ${path.resolve(config.databaseUrl ?? path.join(config.dataDir, 'pgdata'))}`;
}

function startFailure(err: Error): CommandFailure {
  if (err instanceof PortInUseError || err instanceof DataDirLockedError || err instanceof MigrationChecksumError || err instanceof MigrationUnknownError) {
    return new CommandFailure(err.message, { code: err.code, cause: err });
  }
  return new CommandFailure(`the MES could not start: ${err.message}`, { code: 'START_FAILED', cause: err });
}

/** Resolves with the first SIGINT/SIGTERM; a second one calls onForce. */
function stopSignal(onForce: (signal: NodeJS.Signals) => void) {
  let resolve!: (s: NodeJS.Signals) => void;
  const received = new Promise<NodeJS.Signals>((r) => (resolve = r));
  let count = 0;
  const handler = (signal: NodeJS.Signals) => {
    count++;
    if (count === 1) resolve(signal);
    else onForce(signal);
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return {
    received,
    dispose() {
      process.off('SIGINT', handler);
      process.off('SIGTERM', handler);
    },
  };
}
