import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { constantLoad, startPlatform, type Started } from './local-helpers.js';

let s: Started;

beforeAll(async () => {
  s = await startPlatform({ replicas: 2, release: { name: 'A' }, analysis: { windowMs: 1500, minRequests: 10 } });
});

afterAll(async () => {
  await s?.stop();
});

describe('S1-6.1-d / S1-5.3.4: rolling upgrade and rollback() (local)', () => {
  it('S1-6.1-d / S1-5.3.4: upgrade A → B under load completes with zero failed requests, never below N ready', async () => {
    const { platform, key } = s;
    const load = constantLoad(platform.url, key, 20);
    const result = await platform.upgrade({ name: 'B' }, { maxErrorRate: 0.05 });
    const seen = await load.stop();
    console.log(`S1-6.1-d upgrade: ${JSON.stringify(result)}; load ${seen.sent} sent, ${seen.failed} failed`, seen.failures);
    expect(result).toMatchObject({ outcome: 'completed', from: 'A', to: 'B' });
    expect(result.minReadyDuringRollout).toBeGreaterThanOrEqual(2);
    expect(result.analysis).toHaveLength(2);
    expect(result.analysis.every((a) => a.verdict !== 'fail')).toBe(true);
    expect(seen.sent).toBeGreaterThan(100);
    expect(seen.failed).toBe(0);
    expect(await platform.release()).toBe('B');
    const replicas = await platform.replicas();
    expect(replicas.map((r) => r.release)).toEqual(['B', 'B']);
  });

  it('S1-6.1-d / S1-5.3.4: rollback() returns to the previous release, also without failed requests', async () => {
    const { platform, key } = s;
    // One replica keeps this file short: each replica start costs seconds of CPU.
    await platform.scale(1);
    const load = constantLoad(platform.url, key, 20);
    const result = await platform.rollback();
    const seen = await load.stop();
    console.log(`S1-6.1-d rollback(): ${JSON.stringify(result)}; load ${seen.sent} sent, ${seen.failed} failed`, seen.failures);
    expect(seen.failed).toBe(0);
    expect(result.minReadyDuringRollout).toBeGreaterThanOrEqual(1);
    expect(result).toMatchObject({ outcome: 'completed', from: 'B', to: 'A' });
    expect(await platform.release()).toBe('A');
    expect((await platform.replicas()).map((r) => r.release)).toEqual(['A']);
  });
});
