/**
 * The Kubernetes driver against recorded API exchanges, over real HTTP: a replay server on
 * 127.0.0.1 answers what test/recordings/kubernetes/*.json recorded (the driver's real client,
 * KubeConfig and Watch talk to it as to an API server) and keeps every request the driver made,
 * so each test asserts both what the driver concluded and exactly what it sent.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { KubeConfig, loadAllYaml } from '@kubernetes/client-node';
import { afterEach, describe, expect, it } from 'vitest';
import { KubernetesPlatform, PlatformError } from '../src/index.js';
import { quantity, selectorQuery } from '../src/kubernetes/objects.js';

const here = dirname(fileURLToPath(import.meta.url));
const recordings = join(here, 'recordings', 'kubernetes');
const repoRoot = join(here, '..', '..');
const NS = 'mes-staging';
const DEPLOYMENT = `/apis/apps/v1/namespaces/${NS}/deployments/mes`;
const SELECTOR = 'app.kubernetes.io/name=mes,app.kubernetes.io/component=server';

interface WatchEvent {
  afterMs: number;
  type: string;
  object: unknown;
}
interface Exchange {
  method: string;
  path: string;
  query: Record<string, string>;
  status: number;
  body?: unknown;
  events?: WatchEvent[];
  hold?: boolean;
}
interface Sent {
  method: string;
  path: string;
  query: Record<string, string>;
  contentType?: string;
  authorization?: string;
  body?: unknown;
}
interface Replay {
  kubeConfig: KubeConfig;
  requests: Sent[];
  unmatched: Sent[];
  recording: { exchanges: Exchange[] };
  close(): Promise<void>;
}

const keyOf = (r: { method: string; path: string; query: Record<string, string> }) =>
  `${r.method} ${r.path} ${JSON.stringify(Object.entries(r.query).sort())}`;

/** Every RBAC rule (verb on group/resource) any test's driver needed; checked against the Role at the end. */
const rbacUsed = new Set<string>();

/** The RBAC verb and resource a request needs, as the API server's authorizer derives them. */
function rbacOf(request: Sent): string {
  const match = /^\/(?:api\/v1|apis\/([^/]+)\/[^/]+)\/namespaces\/[^/]+\/([^/]+)(?:\/([^/]+)(?:\/([^/]+))?)?/.exec(request.path);
  if (!match) throw new Error(`not a namespaced API path: ${request.path}`);
  const [, group = '', resource, name, sub] = match;
  const verb =
    request.method === 'GET' ? (name ? 'get' : request.query.watch === 'true' ? 'watch' : 'list') : request.method.toLowerCase();
  return `${verb} ${group}/${resource}${sub ? `/${sub}` : ''}`;
}

async function readBody(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? JSON.parse(text) : undefined;
}

async function stream(response: ServerResponse, exchange: Exchange): Promise<void> {
  response.writeHead(200, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' });
  for (const event of exchange.events ?? []) {
    await new Promise((resolve) => setTimeout(resolve, event.afterMs));
    if (response.destroyed) return;
    response.write(`${JSON.stringify({ type: event.type, object: event.object })}\n`);
  }
  // A held watch stays open like a real one until the client aborts it (or the test closes the server).
  if (!exchange.hold) response.end();
}

/**
 * Serves `name`.json. A request is answered by the exchanges recorded for exactly its method, path
 * and query, in recorded order; the last one repeats (a state the cluster stays in).
 */
async function replay(name: string): Promise<Replay> {
  const recording = JSON.parse(readFileSync(join(recordings, `${name}.json`), 'utf8')) as { exchanges: Exchange[] };
  const requests: Sent[] = [];
  const unmatched: Sent[] = [];
  const served = new Map<string, number>();
  const server = createServer(async (request, response) => {
    const url = new URL(request.url ?? '/', 'http://replay');
    const sent: Sent = {
      method: request.method ?? 'GET',
      path: decodeURIComponent(url.pathname),
      query: Object.fromEntries(url.searchParams),
      ...(request.headers['content-type'] ? { contentType: request.headers['content-type'] } : {}),
      ...(request.headers.authorization ? { authorization: request.headers.authorization } : {}),
    };
    const body = await readBody(request);
    if (body !== undefined) sent.body = body;
    requests.push(sent);
    rbacUsed.add(rbacOf(sent));
    const candidates = recording.exchanges.filter((e) => keyOf(e) === keyOf(sent));
    const count = served.get(keyOf(sent)) ?? 0;
    served.set(keyOf(sent), count + 1);
    const exchange = candidates[Math.min(count, candidates.length - 1)];
    if (!exchange) {
      unmatched.push(sent);
      response.writeHead(500, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', message: `no recording for ${keyOf(sent)}`, code: 500 }));
      return;
    }
    if (exchange.events) return stream(response, exchange);
    const text = typeof exchange.body === 'string';
    response.writeHead(exchange.status, {
      'content-type': text ? 'text/plain; version=0.0.4; charset=utf-8' : 'application/json',
    });
    response.end(text ? (exchange.body as string) : JSON.stringify(exchange.body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromOptions({
    clusters: [{ name: 'replay', server: `http://127.0.0.1:${port}`, skipTLSVerify: true }],
    users: [{ name: 'mes-conformance', token: 'replay-token' }],
    contexts: [{ name: 'replay', cluster: 'replay', user: 'mes-conformance', namespace: NS }],
    currentContext: 'replay',
  });
  const close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return { kubeConfig, requests, unmatched, recording, close };
}

const open: Replay[] = [];
const platforms: KubernetesPlatform[] = [];

async function driver(name: string, options: { deployment?: string } = {}) {
  const api = await replay(name);
  open.push(api);
  const platform = KubernetesPlatform.fromKubeConfig(api.kubeConfig, {
    namespace: NS,
    deployment: options.deployment ?? 'mes',
    url: 'https://mes.staging.example.com',
    pollIntervalMs: 20,
    rolloutTimeoutMs: 10_000,
  });
  platforms.push(platform);
  return { api, platform };
}

afterEach(async () => {
  for (const platform of platforms.splice(0)) await platform.close();
  for (const api of open.splice(0)) await api.close();
});

const summary = (requests: Sent[]) => requests.map((r) => `${r.method} ${r.path}${r.query.watch ? ' (watch)' : ''}`);

/** The recorded ReplicaSet template of `revision`, as the Deployment's template: hash label removed. */
function recordedTemplate(api: Replay, revision: number): unknown {
  const list = api.recording.exchanges.find((e) => e.path.endsWith('/replicasets'))?.body as {
    items: { metadata: { annotations: Record<string, string> }; spec: { template: { metadata: { labels: Record<string, string> } } } }[];
  };
  const rs = list.items.find((i) => i.metadata.annotations['deployment.kubernetes.io/revision'] === String(revision));
  const template = structuredClone(rs!.spec.template);
  delete template.metadata.labels['pod-template-hash'];
  return template;
}

/** The JSON patch undoing a failed upgrade: revision's template back, the failed revision recorded. */
function undoOf(api: Replay, revision: number, failed: string): unknown[] {
  return [
    { op: 'replace', path: '/spec/template', value: recordedTemplate(api, revision) },
    { op: 'add', path: '/metadata/annotations/mes.dev~1failed-revisions', value: failed },
  ];
}

async function expectPlatformError(promise: Promise<unknown>, code: string): Promise<PlatformError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(PlatformError);
  expect((error as PlatformError).code).toBe(code);
  return error as PlatformError;
}

describe('KubernetesPlatform against recorded API responses', () => {
  it("S1-6.1-g: replicas() lists the pods of the Deployment's selector as ready, starting, unready and draining replicas", async () => {
    const { api, platform } = await driver('replicas');
    const replicas = await platform.replicas();
    expect(replicas).toEqual([
      { id: 'mes-7c5d8f6b9-x7k2p', release: 'B', phase: 'ready', inRotation: true, startedAt: '2026-11-21T10:00:00.000Z', url: 'http://10.244.1.17:8080' },
      { id: 'mes-7c5d8f6b9-q9v4m', release: 'B', phase: 'starting', inRotation: false, startedAt: '2026-11-21T10:00:00.000Z' },
      { id: 'mes-7c5d8f6b9-h3r8t', release: 'B', phase: 'unready', inRotation: false, startedAt: '2026-11-21T10:00:00.000Z', url: 'http://10.244.2.9:8080' },
      { id: 'mes-6b7f9c8d4-w2n6c', release: 'A', phase: 'draining', inRotation: false, startedAt: '2026-11-21T10:00:00.000Z', url: 'http://10.244.1.5:8080' },
    ]);
    expect(api.requests.map(({ method, path, query }) => ({ method, path, query }))).toEqual([
      { method: 'GET', path: DEPLOYMENT, query: {} },
      { method: 'GET', path: `/api/v1/namespaces/${NS}/pods`, query: { labelSelector: SELECTOR } },
    ]);
    expect(api.requests[0]!.authorization).toBe('Bearer replay-token');
    expect(await platform.release()).toBe('B');
    await platform.waitReady(1, 1_000);
    await expectPlatformError(platform.waitReady(2, 100), 'TIMEOUT');
    expect(api.unmatched).toEqual([]);
  });

  it('S1-6.1-g: kill() deletes the pod with gracePeriodSeconds=0 (SIGKILL, no drain)', async () => {
    const { api, platform } = await driver('kill');
    await platform.kill('mes-7c5d8f6b9-x7k2p');
    expect(api.requests).toEqual([
      { method: 'DELETE', path: `/api/v1/namespaces/${NS}/pods/mes-7c5d8f6b9-x7k2p`, query: { gracePeriodSeconds: '0' }, contentType: 'application/json', authorization: 'Bearer replay-token' },
    ]);
    expect(api.unmatched).toEqual([]);
  });

  it('S1-6.1-c: scale() merge-patches the scale subresource and waits until the Deployment reports N ready, updated and available', async () => {
    const { api, platform } = await driver('scale');
    await platform.scale(3, 5_000);
    const [patch, ...reads] = api.requests;
    expect(patch).toMatchObject({
      method: 'PATCH',
      path: `${DEPLOYMENT}/scale`,
      contentType: 'application/merge-patch+json',
      body: { spec: { replicas: 3 } },
    });
    // 2 of 3 ready first, then 3: the driver kept reading until the Deployment settled.
    expect(reads.length).toBeGreaterThanOrEqual(2);
    expect(reads.every((r) => r.method === 'GET' && r.path === DEPLOYMENT)).toBe(true);
    expect(api.unmatched).toEqual([]);
  });

  it("S1-6.1-d: upgrade() strategic-merge-patches the image, watches the rollout to its end and judges each new pod's /metrics through the pod proxy", async () => {
    const { api, platform } = await driver('upgrade-completes');
    const result = await platform.upgrade(
      { name: 'B', image: 'registry.example.com/mes/server:0.2.0' },
      { windowMs: 0, minRequests: 50, maxErrorRate: 0.05 },
    );
    expect(result).toMatchObject({ outcome: 'completed', from: 'A', to: 'B', minReadyDuringRollout: 3 });
    expect(result.reason).toBeUndefined();
    expect(result.analysis.map(({ replica, requests, errors, verdict }) => ({ replica, requests, errors, verdict }))).toEqual([
      { replica: 'mes-7c5d8f6b9-x7k2p', requests: 240, errors: 0, verdict: 'pass' },
      { replica: 'mes-7c5d8f6b9-m4d8s', requests: 181, errors: 1, verdict: 'pass' },
      { replica: 'mes-7c5d8f6b9-p6f1z', requests: 90, errors: 0, verdict: 'pass' },
    ]);
    const patch = api.requests.find((r) => r.method === 'PATCH');
    expect(patch).toMatchObject({
      path: DEPLOYMENT,
      contentType: 'application/strategic-merge-patch+json',
      body: {
        spec: {
          template: {
            metadata: { annotations: { 'mes.dev/release': 'B' } },
            spec: { containers: [{ name: 'mes', image: 'registry.example.com/mes/server:0.2.0' }] },
          },
        },
      },
    });
    const watch = api.requests.find((r) => r.query.watch === 'true');
    expect(watch).toMatchObject({ path: `/apis/apps/v1/namespaces/${NS}/deployments`, query: { watch: 'true', fieldSelector: 'metadata.name=mes' } });
    // The new ReplicaSet's pods, found by its pod-template-hash; each judged once, on port 8080.
    expect(api.requests.some((r) => r.query.labelSelector === `${SELECTOR},pod-template-hash=7c5d8f6b9`)).toBe(true);
    expect(api.requests.filter((r) => r.path.endsWith('/proxy/metrics')).map((r) => r.path)).toEqual([
      `/api/v1/namespaces/${NS}/pods/mes-7c5d8f6b9-x7k2p:8080/proxy/metrics`,
      `/api/v1/namespaces/${NS}/pods/mes-7c5d8f6b9-m4d8s:8080/proxy/metrics`,
      `/api/v1/namespaces/${NS}/pods/mes-7c5d8f6b9-p6f1z:8080/proxy/metrics`,
    ]);
    // Followed through the watch: no polling read of the Deployment after the patch.
    expect(summary(api.requests).filter((r) => r === `GET ${DEPLOYMENT}`)).toHaveLength(1);
    expect(api.unmatched).toEqual([]);
  });

  it("S1-6.1-d: a stalled upgrade (Progressing=False, ProgressDeadlineExceeded) is undone to the previous revision's template", async () => {
    const { api, platform } = await driver('upgrade-stalled');
    const result = await platform.upgrade({ name: 'C', image: 'registry.example.com/mes/server:0.3.0-faulty' }, { windowMs: 0 });
    expect(result).toMatchObject({ outcome: 'rolled_back', from: 'B', to: 'C', minReadyDuringRollout: 3 });
    expect(result.reason).toMatch(/^progress deadline exceeded: ReplicaSet "mes-84f6d9c7b" has timed out progressing/);
    const patches = api.requests.filter((r) => r.method === 'PATCH');
    expect(patches).toHaveLength(2);
    expect(patches[1]).toMatchObject({ path: DEPLOYMENT, contentType: 'application/json-patch+json' });
    expect(patches[1]!.body).toEqual(undoOf(api, 4, '5'));
    expect(api.requests.filter((r) => r.query.watch === 'true')).toHaveLength(2);
    expect(api.unmatched).toEqual([]);
  });

  it('S1-6.1-d: a new pod not ready within readinessTimeoutMs fails the upgrade, which is undone', async () => {
    const { api, platform } = await driver('upgrade-readiness');
    const result = await platform.upgrade(
      { name: 'C', image: 'registry.example.com/mes/server:0.3.0-faulty' },
      { readinessTimeoutMs: 100, windowMs: 0 },
    );
    expect(result).toMatchObject({ outcome: 'rolled_back', from: 'B', to: 'C', reason: 'readiness: mes-84f6d9c7b-b5t9k not ready within 100 ms' });
    expect(result.analysis).toEqual([]);
    const undo = api.requests.filter((r) => r.method === 'PATCH')[1];
    expect(undo?.body).toEqual(undoOf(api, 4, '5'));
    expect(api.unmatched).toEqual([]);
  });

  it("S1-6.1-d: a 5xx rate above maxErrorRate in the new pod's /metrics (read through the pod proxy) fails the upgrade, which is undone", async () => {
    const { api, platform } = await driver('upgrade-error-rate');
    const result = await platform.upgrade(
      { name: 'C', image: 'registry.example.com/mes/server:0.3.0-faulty', env: { MES_CHAOS_HTTP_500_RATE: '0.5' } },
      { windowMs: 0, minRequests: 50, maxErrorRate: 0.05 },
    );
    expect(result).toMatchObject({ outcome: 'rolled_back', from: 'B', to: 'C', reason: 'error rate 0.240 > 0.05 on mes-84f6d9c7b-b5t9k' });
    expect(result.analysis).toEqual([
      { at: expect.any(String), replica: 'mes-84f6d9c7b-b5t9k', requests: 100, errors: 24, errorRate: 0.24, verdict: 'fail' },
    ]);
    expect(api.requests.filter((r) => r.path.endsWith('/proxy/metrics')).map((r) => r.path)).toEqual([
      `/api/v1/namespaces/${NS}/pods/mes-84f6d9c7b-b5t9k:8080/proxy/metrics`,
    ]);
    const [patch, undo] = api.requests.filter((r) => r.method === 'PATCH');
    // The release's environment rides along with its image, merged by name into the container's env.
    expect(patch?.body).toMatchObject({
      spec: { template: { spec: { containers: [{ name: 'mes', image: 'registry.example.com/mes/server:0.3.0-faulty', env: [{ name: 'MES_CHAOS_HTTP_500_RATE', value: '0.5' }] }] } } },
    });
    expect(undo).toMatchObject({ contentType: 'application/json-patch+json' });
    expect(undo?.body).toEqual(undoOf(api, 4, '5'));
    expect(api.unmatched).toEqual([]);
  });

  it("S1-6.1-d: rollback() is kubectl rollout undo past failed revisions — the previous good revision's template without pod-template-hash, followed by polling once the watch ends", async () => {
    const { api, platform } = await driver('rollback');
    const result = await platform.rollback();
    expect(result).toMatchObject({ outcome: 'rolled_back', from: 'B', to: 'A', analysis: [], minReadyDuringRollout: 3 });
    const undo = api.requests.find((r) => r.method === 'PATCH');
    expect(undo).toMatchObject({ path: DEPLOYMENT, contentType: 'application/json-patch+json' });
    // Revision 5 was rolled back as failed (the Deployment's mes.dev/failed-revisions): passed over, unlike plain kubectl.
    expect(undo?.body).toEqual([{ op: 'replace', path: '/spec/template', value: recordedTemplate(api, 3) }]);
    expect(JSON.stringify(undo?.body)).not.toContain('pod-template-hash');
    // The watch closed at once: the Deployment was read until rolled out (partial, then complete).
    const afterWatch = summary(api.requests).slice(summary(api.requests).findIndex((r) => r.endsWith('(watch)')) + 1);
    expect(afterWatch).toEqual([`GET ${DEPLOYMENT}`, `GET ${DEPLOYMENT}`]);
    expect(api.unmatched).toEqual([]);
  });

  it('S1-6.1-c: autoscaler() reads the autoscaling/v2 HPA (first metric, currentMetrics, behavior) and its SuccessfulRescale events', async () => {
    const { api, platform } = await driver('autoscaler');
    const state = await platform.autoscaler();
    expect(state).toEqual({
      config: {
        minReplicas: 2,
        maxReplicas: 10,
        metric: 'mes_http_requests_in_flight',
        target: 5,
        tolerance: 0.1,
        scaleDownStabilizationMs: 120_000,
        syncPeriodMs: 15_000,
      },
      currentReplicas: 3,
      desiredReplicas: 3,
      currentMetric: 4.5,
      lastScaleAt: '2026-11-21T10:07:00.000Z',
      events: [
        { at: '2026-11-21T10:01:00.000Z', from: 2, to: 4, metricValue: Number.NaN, reason: 'pods metric mes_http_requests_in_flight above target' },
        { at: '2026-11-21T10:07:00.000Z', from: 4, to: 3, metricValue: Number.NaN, reason: 'All metrics below target' },
      ],
    });
    expect(api.requests.map(({ method, path, query }) => ({ method, path, query }))).toEqual([
      { method: 'GET', path: `/apis/autoscaling/v2/namespaces/${NS}/horizontalpodautoscalers/mes`, query: {} },
      {
        method: 'GET',
        path: `/api/v1/namespaces/${NS}/events`,
        query: { fieldSelector: 'involvedObject.kind=HorizontalPodAutoscaler,involvedObject.name=mes,reason=SuccessfulRescale' },
      },
    ]);
    expect(api.unmatched).toEqual([]);
  });

  it('autoscaler() is undefined when the Deployment has no HPA (404)', async () => {
    const { platform } = await driver('autoscaler-none');
    expect(await platform.autoscaler()).toBeUndefined();
  });

  it('a 403 from the API server is a FORBIDDEN PlatformError naming the RBAC verb and resource to grant', async () => {
    const { platform } = await driver('forbidden');
    const error = await expectPlatformError(platform.kill('mes-7c5d8f6b9-x7k2p'), 'FORBIDDEN');
    expect(error.message).toContain('grant verb "delete" on resource "pods"');
    expect(error.message).toContain('deploy/kubernetes/mes/rbac.yaml');
    expect(error.message).toContain('cannot delete resource "pods"');
  });

  it('a Deployment that does not exist is a NOT_FOUND PlatformError naming it and the namespace', async () => {
    const { platform } = await driver('not-found', { deployment: 'mes-typo' });
    const error = await expectPlatformError(platform.replicas(), 'NOT_FOUND');
    expect(error.message).toMatch(/^deployments "mes-typo" in namespace "mes-staging" not found \(check --namespace, --deployment/);
  });

  it('upgrade() without an image is a NO_IMAGE PlatformError, and nothing is sent', async () => {
    const { api, platform } = await driver('not-found');
    await expectPlatformError(platform.upgrade({ name: 'B' }), 'NO_IMAGE');
    expect(api.requests).toEqual([]);
  });

  it('new KubernetesPlatform({ kubeconfig, context }) reads the kubeconfig file and uses the named context', async () => {
    const api = await replay('replicas');
    open.push(api);
    const dir = mkdtempSync(join(tmpdir(), 'mes-kubeconfig-'));
    const file = join(dir, 'config');
    writeFileSync(
      file,
      [
        'apiVersion: v1',
        'kind: Config',
        'current-context: elsewhere',
        'clusters:',
        `- name: replay\n  cluster:\n    server: ${api.kubeConfig.getCurrentCluster()!.server}\n    insecure-skip-tls-verify: true`,
        '- name: elsewhere\n  cluster:\n    server: http://127.0.0.1:9\n    insecure-skip-tls-verify: true',
        'users:',
        '- name: mes-conformance\n  user:\n    token: replay-token',
        'contexts:',
        '- name: replay\n  context:\n    cluster: replay\n    user: mes-conformance',
        '- name: elsewhere\n  context:\n    cluster: elsewhere\n    user: mes-conformance',
      ].join('\n'),
    );
    try {
      const platform = new KubernetesPlatform({ kubeconfig: file, context: 'replay', namespace: NS, deployment: 'mes', url: 'http://unused' });
      expect(await platform.release()).toBe('B');
      expect(api.requests[0]).toMatchObject({ method: 'GET', path: DEPLOYMENT, authorization: 'Bearer replay-token' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('an API server that does not answer is a KUBERNETES_UNREACHABLE PlatformError naming its address', async () => {
    const api = await replay('not-found');
    await api.close();
    const platform = KubernetesPlatform.fromKubeConfig(api.kubeConfig, { namespace: NS, deployment: 'mes', url: 'http://unused' });
    const error = await expectPlatformError(platform.release(), 'KUBERNETES_UNREACHABLE');
    expect(error.message).toContain(api.kubeConfig.getCurrentCluster()!.server);
  });

  it('deploy/kubernetes/mes/rbac.yaml grants exactly the verbs the tests above saw the driver use', () => {
    const rbac = loadAllYaml(readFileSync(join(repoRoot, 'deploy', 'kubernetes', 'mes', 'rbac.yaml'), 'utf8'));
    const role = rbac.find((o) => o.kind === 'Role') as { rules: { apiGroups: string[]; resources: string[]; verbs: string[] }[] };
    const granted = new Set(
      role.rules.flatMap((rule) =>
        rule.apiGroups.flatMap((group) => rule.resources.flatMap((resource) => rule.verbs.map((verb) => `${verb} ${group}/${resource}`))),
      ),
    );
    expect(rbacUsed.size, 'run the whole file: this test checks the requests of the tests above').toBeGreaterThan(0);
    expect([...rbacUsed].sort()).toEqual([...granted].sort());
  });
});

describe('reading Kubernetes objects', () => {
  it('a label selector becomes the labelSelector query kubectl sends, match expressions included', () => {
    expect(
      selectorQuery({
        matchLabels: { app: 'mes' },
        matchExpressions: [
          { key: 'tier', operator: 'In', values: ['server', 'worker'] },
          { key: 'canary', operator: 'DoesNotExist' },
          { key: 'zone', operator: 'NotIn', values: ['b'] },
          { key: 'owner', operator: 'Exists' },
        ],
      }),
    ).toBe('app=mes,tier in (server,worker),!canary,zone notin (b),owner');
  });

  it('quantities in HPA targets and metrics are read with their suffixes', () => {
    expect([quantity('4500m'), quantity('5'), quantity('1k'), quantity('256Mi'), quantity(70), quantity('x1')]).toEqual([
      4.5, 5, 1000, 268_435_456, 70, null,
    ]);
  });
});

describe('deploy/kubernetes manifests (rendered from the @mes/infra components)', () => {
  const manifests = () =>
    ['deployment.yaml', 'service.yaml', 'hpa.yaml', 'pdb.yaml', 'rbac.yaml'].flatMap((file) =>
      loadAllYaml(readFileSync(join(repoRoot, 'deploy', 'kubernetes', 'mes', file), 'utf8')),
    );

  it('the Deployment probes /readyz and /healthz, listens beyond loopback, and its grace period covers preStop + MES_SHUTDOWN_DELAY_MS + MES_SHUTDOWN_TIMEOUT_MS', () => {
    const deployment = manifests().find((o) => o.kind === 'Deployment');
    const pod = deployment.spec.template.spec;
    const mes = pod.containers[0];
    expect(mes.readinessProbe.httpGet.path).toBe('/readyz');
    expect(mes.livenessProbe.httpGet.path).toBe('/healthz');
    const env = (name: string) => Number(mes.env.find((e: { name: string }) => e.name === name).value);
    const preStopMs = mes.lifecycle.preStop.sleep.seconds * 1000;
    const stopMs = preStopMs + env('MES_SHUTDOWN_DELAY_MS') + env('MES_SHUTDOWN_TIMEOUT_MS');
    expect(pod.terminationGracePeriodSeconds * 1000).toBeGreaterThan(stopMs);
    expect(mes.env.find((e: { name: string }) => e.name === 'MES_HOST').value).toBe('0.0.0.0');
    expect(deployment.spec.strategy.rollingUpdate).toEqual({ maxSurge: 1, maxUnavailable: 0 });
  });

  it('the HPA (autoscaling/v2), PDB and Service select the Deployment', () => {
    const all = manifests();
    const deployment = all.find((o) => o.kind === 'Deployment');
    const labels = deployment.spec.template.metadata.labels;
    const hpa = all.find((o) => o.kind === 'HorizontalPodAutoscaler');
    expect(hpa.apiVersion).toBe('autoscaling/v2');
    expect(hpa.spec.scaleTargetRef).toMatchObject({ kind: 'Deployment', name: deployment.metadata.name });
    for (const selector of [all.find((o) => o.kind === 'PodDisruptionBudget').spec.selector.matchLabels, all.find((o) => o.kind === 'Service').spec.selector]) {
      expect(labels).toMatchObject(selector);
    }
  });
});
