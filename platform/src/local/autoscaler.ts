/**
 * The local HPA controller: every syncPeriodMs it reads one metric from each ready replica's
 * /metrics, averages it, asks hpa.ts for the desired count and scales.
 *
 * A name ending in `_total` or `_count` is a counter: its samples (summed over label sets) become a
 * per-second rate between two reads of the same replica. Anything else is a gauge, read as is.
 * Samples labelled with the platform's own routes (/readyz, /healthz, /metrics) are left out, so
 * health checks and scrapes do not count as load.
 */
import { hpaDecide, type Recommendation } from '../hpa.js';
import type { AutoscalerConfig, AutoscalerState, ScalingEvent } from '../types.js';
import { parsePrometheusText } from './prometheus-text.js';

export const DEFAULT_AUTOSCALER: Omit<AutoscalerConfig, 'minReplicas' | 'maxReplicas' | 'target'> = {
  metric: 'mes_http_request_duration_seconds_count',
  tolerance: 0.1,
  scaleDownStabilizationMs: 300_000,
  syncPeriodMs: 15_000,
};

const PLATFORM_ROUTES = new Set(['/readyz', '/healthz', '/metrics']);

export interface AutoscalerTarget {
  /** Ready replicas in rotation: id → base URL. */
  readyReplicas(): Array<{ id: string; url: string }>;
  /** The current desired replica count. */
  currentReplicas(): number;
  /** Starts scaling (the promise settles when done); false when the platform is busy (a rollout) and the sync is skipped. */
  scale(replicas: number): false | Promise<void>;
  onScaled(event: ScalingEvent): void;
}

export class LocalAutoscaler {
  private readonly previous = new Map<string, { at: number; value: number }>();
  private recommendations: Recommendation[] = [];
  private timer?: NodeJS.Timeout;
  private stopped = false;
  private running?: Promise<void>;
  private state: AutoscalerState;

  constructor(readonly config: AutoscalerConfig, private readonly target: AutoscalerTarget) {
    this.state = { config, currentReplicas: target.currentReplicas(), desiredReplicas: target.currentReplicas(), currentMetric: null, events: [] };
  }

  start(): void {
    this.schedule();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  snapshot(): AutoscalerState {
    return { ...this.state, currentReplicas: this.target.currentReplicas(), config: { ...this.config }, events: [...this.state.events] };
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.sync().catch(() => {}).finally(() => this.schedule());
    }, this.config.syncPeriodMs);
    this.timer.unref();
  }

  /** One HPA sync: read, decide, scale. */
  async sync(): Promise<void> {
    const replicas = this.target.readyReplicas();
    const values = (await Promise.all(replicas.map((r) => this.read(r.id, r.url)))).filter((v): v is number => v !== undefined);
    for (const id of this.previous.keys()) if (!replicas.some((r) => r.id === id)) this.previous.delete(id);
    if (values.length === 0 || this.stopped) return;
    const metric = values.reduce((a, b) => a + b, 0) / values.length;
    const current = this.target.currentReplicas();
    const now = Date.now();
    const decision = hpaDecide({ current, metric, now, config: this.config, recommendations: this.recommendations });
    this.recommendations = decision.recommendations;
    Object.assign(this.state, { currentMetric: metric, currentReplicas: current, desiredReplicas: decision.desired });
    if (decision.desired === current) return;
    const scaling = this.target.scale(decision.desired);
    if (scaling === false) return;
    // Recorded when decided, as the HPA records a change of the Deployment's spec, not its completion.
    const event: ScalingEvent = { at: new Date(now).toISOString(), from: current, to: decision.desired, metricValue: metric, reason: decision.reason };
    this.state.events.push(event);
    this.state.lastScaleAt = event.at;
    this.target.onScaled(event);
    await scaling.catch(() => {}); // the platform's own events tell why a scale failed
  }

  /** The replica's value: a gauge as read, a counter as a rate since the previous read (undefined on the first). */
  private async read(id: string, url: string): Promise<number | undefined> {
    let text: string;
    try {
      const res = await fetch(`${url}/metrics`, { signal: AbortSignal.timeout(5000) });
      if (!res.ok) return undefined;
      text = await res.text();
    } catch {
      return undefined;
    }
    const name = this.config.metric;
    const value = parsePrometheusText(text)
      .filter((s) => s.name === name && !PLATFORM_ROUTES.has(s.labels.route ?? ''))
      .reduce((sum, s) => sum + s.value, 0);
    if (!/_(total|count)$/.test(name)) return value;
    const now = Date.now();
    const before = this.previous.get(id);
    this.previous.set(id, { at: now, value });
    // First read, or a counter reset (a restarted process): no rate yet.
    if (!before || value < before.value || now <= before.at) return undefined;
    return ((value - before.value) * 1000) / (now - before.at);
  }
}
