/**
 * A closed-loop load generator: `concurrency` workers each send one request after another for a
 * fixed time (and at most maxRequests in all), recording every latency. Bounded in count and
 * time; callers point it at loopback only.
 */
export interface LoadResult {
  label: string;
  requests: number;
  errors: number;
  seconds: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
}

export async function runLoad(
  label: string,
  opts: { concurrency: number; seconds: number; maxRequests?: number },
  once: () => Promise<boolean>,
): Promise<LoadResult> {
  const latencies: number[] = [];
  let errors = 0;
  let sent = 0;
  const max = opts.maxRequests ?? 5_000_000;
  const started = performance.now();
  const deadline = started + opts.seconds * 1000;
  const worker = async () => {
    while (performance.now() < deadline && sent < max) {
      sent++;
      const t0 = performance.now();
      const ok = await once().catch(() => false);
      latencies.push(performance.now() - t0);
      if (!ok) errors++;
    }
  };
  await Promise.all(Array.from({ length: opts.concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? 0;
  return { label, requests: latencies.length, errors, seconds, perSecond: latencies.length / seconds, p50Ms: pct(50), p99Ms: pct(99) };
}

export function formatResult(r: LoadResult): string {
  return `${r.label.padEnd(34)} ${r.perSecond.toFixed(0).padStart(8)} req/s   p50 ${r.p50Ms.toFixed(2).padStart(7)} ms   p99 ${r.p99Ms.toFixed(2).padStart(7)} ms   errors ${r.errors}`;
}
