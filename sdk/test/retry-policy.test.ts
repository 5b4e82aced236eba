/** The retry decision on its own: which failures are retried, and how long the client waits. */
import { describe, expect, it } from 'vitest';
import { MesConnectionError, MesError, MesTimeoutError } from '../src/index.js';
import { parseRetryAfter } from '../src/errors.js';
import { retryDelayMs } from '../src/http.js';

const answered = (status: number, retryAfterSeconds?: number) => new MesError({ message: 'x', status, code: `HTTP_${status}`, retryAfterSeconds });
const refused = new MesConnectionError('http://127.0.0.1:1/v1/me', Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } }));
const reset = new MesConnectionError('http://127.0.0.1:1/v1/me', Object.assign(new TypeError('fetch failed'), { cause: { code: 'UND_ERR_SOCKET' } }));
const timeout = new MesTimeoutError('http://127.0.0.1:1/v1/me', 300);

describe('retry policy', () => {
  it('Retry-After is honoured, in seconds or as an HTTP date, and capped at 30 s', () => {
    expect(retryDelayMs(answered(429, 2), 'POST', 0)).toBe(2_000);
    expect(retryDelayMs(answered(503, 0), 'PATCH', 0)).toBe(0);
    expect(retryDelayMs(answered(503, 3600), 'GET', 0)).toBe(30_000);
    expect(parseRetryAfter('5')).toBe(5);
    expect(parseRetryAfter(new Date(Date.now() + 10_000).toUTCString())).toBeGreaterThanOrEqual(9);
    expect(parseRetryAfter('soon')).toBeUndefined();
    expect(parseRetryAfter(null)).toBeUndefined();
  });

  it('without Retry-After the backoff grows exponentially with jitter, bounded at 5 s', () => {
    for (let attempt = 0; attempt < 8; attempt++) {
      const ceiling = Math.min(5_000, 300 * 2 ** attempt);
      const delay = retryDelayMs(answered(503), 'GET', attempt)!;
      expect(delay).toBeGreaterThanOrEqual(ceiling / 2);
      expect(delay).toBeLessThanOrEqual(ceiling);
    }
  });

  it('lost connections and timeouts are retried for GET and POST, for PATCH only when provably unsent', () => {
    expect(retryDelayMs(reset, 'GET', 0)).toBeGreaterThan(0);
    expect(retryDelayMs(reset, 'POST', 0)).toBeGreaterThan(0);
    expect(retryDelayMs(reset, 'PATCH', 0)).toBeUndefined();
    expect(retryDelayMs(refused, 'PATCH', 0)).toBeGreaterThan(0);
    expect(retryDelayMs(timeout, 'POST', 0)).toBeGreaterThan(0);
    expect(retryDelayMs(timeout, 'PATCH', 0)).toBeUndefined();
  });

  it('other answers (400, 401, 404, 409, 422, 500) are never retried', () => {
    for (const status of [400, 401, 403, 404, 409, 422, 500]) expect(retryDelayMs(answered(status), 'GET', 0)).toBeUndefined();
    expect(retryDelayMs(new Error('bug'), 'GET', 0)).toBeUndefined();
  });
});
