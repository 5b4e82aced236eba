import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';
import { buildApp, type BuildOptions, type BuiltApp } from './app.js';
import { bootstrap, type BootstrapResult } from './bootstrap.js';
import type { ServerConfig } from './config.js';
import { equipmentJobs } from './modules/equipment/jobs.js';
import { qualityJobs } from './modules/quality/jobs.js';
import { startHousekeeping } from './platform/housekeeping.js';

export interface RunningServer {
  url: string;
  bootstrap: BootstrapResult;
  built: BuiltApp;
  /** Readiness false, wait shutdownDelayMs, drain in-flight requests, close the database. */
  shutdown(): Promise<void>;
}

export class PortInUseError extends Error {
  readonly code = 'PORT_IN_USE';
  constructor(readonly port: number) {
    super(`port ${port} is already in use; stop whatever holds it or choose another port (--port or MES_PORT)`);
  }
}

export class DataDirLockedError extends Error {
  readonly code = 'DATA_DIR_LOCKED';
  constructor(readonly dir: string, readonly pid: number) {
    super(`the data directory ${dir} is in use by another mes process (pid ${pid}); stop it or choose another --data-dir`);
  }
}

/** Starts the MES: database, migrations, first-start bootstrap, HTTP listener. */
export async function startServer(config: ServerConfig, opts: Pick<BuildOptions, 'logStream' | 'db'> = {}): Promise<RunningServer> {
  const releaseLock = config.databaseUrl ? () => {} : lockDataDir(config.dataDir);
  let built: BuiltApp | undefined;
  try {
    built = await buildApp(config, opts);
    const boot = await bootstrap(built.ctx.db);
    await listen(built, config);
    const address = built.app.server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
    let closing: Promise<void> | undefined;
    const b = built;
    const housekeeping = startHousekeeping(b.ctx.db, b.app.log, undefined, [...equipmentJobs(b.ctx), ...qualityJobs(b.ctx)]);
    return {
      url,
      bootstrap: boot,
      built: b,
      shutdown: () => (closing ??= (housekeeping.stop(), drain(b, config)).finally(releaseLock)),
    };
  } catch (err) {
    await built?.close().catch(() => {});
    releaseLock();
    throw err;
  }
}

async function listen(built: BuiltApp, config: ServerConfig): Promise<void> {
  try {
    await built.app.listen({ host: config.host, port: config.port });
  } catch (err) {
    if ((err as { code?: string }).code === 'EADDRINUSE') throw new PortInUseError(config.port);
    throw err;
  }
}

async function drain(built: BuiltApp, config: ServerConfig): Promise<void> {
  built.ctx.lifecycle.draining = true;
  built.app.log.info({ delayMs: config.shutdownDelayMs }, 'shutting down: readiness is false, draining');
  if (config.shutdownDelayMs > 0) await new Promise((r) => setTimeout(r, config.shutdownDelayMs));
  let timer: NodeJS.Timeout | undefined;
  const bound = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`in-flight requests did not finish within ${config.shutdownTimeoutMs} ms`)), config.shutdownTimeoutMs);
  });
  try {
    await Promise.race([built.close(), bound]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * One process per PGlite data directory: two would corrupt it. Returns the release function; a
 * lock left by a process that died is taken over.
 */
export function lockDataDir(dataDir: string): () => void {
  mkdirSync(dataDir, { recursive: true });
  const lock = path.join(dataDir, 'mes.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lock, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(lock, { force: true });
    } catch (err) {
      if ((err as { code?: string }).code !== 'EEXIST') throw err;
      const pid = Number(readFileSync(lock, 'utf8'));
      if (pid && pid !== process.pid && isAlive(pid)) throw new DataDirLockedError(dataDir, pid);
      rmSync(lock, { force: true }); // left behind by a process that died
    }
  }
  throw new Error(`could not lock the data directory ${dataDir}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as { code?: string }).code === 'EPERM';
  }
}
