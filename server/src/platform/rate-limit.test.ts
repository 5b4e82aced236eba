/**
 * TenantRateLimiter against a real database (S1-5.3.2-b plan limits, S1-5.3.3-b raising them
 * without a restart). Called directly so that "in flight" is exact: a slot is held until release().
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase } from '../../test/harness.js';
import type { Database } from './db.js';
import { MesProblem } from './errors.js';
import { TenantRateLimiter } from './rate-limit.js';

let db: Database;
let closeDb: (() => Promise<void>) | undefined;

beforeAll(async () => {
  ({ db, close: closeDb } = await openTestDatabase());
});

afterAll(async () => {
  await closeDb?.();
});

async function tenantOn(plan: string): Promise<string> {
  const id = randomUUID();
  await db.asOwner((sql) => sql.query('INSERT INTO tenants (id, slug, name, plan_code) VALUES ($1, $2, $2, $3)', [id, `t-${id.slice(0, 8)}`, plan]));
  return id;
}

const setPlan = (id: string, plan: string) => db.asOwner((sql) => sql.query('UPDATE tenants SET plan_code = $2 WHERE id = $1', [id, plan]));

/**
 * Admits (and releases) until the first refusal, at most 200 times; checks that exactly the burst
 * got through, give or take what the rate refilled meanwhile, and returns the refusal.
 */
async function exhaust(limiter: TenantRateLimiter, id: string, burst: number, perSecond: number): Promise<MesProblem> {
  const started = Date.now();
  let admitted = 0;
  for (; admitted < 200; admitted++) {
    const release = await limiter.admit(id).catch((e: unknown) => e);
    if (release instanceof MesProblem) {
      const elapsedS = (Date.now() - started) / 1000;
      expect(admitted).toBeGreaterThanOrEqual(burst);
      expect(admitted).toBeLessThanOrEqual(burst + Math.ceil(elapsedS * perSecond) + 1);
      return release;
    }
    (release as () => void)();
  }
  throw new Error('never refused in 200 admissions');
}

async function refusal(p: Promise<unknown>): Promise<MesProblem> {
  const err = await p.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(MesProblem);
  return err as MesProblem;
}

describe('TenantRateLimiter', () => {
  it('S1-5.3.2-b: basic admits 4 at once; the 5th is 429 CONCURRENCY_LIMITED; releasing one admits again', async () => {
    const limiter = new TenantRateLimiter(db, 60_000);
    const id = await tenantOn('basic');
    const held = [];
    for (let i = 0; i < 4; i++) held.push(await limiter.admit(id));
    const err = await refusal(limiter.admit(id));
    expect([err.status, err.code, err.extras.headers?.['retry-after'], err.extras.plan]).toEqual([429, 'CONCURRENCY_LIMITED', '1', 'basic']);
    held[0]();
    held.push(await limiter.admit(id));
    expect((await refusal(limiter.admit(id))).code).toBe('CONCURRENCY_LIMITED');
  });

  it('S1-5.3.2-b: release is idempotent: releasing one request twice frees one slot, not two', async () => {
    const limiter = new TenantRateLimiter(db, 60_000);
    const id = await tenantOn('basic');
    const held = [];
    for (let i = 0; i < 4; i++) held.push(await limiter.admit(id));
    held[0]();
    held[0]();
    await limiter.admit(id);
    expect((await refusal(limiter.admit(id))).code).toBe('CONCURRENCY_LIMITED');
  });

  it('S1-5.3.2-b: basic admits its burst of 40, then 429 RATE_LIMITED with a whole-second Retry-After', async () => {
    const limiter = new TenantRateLimiter(db, 60_000);
    const id = await tenantOn('basic');
    const err = await exhaust(limiter, id, 40, 20);
    expect([err.status, err.code, err.extras.plan]).toEqual([429, 'RATE_LIMITED', 'basic']);
    expect(err.extras.headers?.['retry-after']).toMatch(/^[1-9]\d*$/);
  });

  it('S1-5.3.2-b: tenants have separate buckets', async () => {
    const limiter = new TenantRateLimiter(db, 60_000);
    const a = await tenantOn('basic');
    const b = await tenantOn('basic');
    expect((await exhaust(limiter, a, 40, 20)).code).toBe('RATE_LIMITED');
    for (let i = 0; i < 40; i++) (await limiter.admit(b))();
  });

  it('S1-5.3.2-b: an unlimited tenant is limited neither in rate nor in concurrency', async () => {
    const limiter = new TenantRateLimiter(db, 60_000);
    const id = await tenantOn('unlimited');
    for (let i = 0; i < 500; i++) await limiter.admit(id); // never released
  });

  it('S1-5.3.3-b: after an upgrade to premium (forget, as the PATCH does), a burst of 60 passes at once', async () => {
    const limiter = new TenantRateLimiter(db, 60_000);
    const id = await tenantOn('basic');
    expect((await exhaust(limiter, id, 40, 20)).code).toBe('RATE_LIMITED');
    await setPlan(id, 'premium');
    limiter.forget(id);
    // A tight loop: much faster than premium's 500/s refill, so only the new plan's burst can carry it.
    for (let i = 0; i < 60; i++) (await limiter.admit(id))();
    // And the new concurrency ceiling: 64 at once.
    const held = [];
    for (let i = 0; i < 64; i++) held.push(await limiter.admit(id));
    expect((await refusal(limiter.admit(id))).code).toBe('CONCURRENCY_LIMITED');
  });

  it('S1-5.3.3-b: a plan changed elsewhere (another replica) applies here once planTtlMs has passed', async () => {
    const limiter = new TenantRateLimiter(db, 1000);
    const id = await tenantOn('basic');
    (await limiter.admit(id))(); // loads and caches plan basic
    await setPlan(id, 'unlimited'); // changed in the database only: this limiter is not told
    expect((await exhaust(limiter, id, 39, 20)).code).toBe('RATE_LIMITED'); // still counted as basic
    await new Promise((r) => setTimeout(r, 1100));
    for (let i = 0; i < 100; i++) await limiter.admit(id); // never released: no concurrency limit either
  });
});
