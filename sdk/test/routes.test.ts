/** The hand-written route table agrees with the spec, and the SDK's version with its package. */
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { ROUTES, SDK_VERSION } from '../src/index.js';

const spec = JSON.parse(await readFile(new URL('../openapi.json', import.meta.url), 'utf8')) as {
  paths: Record<string, Record<string, { operationId?: string }>>;
};
const specOperations = Object.entries(spec.paths).flatMap(([p, item]) =>
  Object.entries(item).map(([method, op]) => ({ id: op.operationId, route: `${method.toUpperCase()} ${p}` })),
);

describe('route table', () => {
  it('S1-5.3.5-a every route in ROUTES is the method and path the spec gives its operationId', () => {
    for (const [id, route] of Object.entries(ROUTES)) {
      expect({ id, route }).toEqual(specOperations.find((o) => o.id === id) ?? { id, route: 'missing from openapi.json' });
    }
  });

  it('S1-5.3.5-a every operation of the spec has a client method, except Prometheus metrics', () => {
    const missing = specOperations.filter((o) => !(o.id! in ROUTES)).map((o) => o.id);
    expect(missing).toEqual(['getMetrics']);
  });

  it('SDK_VERSION equals package.json version', async () => {
    const pkg = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(SDK_VERSION).toBe(pkg.version);
  });
});
