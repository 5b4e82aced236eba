import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { constantLoad, startPlatform, type Started } from './local-helpers.js';

let s: Started;

beforeAll(async () => {
  s = await startPlatform({ replicas: 2, release: { name: 'A' }, analysis: { windowMs: 3000, minRequests: 10 } });
});

afterAll(async () => {
  await s?.stop();
});

describe('S1-6.1-d / S1-5.3.4: faulty releases are rolled back automatically (local)', () => {
  it('S1-6.1-d / S1-5.3.4: a release that never gets ready is rolled back automatically, with the reason', async () => {
    const { platform } = s;
    const result = await platform.upgrade({ name: 'C-unready', env: { MES_CHAOS_READINESS: 'fail' } }, { readinessTimeoutMs: 4000 });
    console.log(`S1-6.1-d readiness: ${JSON.stringify(result)}`);
    expect(result).toMatchObject({ outcome: 'rolled_back', from: 'A', to: 'C-unready' });
    expect(result.reason).toMatch(/^readiness: r\d+ not ready within 4000 ms/);
    expect(result.minReadyDuringRollout).toBeGreaterThanOrEqual(2);
    expect(await platform.release()).toBe('A');
    const replicas = await platform.replicas();
    expect(replicas.map((r) => r.release)).toEqual(['A', 'A']);
    expect(replicas.every((r) => r.inRotation)).toBe(true);
  });

  it('S1-6.1-d / S1-5.3.4: a release answering 5xx above the threshold is rolled back, the analysis shows the error rate', async () => {
    const { platform, key } = s;
    const load = constantLoad(platform.url, key, 20);
    const result = await platform.upgrade({ name: 'D-faulty', env: { MES_CHAOS_HTTP_500_RATE: '0.5' } }, { windowMs: 3000, minRequests: 10, maxErrorRate: 0.05 });
    const seen = await load.stop();
    console.log(`S1-6.1-d 5xx: ${JSON.stringify(result)}; load ${seen.sent} sent, ${seen.failed} failed`, seen.byStatus);
    expect(result).toMatchObject({ outcome: 'rolled_back', to: 'D-faulty' });
    expect(result.reason).toMatch(/^error rate 0\.\d+ > 0\.05/);
    const failed = result.analysis.at(-1)!;
    expect(failed).toMatchObject({ verdict: 'fail' });
    expect(failed.requests).toBeGreaterThanOrEqual(10);
    expect(failed.errorRate).toBeGreaterThan(0.2);
    expect(result.minReadyDuringRollout).toBeGreaterThanOrEqual(2);
    expect(await platform.release()).toBe('A');
    expect((await platform.replicas()).map((r) => r.release)).toEqual(['A', 'A']);
    // Clients did see the faulty replica's errors while it was analysed: counted, not hidden.
    expect(seen.failed).toBeGreaterThan(0);
    const types = platform.events().map((e) => e.type);
    expect(types).toContain('analysis');
    expect(types).toContain('rollout_rolled_back');
  });
});
