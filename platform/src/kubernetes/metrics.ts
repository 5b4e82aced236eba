/**
 * A replica's response counts from its Prometheus text (`/metrics`): the request-duration
 * histogram's `_count` series, one per method/route/status, summed into all vs 5xx.
 */
const SERIES_LINE = /^mes_http_request_duration_seconds_count(\{.*\})?\s+(\S+)/;
/**
 * The kubelet's probes and the analysis' own /metrics reads are counted by the server too: left
 * in, a pod failing every client request would still look healthy on probe traffic alone.
 */
const OPERATIONAL_ROUTE = /route="\/(healthz|readyz|metrics)"/;

export interface ResponseCounts {
  requests: number;
  errors: number;
}

export function responseCounts(text: string): ResponseCounts {
  const counts: ResponseCounts = { requests: 0, errors: 0 };
  for (const line of text.split('\n')) {
    const match = SERIES_LINE.exec(line);
    const value = Number(match?.[2]);
    if (!match || !Number.isFinite(value) || OPERATIONAL_ROUTE.test(match[1] ?? '')) continue;
    counts.requests += value;
    if (/status="5\d\d"/.test(match[1] ?? '')) counts.errors += value;
  }
  return counts;
}
