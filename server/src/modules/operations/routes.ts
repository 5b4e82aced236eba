import { Type } from '@sinclair/typebox';
import type { AppContext, MesApp } from '../../app.js';
import { DatabaseUnavailableError, poolExhausted } from '../../platform/db.js';
import { withTimeout } from '../../platform/diagnostics.js';
import { MesProblem } from '../../platform/errors.js';
import { problems } from '../../platform/schemas.js';

const Check = Type.Object({
  name: Type.String(),
  component: Type.Union([Type.Literal('host'), Type.Literal('runtime'), Type.Literal('database')]),
  status: Type.Union([Type.Literal('ok'), Type.Literal('warn'), Type.Literal('fail')]),
  value: Type.Union([Type.Number(), Type.Null()]),
  unit: Type.String(),
  message: Type.String(),
  hint: Type.String({ description: 'What to do about it; empty when all is well' }),
});
export const DiagnosticsSchema = Type.Object(
  { status: Type.Union([Type.Literal('ok'), Type.Literal('warn'), Type.Literal('fail')]), checkedAt: Type.String({ format: 'date-time' }), checks: Type.Array(Check) },
  { $id: 'Diagnostics' },
);
const HealthSchema = Type.Object({ status: Type.String(), version: Type.String(), uptimeSeconds: Type.Number() });

/** Liveness, readiness, metrics and the diagnosis view (S1-8.1, S1-5.3.6). */
export function operationsRoutes(app: MesApp, { db, config, diagnostics, metrics, lifecycle }: AppContext): void {
  app.addSchema(DiagnosticsSchema);
  const tags = ['operations'];
  app.addHook('onReady', async () => diagnostics.resetEventLoop());

  app.get('/healthz', {
    config: { public: true },
    schema: { operationId: 'getHealth', tags, summary: 'Liveness: the process answers', security: [], response: { 200: HealthSchema } },
  }, async () => ({ status: 'ok', version: config.version, uptimeSeconds: Math.round(process.uptime()) }));

  app.get('/readyz', {
    config: { public: true },
    schema: {
      operationId: 'getReadiness', tags, summary: 'Readiness: not shutting down and the database answers', security: [],
      response: { 200: HealthSchema, 503: problems(503)[503] },
    },
  }, async () => {
    if (lifecycle.draining) throw new MesProblem(503, 'SHUTTING_DOWN', 'this replica is draining for shutdown');
    // Read from the pool's counters, not a round trip: a saturated pool would only make us wait.
    const pool = db.stats();
    if (poolExhausted(pool)) {
      throw new MesProblem(503, 'DATABASE_POOL_EXHAUSTED', `all ${pool.max} pooled database connections are busy and ${pool.waiting} requests have waited up to ${pool.longestWaitMs} ms; GET /v1/diagnostics names the sessions holding them`, { headers: { 'retry-after': '2' } });
    }
    try {
      // On the operations connection, so the answer does not queue behind requests.
      await withTimeout(db.probe('SELECT 1'), 2000);
    } catch (err) {
      const code = err instanceof DatabaseUnavailableError ? err.code : 'DATABASE_UNAVAILABLE';
      const said = code === 'DATABASE_TOO_MANY_CONNECTIONS' ? 'the database refused a new connection because its connection limit (max_connections) is reached' : 'the database does not answer';
      throw new MesProblem(503, code, `${said}: ${(err as Error).message}`, { headers: { 'retry-after': '2' } });
    }
    return { status: 'ready', version: config.version, uptimeSeconds: Math.round(process.uptime()) };
  });

  app.get('/metrics', {
    config: { public: true },
    schema: { operationId: 'getMetrics', tags, summary: 'Prometheus metrics', security: [], produces: ['text/plain'], response: { 200: Type.String() } },
  }, async (_req, reply) => {
    reply.type(metrics.registry.contentType);
    return metrics.registry.metrics();
  });

  app.get('/v1/diagnostics', {
    config: { permission: 'diagnostics:read' },
    schema: {
      operationId: 'getDiagnostics', tags, summary: 'Fault diagnosis: host, runtime and database checks with repair hints',
      response: { 200: Type.Ref(DiagnosticsSchema), ...problems() },
    },
  }, async () => diagnostics.report());
}
