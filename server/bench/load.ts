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

/** One measured contender of an interleaved comparison. */
export interface Contender {
  label: string;
  once: () => Promise<boolean>;
}

export interface Interleaved {
  /** Every phase of each contender, in the order run. */
  baseline: LoadResult[];
  subject: LoadResult[];
  /** subject / baseline per round (adjacent phases). */
  ratios: number[];
  median: number;
  min: number;
  max: number;
}

/**
 * Baseline and subject in alternating phases of one run (baseline, subject, baseline, subject…),
 * so that load from elsewhere on a shared machine falls on both alike; the ratio of each round's
 * adjacent phases, with its median and spread across rounds, is the figure that counts.
 */
export async function interleave(opts: { concurrency: number; seconds: number; rounds: number; maxRequests?: number }, baseline: Contender, subject: Contender): Promise<Interleaved> {
  const load = { concurrency: opts.concurrency, seconds: opts.seconds, maxRequests: opts.maxRequests };
  await runLoad('warm-up', { ...load, seconds: 1 }, subject.once);
  await runLoad('warm-up', { ...load, seconds: 1 }, baseline.once);
  const result: Interleaved = { baseline: [], subject: [], ratios: [], median: 0, min: 0, max: 0 };
  for (let round = 0; round < opts.rounds; round++) {
    // Alternate which goes first, so neither always follows the other.
    const [first, second] = round % 2 ? [subject, baseline] : [baseline, subject];
    const a = await runLoad(first.label, load, first.once);
    const b = await runLoad(second.label, load, second.once);
    const [base, sub] = round % 2 ? [b, a] : [a, b];
    result.baseline.push(base);
    result.subject.push(sub);
    result.ratios.push(sub.perSecond / base.perSecond);
  }
  const sorted = [...result.ratios].sort((x, y) => x - y);
  return { ...result, median: sorted[Math.floor(sorted.length / 2)], min: sorted[0], max: sorted.at(-1)! };
}

/** The rounds of an interleaved comparison, then its ratio: median and range. */
export function formatInterleaved(r: Interleaved, aim: number): string {
  const rows = r.ratios.map((ratio, i) => `  round ${i + 1}: ${formatResult(r.baseline[i])}\n           ${formatResult(r.subject[i])}\n           ratio ${ratio.toFixed(3)}`);
  return `${rows.join('\n')}\nratio median ${r.median.toFixed(3)}, range ${r.min.toFixed(3)}–${r.max.toFixed(3)} over ${r.ratios.length} rounds  (aim: >= ${aim})`;
}
