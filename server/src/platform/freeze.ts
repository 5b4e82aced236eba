/**
 * The tenant freeze of a go-live cutover (S1-7.3-a): while a cutover of a tenant is frozen, the
 * request pipeline refuses the tenant's writes with 423 TENANT_FROZEN, except the cutover's own
 * (routes marked `cutover: 'own'`, and imports marked `cutover: 'import'` that name the frozen
 * cutover in the `Mes-Cutover` header). Reads, health and login are never refused.
 *
 * Like the tenant-state check, the answer is cached per tenant for a short time (ttlMs), so a
 * write costs no query; this process forgets a tenant at once when its cutover freezes or
 * unfreezes, and other replicas within ttlMs, which the cutover's freeze step waits out.
 */
import type { FastifyRequest } from 'fastify';
import { MesProblem } from './errors.js';

export const CUTOVER_HEADER = 'mes-cutover';

/** Which cutover holds the tenant frozen, or null. */
export type FrozenBy = (tenantId: string) => Promise<string | null>;

export class TenantFreeze {
  private readonly cache = new Map<string, { cutoverId: string | null; loadedAt: number }>();

  constructor(private readonly frozenBy: FrozenBy, readonly ttlMs: number) {}

  forget(tenantId: string): void {
    this.cache.delete(tenantId);
  }

  /** Throws 423 TENANT_FROZEN for a write the freeze does not let through. */
  async admit(req: FastifyRequest, tenantId: string): Promise<void> {
    if (!isWrite(req)) return;
    const cutoverId = await this.cutoverOf(tenantId);
    if (!cutoverId) return;
    const own = req.routeOptions.config.cutover;
    if (own === 'own') return;
    if (own === 'import' && req.headers[CUTOVER_HEADER] === cutoverId) return;
    throw new MesProblem(423, 'TENANT_FROZEN', `the tenant is frozen for go-live cutover ${cutoverId}: writes are refused until it finishes (mes cutover run) or is rolled back (mes cutover rollback); reads still work`, {
      cutoverId, headers: { 'retry-after': '60' },
    });
  }

  private async cutoverOf(tenantId: string): Promise<string | null> {
    const hit = this.cache.get(tenantId);
    if (hit && Date.now() - hit.loadedAt < this.ttlMs) return hit.cutoverId;
    const cutoverId = await this.frozenBy(tenantId);
    this.cache.set(tenantId, { cutoverId, loadedAt: Date.now() });
    return cutoverId;
  }
}

function isWrite(req: FastifyRequest): boolean {
  return !['GET', 'HEAD', 'OPTIONS'].includes(req.method) && req.routeOptions.config.readOnly !== true;
}
