import { execFile, spawnSync } from 'node:child_process';
import { chownSync, existsSync, readdirSync } from 'node:fs';
import { appendFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { openDatabase } from '@mes/server';
import { trackStarted } from './cleanup.js';
import { freePort } from './loopback.js';
import { PlatformError } from './types.js';

const exec = promisify(execFile);

export interface PostgresInstanceOptions {
  /** TCP port on 127.0.0.1; a free one by default. */
  port?: number;
  /** An empty or absent directory for the cluster; a fresh temporary one by default. */
  dataDir?: string;
  /** Where initdb, pg_ctl and postgres live; see findPostgresBinDir(). */
  binDir?: string;
}

/** Bound on every pg_ctl/initdb call: a wedged cluster must fail the caller, not hang it. */
const TOOL_TIMEOUT_MS = 60_000;

/**
 * A private PostgreSQL cluster for fault tests (S1-6.1-f): these stop and restart the database, which
 * must never happen to the shared one. It listens only on 127.0.0.1, with its Unix socket inside its
 * own data directory, trust authentication for the `postgres` user, and durability switched off
 * (a throwaway cluster needs speed, not crash safety). Running as root, every tool runs as the
 * `postgres` user (PostgreSQL refuses to run as root).
 */
export class PostgresInstance {
  private running = false;
  private readonly onExit = () => this.stopSync();
  /** Cuts short an initdb or a start still under way when the instance is destroyed meanwhile. */
  private readonly creation = new AbortController();
  private untrack: () => void = () => {};
  /** Settles when initdb and the first start have finished or failed. */
  private creating: Promise<void> = Promise.resolve();

  private constructor(
    readonly port: number,
    readonly dataDir: string,
    private readonly binDir: string,
    private readonly ownsDir: boolean,
  ) {}

  /** Creates the cluster (initdb) and starts it. */
  static async create(opts: PostgresInstanceOptions = {}): Promise<PostgresInstance> {
    const binDir = opts.binDir ?? findPostgresBinDir();
    const port = opts.port ?? (await freePort());
    const dataDir = opts.dataDir ?? (await mkdtemp(path.join(os.tmpdir(), 'mes-pg-')));
    await mkdir(dataDir, { recursive: true, mode: 0o700 });
    const instance = new PostgresInstance(port, path.resolve(dataDir), binDir, opts.dataDir === undefined);
    try {
      instance.untrack = trackStarted({ stop: () => instance.destroy() });
    } catch (err) {
      if (opts.dataDir === undefined) await rm(dataDir, { recursive: true, force: true });
      throw err;
    }
    const creation = instance.init().then(() => instance.start());
    instance.creating = creation.catch(() => {});
    try {
      await creation;
      return instance;
    } catch (err) {
      await instance.destroy().catch(() => {});
      throw err;
    }
  }

  /** The `postgres` database as the superuser; a server pointed here migrates it like any other. */
  get url(): string {
    return `postgres://postgres@127.0.0.1:${this.port}/postgres`;
  }

  get isRunning(): boolean {
    return this.running;
  }

  /** Starts the cluster and waits until it accepts connections. */
  async start(): Promise<void> {
    if (this.running) return;
    await this.tool('pg_ctl', ['-D', this.dataDir, '-l', path.join(this.dataDir, 'postgres.log'), '-w', '-t', '30', 'start'], this.creation.signal);
    this.running = true;
    process.once('exit', this.onExit);
  }

  /**
   * Stops the cluster. `fast` ends every session (clients see 57P01 admin_shutdown) and shuts down
   * cleanly; `immediate` kills the server processes, as a crash would, and recovery runs on start.
   */
  async stop(mode: 'fast' | 'immediate' = 'fast'): Promise<void> {
    if (!this.running) return;
    await this.tool('pg_ctl', ['-D', this.dataDir, '-m', mode, '-w', '-t', '30', 'stop']);
    this.running = false;
    process.removeListener('exit', this.onExit);
  }

  /** Stops the cluster and removes its data directory; an initdb or start still running is killed. */
  async destroy(): Promise<void> {
    this.creation.abort();
    await this.creating;
    try {
      // A start cut short may have left a postmaster running that `running` does not know of.
      if (existsSync(path.join(this.dataDir, 'postmaster.pid'))) this.running = true;
      await this.stop('immediate');
    } finally {
      this.untrack();
      process.removeListener('exit', this.onExit);
      // A directory the caller chose is emptied, not removed: it may be a mount point.
      if (this.ownsDir) await rm(this.dataDir, { recursive: true, force: true });
      else for (const entry of readdirSafe(this.dataDir)) await rm(path.join(this.dataDir, entry), { recursive: true, force: true });
    }
  }

  /**
   * An outside session that takes `table` in ACCESS EXCLUSIVE mode and holds it, idle in
   * transaction, until release(): every request that touches the table waits, each holding a pooled
   * connection (the pool-exhaustion drill). Resolves once the lock is held, with the session's pid.
   */
  async lockTable(table: string): Promise<{ pid: number; release(): Promise<void> }> {
    if (!/^[a-z_][a-z0-9_]*$/.test(table)) throw new PlatformError('INVALID_TABLE', `not a plain table name: ${table}`);
    const db = await openDatabase({ url: this.url, dataDir: this.dataDir });
    let unlock!: () => void;
    const released = new Promise<void>((resolve) => (unlock = resolve));
    let locked!: (pid: number) => void;
    const holding = new Promise<number>((resolve) => (locked = resolve));
    const session = db.asOwner(async (sql) => {
      await sql.query('BEGIN');
      await sql.query(`LOCK TABLE ${table} IN ACCESS EXCLUSIVE MODE`);
      locked((await sql.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0].pid);
      await released;
      await sql.query('ROLLBACK');
    }).finally(() => db.close());
    // A session that fails before it holds the lock rejects the caller; one that fails later (the
    // database was stopped meanwhile) has nothing left to undo.
    const pid = await Promise.race([holding, session.then(() => Promise.reject(new Error('the lock session ended early')))]);
    return {
      pid,
      release: async () => {
        unlock();
        await session.catch(() => {});
      },
    };
  }

  private async init(): Promise<void> {
    if (readdirSafe(this.dataDir).length > 0) throw new PlatformError('DATA_DIR_NOT_EMPTY', `${this.dataDir} is not empty; a PostgresInstance needs an empty data directory`);
    if (asRoot()) chownToPostgres(this.dataDir);
    await this.tool('initdb', ['-D', this.dataDir, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--no-locale', '--no-sync'], this.creation.signal);
    const settings = [
      `port = ${this.port}`,
      `listen_addresses = '127.0.0.1'`,
      `unix_socket_directories = '${this.dataDir}'`,
      'max_connections = 60',
      // A small footprint on a shared machine, and no durability: the cluster is thrown away.
      'shared_buffers = 32MB',
      'fsync = off',
      'synchronous_commit = off',
      'full_page_writes = off',
    ];
    await appendFile(path.join(this.dataDir, 'postgresql.conf'), `\n# mes PostgresInstance\n${settings.join('\n')}\n`);
  }

  private async tool(name: string, args: string[], signal?: AbortSignal): Promise<void> {
    const [file, argv] = command(path.join(this.binDir, name), args);
    try {
      await exec(file, argv, { timeout: TOOL_TIMEOUT_MS, cwd: os.tmpdir(), signal });
    } catch (err) {
      const e = err as Error & { stderr?: string; stdout?: string };
      throw new PlatformError('POSTGRES_TOOL_FAILED', `${name} ${args.join(' ')} failed: ${(e.stderr || e.stdout || e.message).trim()}`);
    }
  }

  /** The process is exiting without destroy(): stop the cluster so no postgres outlives its test. */
  private stopSync(): void {
    if (!this.running) return;
    const [file, argv] = command(path.join(this.binDir, 'pg_ctl'), ['-D', this.dataDir, '-m', 'immediate', '-w', '-t', '10', 'stop']);
    spawnSync(file, argv, { timeout: 15_000, stdio: 'ignore', cwd: os.tmpdir() });
    this.running = false;
  }
}

/**
 * The PostgreSQL server binaries: MES_PG_BIN, else the newest /usr/lib/postgresql/<version>/bin
 * (Debian's layout, where initdb is not on PATH), else what `pg_config --bindir` says.
 */
export function findPostgresBinDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.MES_PG_BIN) return env.MES_PG_BIN;
  const root = '/usr/lib/postgresql';
  const versions = readdirSafe(root)
    .filter((v) => /^\d+(\.\d+)?$/.test(v) && existsSync(path.join(root, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  if (versions.length) return path.join(root, versions[0], 'bin');
  const found = spawnSync('pg_config', ['--bindir'], { encoding: 'utf8', timeout: 10_000 });
  const dir = found.status === 0 ? found.stdout.trim() : '';
  if (dir && existsSync(path.join(dir, 'initdb'))) return dir;
  throw new PlatformError('POSTGRES_NOT_FOUND', 'no PostgreSQL server binaries (initdb, pg_ctl) found: install PostgreSQL or set MES_PG_BIN to their directory');
}

function command(file: string, args: string[]): [string, string[]] {
  return asRoot() ? ['runuser', ['-u', 'postgres', '--', file, ...args]] : [file, args];
}

const asRoot = () => process.getuid?.() === 0;

function chownToPostgres(dir: string): void {
  const ids = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
  const gid = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
  if (ids.status !== 0 || gid.status !== 0) throw new PlatformError('POSTGRES_USER_MISSING', 'running as root needs a "postgres" system user to run the cluster as');
  chownSync(dir, Number(ids.stdout.trim()), Number(gid.stdout.trim()));
}

function readdirSafe(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}
