/**
 * Verification after go-live (S1-7.3-b) and the go-live summary (S1-7.3-c): the writes since
 * go-live and how many failed (the audit chain holds every write), this replica's latency, the
 * ledger's invariant (every balance is the sum of its movements), the reconciliation the cutover
 * recorded, reports rendered as the caller, and the readiness checks again.
 */
import { auditOutcomesSince } from '../../platform/audit.js';
import type { Metrics } from '../../platform/metrics.js';
import type { Sql } from '../../platform/db.js';
import { balancesOffLedger, ledgerTotals } from '../inventory/integrity.js';
import { readinessChecks } from './readiness.js';
import type { Cutover, CutoverSummary } from './schema.js';

/** The reports verified to render (GET, as the caller); the stock summary over the cutover's time until now. */
export function verifiedReports(c: Cutover): string[] {
  const period = `from=${encodeURIComponent(c.createdAt)}&to=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`;
  return [`/v1/reports/stock-summary?${period}`, `/v1/reports/stock-summary.csv?${period}`, '/v1/reports/safety-stock', '/v1/stock/balances'];
}

export type RenderReport = (path: string) => Promise<{ status: number; bytes: number }>;
export type ReportCheck = CutoverSummary['reports'][number];

/** Renders each verified report as the caller, outside any transaction (each is its own request). */
export async function renderReports(c: Cutover, render: RenderReport): Promise<ReportCheck[]> {
  const reports: ReportCheck[] = [];
  for (const path of verifiedReports(c)) {
    const r = await render(path);
    reports.push({ key: path.split('?')[0], ok: r.status === 200, detail: `${r.status}, ${r.bytes} bytes` });
  }
  return reports;
}

export async function summarise(tx: Sql, tenantId: string, c: Cutover, metrics: Metrics, reports: ReportCheck[]): Promise<CutoverSummary> {
  const since = c.goLiveAt ?? c.createdAt;
  const outcomes = new Map((await auditOutcomesSince(tx, tenantId, since)).map((o) => [o.outcome, o.n]));
  const total = [...outcomes.values()].reduce((a, b) => a + b, 0);
  const failed = outcomes.get('error') ?? 0;
  const totals = await ledgerTotals(tx, tenantId);
  const off = await balancesOffLedger(tx, tenantId);
  const checks = (await readinessChecks(tx, tenantId)).map((x, i) => ({
    seq: i + 1, key: x.key, state: x.state, actor: null, startedAt: null, finishedAt: null, durationMs: null, runner: null, heartbeatAt: null, result: x.result,
  }));
  const ledgerOk = off === 0 && Number(totals.movementSum) === Number(totals.balanceSum);
  const reconciled = c.steps.find((s) => s.key === 'reconcile')?.state === 'passed';
  return {
    cutoverId: c.id,
    status: c.status,
    goLiveAt: c.goLiveAt,
    generatedAt: new Date().toISOString(),
    ok: c.status === 'completed' && ledgerOk && reconciled && reports.every((r) => r.ok) && failed === 0,
    writes: { total, failed, rejected: outcomes.get('rejected') ?? 0, denied: outcomes.get('denied') ?? 0, errorRate: total ? failed / total : 0 },
    latency: await latency(metrics),
    ledger: { ...totals, balancesOffLedger: off, ok: ledgerOk },
    reconciliation: c.reconciliation,
    reports,
    checks,
    steps: c.steps,
  };
}

/** Percentiles from the request-duration histogram (bucket upper bounds: an upper estimate). */
async function latency(metrics: Metrics): Promise<CutoverSummary['latency']> {
  const values = (await metrics.httpDuration.get()).values;
  const buckets = new Map<number, number>();
  let requests = 0;
  let serverErrors = 0;
  for (const v of values) {
    const name = (v as { metricName?: string }).metricName ?? '';
    if (name.endsWith('_bucket')) {
      const bound = (v.labels as Record<string, string | number | undefined>).le;
      const le = bound === '+Inf' ? Infinity : Number(bound);
      buckets.set(le, (buckets.get(le) ?? 0) + v.value);
    } else if (name.endsWith('_count')) {
      requests += v.value;
      if (Number(v.labels.status) >= 500) serverErrors += v.value;
    }
  }
  const bounds = [...buckets.keys()].sort((a, b) => a - b);
  const quantile = (q: number) => {
    if (!requests) return null;
    const le = bounds.find((b) => buckets.get(b)! >= q * requests);
    return le === undefined || le === Infinity ? null : le * 1000;
  };
  return { scope: 'this replica, every tenant, since it started (bucket upper bounds)', requests, p50Ms: quantile(0.5), p95Ms: quantile(0.95), serverErrors };
}
