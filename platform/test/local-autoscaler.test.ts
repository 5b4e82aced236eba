import { afterAll, describe, expect, it } from 'vitest';
import { constantLoad, startPlatform, until, type Started } from './local-helpers.js';

const started: Started[] = [];

afterAll(async () => {
  for (const s of started) await s.stop();
});

describe('S1-6.1-c / S1-5.3.3-a: the local autoscaler (HPA algorithm on /metrics)', () => {
  it('S1-6.1-c / S1-5.3.3-a: the autoscaler scales out under load and back in after the stabilisation window', async () => {
    const s = await startPlatform({
      replicas: 1,
      autoscaler: { minReplicas: 1, maxReplicas: 2, target: 15, syncPeriodMs: 1000, scaleDownStabilizationMs: 3000 },
    });
    started.push(s);
    const { platform, key } = s;
    expect(await platform.autoscaler()).toMatchObject({ currentReplicas: 1, config: { metric: 'mes_http_request_duration_seconds_count', tolerance: 0.1 } });
    const load = constantLoad(platform.url, key, 20); // ~50 req/s against a target of 15 per replica
    const decidedMs = await until('scale-out decision', async () => (await platform.autoscaler())!.events.length > 0, 30_000, 100);
    const outMs = await until('scale-out', async () => (await platform.replicas()).filter((r) => r.inRotation).length === 2, 120_000, 200);
    const seen = await load.stop();
    const state = (await platform.autoscaler())!;
    console.log(`S1-6.1-c: scale-out decided after ${decidedMs} ms, 2 ready after ${outMs} ms; load ${seen.sent} sent, ${seen.failed} failed`, JSON.stringify(state.events));
    const out = state.events[0];
    expect(out.from).toBe(1);
    expect(out.to).toBe(2);
    expect(out.metricValue).toBeGreaterThan(15 * 1.1);
    expect(seen.failed).toBe(0);
    // No load: the recommendation drops to minReplicas, applied once the window has passed.
    const inMs = await until('scale-in', async () => (await platform.replicas()).length === 1 && (await platform.autoscaler())!.currentReplicas === 1, 60_000, 200);
    // Not before the window: the first scale-in decision comes ≥ 3 s after the load stopped.
    const after = (await platform.autoscaler())!;
    console.log(`S1-6.1-c: scaled back in within ${inMs} ms`, JSON.stringify(after.events.at(-1)));
    expect(after.events.at(-1)).toMatchObject({ to: 1 });
    expect(after.currentMetric).toBeLessThan(15);
    expect(platform.events().map((e) => e.type)).toContain('autoscaled');
  });
});
