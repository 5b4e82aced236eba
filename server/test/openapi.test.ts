import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PLATFORM_PERMISSIONS } from '../src/platform/permissions.js';
import { call, createTenant, startTestServer, type TestServer } from './harness.js';

type Op = {
  operationId: string; 'x-mes-permission'?: string; 'x-mes-public'?: boolean; 'x-mes-platform'?: boolean;
  responses: Record<string, { content?: Record<string, unknown> }>; requestBody?: unknown; parameters?: { in: string; name: string; required?: boolean }[];
};

describe('OpenAPI access extensions', () => {
  let t: TestServer;
  let ops: Array<{ method: string; path: string; op: Op }>;
  beforeAll(async () => {
    t = await startTestServer();
    const spec = (await call(t.url, undefined, 'GET', '/openapi.json')).body;
    ops = Object.entries(spec.paths as Record<string, Record<string, Op>>).flatMap(([path, item]) =>
      Object.entries(item).map(([method, op]) => ({ method: method.toUpperCase(), path, op })),
    );
  });
  afterAll(() => t?.stop());

  it('S1-5.3.2-a: every operation says what it needs: public, or the permission (platform operations marked)', () => {
    expect(ops.length).toBeGreaterThan(50);
    for (const { method, path, op } of ops) {
      const label = `${method} ${path}`;
      if (op['x-mes-public']) expect(op['x-mes-permission'], label).toBeUndefined();
      else if (!['GET /v1/me', 'GET /v1/plans'].includes(label)) expect(op['x-mes-permission'], label).toMatch(/^[a-z-]+:[a-z-]+$/);
      if (op['x-mes-platform']) expect(PLATFORM_PERMISSIONS, label).toContain(op['x-mes-permission']);
    }
    expect(ops.filter((o) => o.op['x-mes-public']).map((o) => `${o.method} ${o.path}`).sort()).toEqual([
      // The edge gateway's calls carry no bearer credentials: they are signed with the gateway's Ed25519 key (docs/equipment.md).
      'GET /healthz', 'GET /metrics', 'GET /readyz', 'POST /v1/auth/login', 'POST /v1/gateways/command-results',
      'POST /v1/gateways/heartbeat', 'POST /v1/telemetry/batches',
    ]);
    expect(ops.find((o) => o.op.operationId === 'createMaterial')!.op['x-mes-permission']).toBe('masterdata:write');
  });

  it('S1-5.3.2-a: the permission the spec names is the one the server enforces', async () => {
    const tenant = await createTenant(t, 'oas-perm');
    const key = (await call(t.url, tenant.key, 'POST', '/v1/api-keys', { name: 'reader', permissions: ['masterdata:read'] })).body.key as string;
    const create = ops.find((o) => o.op.operationId === 'createMaterial')!;
    const res = await call(t.url, key, 'POST', create.path, { code: 'X', name: 'X', baseUnit: 'pcs' });
    expect(res.status).toBe(403);
    expect(res.body.permission).toBe(create.op['x-mes-permission']);
  });

  it('S1-8.2 S1-7.3-a: the spec lists the refusals an operation can meet outside its own rules (414, 429, 503; 423 on a write of a tenant frozen for a cutover; 408, 413, 415 with a body) as problem+json, and Idempotency-Key on every POST', () => {
    const missing: string[] = [];
    for (const { method, path, op } of ops) {
      const label = `${method} ${path}`;
      const expected = ['400', '414'];
      if (!op['x-mes-public'] || op.operationId === 'login') expected.push('429', '503');
      if (path === '/readyz') expected.push('503');
      if (!op['x-mes-public'] && method !== 'GET') expected.push('423');
      if (op.requestBody) expected.push('408', '413', '415');
      for (const status of expected) {
        if (!op.responses[status]?.content?.['application/problem+json']) missing.push(`${label} ${status}`);
      }
      const idem = op.parameters?.find((p) => p.in === 'header' && p.name.toLowerCase() === 'idempotency-key');
      if (method === 'POST' && (!idem || idem.required)) missing.push(`${label} optional Idempotency-Key header`);
      if (method !== 'POST' && idem) missing.push(`${label} Idempotency-Key on a ${method}`);
    }
    expect(missing).toEqual([]);
  });

  it('every route\'s request validators and response serializers compile (they compile lazily, on first use)', () => {
    // Both throw on a schema they cannot compile; lazily, that would only show at a route's first call.
    const pending = t.server.built.compileSchemas();
    expect(pending).toBeGreaterThan(ops.length);
    expect(t.server.built.compileSchemas()).toBe(0);
  });
});
