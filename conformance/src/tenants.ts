/**
 * Tenants, keys and data the run creates, and their removal. The runner only ever touches what it
 * created: tenants it made with the platform admin key, and their keys. The API has no way to delete
 * a tenant or its business rows (the audit chain and the ledger are append-only), so cleanup does
 * what the API allows and the report says exactly what is left.
 */
import type { HttpResponse, HttpTarget, RequestOptions } from './http.js';

export interface TestTenant {
  id: string;
  slug: string;
  plan: string;
  adminKey: string;
  adminKeyId: string;
  adminUserId: string;
}

export interface CleanupReport {
  tenants: Array<{
    slug: string;
    id: string;
    keysRevoked: string[];
    keysNotRevoked: Array<{ id: string; reason: string }>;
    suspended: boolean;
    suspendError?: string;
    /** After suspension, the tenant's admin key is refused (checked with one request). */
    adminKeyRefused?: { status: number; code?: string };
    /** Rows created through the API that the API cannot delete, by collection. */
    left: Record<string, number>;
  }>;
  notRemovable: string;
}

const NOT_REMOVABLE =
  'The mes API has no operation that deletes a tenant or its business rows (the audit chain and the stock ledger are append-only by design). ' +
  'The runner revoked every API key it issued and suspended every tenant it created, so nothing it made can be used; the rows listed under `left` stay in the suspended tenants.';

export class TenantPool {
  readonly created: TestTenant[] = [];
  private readonly keys = new Map<string, Array<{ id: string; key: string }>>();
  private readonly rows = new Map<string, Record<string, number>>();

  constructor(
    private readonly target: HttpTarget,
    private readonly platformKey: string,
    private readonly prefix: string,
  ) {}

  /** A new tenant on `plan`, named `<prefix>-<label>`, with its admin key. */
  async create(label: string, plan = 'unlimited'): Promise<TestTenant> {
    const slug = `${this.prefix}-${label}`.toLowerCase().slice(0, 63);
    const res = await this.target.request('POST', '/v1/tenants', {
      key: this.platformKey,
      body: { slug, name: `conformance ${label}`, plan },
    });
    if (res.status !== 201) throw new Error(`creating tenant ${slug}: HTTP ${res.status} ${res.text.slice(0, 300)}`);
    const t: TestTenant = {
      id: res.json.tenant.id,
      slug,
      plan,
      adminKey: res.json.apiKey.key,
      adminKeyId: res.json.apiKey.apiKey.id,
      adminUserId: res.json.admin.id,
    };
    this.created.push(t);
    return t;
  }

  /** An API key in `tenant` with these permissions; revoked at cleanup. */
  async key(tenant: TestTenant, name: string, permissions: string[]): Promise<{ id: string; key: string }> {
    const res = await this.target.request('POST', '/v1/api-keys', { key: tenant.adminKey, body: { name, permissions } });
    if (res.status !== 201) throw new Error(`creating API key ${name} in ${tenant.slug}: HTTP ${res.status} ${res.text.slice(0, 300)}`);
    const list = this.keys.get(tenant.id) ?? [];
    list.push({ id: res.json.apiKey.id, key: res.json.key });
    this.keys.set(tenant.id, list);
    return { id: res.json.apiKey.id, key: res.json.key };
  }

  /**
   * A request with the platform admin's key, for what only a platform admin may do to a tenant this
   * run created (a backup drill of it); the key itself never leaves the pool.
   */
  asPlatform(method: string, path: string, opts: Omit<RequestOptions, 'key'> = {}): Promise<HttpResponse> {
    return this.target.request(method, path, { ...opts, key: this.platformKey });
  }

  /** Counts a row created in `tenant`'s `collection`, for the cleanup report. */
  noteRow(tenant: TestTenant, collection: string): void {
    const r = this.rows.get(tenant.id) ?? {};
    r[collection] = (r[collection] ?? 0) + 1;
    this.rows.set(tenant.id, r);
  }

  async cleanup(): Promise<CleanupReport> {
    const report: CleanupReport = { tenants: [], notRemovable: NOT_REMOVABLE };
    for (const t of this.created) {
      const entry: CleanupReport['tenants'][number] = { slug: t.slug, id: t.id, keysRevoked: [], keysNotRevoked: [], suspended: false, left: this.rows.get(t.id) ?? {} };
      for (const k of [...(this.keys.get(t.id) ?? []), { id: t.adminKeyId, key: t.adminKey }]) {
        // The admin key revokes the others, then itself (the last request it makes).
        const res = await this.target.request('POST', `/v1/api-keys/${k.id}/revoke`, { key: t.adminKey, body: {} }).catch((e: Error) => ({ status: 0, text: e.message }));
        if (res.status === 200) entry.keysRevoked.push(k.id);
        else entry.keysNotRevoked.push({ id: k.id, reason: `HTTP ${res.status} ${res.text.slice(0, 200)}` });
      }
      try {
        const current = await this.target.request('GET', `/v1/tenants/${t.id}`, { key: this.platformKey });
        const res = await this.target.request('PATCH', `/v1/tenants/${t.id}`, { key: this.platformKey, body: { version: current.json?.version, status: 'suspended' } });
        entry.suspended = res.status === 200 && res.json?.status === 'suspended';
        if (!entry.suspended) entry.suspendError = `HTTP ${res.status} ${res.text.slice(0, 200)}`;
      } catch (err) {
        entry.suspendError = (err as Error).message;
      }
      const probe = await this.target.request('GET', '/v1/me', { key: t.adminKey }).catch(() => undefined);
      if (probe) entry.adminKeyRefused = { status: probe.status, code: probe.json?.code };
      report.tenants.push(entry);
    }
    return report;
  }
}
