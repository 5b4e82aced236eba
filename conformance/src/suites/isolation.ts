/**
 * Tenant isolation (S1-6.1-b, S1-5.3.2-a, S1-5.3.2-b), generated from the target's OpenAPI:
 *
 * - foreign-id probes: tenant B calls every operation that takes a path parameter with tenant A's
 *   ids (a random UUID where A has no row of that kind) and must be refused (404, or 403);
 * - list scans: tenant C (which never touched A's ids) calls every list, search, report and export
 *   operation, also with A's ids and codes as filters, and no response may contain any of A's
 *   ids or codes; the same calls with A's key are the control that the scan can see A's rows;
 * - permissions: for every permission the spec names, a key with every other permission is refused
 *   the operations that need it, a read-only key can change nothing, and a tenant admin cannot use
 *   platform operations;
 * - noisy neighbour: tenant A at its plan's rate limit does not move tenant B's p95 latency by more
 *   than the configured ratio (see latency.ts).
 */
import type { HttpResponse } from '../http.js';
import { fillPath, sample, type Operation, type OpenApiDocument, operationsOf } from '../openapi.js';
import type { TestTenant } from '../tenants.js';
import type { Check, CheckContext, Suite, SuiteContext, SuitePlan } from '../types.js';
import { World } from '../world.js';
import { noisyNeighbourCheck } from './latency.js';

const DATA = ['S1-5.3.2-a', 'S1-6.1-b'];

export const isolationSuite: Suite = {
  id: 'isolation',
  title: 'Tenant isolation: data, authorisation, resources',
  proves: ['S1-5.3.2-a', 'S1-5.3.2-b', 'S1-6.1-b'],
  async prepare(ctx: SuiteContext): Promise<SuitePlan> {
    const spec = (await ctx.target.request('GET', '/openapi.json')).json as OpenApiDocument;
    const ops = operationsOf(spec);
    const tag = `Q${ctx.rng.fork('tag').alnum(0)}${ctx.config.runId.slice(0, 6).toUpperCase()}`;
    const [a, b, c, p] = [await ctx.tenants.create('a'), await ctx.tenants.create('b'), await ctx.tenants.create('c'), await ctx.tenants.create('p')];
    const world = new World(a, ctx.rng.fork('world'), tag);
    ctx.log(`seeding tenant ${a.slug} through ${ops.length} operations`);
    await world.seed(ctx.target, ops, ctx.tenants);
    ctx.log(`tenant ${a.slug}: ${world.markers.size} ids and codes known, ${world.seeded.filter((s) => s.created).length}/${world.seeded.length} create operations succeeded`);

    const probes: Array<Record<string, unknown>> = [];
    const checks: Check[] = [];
    // Tenant E makes the natural-key attempts that may legitimately create rows in its own namespace
    // (PUT /v1/coding-rules/{A's code}), so tenant B's reads of those keys never depend on their order.
    const e = await ctx.tenants.create('e');
    for (const op of ops.filter((o) => !o.public && o.params.some((x) => x.in === 'path'))) checks.push(foreignIdCheck(op, world, isNatural(op) && op.method !== 'GET' ? e : b, probes));
    const d = await ctx.tenants.create('d');
    for (const op of ops.filter((o) => !o.public && o.method === 'GET' && !o.stream && !o.params.some((x) => x.in === 'path'))) {
      checks.push(listScanCheck(op, world, c, false));
      if (JSON.stringify(queryOf(op, world, true)) !== JSON.stringify(queryOf(op, world, false))) checks.push(listScanCheck(op, world, d, true));
    }
    const permissions = [...new Set(ops.filter((o) => o.permission && !o.platform).map((o) => o.permission!))].sort();
    const keyCache = new Map<string, Promise<{ key: string }>>();
    const keyWithout = (perm: string) => {
      if (!keyCache.has(perm)) keyCache.set(perm, ctx.tenants.key(p, `without-${perm}`, permissions.filter((x) => x !== perm)));
      return keyCache.get(perm)!;
    };
    for (const op of ops.filter((o) => o.permission && !o.platform)) checks.push(missingPermissionCheck(op, world, keyWithout));
    const reads = permissions.filter((x) => x.endsWith(':read'));
    checks.push(readOnlyKeyCheck(ops.filter((o) => o.method !== 'GET' && o.permission && !o.platform && !reads.includes(o.permission)), world, p, reads));
    checks.push(platformRefusedCheck(ops.filter((o) => o.platform), world, p));
    checks.push(noisyNeighbourCheck());
    return {
      checks,
      notes: () => ({
        seedTenant: a.slug,
        seeded: world.seeded,
        knownIdsAndCodes: world.markers.size,
        foreignIdProbes: probes.sort((x, y) => String(x.operationId).localeCompare(String(y.operationId))),
        foreignIdQuality: {
          realForeignId: probes.filter((x) => x.foreignId === 'real').map((x) => x.operationId),
          randomIdOnly: probes.filter((x) => x.foreignId === 'random').map((x) => x.operationId),
        },
      }),
    };
  },
};

/**
 * Tenant A's ids and codes in a response, as `<value> (<collection>)`. A value the request itself
 * carried (in its path, query or body, whole or inside a longer string) is no leak when echoed.
 */
function scan(res: HttpResponse, markers: Map<string, string>, ...sent: unknown[]): string[] {
  const carried = stringsIn(sent);
  const found: string[] = [];
  for (const [m, from] of markers) if (!carried.some((s) => s.includes(m)) && res.text.includes(m)) found.push(`${m} (${from})`);
  return found;
}

function stringsIn(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (value && typeof value === 'object') return Object.values(value).flatMap(stringsIn);
  return [];
}

function describe(res: HttpResponse): string {
  return `${res.status}${res.status >= 400 && res.json?.code ? ` ${res.json.code}` : ''}`;
}

/** Every path parameter is a natural key (a code), not an id. */
function isNatural(op: Operation): boolean {
  return op.params.filter((x) => x.in === 'path').every((x) => x.schema.format !== 'uuid' && x.name !== 'id');
}

/** Path values for `op` from A's rows (real) or random UUIDs; which one is recorded. */
function pathValues(op: Operation, world: World, ctx: CheckContext) {
  const values: Record<string, string> = {};
  const real: string[] = [];
  for (const prm of op.params.filter((x) => x.in === 'path')) {
    const row = world.rowFor(op.path, prm.name);
    const value = prm.name === 'code' ? row?.code ?? row?.id : row?.id;
    if (value) {
      values[prm.name] = value;
      real.push(prm.name);
    } else if (prm.schema.type === 'integer') {
      // A position under a real parent (an operation's seq): the parent is what must be fenced.
      values[prm.name] = '10';
      if (real.length) real.push(prm.name);
    } else values[prm.name] = prm.schema.format === 'uuid' || prm.name === 'id' ? ctx.rng.uuid() : world.code();
  }
  return { values, real, path: fillPath(op.path, values) };
}

/** Required query parameters; with `all`, also every optional filter that can name one of tenant A's rows. Without it, nothing of A's is sent. */
function queryOf(op: Operation, world: World, all: boolean): Record<string, string> {
  const q: Record<string, string> = {};
  const hints = all ? world.hints() : { ...world.hints(), known: undefined };
  for (const prm of op.params.filter((x) => x.in === 'query' && (x.required || all))) {
    if (prm.name === 'cursor' || prm.name === 'limit') continue;
    if (prm.name === 'q' && all) {
      const code = world.find('materials')?.code ?? world.code();
      q.q = code;
      continue;
    }
    const v = sample(prm.schema, hints, prm.name);
    if (v !== undefined && (prm.required || hints.known?.(prm.name, prm.schema) !== undefined)) q[prm.name] = String(v);
  }
  return q;
}

function foreignIdCheck(op: Operation, world: World, b: TestTenant, probes: Array<Record<string, unknown>>): Check {
  return {
    id: `isolation/foreign-id/${op.operationId}`,
    title: `tenant ${b.slug.split('-').pop()!.toUpperCase()} is refused ${op.method} ${op.path} on tenant A's resource`,
    clauses: DATA,
    async run(ctx: CheckContext) {
      const { values, real, path } = pathValues(op, world, ctx);
      const query = queryOf(op, world, false);
      const body = op.method === 'GET' ? undefined : op.body ? sample(op.body, world.hints()) : {};
      // A natural key (`/v1/coding-rules/{code}`) names a row in the caller's own namespace: tenant B
      // may create its own row under it, as long as tenant A's row is untouched and never shown.
      const natural = isNatural(op);
      const resource = path.slice(0, path.indexOf(values[op.params.filter((x) => x.in === 'path').at(-1)!.name]) + encodeURIComponent(values[op.params.filter((x) => x.in === 'path').at(-1)!.name]).length);
      const readable = natural && op.method !== 'GET' ? await ctx.target.request('GET', resource, { key: world.tenant.adminKey }) : undefined;
      const res = await ctx.target.request(op.method, path, { key: b.adminKey, query, body });
      const probe: Record<string, unknown> = { operationId: op.operationId, method: op.method, path: op.path, foreignId: real.length ? 'real' : 'random', status: res.status, code: res.json?.code };
      probes.push(probe);
      ctx.record('request', { path, foreignId: probe.foreignId, realParams: real });
      ctx.record('response', describe(res));
      const leaked = scan(res, world.markers, values, query, body);
      ctx.assert(leaked.length === 0, `the response to tenant B shows tenant A's ${leaked.slice(0, 5).join(', ')}`);
      if (natural && res.status >= 200 && res.status < 300) {
        ctx.assert(op.method !== 'GET', `tenant B read ${path}, which only tenant A has (${describe(res)})`);
        if (readable?.status === 200) {
          const after = await ctx.target.request('GET', resource, { key: world.tenant.adminKey });
          ctx.assert(after.text === readable.text, `tenant B's ${op.method} ${path} changed tenant A's ${resource}`);
          ctx.record('naturalKey', `tenant B acted on its own ${resource}; tenant A's ${resource} is unchanged`);
        } else ctx.inconclusive(`tenant B's ${op.method} ${path} succeeded and tenant A's ${resource} cannot be read back to show it is untouched`);
        return;
      }
      ctx.assert(!(res.status >= 200 && res.status < 300), `tenant B's ${op.method} ${path} on tenant A's ${real.join(', ') || 'id'} succeeded (${describe(res)})`);
      ctx.assert(res.status < 500, `the target failed (${describe(res)}) instead of refusing`);
      if (op.method === 'GET' && real.length) {
        const control = await ctx.target.request('GET', path, { key: world.tenant.adminKey, query });
        probe.control = control.status;
        ctx.record('control', `tenant A itself: ${describe(control)}`);
      }
      if (res.status !== 404 && res.status !== 403) {
        ctx.inconclusive(`refused with ${describe(res)} before the resource was looked up; isolation of this operation was not exercised`);
      }
    },
  };
}

/**
 * Tenant C never sends any of A's values, so any of A's ids or codes in its responses is a leak.
 * Tenant D filters by A's ids and codes (`?materialId=<A's>`, `?q=<A's code>`); its own requests are
 * audited (exports are), so the values D itself sends are not counted in D's responses.
 */
function listScanCheck(op: Operation, world: World, observer: TestTenant, filtered: boolean): Check {
  return {
    id: `isolation/list-scan${filtered ? '-filtered' : ''}/${op.operationId}`,
    title: `tenant ${filtered ? "D, filtering by tenant A's ids," : 'C'} sees none of tenant A's rows in ${op.method} ${op.path}`,
    clauses: DATA,
    async run(ctx: CheckContext) {
      const query = queryOf(op, world, filtered);
      const sent = filtered ? world.filterValues() : [];
      const res = await ctx.target.request('GET', op.path, { key: observer.adminKey, query });
      const leaked = scan(res, world.markers, sent);
      ctx.assert(leaked.length === 0, `GET ${op.path}?${new URLSearchParams(query)} as tenant ${observer.slug} shows tenant A's ${leaked.slice(0, 5).join(', ')}`);
      ctx.assert(res.status < 500, `the target failed: ${describe(res)}`);
      const control = await ctx.target.request('GET', op.path, { key: world.tenant.adminKey, query });
      const controlSaw = scan(control, world.markers, sent).length;
      ctx.record('query', query);
      ctx.record('observer', describe(res));
      ctx.record('control', { status: describe(control), tenantAValuesSeenByA: controlSaw });
    },
  };
}

function missingPermissionCheck(op: Operation, world: World, keyWithout: (perm: string) => Promise<{ key: string }>): Check {
  return {
    id: `isolation/permission/${op.operationId}`,
    title: `a key without ${op.permission} is refused ${op.method} ${op.path}`,
    clauses: DATA,
    async run(ctx: CheckContext) {
      const { key } = await keyWithout(op.permission!);
      const { path } = pathValues(op, world, ctx);
      const body = op.method === 'GET' ? undefined : op.body ? sample(op.body, world.hints()) : {};
      const res = await ctx.target.request(op.method, path, { key, query: queryOf(op, world, false), body });
      ctx.record('response', describe(res));
      ctx.assert(res.status === 403, `a key without ${op.permission} got ${describe(res)} for ${op.method} ${op.path}, not 403`);
    },
  };
}

function readOnlyKeyCheck(writes: Operation[], world: World, p: TestTenant, reads: string[]): Check {
  return {
    id: 'isolation/read-only-key',
    title: 'a read-only key can change nothing',
    clauses: DATA,
    async run(ctx: CheckContext) {
      const { key } = await ctx.tenants.key(p, 'read-only', reads);
      ctx.record('permissions', reads);
      for (const op of writes) {
        const { path } = pathValues(op, world, ctx);
        const res = await ctx.target.request(op.method, path, { key, body: op.body ? sample(op.body, world.hints()) : {} });
        ctx.assert(res.status === 403, `a read-only key got ${describe(res)} for ${op.method} ${op.path}, not 403`);
      }
      ctx.record('operations', writes.length);
    },
  };
}

function platformRefusedCheck(platformOps: Operation[], world: World, p: TestTenant): Check {
  return {
    id: 'isolation/platform-operations',
    title: "a tenant's admin cannot use platform operations",
    clauses: DATA,
    async run(ctx: CheckContext) {
      for (const op of platformOps) {
        const { path, values } = pathValues(op, world, ctx);
        const body = op.method === 'GET' ? undefined : op.body ? sample(op.body, world.hints()) : {};
        const res = await ctx.target.request(op.method, path, { key: p.adminKey, body });
        ctx.assert(res.status === 403, `tenant ${p.slug}'s admin got ${describe(res)} for ${op.method} ${op.path}, not 403`);
        const leaked = scan(res, world.markers, values, body);
        ctx.assert(leaked.length === 0, `the response to ${op.method} ${op.path} shows tenant A's ${leaked.slice(0, 5).join(', ')}`);
      }
      ctx.record('operations', platformOps.map((o) => `${o.method} ${o.path}`));
    },
  };
}
