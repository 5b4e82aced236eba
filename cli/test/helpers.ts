/**
 * Runs `mes` as a user would: `node cli/bin/run.js …` in a child process, with MES_URL and
 * MES_API_KEY in its environment. Every child is bounded in time and killed by killAll().
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const BIN = fileURLToPath(new URL('../bin/run.js', import.meta.url));

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  url?: string;
  apiKey?: string;
  env?: Record<string, string | undefined>;
  timeoutMs?: number;
}

const children = new Set<ChildProcess>();

/** The environment of a child: this one's, minus every MES_* setting the test did not choose. */
function childEnv(opts: RunOptions): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('MES_') && k !== 'NODE_OPTIONS') env[k] = v;
  if (opts.url !== undefined) env.MES_URL = opts.url;
  if (opts.apiKey !== undefined) env.MES_API_KEY = opts.apiKey;
  env.NO_COLOR = '1';
  for (const [k, v] of Object.entries(opts.env ?? {})) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  return env;
}

/** Runs `mes <args>` to completion (killed after timeoutMs). */
export function mes(args: string[], opts: RunOptions = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: childEnv(opts), stdio: ['ignore', 'pipe', 'pipe'] });
    children.add(child);
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const limit = opts.timeoutMs ?? 60_000;
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, limit);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      children.delete(child);
      if (timedOut) stderr += `\n[test helper: mes ${args.join(' ')} was still running after ${limit} ms and was killed]`;
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/** `mes <args> --json`, its stdout parsed. */
export async function mesJson(args: string[], opts: RunOptions = {}): Promise<RunResult & { json: any }> {
  const res = await mes([...args, '--json'], opts);
  let json: unknown;
  try {
    json = JSON.parse(res.stdout);
  } catch (err) {
    throw new Error(`stdout of mes ${args.join(' ')} --json is not JSON (exit ${res.code ?? res.signal}): ${res.stdout}\nstderr: ${res.stderr}`, { cause: err });
  }
  return { ...res, json };
}

export interface LongRunning {
  child: ChildProcess;
  /** Everything printed so far. */
  out(): { stdout: string; stderr: string };
  /** Resolves with the first complete stdout line. */
  firstLine: Promise<string>;
  /** Resolves when the process has exited. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts `mes <args>` and leaves it running (for `mes up`). */
export function start(args: string[], opts: RunOptions = {}): LongRunning {
  const child = spawn(process.execPath, [BIN, ...args], { env: childEnv(opts), stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  let stdout = '';
  let stderr = '';
  let lineResolve!: (l: string) => void;
  let lineReject!: (e: Error) => void;
  const firstLine = new Promise<string>((res, rej) => {
    lineResolve = res;
    lineReject = rej;
  });
  child.stdout!.setEncoding('utf8').on('data', (d: string) => {
    stdout += d;
    const nl = stdout.indexOf('\n');
    if (nl >= 0) lineResolve(stdout.slice(0, nl));
  });
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('close', (code, signal) => {
      children.delete(child);
      lineReject(new Error(`mes ${args.join(' ')} exited (${code ?? signal}) before printing a line.\nstdout: ${stdout}\nstderr: ${stderr.slice(-4000)}`));
      resolve({ code, signal });
    });
  });
  firstLine.catch(() => {});
  return { child, out: () => ({ stdout, stderr }), firstLine, exited };
}

/** Resolves with the exit, or rejects when the process is still running after ms. */
/** Whether a process with this pid still exists. */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what}: still not done after ${ms} ms`)), ms);
    }),
  ]);
}

/** Kills every child still running (afterAll). */
export async function killAll(): Promise<void> {
  const waits = [...children].map(
    (c) =>
      new Promise<void>((resolve) => {
        c.once('close', () => resolve());
        c.kill('SIGKILL');
      }),
  );
  await Promise.all(waits);
}

/** A temporary directory, removed by the returned cleanup. */
export function tempDir(prefix = 'mes-cli-'): { dir: string; remove(): void } {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
