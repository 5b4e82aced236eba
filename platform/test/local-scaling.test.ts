import { afterAll, describe, expect, it } from 'vitest';
import { constantLoad, isAlive, startPlatform, type Started } from './local-helpers.js';

const started: Started[] = [];

afterAll(async () => {
  for (const s of started) await s.stop();
});

describe('S1-6.1-c / S1-5.3.3-a: scaling the local platform', () => {
  it('S1-6.1-c / S1-5.3.3-a: scale 2 → 3 → 1: new replicas join the rotation, surplus ones drain and exit', async () => {
    const s = await startPlatform({ replicas: 2 });
    started.push(s);
    const { platform, key } = s;
    const load = constantLoad(platform.url, key, 25);
    await platform.scale(3);
    let replicas = await platform.replicas();
    expect(replicas.filter((r) => r.inRotation)).toHaveLength(3);
    await platform.scale(1);
    const seen = await load.stop();
    replicas = await platform.replicas();
    expect(replicas).toHaveLength(1);
    expect(replicas[0].inRotation).toBe(true);
    const drained = platform.events().filter((e) => e.type === 'replica_stopped').map((e) => e.replica);
    expect(drained).toHaveLength(2);
    console.log(`S1-6.1-c scale 2→3→1: load ${seen.sent} sent, ${seen.failed} failed`, seen.failures);
    expect(seen.failed).toBe(0);
    const events = platform.events();
    const pids = events.filter((e) => e.type === 'replica_started').map((e) => e.pid as number);
    expect(pids).toHaveLength(3);
    expect(pids.filter((p) => isAlive(p))).toEqual([replicas[0].pid]);
  });
});
