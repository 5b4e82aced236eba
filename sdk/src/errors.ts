import type { FieldError, Problem } from './types.js';

export interface MesErrorInit {
  message: string;
  status: number;
  code: string;
  traceId?: string;
  requestId?: string;
  fields?: FieldError[];
  problem?: Problem;
  retryAfterSeconds?: number;
  cause?: unknown;
}

/**
 * Any failed call. Switch on `code` (stable, machine-readable), never on `message`; quote
 * `traceId` and `requestId` when reporting a problem to the operator.
 */
export class MesError extends Error {
  /** HTTP status; 0 when no response arrived. */
  readonly status: number;
  /** The problem's code (VALIDATION_FAILED, AUTH_EXPIRED, …), or HTTP_<status> for a body that is not a problem. */
  readonly code: string;
  readonly traceId?: string;
  /** The server's x-request-id for this attempt. */
  readonly requestId?: string;
  /** Every offending input field; [] when the problem names none. */
  readonly fields: FieldError[];
  /** The raw problem+json body, when there was one. */
  readonly problem?: Problem;
  /** From Retry-After: how long the server asked us to wait before trying again. */
  readonly retryAfterSeconds?: number;

  constructor(init: MesErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = new.target.name;
    this.status = init.status;
    this.code = init.code;
    this.traceId = init.traceId;
    this.requestId = init.requestId;
    this.fields = init.fields ?? [];
    this.problem = init.problem;
    this.retryAfterSeconds = init.retryAfterSeconds;
  }
}

/** Connect errors that prove the request never left this process, so even a PATCH may be retried. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);

/** No HTTP response: the server is down, unreachable, or dropped the connection. */
export class MesConnectionError extends MesError {
  /** False only when the request provably never reached the server (e.g. connection refused). */
  readonly mayHaveReachedServer: boolean;

  constructor(url: string, cause: unknown) {
    super({
      message: `could not reach the MES server at ${url} (${describeCause(cause)}); check the server is running and that the URL (MES_URL) is right`,
      status: 0,
      code: 'CONNECTION_FAILED',
      cause,
    });
    this.mayHaveReachedServer = !NOT_SENT_CODES.has(causeCode(cause) ?? '');
  }
}

/** No complete response within timeoutMs. */
export class MesTimeoutError extends MesError {
  constructor(url: string, timeoutMs: number) {
    super({ message: `the MES server at ${url} did not answer within ${timeoutMs} ms`, status: 0, code: 'TIMEOUT' });
  }
}

/** fetch() wraps the socket error: `TypeError: fetch failed` whose cause carries the code. */
function causeChain(err: unknown): { message?: unknown; code?: unknown }[] {
  const chain = [];
  for (let e = err, depth = 0; e && typeof e === 'object' && depth < 5; e = (e as { cause?: unknown }).cause, depth++) chain.push(e as { message?: unknown; code?: unknown });
  return chain;
}

function causeCode(err: unknown): string | undefined {
  const code = causeChain(err).find((e) => typeof e.code === 'string')?.code;
  return code as string | undefined;
}

/** The innermost message that says something, with its code: "other side closed (UND_ERR_SOCKET)". */
function describeCause(err: unknown): string {
  const message = causeChain(err).reverse().find((e) => typeof e.message === 'string' && e.message !== '')?.message as string | undefined;
  const code = causeCode(err);
  if (!message) return code ?? String(err);
  return code && !message.includes(code) ? `${message} (${code})` : message;
}

/** Builds the error of a non-2xx response from its headers and (possibly non-problem) body. */
export function errorFromResponse(res: Response, body: unknown): MesError {
  const problem = isProblem(body) ? body : undefined;
  const code = problem?.code ?? `HTTP_${res.status}`;
  const detail = problem?.detail ?? (typeof body === 'string' && body ? body.slice(0, 200) : res.statusText || 'request failed');
  return new MesError({
    message: `${code}: ${detail}`,
    status: res.status,
    code,
    traceId: problem?.traceId ?? traceIdOf(res.headers.get('traceparent')),
    requestId: res.headers.get('x-request-id') ?? undefined,
    fields: problem?.errors ?? [],
    problem,
    retryAfterSeconds: parseRetryAfter(res.headers.get('retry-after')),
  });
}

function isProblem(body: unknown): body is Problem {
  return typeof body === 'object' && body !== null && typeof (body as Problem).code === 'string' && typeof (body as Problem).status === 'number';
}

function traceIdOf(traceparent: string | null): string | undefined {
  return /^00-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}$/.exec(traceparent?.trim() ?? '')?.[1];
}

/** Retry-After is either delta-seconds or an HTTP date. */
export function parseRetryAfter(value: string | null): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - Date.now()) / 1000));
}
