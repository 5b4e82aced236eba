import client from 'prom-client';
import type { Database } from './db.js';

/** One registry per server instance, so several servers in one process (tests) do not collide. */
export function createMetrics(db: Database) {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry, prefix: 'mes_', eventLoopMonitoringPrecision: 20 });
  const httpDuration = new client.Histogram({
    name: 'mes_http_request_duration_seconds',
    help: 'HTTP request duration by route and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const rejections = new client.Counter({
    name: 'mes_tenant_limit_rejections_total',
    help: 'Requests refused by a tenant plan limit or the login throttle',
    labelNames: ['code'] as const,
    registers: [registry],
  });
  const loginChecks = new client.Counter({
    name: 'mes_login_password_checks_total',
    help: 'Password hashes computed for logins (throttled attempts compute none)',
    registers: [registry],
  });
  const gauge = (name: string, help: string, read: () => number) =>
    new client.Gauge({ name, help, registers: [registry], collect() { this.set(read()); } });
  gauge('mes_db_pool_connections', 'Database connections open in the pool', () => db.stats().total);
  gauge('mes_db_pool_idle', 'Idle database connections in the pool', () => db.stats().idle);
  gauge('mes_db_pool_waiting', 'Requests waiting for a database connection', () => db.stats().waiting);
  gauge('mes_db_pool_max', 'Pool size limit', () => db.stats().max);
  const inFlight = new client.Gauge({ name: 'mes_http_requests_in_flight', help: 'Requests being served', registers: [registry] });
  return { registry, httpDuration, rejections, inFlight, loginChecks, gauge };
}

export type Metrics = ReturnType<typeof createMetrics>;
