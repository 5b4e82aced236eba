/**
 * Master data over real HTTP on a real database: units and conversions (S1-5.4.3-e), materials with
 * their production parameters (S1-5.4.4-a), variants from features (S1-5.4.3-d), warehouses and
 * bins (S1-5.4.3-a), paging, and tenant isolation of every new resource (S1-5.3.2-a).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createTenant, startTestServer, type TestServer } from './harness.js';
import { listAll } from './util.js';

let t: TestServer;
let A: Awaited<ReturnType<typeof createTenant>>;
let B: Awaited<ReturnType<typeof createTenant>>;
const asA = (method: string, path: string, body?: unknown) => call(t.url, A.key, method, path, body);
const asB = (method: string, path: string, body?: unknown) => call(t.url, B.key, method, path, body);
const fieldsOf = (body: any) => (body.errors ?? []).map((e: any) => `${e.field}:${e.code}`).sort();

async function created(res: Promise<{ status: number; body: any }>) {
  const r = await res;
  if (r.status !== 201) throw new Error(`expected 201, got ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

beforeAll(async () => {
  t = await startTestServer();
  A = await createTenant(t, 'md-a');
  B = await createTenant(t, 'md-b');
  for (const [code, decimals] of [['PCS', 0], ['BOX', 0], ['PACK', 0], ['KG', 3], ['G', 0]] as const) {
    await created(asA('POST', '/v1/units', { code, name: code, decimals }));
  }
  await created(asA('POST', '/v1/unit-conversions', { fromUnit: 'BOX', toUnit: 'PACK', factor: '4' }));
  await created(asA('POST', '/v1/unit-conversions', { fromUnit: 'PACK', toUnit: 'PCS', factor: '3' }));
});

afterAll(async () => {
  await t?.stop();
});

describe('units and conversions (S1-5.4.3-e)', () => {
  it('S1-5.4.3-e: a unit echoes its decimals and rounding (default half_up); a taken code is 409 UNIT_CODE_TAKEN', async () => {
    const u = await created(asA('POST', '/v1/units', { code: 'L', name: 'Litre', decimals: 2, rounding: 'half_even' }));
    expect(u).toEqual({ code: 'L', name: 'Litre', decimals: 2, rounding: 'half_even' });
    const units = (await asA('GET', '/v1/units')).body.items;
    expect(units.find((x: any) => x.code === 'PCS')).toEqual({ code: 'PCS', name: 'PCS', decimals: 0, rounding: 'half_up' });
    const dup = await asA('POST', '/v1/units', { code: 'L', name: 'Again', decimals: 1 });
    expect(dup.status).toBe(409);
    expect(dup.body.code).toBe('UNIT_CODE_TAKEN');
  });

  it('S1-5.4.3-e: a unit with decimals outside 0..6 or an unknown rounding is 400, never 5xx', async () => {
    for (const body of [{ code: 'X1', name: 'x', decimals: 7 }, { code: 'X2', name: 'x', decimals: -1 }, { code: 'X3', name: 'x', decimals: 1.5 }, { code: 'X4', name: 'x', decimals: 1, rounding: 'ceil' }, { code: 'bad code', name: 'x', decimals: 0 }]) {
      const res = await asA('POST', '/v1/units', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
    }
  });

  it('S1-5.4.3-e: a conversion naming unknown units is 422 with both fields; the same unit both sides is SAME_UNIT', async () => {
    const res = await asA('POST', '/v1/unit-conversions', { fromUnit: 'NOPE', toUnit: 'NADA', factor: '2' });
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('CONVERSION_INVALID');
    expect(fieldsOf(res.body)).toEqual(['fromUnit:UNKNOWN_UNIT', 'toUnit:UNKNOWN_UNIT']);
    const same = await asA('POST', '/v1/unit-conversions', { fromUnit: 'PCS', toUnit: 'PCS', factor: '1' });
    expect(same.status).toBe(422);
    expect(fieldsOf(same.body)).toEqual(['toUnit:SAME_UNIT']);
    const zero = await asA('POST', '/v1/unit-conversions', { fromUnit: 'KG', toUnit: 'G', factor: '0' });
    expect(zero.status).toBe(422);
    expect(fieldsOf(zero.body)).toEqual(['factor:NOT_POSITIVE']);
    for (const factor of ['-1', '1e3', 'abc', '']) expect((await asA('POST', '/v1/unit-conversions', { fromUnit: 'KG', toUnit: 'G', factor })).status, factor).toBe(400);
  });

  it('S1-5.4.3-e: a duplicate conversion, in either direction, is 409 CONVERSION_EXISTS', async () => {
    const again = await asA('POST', '/v1/unit-conversions', { fromUnit: 'BOX', toUnit: 'PACK', factor: '5' });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('CONVERSION_EXISTS');
    const reverse = await asA('POST', '/v1/unit-conversions', { fromUnit: 'PACK', toUnit: 'BOX', factor: '0.25' });
    expect(reverse.status).toBe(409);
    expect(reverse.body.code).toBe('CONVERSION_EXISTS');
    const list = (await asA('GET', '/v1/unit-conversions')).body.items;
    expect(list.map((c: any) => [c.fromUnit, c.toUnit, c.factor, c.materialId])).toEqual(expect.arrayContaining([['BOX', 'PACK', '4', null], ['PACK', 'PCS', '3', null]]));
  });

  it('S1-5.4.3-e: a conversion is usable in reverse and over two hops: 2 BOX = 24 PCS, 24 PCS = 2 BOX, 1 PCS = 0 BOX rounded half_up', async () => {
    const m = await created(asA('POST', '/v1/materials', { code: 'CONV-1', name: 'Conversion probe', baseUnit: 'PCS' }));
    const conv = async (q: string) => (await asA('GET', `/v1/materials/${m.id}/convert?${q}`)).body;
    expect(await conv('quantity=2&from=BOX')).toEqual({ quantity: '24', unit: 'PCS', exact: '24' });
    expect(await conv('quantity=24&from=PCS&to=BOX')).toEqual({ quantity: '2', unit: 'BOX', exact: '2' });
    expect(await conv('quantity=3&from=PCS&to=PACK')).toEqual({ quantity: '1', unit: 'PACK', exact: '1' });
    expect((await conv('quantity=1&from=PCS&to=BOX')).quantity).toBe('0');
    const fraction = await asA('GET', `/v1/materials/${m.id}/convert?quantity=1.5&from=BOX`);
    expect(fraction.status).toBe(422);
    expect(fraction.body.errors).toEqual([expect.objectContaining({ in: 'query', field: 'quantity', code: 'FRACTION_NOT_ALLOWED' })]);
    const none = await asA('GET', `/v1/materials/${m.id}/convert?quantity=1&from=KG`);
    expect(none.status).toBe(422);
    expect(none.body.errors).toEqual([expect.objectContaining({ in: 'query', field: 'from', code: 'UNIT_NOT_CONVERTIBLE' })]);
  });

  it('S1-5.4.3-e: a material-specific conversion overrides the global one for that material only', async () => {
    const special = await created(asA('POST', '/v1/materials', { code: 'CONV-SPECIAL', name: 'Five to a pack', baseUnit: 'PCS' }));
    const plain = await created(asA('POST', '/v1/materials', { code: 'CONV-PLAIN', name: 'Three to a pack', baseUnit: 'PCS' }));
    const c = await created(asA('POST', '/v1/unit-conversions', { fromUnit: 'PACK', toUnit: 'PCS', factor: '5', materialId: special.id }));
    expect(c).toEqual({ id: expect.any(String), materialId: special.id, fromUnit: 'PACK', toUnit: 'PCS', factor: '5' });
    expect((await asA('GET', `/v1/materials/${special.id}/convert?quantity=2&from=BOX`)).body.quantity).toBe('40');
    expect((await asA('GET', `/v1/materials/${plain.id}/convert?quantity=2&from=BOX`)).body.quantity).toBe('24');
    const unknownMaterial = await asA('POST', '/v1/unit-conversions', { fromUnit: 'PACK', toUnit: 'PCS', factor: '5', materialId: '00000000-0000-4000-8000-000000000000' });
    expect(unknownMaterial.status).toBe(422);
    expect(fieldsOf(unknownMaterial.body)).toEqual(['materialId:UNKNOWN_MATERIAL']);
  });
});

describe('materials (S1-5.4.4-a, S1-5.4.3-d)', () => {
  it('S1-5.4.4-a: a material with every field echoes them back, production parameters included', async () => {
    // A default routing names a routing that exists.
    for (const code of ['R-100', 'R-9']) await created(asA('POST', '/v1/routings', { code, name: code, operations: [] }));
    const body = {
      code: 'FULL-1', name: 'Fully specified', specification: '6204-2RS', category: 'bearings', baseUnit: 'PCS', purchaseUnit: 'BOX', salesUnit: 'PACK',
      stockUnit: 'PACK', productionUnit: 'PCS', tracking: 'batch', trackExpiry: true, issueType: 'backflush_operation', includeInKitting: false, defaultRouting: 'R-100',
    };
    const m = await created(asA('POST', '/v1/materials', body));
    expect(m).toEqual({
      id: expect.any(String), code: 'FULL-1', name: 'Fully specified', specification: '6204-2RS', category: 'bearings', baseUnit: 'PCS', purchaseUnit: 'BOX',
      salesUnit: 'PACK', stockUnit: 'PACK', productionUnit: 'PCS', tracking: 'batch', trackExpiry: true,
      production: { issueType: 'backflush_operation', includeInKitting: false, productionUnit: 'PCS', defaultRouting: 'R-100' },
      variantOf: null, variantFeatures: [], variantRule: null, featureValues: {}, status: 'active', version: 1, createdAt: expect.any(String),
    });
    expect((await asA('GET', `/v1/materials/${m.id}`)).body).toEqual(m);
    // Defaults: every operating unit falls back to the base unit; manual issue, kitted.
    const d = await created(asA('POST', '/v1/materials', { code: 'DEFAULTS-1', name: 'Defaults', baseUnit: 'KG' }));
    expect(d).toMatchObject({ purchaseUnit: 'KG', salesUnit: 'KG', stockUnit: 'KG', productionUnit: 'KG', tracking: 'none', trackExpiry: false, production: { issueType: 'manual', includeInKitting: true, productionUnit: 'KG', defaultRouting: null } });
  });

  it('S1-5.4.4-a: production parameters change with optimistic concurrency; a stale version is 409 VERSION_CONFLICT', async () => {
    const m = await created(asA('POST', '/v1/materials', { code: 'PATCH-1', name: 'Patched', baseUnit: 'PCS' }));
    const ok = await asA('PATCH', `/v1/materials/${m.id}`, { version: 1, issueType: 'backflush_receipt', includeInKitting: false, defaultRouting: 'R-9' });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ version: 2, production: { issueType: 'backflush_receipt', includeInKitting: false, defaultRouting: 'R-9' } });
    const stale = await asA('PATCH', `/v1/materials/${m.id}`, { version: 1, name: 'lost' });
    expect(stale.status).toBe(409);
    expect(stale.body.code).toBe('VERSION_CONFLICT');
  });

  it('S1-5.4.3-e: a material naming unknown units or units without a conversion is 422 listing every field', async () => {
    const res = await asA('POST', '/v1/materials', { code: 'BAD-UNITS', name: 'x', baseUnit: 'PCS', purchaseUnit: 'NOPE', salesUnit: 'KG', stockUnit: 'NADA', trackExpiry: true });
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('MATERIAL_INVALID');
    expect(fieldsOf(res.body)).toEqual(['purchaseUnit:UNKNOWN_UNIT', 'salesUnit:UNIT_NOT_CONVERTIBLE', 'stockUnit:UNKNOWN_UNIT', 'trackExpiry:NEEDS_BATCHES']);
    const dup = await asA('POST', '/v1/materials', { code: 'FULL-1', name: 'again', baseUnit: 'PCS' });
    expect(dup.status).toBe(409);
    expect(dup.body.code).toBe('MATERIAL_CODE_TAKEN');
    expect((await asA('GET', '/v1/materials?q=BAD-UNITS')).body.items).toEqual([]);
  });

  it('S1-5.4.3-d: variants of a template with [COLOR, SIZE] get generated codes; a duplicate is 409 VARIANT_EXISTS; an unknown value is 422 on featureValues.COLOR', async () => {
    await created(asA('POST', '/v1/features', { code: 'COLOR', name: 'Colour', values: [{ code: 'RED', name: 'Red' }, { code: 'BLUE', name: 'Blue' }] }));
    await created(asA('POST', '/v1/features', { code: 'SIZE', name: 'Size', values: [{ code: 'M', name: 'Medium' }, { code: 'L', name: 'Large' }] }));
    const template = await created(asA('POST', '/v1/materials', { code: 'TEMPLATE', name: 'Shirt', baseUnit: 'PCS', tracking: 'serial', issueType: 'backflush_receipt', variantFeatures: ['COLOR', 'SIZE'] }));
    expect(template.variantFeatures).toEqual(['COLOR', 'SIZE']);

    const red = await created(asA('POST', `/v1/materials/${template.id}/variants`, { featureValues: { COLOR: 'RED', SIZE: 'L' } }));
    expect(red).toMatchObject({ code: 'TEMPLATE-RED-L', variantOf: template.id, featureValues: { COLOR: 'RED', SIZE: 'L' }, baseUnit: 'PCS', tracking: 'serial', variantFeatures: [], production: { issueType: 'backflush_receipt' } });
    const blue = await created(asA('POST', `/v1/materials/${template.id}/variants`, { featureValues: { SIZE: 'M', COLOR: 'BLUE' }, name: 'Blue shirt M' }));
    expect(blue).toMatchObject({ code: 'TEMPLATE-BLUE-M', name: 'Blue shirt M' });

    const dup = await asA('POST', `/v1/materials/${template.id}/variants`, { featureValues: { COLOR: 'RED', SIZE: 'L' } });
    expect(dup.status).toBe(409);
    expect(dup.body.code).toBe('VARIANT_EXISTS');
    expect(dup.body.existingCode).toBe('TEMPLATE-RED-L');

    const unknown = await asA('POST', `/v1/materials/${template.id}/variants`, { featureValues: { COLOR: 'GREEN', SIZE: 'L' } });
    expect(unknown.status).toBe(422);
    expect(unknown.body.errors.map((e: any) => e.field)).toEqual(['featureValues.COLOR']);
    const missing = await asA('POST', `/v1/materials/${template.id}/variants`, { featureValues: { COLOR: 'RED' } });
    expect(missing.status).toBe(422);
    expect(missing.body.errors.map((e: any) => e.field)).toEqual(['featureValues.SIZE']);

    const variants = await listAll(t, A.key, `/v1/materials?variantOf=${template.id}`);
    expect(variants.map((v) => v.code)).toEqual(['TEMPLATE-BLUE-M', 'TEMPLATE-RED-L']);
    // A variant is not a template; a plain material has no variants.
    expect((await asA('POST', `/v1/materials/${red.id}/variants`, { featureValues: { COLOR: 'RED' } })).body.code).toBe('NOT_A_TEMPLATE');
    expect((await asA('POST', '/v1/materials/00000000-0000-4000-8000-000000000000/variants', { featureValues: {} })).status).toBe(404);
  });

  it('S1-5.4.3-d: a template naming an unknown feature is 422 on variantFeatures[i]', async () => {
    const res = await asA('POST', '/v1/materials', { code: 'TEMPLATE-BAD', name: 'x', baseUnit: 'PCS', variantFeatures: ['COLOR', 'NOPE'] });
    expect(res.status).toBe(422);
    expect(fieldsOf(res.body)).toEqual(['variantFeatures[1]:UNKNOWN_FEATURE']);
  });

  it('S1-5.4.3-a: the material list pages by code with a cursor and filters by q (code or name, any case)', async () => {
    for (let i = 1; i <= 7; i++) await created(asA('POST', '/v1/materials', { code: `PAGE-${String(i).padStart(2, '0')}`, name: i % 2 ? 'Odd bolt' : 'Even nut', baseUnit: 'PCS', category: 'paging' }));
    const seen: string[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < 10; page++) {
      const res: { status: number; body: any } = await asA('GET', `/v1/materials?category=paging&limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.status).toBe(200);
      expect(res.body.items.length).toBeLessThanOrEqual(3);
      seen.push(...res.body.items.map((m: any) => m.code));
      cursor = res.body.nextCursor;
      if (!cursor) break;
    }
    expect(seen).toEqual(['PAGE-01', 'PAGE-02', 'PAGE-03', 'PAGE-04', 'PAGE-05', 'PAGE-06', 'PAGE-07']);
    const nuts = (await asA('GET', '/v1/materials?q=EVEN%20NUT&limit=50')).body.items.map((m: any) => m.code);
    expect(nuts).toEqual(['PAGE-02', 'PAGE-04', 'PAGE-06']);
    expect((await asA('GET', '/v1/materials?q=page-07')).body.items.map((m: any) => m.code)).toEqual(['PAGE-07']);
    expect((await asA('GET', '/v1/materials?limit=0')).status).toBe(400);
    expect((await asA('GET', '/v1/materials?cursor=not-a-cursor')).status).toBe(400);
  });
});

describe('warehouses and bins (S1-5.4.3-a)', () => {
  it('S1-5.4.3-a: warehouses of each kind, negative stock off by default; a taken code is 409', async () => {
    const main = await created(asA('POST', '/v1/warehouses', { code: 'WH-MAIN', name: 'Main' }));
    expect(main).toEqual({ id: expect.any(String), code: 'WH-MAIN', name: 'Main', kind: 'normal', allowNegative: false, status: 'active', version: 1 });
    const q = await created(asA('POST', '/v1/warehouses', { code: 'WH-QC', name: 'Quarantine', kind: 'quarantine' }));
    const wip = await created(asA('POST', '/v1/warehouses', { code: 'WH-WIP', name: 'Line side', kind: 'wip', allowNegative: true }));
    expect([q.kind, wip.kind, wip.allowNegative]).toEqual(['quarantine', 'wip', true]);
    const dup = await asA('POST', '/v1/warehouses', { code: 'WH-MAIN', name: 'Again' });
    expect(dup.status).toBe(409);
    expect(dup.body.code).toBe('WAREHOUSE_CODE_TAKEN');
    expect((await asA('POST', '/v1/warehouses', { code: 'WH-X', name: 'x', kind: 'virtual' })).status).toBe(400);
    const codes = (await asA('GET', '/v1/warehouses')).body.items.map((w: any) => w.code);
    expect(codes).toEqual(expect.arrayContaining(['WH-MAIN', 'WH-QC', 'WH-WIP']));
    const patched = await asA('PATCH', `/v1/warehouses/${main.id}`, { version: 1, allowNegative: true });
    expect(patched.body).toMatchObject({ allowNegative: true, version: 2 });
    expect((await asA('PATCH', `/v1/warehouses/${main.id}`, { version: 1, name: 'stale' })).body.code).toBe('VERSION_CONFLICT');
  });

  it('S1-5.4.3-a: bins are unique per warehouse; the same code in another warehouse is fine; an unknown warehouse is 404', async () => {
    const w1 = await created(asA('POST', '/v1/warehouses', { code: 'WH-BINS-1', name: 'Bins 1' }));
    const w2 = await created(asA('POST', '/v1/warehouses', { code: 'WH-BINS-2', name: 'Bins 2' }));
    const b = await created(asA('POST', `/v1/warehouses/${w1.id}/bins`, { code: 'A-01' }));
    expect(b).toEqual({ id: expect.any(String), warehouseId: w1.id, code: 'A-01', name: '' });
    await created(asA('POST', `/v1/warehouses/${w1.id}/bins`, { code: 'A-02', name: 'Second' }));
    await created(asA('POST', `/v1/warehouses/${w2.id}/bins`, { code: 'A-01' }));
    const dup = await asA('POST', `/v1/warehouses/${w1.id}/bins`, { code: 'A-01' });
    expect(dup.status).toBe(409);
    expect(dup.body.code).toBe('BIN_CODE_TAKEN');
    expect((await asA('GET', `/v1/warehouses/${w1.id}/bins`)).body.items.map((x: any) => x.code)).toEqual(['A-01', 'A-02']);
    const missing = '00000000-0000-4000-8000-000000000000';
    expect((await asA('POST', `/v1/warehouses/${missing}/bins`, { code: 'Z' })).status).toBe(404);
    expect((await asA('GET', `/v1/warehouses/${missing}/bins`)).status).toBe(404);
  });

  it('S1-5.4.3-a: safety stock per warehouse and tenant-wide; negative or unknown warehouse is 422', async () => {
    const m = await created(asA('POST', '/v1/materials', { code: 'SAFE-1', name: 'Safety', baseUnit: 'KG' }));
    const w = await created(asA('POST', '/v1/warehouses', { code: 'WH-SAFE', name: 'Safe' }));
    const all = await asA('PUT', `/v1/materials/${m.id}/safety-stock`, { quantity: '12.500' });
    expect(all.status).toBe(200);
    expect(all.body).toEqual({ materialId: m.id, warehouseId: null, quantity: '12.5' });
    const one = await asA('PUT', `/v1/materials/${m.id}/safety-stock`, { quantity: '3', warehouseId: w.id });
    expect(one.body).toEqual({ materialId: m.id, warehouseId: w.id, quantity: '3' });
    const bad = await asA('PUT', `/v1/materials/${m.id}/safety-stock`, { quantity: '-1', warehouseId: '00000000-0000-4000-8000-000000000000' });
    expect(bad.status).toBe(422);
    expect(fieldsOf(bad.body)).toEqual(['quantity:NEGATIVE', 'warehouseId:UNKNOWN_WAREHOUSE']);
    const tooPrecise = await asA('PUT', `/v1/materials/${m.id}/safety-stock`, { quantity: '1.0001' });
    expect(tooPrecise.status).toBe(422);
    expect(fieldsOf(tooPrecise.body)).toEqual(['quantity:TOO_MANY_DECIMALS']);
  });
});

describe('tenant isolation of master data and stock (S1-5.3.2-a)', () => {
  it('S1-5.3.2-a: tenant B sees none of A\'s units, conversions, features, materials, warehouses, bins, documents, balances or movements', async () => {
    const m = await created(asA('POST', '/v1/materials', { code: 'ISO-1', name: 'Isolated', baseUnit: 'PCS' }));
    const w = await created(asA('POST', '/v1/warehouses', { code: 'WH-ISO', name: 'Isolated' }));
    await created(asA('POST', `/v1/warehouses/${w.id}/bins`, { code: 'ISO-BIN' }));
    const doc = await created(asA('POST', '/v1/stock-documents', { type: 'other_in', post: true, lines: [{ materialId: m.id, quantity: '5', warehouseId: w.id, binCode: 'ISO-BIN' }] }));
    const feature = (await asA('GET', '/v1/features')).body.items[0];
    expect(feature).toBeDefined();

    for (const path of ['/v1/units', '/v1/unit-conversions', '/v1/features', '/v1/materials', '/v1/warehouses', '/v1/stock-documents', '/v1/stock/balances', '/v1/stock/movements']) {
      const res = await asB('GET', path);
      expect(res.status, path).toBe(200);
      expect(res.body.items, path).toEqual([]);
    }
    for (const path of [`/v1/materials/${m.id}`, `/v1/warehouses/${w.id}`, `/v1/warehouses/${w.id}/bins`, `/v1/stock-documents/${doc.id}`, `/v1/features/${feature.id}`, `/v1/materials/${m.id}/convert?quantity=1&from=PCS`]) {
      expect((await asB('GET', path)).status, path).toBe(404);
    }
    expect((await asB('GET', `/v1/stock/balances?materialId=${m.id}&includeZero=true`)).body.items).toEqual([]);
    expect((await asB('GET', `/v1/stock/movements?sourceId=${doc.id}`)).body.items).toEqual([]);
    expect((await asB('GET', `/v1/stock/fifo?materialId=${m.id}&quantity=1`)).status).toBe(404);
    // Writes naming A's resources find nothing.
    expect((await asB('PATCH', `/v1/materials/${m.id}`, { version: 1, name: 'stolen' })).status).toBe(404);
    expect((await asB('PATCH', `/v1/warehouses/${w.id}`, { version: 1, name: 'stolen' })).status).toBe(404);
    expect((await asB('POST', `/v1/warehouses/${w.id}/bins`, { code: 'B-BIN' })).status).toBe(404);
    expect((await asB('PUT', `/v1/materials/${m.id}/safety-stock`, { quantity: '1' })).status).toBe(404);
    expect((await asB('POST', `/v1/stock-documents/${doc.id}/post`)).status).toBe(404);
    expect((await asB('POST', `/v1/stock-documents/${doc.id}/reverse`)).status).toBe(404);
    const steal = await asB('POST', '/v1/stock-documents', { type: 'other_out', post: true, lines: [{ materialId: m.id, quantity: '1', warehouseId: w.id }] });
    expect(steal.status).toBe(422);
    expect(fieldsOf(steal.body)).toEqual(['lines[0].materialId:UNKNOWN_MATERIAL', 'lines[0].warehouseId:UNKNOWN_WAREHOUSE']);
    // B may use the same codes for its own master data.
    await created(asB('POST', '/v1/units', { code: 'PCS', name: 'Pieces', decimals: 0 }));
    await created(asB('POST', '/v1/materials', { code: 'ISO-1', name: 'B\'s own', baseUnit: 'PCS' }));
    await created(asB('POST', '/v1/warehouses', { code: 'WH-ISO', name: 'B\'s own' }));
    // A's stock is untouched.
    const balances = (await asA('GET', `/v1/stock/balances?materialId=${m.id}`)).body.items;
    expect(balances.map((b: any) => b.quantity)).toEqual(['5']);
  });

  it('S1-5.3.2-a: every table with a tenant_id column, the master data and ledger tables included, has RLS enabled and forced', async () => {
    const rows = await t.server.built.ctx.db.asOwner(async (sql) =>
      (
        await sql.query<{ relname: string; relrowsecurity: boolean; relforcerowsecurity: boolean; policies: number }>(
          `SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity, (SELECT count(*)::int FROM pg_policy p WHERE p.polrelid = c.oid) AS policies
             FROM information_schema.columns col
             JOIN pg_namespace n ON n.nspname = col.table_schema
             JOIN pg_class c ON c.relnamespace = n.oid AND c.relname = col.table_name
            WHERE col.table_schema = 'public' AND col.column_name = 'tenant_id' AND c.relkind = 'r'
            ORDER BY c.relname`,
        )
      ).rows,
    );
    const names = rows.map((r) => r.relname);
    expect(names).toEqual(expect.arrayContaining([
      'units', 'features', 'coding_rules', 'coding_sequences', 'materials', 'unit_conversions', 'warehouses', 'bins', 'batches', 'serials',
      'stock_movements', 'stock_balances', 'safety_stocks', 'stock_documents', 'stock_document_lines',
    ]));
    expect(rows.filter((r) => !r.relrowsecurity || !r.relforcerowsecurity || r.policies === 0).map((r) => r.relname)).toEqual([]);
  });
});
