import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PlatformError, LocalPlatform } from '../src/index.js';
import { constantLoad, isAlive, startPlatform, until, type Started } from './local-helpers.js';

let s: Started;

beforeAll(async () => {
  s = await startPlatform({ replicas: 2, chaos: true });
});

afterAll(async () => {
  const pids = (await s?.platform.replicas())?.map((r) => r.pid!) ?? [];
  await s?.stop();
  for (const pid of pids) expect(isAlive(pid)).toBe(false);
});

describe('local platform: front, health checks, failover', () => {
  it('refuses anything but PostgreSQL: processes cannot share an embedded PGlite', async () => {
    const err = await LocalPlatform.start({ databaseUrl: 'memory://', replicas: 2 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PlatformError);
    expect(err).toMatchObject({ code: 'NEEDS_POSTGRES' });
    expect((err as Error).message).toContain('--database postgres://');
  });

  it('two replicas behind one front: requests through it, spread over both, bootstrap key captured', async () => {
    const { platform, key } = s;
    expect(key).toMatch(/^mes_/);
    const replicas = await platform.replicas();
    expect(replicas).toHaveLength(2);
    expect(replicas.every((r) => r.inRotation && r.phase === 'ready' && r.pid && r.url?.startsWith('http://127.0.0.1:'))).toBe(true);
    for (let i = 0; i < 6; i++) {
      const res = await fetch(`${platform.url}/v1/me`, { headers: { authorization: `Bearer ${key}`, traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' } });
      expect(res.status).toBe(200);
      // traceparent passes through untouched: the server answers in the same trace.
      expect(res.headers.get('traceparent')).toMatch(/^00-0af7651916cd43dd8448eb211c80319c-/);
    }
    // Oversized bodies are refused by the front itself.
    const big = await fetch(`${platform.url}/v1/tenants`, { method: 'POST', body: 'x'.repeat(1024 * 1024 + 10), headers: { 'content-type': 'application/json' } });
    expect(big.status).toBe(413);
    expect(await big.json()).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
  });

  it('a replica whose /readyz stops answering (SIGSTOP) leaves the rotation, and returns when it answers again', async () => {
    const { platform, key } = s;
    const [victim] = await platform.replicas();
    process.kill(victim.pid!, 'SIGSTOP');
    try {
      await until('replica out of rotation', async () => !(await platform.replicas()).find((r) => r.id === victim.id)!.inRotation, 10_000);
      // Requests keep working through the other one.
      for (let i = 0; i < 4; i++) expect((await fetch(`${platform.url}/v1/me`, { headers: { authorization: `Bearer ${key}` } })).status).toBe(200);
    } finally {
      process.kill(victim.pid!, 'SIGCONT');
    }
    await until('replica back in rotation', async () => (await platform.replicas()).find((r) => r.id === victim.id)!.inRotation, 10_000);
    const types = platform.events().filter((e) => e.replica === victim.id).map((e) => e.type);
    expect(types).toContain('replica_unready');
    expect(types.lastIndexOf('replica_ready')).toBeGreaterThan(types.indexOf('replica_unready'));
  });

  it('S1-6.1-g / S1-5.3.7: kill -9 one replica under constant load: availability ≥ 99.9 %, the replica is replaced', async () => {
    const { platform, key } = s;
    const load = constantLoad(platform.url, key, 10);
    await until('some load', () => load.sent >= 100, 10_000);
    const [victim] = await platform.replicas();
    await platform.kill(victim.id);
    expect(isAlive(victim.pid!)).toBe(false);
    await until('replacement ready', () => platform.replacements().some((r) => r.replica === victim.id && r.readyAt !== undefined), 30_000);
    await platform.waitReady(2, 10_000);
    await new Promise((r) => setTimeout(r, 1000));
    const result = await load.stop();
    const replacement = platform.replacements().find((r) => r.replica === victim.id)!;
    console.log(`S1-6.1-g: ${result.sent} requests, ${result.failed} failed, availability ${(result.availability * 100).toFixed(3)} %, replaced by ${replacement.replacement} after ${replacement.replacedAfterMs} ms`, result.failures);
    expect(result.sent).toBeGreaterThan(200);
    expect(result.availability).toBeGreaterThanOrEqual(0.999);
    const replicas = await platform.replicas();
    expect(replicas.map((r) => r.id)).not.toContain(victim.id);
    expect(replicas.filter((r) => r.inRotation)).toHaveLength(2);
    expect(replacement.replacedAfterMs).toBeGreaterThan(0);
  });

  it('blockEventLoop: the blocked replica fails its checks and leaves the rotation, then returns', async () => {
    const { platform } = s;
    const [victim] = (await platform.replicas()).filter((r) => r.inRotation);
    await platform.blockEventLoop(victim.id, 2500);
    await until('blocked replica out of rotation', async () => !(await platform.replicas()).find((r) => r.id === victim.id)?.inRotation, 10_000);
    await until('blocked replica back', async () => (await platform.replicas()).find((r) => r.id === victim.id)?.inRotation === true, 15_000);
  });
});
