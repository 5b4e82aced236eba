import { DatabaseUnavailableError, poolSaturated, type Database } from './db.js';
import { MesProblem } from './errors.js';

export interface PlanLimits {
  code: string;
  requestsPerSecond: number | null;
  burst: number | null;
  maxConcurrent: number | null;
}

interface Bucket {
  /** The plan the tokens were counted under. */
  plan: string;
  tokens: number;
  refilledAt: number;
  inFlight: number;
}

/**
 * Per-tenant token bucket (rate) and in-flight counter (concurrency), sized by the tenant's plan
 * (S1-5.3.2-b). The plan is re-read every planTtlMs, and at once in the process that changed it,
 * so an upgrade raises the ceiling without a restart (S1-5.3.3-b). Limits are per replica: with N
 * replicas behind a balancer a tenant gets up to N times its plan.
 */
export class TenantRateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly plans = new Map<string, { limits: PlanLimits; loadedAt: number }>();

  constructor(private readonly db: Database, private readonly planTtlMs = 2000) {}

  /** Takes a token and an in-flight slot, or throws 429. Call release() when the request ends. */
  async admit(tenantId: string): Promise<() => void> {
    const limits = await this.limitsFor(tenantId);
    const bucket = this.bucketFor(tenantId, limits);
    if (limits.requestsPerSecond !== null && limits.burst !== null) {
      const now = Date.now();
      bucket.tokens = Math.min(limits.burst, bucket.tokens + ((now - bucket.refilledAt) / 1000) * limits.requestsPerSecond);
      bucket.refilledAt = now;
      if (bucket.tokens < 1) {
        const wait = Math.max(1, Math.ceil((1 - bucket.tokens) / limits.requestsPerSecond));
        throw new MesProblem(429, 'RATE_LIMITED', `tenant plan ${limits.code} allows ${limits.requestsPerSecond} requests per second; retry after ${wait} s or upgrade the plan`, {
          headers: { 'retry-after': String(wait) },
          plan: limits.code,
        });
      }
    }
    if (limits.maxConcurrent !== null && bucket.inFlight >= limits.maxConcurrent) {
      throw new MesProblem(429, 'CONCURRENCY_LIMITED', `tenant plan ${limits.code} allows ${limits.maxConcurrent} requests at once; retry after 1 s or upgrade the plan`, {
        headers: { 'retry-after': '1' },
        plan: limits.code,
      });
    }
    if (limits.requestsPerSecond !== null) bucket.tokens -= 1;
    bucket.inFlight++;
    let released = false;
    return () => {
      if (!released) bucket.inFlight--;
      released = true;
    };
  }

  forget(tenantId: string): void {
    this.plans.delete(tenantId);
  }

  private bucketFor(tenantId: string, limits: PlanLimits): Bucket {
    let b = this.buckets.get(tenantId);
    if (!b) {
      b = { plan: limits.code, tokens: limits.burst ?? 0, refilledAt: Date.now(), inFlight: 0 };
      this.buckets.set(tenantId, b);
    } else if (b.plan !== limits.code) {
      // A new plan starts with its own full burst (an upgraded tenant is not left waiting for the
      // refill of an empty bucket); requests in flight keep their slots.
      Object.assign(b, { plan: limits.code, tokens: limits.burst ?? 0, refilledAt: Date.now() });
    }
    return b;
  }

  private async limitsFor(tenantId: string): Promise<PlanLimits> {
    const cached = this.plans.get(tenantId);
    if (cached && Date.now() - cached.loadedAt < this.planTtlMs) return cached.limits;
    // While the database cannot answer, the last plan read stands: admission must not queue for a
    // connection nor fail a request (diagnostics among them) that needs none.
    if (cached && poolSaturated(this.db.stats())) return cached.limits;
    try {
      return await this.loadLimits(tenantId);
    } catch (err) {
      if (cached && err instanceof DatabaseUnavailableError) return cached.limits;
      throw err;
    }
  }

  private async loadLimits(tenantId: string): Promise<PlanLimits> {
    const rows = await this.db.transaction({ tenantId }, async (tx) =>
      (
        await tx.query<{ code: string; requests_per_second: number | null; burst: number | null; max_concurrent: number | null }>(
          'SELECT p.code, p.requests_per_second, p.burst, p.max_concurrent FROM tenants t JOIN plans p ON p.code = t.plan_code WHERE t.id = $1',
          [tenantId],
        )
      ).rows,
    );
    const r = rows[0];
    const limits: PlanLimits = r
      ? { code: r.code, requestsPerSecond: r.requests_per_second, burst: r.burst, maxConcurrent: r.max_concurrent }
      : { code: 'unknown', requestsPerSecond: null, burst: null, maxConcurrent: null };
    this.plans.set(tenantId, { limits, loadedAt: Date.now() });
    return limits;
  }
}
