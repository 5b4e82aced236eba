import { randomBytes } from 'node:crypto';

/** W3C trace context: reuse the caller's trace id, start a new span for this hop. */
export interface TraceContext {
  traceId: string;
  spanId: string;
  traceparent: string;
}

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

export function traceFrom(header: string | string[] | undefined): TraceContext {
  const m = typeof header === 'string' ? TRACEPARENT.exec(header.trim()) : null;
  const traceId = m && !/^0+$/.test(m[1]) ? m[1] : randomBytes(16).toString('hex');
  const spanId = randomBytes(8).toString('hex');
  const flags = m?.[3] ?? '01';
  return { traceId, spanId, traceparent: `00-${traceId}-${spanId}-${flags}` };
}
