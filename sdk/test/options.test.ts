/** Mistakes in the client's options fail at construction, with a message that says what to fix. */
import { describe, expect, it } from 'vitest';
import { MesClient } from '../src/index.js';

describe('MesClient options', () => {
  it('refuses a baseUrl that is not an http(s) URL', () => {
    expect(() => new MesClient({ baseUrl: '127.0.0.1:8080' })).toThrow(/not a URL|http or https/);
    expect(() => new MesClient({ baseUrl: 'localhost' })).toThrow(/not a URL; expected something like http:\/\/127.0.0.1:8080/);
    expect(() => new MesClient({ baseUrl: 'ftp://127.0.0.1' })).toThrow('baseUrl must be http or https, got ftp:');
  });

  it('refuses both an API key and a token, and nonsense timeouts or retries', () => {
    expect(() => new MesClient({ baseUrl: 'http://127.0.0.1:8080', apiKey: 'mes_x', token: 'y' })).toThrow('pass apiKey or token, not both');
    expect(() => new MesClient({ baseUrl: 'http://127.0.0.1:8080', timeoutMs: 0 })).toThrow('timeoutMs must be an integer >= 1, got 0');
    expect(() => new MesClient({ baseUrl: 'http://127.0.0.1:8080', retries: -1 })).toThrow('retries must be an integer >= 0, got -1');
  });

  it('keeps a base path and drops trailing slashes, so /api/ + /v1/me is /api/v1/me', async () => {
    const urls: string[] = [];
    const client = new MesClient({
      baseUrl: 'http://127.0.0.1:8080/api/',
      retries: 0,
      fetch: async (input) => {
        urls.push(String(input));
        return new Response(JSON.stringify({ status: 'ok', version: '0', uptimeSeconds: 1 }), { headers: { 'content-type': 'application/json' } });
      },
    });
    await client.health.live();
    expect(urls).toEqual(['http://127.0.0.1:8080/api/healthz']);
  });
});
