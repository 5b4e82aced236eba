/** Shared by the local platform tests: a fresh PostgreSQL database per platform and a small constant load. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freshPostgresDatabase } from '../../server/test/harness.js';
import { LocalPlatform, type LocalPlatformOptions } from '../src/index.js';

export interface Started {
  platform: LocalPlatform;
  key: string;
  stop(): Promise<void>;
}

/** A platform on its own new database; stop() closes it and drops the database. */
export async function startPlatform(opts: Omit<LocalPlatformOptions, 'databaseUrl'>): Promise<Started> {
  const db = await freshPostgresDatabase();
  const logDir = mkdtempSync(path.join(tmpdir(), 'mes-platform-test-'));
  let platform: LocalPlatform;
  try {
    // Generous start-up bound: a replica compiles its serializers at start, seconds of CPU on a shared 2-core machine.
    platform = await LocalPlatform.start({ healthCheck: { intervalMs: 200, timeoutMs: 500 }, startTimeoutMs: 90_000, logDir, ...opts, databaseUrl: db.url });
  } catch (err) {
    await db.drop();
    throw err;
  }
  return {
    platform,
    key: platform.bootstrapApiKey!,
    async stop() {
      await platform.close();
      await db.drop();
      rmSync(logDir, { recursive: true, force: true });
    },
  };
}

export interface LoadResult {
  sent: number;
  ok: number;
  failed: number;
  availability: number;
  failures: string[];
  byStatus: Record<string, number>;
}

/**
 * Open-loop load: one request every intervalMs (bounded in flight), until stop(). A request fails
 * when it gets a 5xx or no answer; 4xx would be a test bug and counts as failed too.
 */
export function constantLoad(url: string, key: string, intervalMs = 10, path = '/v1/me') {
  let sent = 0;
  let ok = 0;
  let inFlight = 0;
  const failures: string[] = [];
  const byStatus: Record<string, number> = {};
  const pending = new Set<Promise<void>>();
  const one = async () => {
    sent++;
    inFlight++;
    try {
      const res = await fetch(url + path, { headers: { authorization: `Bearer ${key}` }, signal: AbortSignal.timeout(10_000) });
      const text = await res.text();
      byStatus[res.status] = (byStatus[res.status] ?? 0) + 1;
      if (res.status < 400) ok++;
      else failures.push(`${res.status} ${text.slice(0, 200)}`);
    } catch (err) {
      byStatus.network = (byStatus.network ?? 0) + 1;
      failures.push(`network: ${(err as Error).message} ${String((err as { cause?: Error }).cause?.message ?? '')}`);
    } finally {
      inFlight--;
    }
  };
  const timer = setInterval(() => {
    if (inFlight >= 50) return;
    const p = one();
    pending.add(p);
    void p.finally(() => pending.delete(p));
  }, intervalMs);
  return {
    get sent() {
      return sent;
    },
    async stop(): Promise<LoadResult> {
      clearInterval(timer);
      await Promise.all(pending);
      const failed = sent - ok;
      return { sent, ok, failed, availability: sent ? ok / sent : 0, failures: failures.slice(0, 20), byStatus };
    },
  };
}

export async function until(what: string, cond: () => boolean | Promise<boolean>, timeoutMs: number, pollMs = 50): Promise<number> {
  const t0 = Date.now();
  while (!(await cond())) {
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, pollMs));
  }
  return Date.now() - t0;
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
