/**
 * Coding rules and variant features over HTTP (S1-5.4.3-d, -f, -h): one engine numbers variant
 * codes, batches, serials and documents; features define the values variants take.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createTenant, startTestServer, type TestServer } from './harness.js';
import { listAll } from './util.js';

let t: TestServer;
let A: Awaited<ReturnType<typeof createTenant>>;
let B: Awaited<ReturnType<typeof createTenant>>;

const asA = (method: string, path: string, body?: unknown, headers?: Record<string, string>) => call(t.url, A.key, method, path, body, headers);
const asB = (method: string, path: string, body?: unknown) => call(t.url, B.key, method, path, body);
const fields = (body: any) => (body.errors ?? []).map((e: any) => `${e.field}:${e.code}`);

async function putRule(code: string, pattern: string, reset?: string) {
  const res = await asA('PUT', `/v1/coding-rules/${code}`, { pattern, ...(reset ? { reset } : {}) });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}
async function next(code: string, body: unknown = {}) {
  const res = await asA('POST', `/v1/coding-rules/${code}/next`, body);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.code as string;
}

beforeAll(async () => {
  t = await startTestServer();
  A = await createTenant(t, 'coding-a');
  B = await createTenant(t, 'coding-b');
});

afterAll(async () => {
  await t?.stop();
});

describe('coding rules', () => {
  it('S1-5.4.3-f: PUT creates a rule, GET reads it, the list holds it, PUT again replaces it', async () => {
    const created = await asA('PUT', '/v1/coding-rules/batch', { pattern: 'B{yyyy}{mm}{dd}-{seq:3}', reset: 'daily', description: 'Batches' });
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({ code: 'batch', pattern: 'B{yyyy}{mm}{dd}-{seq:3}', reset: 'daily', description: 'Batches' });
    expect(typeof created.body.createdAt).toBe('string');

    const got = await asA('GET', '/v1/coding-rules/batch');
    expect(got.status).toBe(200);
    expect(got.body).toEqual(created.body);

    await putRule('aaa_first', 'A{seq:2}');
    const list = await asA('GET', '/v1/coding-rules');
    expect(list.status).toBe(200);
    expect(list.body.items.map((r: any) => r.code)).toEqual(['aaa_first', 'batch']);
    expect(list.body.nextCursor).toBeNull();
    const page = await asA('GET', '/v1/coding-rules?limit=1');
    expect(page.body.items.map((r: any) => r.code)).toEqual(['aaa_first']);
    const page2 = await asA('GET', `/v1/coding-rules?limit=1&cursor=${page.body.nextCursor}`);
    expect(page2.body.items.map((r: any) => r.code)).toEqual(['batch']);

    const replaced = await asA('PUT', '/v1/coding-rules/aaa_first', { pattern: 'AA{seq:4}' });
    expect(replaced.status).toBe(200);
    expect(replaced.body).toMatchObject({ code: 'aaa_first', pattern: 'AA{seq:4}', reset: 'never', description: '' });
  });

  it('S1-5.4.3-f: batch numbers by rule increment 1, 2, 3', async () => {
    await putRule('lot', 'LOT-{seq:4}');
    expect([await next('lot'), await next('lot'), await next('lot')]).toEqual(['LOT-0001', 'LOT-0002', 'LOT-0003']);
  });

  it('S1-5.4.3-h: serial numbers by rule, taken without a body, carry the year', async () => {
    await putRule('serial', 'SN{yy}{seq:6}', 'yearly');
    const yy = String(new Date().getUTCFullYear() % 100).padStart(2, '0');
    const first = await asA('POST', '/v1/coding-rules/serial/next');
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.body.code).toBe(`SN${yy}000001`);
    expect(await next('serial')).toBe(`SN${yy}000002`);
  });

  it('S1-5.4.3-f: a daily rule restarts at 1 on each day', async () => {
    await putRule('daily_batch', 'D{yyyy}{mm}{dd}-{seq:3}', 'daily');
    const day1 = [await next('daily_batch', { date: '2026-11-21' }), await next('daily_batch', { date: '2026-11-21' })];
    const day2 = [await next('daily_batch', { date: '2026-11-22' }), await next('daily_batch', { date: '2026-11-22' })];
    expect(day1).toEqual(['D20261121-001', 'D20261121-002']);
    expect(day2).toEqual(['D20261122-001', 'D20261122-002']);
    expect(await next('daily_batch', { date: '2026-11-21' })).toBe('D20261121-003');
  });

  it('S1-5.4.3-f: a material batch rule counts per material', async () => {
    await putRule('material_batch', '{material}-{seq:3}');
    const codes = [
      await next('material_batch', { material: 'TSHIRT' }),
      await next('material_batch', { material: 'MUG' }),
      await next('material_batch', { material: 'TSHIRT' }),
    ];
    expect(codes).toEqual(['TSHIRT-001', 'MUG-001', 'TSHIRT-002']);
  });

  it('S1-5.4.3-d: variant codes count per material and feature value', async () => {
    await putRule('variant', '{material}-{feature:COLOR}-{seq:3}');
    const red = { material: 'TSHIRT', features: { COLOR: 'RED' } };
    const blue = { material: 'TSHIRT', features: { COLOR: 'BLUE' } };
    expect([await next('variant', red), await next('variant', blue), await next('variant', red)]).toEqual(['TSHIRT-RED-001', 'TSHIRT-BLUE-001', 'TSHIRT-RED-002']);
  });

  it('S1-5.4.3-d: a missing context value is 422 CODING_CONTEXT_MISSING naming the field', async () => {
    const res = await asA('POST', '/v1/coding-rules/variant/next', { material: 'TSHIRT' });
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('CODING_CONTEXT_MISSING');
    expect(fields(res.body)).toEqual(['features.COLOR:REQUIRED']);
  });

  it('S1-5.4.3-f: preview renders the next code without consuming it; an unknown rule is 404', async () => {
    await putRule('doc', 'DOC{seq:3}');
    for (let i = 0; i < 3; i++) {
      const preview = await asA('POST', '/v1/coding-rules/doc/preview', {});
      expect(preview.status).toBe(200);
      expect(preview.body).toEqual({ code: 'DOC001' });
    }
    expect(await next('doc')).toBe('DOC001');
    expect((await asA('POST', '/v1/coding-rules/doc/preview')).body).toEqual({ code: 'DOC002' });
    expect(await next('doc')).toBe('DOC002');

    for (const path of ['/v1/coding-rules/nope/preview', '/v1/coding-rules/nope/next']) {
      const res = await asA('POST', path, {});
      expect(res.status, path).toBe(404);
      expect(res.body.code).toBe('RESOURCE_NOT_FOUND');
    }
    expect((await asA('GET', '/v1/coding-rules/nope')).status).toBe(404);
  });

  it('S1-5.4.3-f: a replayed Idempotency-Key answers the same code and takes no new number', async () => {
    await putRule('idem', 'I{seq:2}');
    const headers = { 'idempotency-key': 'coding-idem-1' };
    const first = await asA('POST', '/v1/coding-rules/idem/next', {}, headers);
    const replay = await asA('POST', '/v1/coding-rules/idem/next', {}, headers);
    expect(first.body).toEqual({ code: 'I01' });
    expect(replay.body).toEqual({ code: 'I01' });
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(await next('idem')).toBe('I02');
  });

  it.each([
    ['{nope}-{seq:3}', 'UNKNOWN_TOKEN'],
    ['B{seq:3', 'MALFORMED_TOKEN'],
    ['{seq:2}{seq:3}', 'MULTIPLE_SEQ'],
    ['{seq:13}', 'SEQ_WIDTH_OUT_OF_RANGE'],
    ['{seq:0}', 'SEQ_WIDTH_OUT_OF_RANGE'],
  ])('S1-5.4.3-f: pattern %j is 422 INVALID_PATTERN on field pattern (%s)', async (pattern, code) => {
    const res = await asA('PUT', '/v1/coding-rules/bad', { pattern });
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('INVALID_PATTERN');
    expect(fields(res.body)).toContain(`pattern:${code}`);
    expect((await asA('GET', '/v1/coding-rules/bad')).status).toBe(404);
  });

  it('S1-5.4.3-f: malformed requests are 400 with the fields named', async () => {
    const bad = await asA('PUT', '/v1/coding-rules/x', { pattern: 'X{seq:2}', reset: 'weekly', extra: 1 });
    expect(bad.status).toBe(400);
    expect([...new Set(fields(bad.body))].sort()).toEqual(['extra:UNKNOWN_FIELD', 'reset:NOT_ALLOWED']);
    const badDate = await asA('POST', '/v1/coding-rules/lot/next', { date: '2026-13-40' });
    expect(badDate.status).toBe(400);
    expect(fields(badDate.body)).toEqual(['date:INVALID_FORMAT']);
    expect((await asA('PUT', '/v1/coding-rules/has%20space', { pattern: 'X' })).status).toBe(400);
  });

  it('S1-5.4.3-h: a sequence past its N digits is 409 SEQUENCE_EXHAUSTED and stays exhausted', async () => {
    await putRule('one_digit', 'S{seq:1}');
    for (let i = 1; i <= 9; i++) expect(await next('one_digit')).toBe(`S${i}`);
    for (let i = 0; i < 2; i++) {
      const res = await asA('POST', '/v1/coding-rules/one_digit/next', {});
      expect(res.status).toBe(409);
      expect(res.body.code).toBe('SEQUENCE_EXHAUSTED');
    }
    expect((await asA('POST', '/v1/coding-rules/one_digit/preview', {})).status).toBe(409);
    // Widening the rule keeps the count: the next number is 10.
    await putRule('one_digit', 'S{seq:2}');
    expect(await next('one_digit')).toBe('S10');
  });

  it('S1-5.4.3-f: masterdata:read may preview but not take a number', async () => {
    const key = await asA('POST', '/v1/api-keys', { name: 'md-reader', permissions: ['masterdata:read'] });
    expect(key.status).toBe(201);
    const reader = key.body.key as string;
    expect((await call(t.url, reader, 'POST', '/v1/coding-rules/lot/preview', {})).status).toBe(200);
    expect((await call(t.url, reader, 'GET', '/v1/coding-rules')).status).toBe(200);
    expect((await call(t.url, reader, 'POST', '/v1/coding-rules/lot/next', {})).status).toBe(403);
    expect((await call(t.url, reader, 'PUT', '/v1/coding-rules/lot', { pattern: 'X' })).status).toBe(403);
  });

  it("S1-5.3.2-a: tenant B cannot see or use tenant A's rules", async () => {
    for (const [method, path] of [['GET', '/v1/coding-rules/lot'], ['POST', '/v1/coding-rules/lot/next'], ['POST', '/v1/coding-rules/lot/preview']]) {
      const res = await asB(method, path, method === 'POST' ? {} : undefined);
      expect(res.status, path).toBe(404);
    }
    expect(await listAll(t, B.key, '/v1/coding-rules')).toEqual([]);
    // B's rule of the same name numbers independently.
    expect((await asB('PUT', '/v1/coding-rules/lot', { pattern: 'LOT-{seq:4}' })).status).toBe(200);
    expect((await asB('POST', '/v1/coding-rules/lot/next', {})).body).toEqual({ code: 'LOT-0001' });
    expect((await asA('GET', '/v1/coding-rules/lot')).body.pattern).toBe('LOT-{seq:4}');
  });

  it('S1-5.4.3-f: the routes are described in the OpenAPI document', async () => {
    const spec = (await t.call('GET', '/openapi.json')).body;
    for (const id of ['CodingRule', 'CodingRuleList', 'CodePreview', 'Feature', 'FeatureList']) expect(spec.components.schemas[id], id).toBeDefined();
    expect(spec.paths['/v1/coding-rules/{code}/next'].post.operationId).toBe('nextCode');
    expect(spec.paths['/v1/features/{id}'].patch.tags).toEqual(['masterdata']);
  });
});

describe('coding rules under concurrency (PostgreSQL)', () => {
  let pgServer: TestServer;
  let key: string;

  beforeAll(async () => {
    pgServer = await startTestServer({}, { postgres: true });
    key = (await createTenant(pgServer, 'coding-conc')).key;
  });

  afterAll(async () => {
    await pgServer?.stop();
  });

  it('S1-5.4.3-h: 40 parallel takes get 40 distinct numbers, exactly 1..40', async () => {
    expect((await call(pgServer.url, key, 'PUT', '/v1/coding-rules/serial', { pattern: 'SN-{seq:5}' })).status).toBe(200);
    const results = await Promise.all(Array.from({ length: 40 }, () => call(pgServer.url, key, 'POST', '/v1/coding-rules/serial/next', {})));
    expect(results.map((r) => r.status)).toEqual(Array(40).fill(200));
    const codes = results.map((r) => r.body.code as string);
    expect(new Set(codes).size).toBe(40);
    expect(codes.map((c) => Number(c.slice(3))).sort((a, b) => a - b)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    expect((await call(pgServer.url, key, 'POST', '/v1/coding-rules/serial/preview', {})).body).toEqual({ code: 'SN-00041' });
  });
});

describe('features', () => {
  let colorId: string;

  it('S1-5.4.3-d: POST creates a feature (201), GET and the list read it', async () => {
    const res = await asA('POST', '/v1/features', { code: 'COLOR', name: 'Colour', values: [{ code: 'RED', name: 'Red' }, { code: 'BLUE', name: 'Blue' }] });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ code: 'COLOR', name: 'Colour', values: [{ code: 'RED', name: 'Red' }, { code: 'BLUE', name: 'Blue' }] });
    colorId = res.body.id;
    expect((await asA('POST', '/v1/features', { code: 'SIZE', name: 'Size', values: [{ code: 'S', name: 'Small' }] })).status).toBe(201);

    const got = await asA('GET', `/v1/features/${colorId}`);
    expect(got.status).toBe(200);
    expect(got.body).toEqual(res.body);
    const list = await asA('GET', '/v1/features');
    expect(list.body.items.map((f: any) => f.code)).toEqual(['COLOR', 'SIZE']);
    expect((await asA('GET', '/v1/features/00000000-0000-4000-8000-000000000000')).status).toBe(404);
  });

  it('S1-5.4.3-d: PATCH renames and replaces values', async () => {
    const res = await asA('PATCH', `/v1/features/${colorId}`, { name: 'Color', values: [{ code: 'RED', name: 'Red' }, { code: 'GREEN', name: 'Green' }] });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: colorId, code: 'COLOR', name: 'Color', values: [{ code: 'RED', name: 'Red' }, { code: 'GREEN', name: 'Green' }] });
    const rename = await asA('PATCH', `/v1/features/${colorId}`, { name: 'Colour' });
    expect(rename.body.values).toHaveLength(2);
    expect((await asA('PATCH', '/v1/features/00000000-0000-4000-8000-000000000000', { name: 'X' })).status).toBe(404);
  });

  it('S1-5.4.3-d: a duplicate feature code is 409 FEATURE_CODE_TAKEN on field code', async () => {
    const res = await asA('POST', '/v1/features', { code: 'COLOR', name: 'Again', values: [{ code: 'X', name: 'X' }] });
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('FEATURE_CODE_TAKEN');
    expect(fields(res.body)).toEqual(['code:TAKEN']);
  });

  it('S1-5.4.3-d: a duplicate value code is 422 DUPLICATE_VALUE on values[i].code', async () => {
    const res = await asA('POST', '/v1/features', { code: 'FIT', name: 'Fit', values: [{ code: 'SLIM', name: 'Slim' }, { code: 'WIDE', name: 'Wide' }, { code: 'SLIM', name: 'Slim again' }] });
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('DUPLICATE_VALUE');
    expect(fields(res.body)).toEqual(['values[2].code:DUPLICATE']);
    const patch = await asA('PATCH', `/v1/features/${colorId}`, { values: [{ code: 'RED', name: 'Red' }, { code: 'RED', name: 'Red' }] });
    expect(patch.status).toBe(422);
    expect(fields(patch.body)).toEqual(['values[1].code:DUPLICATE']);
  });

  it('S1-5.4.3-d: bad codes, no values and unknown fields are 400 naming each field', async () => {
    const res = await asA('POST', '/v1/features', { code: 'color', name: 'Colour', values: [{ code: 'light red', name: 'Light red' }], extra: true });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect(fields(res.body).sort()).toEqual(['code:PATTERN', 'extra:UNKNOWN_FIELD', 'values[0].code:PATTERN']);
    const empty = await asA('POST', '/v1/features', { code: 'EMPTY', name: 'Empty', values: [] });
    expect(empty.status).toBe(400);
    expect(fields(empty.body)).toEqual(['values:MIN_ITEMS']);
    const tooLong = await asA('POST', '/v1/features', { code: 'X'.repeat(33), name: 'Long', values: [{ code: 'A', name: 'A' }] });
    expect(tooLong.status).toBe(400);
    expect((await asA('PATCH', `/v1/features/${colorId}`, { code: 'OTHER' })).status).toBe(400);
  });

  it("S1-5.3.2-a: tenant B cannot see or change tenant A's features", async () => {
    expect((await asB('GET', `/v1/features/${colorId}`)).status).toBe(404);
    const patch = await asB('PATCH', `/v1/features/${colorId}`, { name: 'Taken over' });
    expect(patch.status).toBe(404);
    expect(await listAll(t, B.key, '/v1/features')).toEqual([]);
    expect((await asA('GET', `/v1/features/${colorId}`)).body.name).toBe('Colour');
    // B may define its own COLOR.
    expect((await asB('POST', '/v1/features', { code: 'COLOR', name: 'Farbe', values: [{ code: 'ROT', name: 'Rot' }] })).status).toBe(201);
  });
});
