/**
 * The built server (`node dist/main.js`) as a real child process, for the suites that kill it,
 * stop it or run a second replica beside the in-process test server.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { call } from './harness.js';
import { waitFor } from './util.js';

const MAIN = fileURLToPath(new URL('../dist/main.js', import.meta.url));

/** A free TCP port on 127.0.0.1 (the kernel picks it; the race before the child binds it is accepted). */
export async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const port = (srv.address() as { port: number }).port;
  await new Promise((resolve) => srv.close(resolve));
  return port;
}

export interface ServerProcess {
  child: ChildProcess;
  url: string;
  /** The admin key the first start on an empty database prints once; undefined on later starts. */
  adminKey?: string;
  /** Output lines so far, as printed. */
  stdout: string[];
  stderr: string[];
  exited: Promise<{ code: number | null; signal: string | null; at: number }>;
}

export interface StartOptions {
  /** Settings added to (or overriding) the defaults: loopback, a free port, warn logs, a data dir per port. */
  env?: Record<string, string>;
  /** A first start on an empty database: wait for the admin key it prints (just after it listens). */
  firstStart?: boolean;
  /** The suite's cleanup list: the process is killed with SIGKILL at cleanup if it still runs. */
  cleanups: (() => unknown)[];
}

/** Starts the server on `databaseUrl` and resolves once /healthz answers 200; fails with its stderr if it exits first. */
export async function startServerProcess(databaseUrl: string, opts: StartOptions): Promise<ServerProcess> {
  expect(existsSync(MAIN), `${MAIN} is missing: build first (npx tsc -b server)`).toBe(true);
  const port = await freePort();
  const child = spawn(process.execPath, [MAIN], {
    env: {
      PATH: process.env.PATH ?? '', MES_DATABASE_URL: databaseUrl, MES_HOST: '127.0.0.1', MES_PORT: String(port),
      MES_LOG_LEVEL: 'warn', MES_DATA_DIR: `/tmp/mes-proc-${port}`, ...opts.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  opts.cleanups.push(() => child.exitCode === null && child.signalCode === null && child.kill('SIGKILL'));
  const stdout = collectLines(child.stdout!);
  const stderr = collectLines(child.stderr!);
  const exited = new Promise<{ code: number | null; signal: string | null; at: number }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal, at: Date.now() })),
  );
  const url = `http://127.0.0.1:${port}`;
  const healthy = async () => (await call(url, undefined, 'GET', '/healthz').catch(() => ({ status: 0 }))).status === 200;
  await waitFor(`${url}/healthz`, async () => child.exitCode !== null || (await healthy()), 30_000);
  const printedKey = () => /MES admin API key \(shown once\): (\S+)/.exec(stdout.join('\n'))?.[1];
  if (opts.firstStart) await waitFor('the admin key on stdout', () => child.exitCode !== null || printedKey() !== undefined, 10_000);
  expect(child.exitCode, stderr.join('\n')).toBeNull();
  const adminKey = printedKey();
  return { child, url, adminKey, stdout, stderr, exited };
}

/** SIGKILL, and wait until the process is gone. */
export async function killHard(proc: ServerProcess): Promise<void> {
  proc.child.kill('SIGKILL');
  await proc.exited;
}

/** The stream's complete lines, appended as they arrive. */
function collectLines(stream: NodeJS.ReadableStream): string[] {
  const lines: string[] = [];
  let partial = '';
  stream.on('data', (chunk: Buffer) => {
    const parts = (partial + chunk.toString('utf8')).split('\n');
    partial = parts.pop() ?? '';
    lines.push(...parts);
  });
  return lines;
}
