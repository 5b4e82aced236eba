/** Small helpers shared by the suites; no server logic lives here. */
import { randomBytes } from 'node:crypto';
import { call, type TestServer } from './harness.js';

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A W3C traceparent with a fresh trace id; returns both. */
export function newTrace(): { traceId: string; traceparent: string } {
  const traceId = randomBytes(16).toString('hex');
  return { traceId, traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01` };
}

/** Polls cond every 20 ms until it holds or timeoutMs passes; throws with what it was waiting for. */
export async function waitFor(what: string, cond: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await cond()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(20);
  }
}

/** Every item of a paged list (at most 50 pages), with the given key. */
export async function listAll(t: TestServer, key: string, path: string): Promise<any[]> {
  const items: any[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < 50; page++) {
    const sep = path.includes('?') ? '&' : '?';
    const res = await call(t.url, key, 'GET', `${path}${sep}limit=500${cursor ? `&cursor=${cursor}` : ''}`);
    if (res.status !== 200) throw new Error(`GET ${path}: ${res.status} ${JSON.stringify(res.body)}`);
    items.push(...res.body.items);
    cursor = res.body.nextCursor;
    if (!cursor) return items;
  }
  throw new Error(`${path} has more than 50 pages`);
}

/** The key id inside an API key `mes_<tenant>_<key>_<secret>`, as a UUID. */
export function keyIdOf(key: string): string {
  const hex = key.split('_')[2];
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export const uuidHex = (id: string) => id.replace(/-/g, '');

/**
 * How many server sessions (application_name mes-server) on the client's database wait on a lock.
 * Clears the statistics snapshot first: inside a transaction pg_stat_activity is otherwise frozen
 * at its first read.
 */
export async function lockWaiters(client: { query: (text: string) => Promise<{ rows: any[] }> }): Promise<number> {
  await client.query('SELECT pg_stat_clear_snapshot()');
  const { rows } = await client.query(
    `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'mes-server' AND wait_event_type = 'Lock'`,
  );
  return rows[0].n;
}

/** Runs every cleanup, newest first, even when one fails; then throws the first failure. */
export async function runCleanups(cleanups: (() => unknown)[]): Promise<void> {
  let first: unknown;
  for (const c of cleanups.splice(0).reverse()) {
    try {
      await c();
    } catch (err) {
      first ??= err;
    }
  }
  if (first) throw first;
}
