/**
 * Barcodes and labels over real HTTP on a real database (S1-5.4.3-g, S1-4.3.4, S1-4.2.5-a,
 * S1-5.3.2-a). Master data is seeded with SQL through the app's own tenant-scoped transactions:
 * the materials and warehouses API is written in parallel.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveBarcode } from '../src/modules/barcodes/service.js';
import type { Sql } from '../src/platform/db.js';
import { call, createTenant, startTestServer, type TestServer } from './harness.js';

const GS = '\x1d';

let t: TestServer;
let A: Awaited<ReturnType<typeof createTenant>>;
let B: Awaited<ReturnType<typeof createTenant>>;
const ids: Record<string, string> = {};

const asA = (method: string, path: string, body?: unknown) => call(t.url, A.key, method, path, body);
const asB = (method: string, path: string, body?: unknown) => call(t.url, B.key, method, path, body);
const resolveA = (code: string) => asA('POST', '/v1/barcodes/resolve', { code });
const resolveB = (code: string) => asB('POST', '/v1/barcodes/resolve', { code });

/** The raw bytes of a response (the harness reads text). */
async function fetchBytes(key: string, method: string, path: string, body?: unknown) {
  const res = await fetch(t.url + path, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, type: res.headers.get('content-type') ?? '', bytes: Buffer.from(await res.arrayBuffer()) };
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
/** Width and height from the IHDR chunk, which must come first. */
function pngSize(png: Buffer) {
  expect(png.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
  expect(png.subarray(12, 16).toString('latin1')).toBe('IHDR');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

async function seed(tenantId: string, fn: (tx: Sql) => Promise<void>) {
  await t.server.built.ctx.db.transaction({ tenantId }, fn);
}

async function insert(tx: Sql, sql: string, params: unknown[]): Promise<string> {
  return (await tx.query<{ id: string }>(`${sql} RETURNING id`, params)).rows[0].id;
}

beforeAll(async () => {
  t = await startTestServer();
  A = await createTenant(t, 'bc-a');
  B = await createTenant(t, 'bc-b');
  await seed(A.id, async (tx) => {
    await tx.query(`INSERT INTO units (tenant_id, code, name, decimals) VALUES ($1, 'pcs', 'Pieces', 0)`, [A.id]);
    const material = (code: string, name: string, tracking: string) =>
      insert(tx, 'INSERT INTO materials (tenant_id, code, name, base_unit, tracking) VALUES ($1, $2, $3, $4, $5)', [A.id, code, name, 'pcs', tracking]);
    ids.m1 = await material('MAT-0001', 'Bearing 6204', 'batch');
    ids.m2 = await material('MAT-0002', 'Motor 1.5 kW', 'serial');
    ids.m3 = await material('MAT-0003', 'Washer M8', 'none');
    const batch = (materialId: string, no: string, production: string | null, expiry: string | null) =>
      insert(tx, 'INSERT INTO batches (tenant_id, material_id, batch_no, production_date, expiry_date) VALUES ($1, $2, $3, $4, $5)', [A.id, materialId, no, production, expiry]);
    ids.b1 = await batch(ids.m1, 'B2611-01', '2026-01-15', '2027-12-31');
    ids.b2 = await batch(ids.m2, 'B-OTHER', null, null);
    ids.bShared1 = await batch(ids.m1, 'B-SHARED', null, null);
    ids.bShared2 = await batch(ids.m2, 'B-SHARED', null, null);
    const serial = (materialId: string, no: string, batchId: string | null) =>
      insert(tx, 'INSERT INTO serials (tenant_id, material_id, serial_no, batch_id) VALUES ($1, $2, $3, $4)', [A.id, materialId, no, batchId]);
    ids.s1 = await serial(ids.m2, 'SN-1001', ids.b2);
    ids.s2 = await serial(ids.m2, 'SN-1002', null);
    await serial(ids.m1, 'SN-DUP', null);
    await serial(ids.m2, 'SN-DUP', null);
    ids.wh1 = await insert(tx, 'INSERT INTO warehouses (tenant_id, code, name) VALUES ($1, $2, $3)', [A.id, 'WH1', 'Main store']);
    ids.wh2 = await insert(tx, 'INSERT INTO warehouses (tenant_id, code, name) VALUES ($1, $2, $3)', [A.id, 'WH2', 'Spares']);
    ids.binA = await insert(tx, 'INSERT INTO bins (tenant_id, warehouse_id, code) VALUES ($1, $2, $3)', [A.id, ids.wh1, 'A-01']);
  });
  // Tenant B has a unit and a material of its own under another code.
  await seed(B.id, async (tx) => {
    await tx.query(`INSERT INTO units (tenant_id, code, name, decimals) VALUES ($1, 'pcs', 'Pieces', 0)`, [B.id]);
    ids.bMaterial = await insert(tx, 'INSERT INTO materials (tenant_id, code, name, base_unit) VALUES ($1, $2, $3, $4)', [B.id, 'B-MAT', 'Of tenant B', 'pcs']);
  });
});

afterAll(async () => {
  await t?.stop();
});

describe('POST /v1/barcodes/resolve', () => {
  it('S1-5.4.3-g: a (240) code resolves to the material with its id, code, name and tracking', async () => {
    const res = await resolveA('(240)MAT-0001');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      kind: 'material',
      material: { id: ids.m1, code: 'MAT-0001', name: 'Bearing 6204', tracking: 'batch' },
      gs1: { material: 'MAT-0001' },
    });
  });

  it('S1-5.4.3-g: material + batch + expiry resolves to the batch, in the printed and the scanned form', async () => {
    const want = {
      kind: 'batch',
      material: { id: ids.m1, code: 'MAT-0001', name: 'Bearing 6204', tracking: 'batch' },
      batch: { id: ids.b1, batchNo: 'B2611-01', expiryDate: '2027-12-31', productionDate: '2026-01-15' },
      gs1: { material: 'MAT-0001', batch: 'B2611-01', expiry: '2027-12-31' },
    };
    const printed = await resolveA('(240)MAT-0001(10)B2611-01(17)271231');
    expect(printed.status).toBe(200);
    expect(printed.body).toEqual(want);
    const scanned = await resolveA(`]C117271231240MAT-0001${GS}10B2611-01`);
    expect(scanned.status).toBe(200);
    expect(scanned.body).toEqual(want);
    // A batch number alone is enough when one material has it.
    const alone = await resolveA('(10)B2611-01');
    expect(alone.body).toMatchObject({ kind: 'batch', material: { id: ids.m1 }, batch: { id: ids.b1 } });
  });

  it('S1-5.4.3-g: a serial resolves to the serial, its material and its batch', async () => {
    const res = await resolveA('(240)MAT-0002(21)SN-1001');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      kind: 'serial',
      material: { id: ids.m2, code: 'MAT-0002', name: 'Motor 1.5 kW', tracking: 'serial' },
      batch: { id: ids.b2, batchNo: 'B-OTHER', expiryDate: null, productionDate: null },
      serial: { id: ids.s1, serialNo: 'SN-1001' },
      gs1: { material: 'MAT-0002', serial: 'SN-1001' },
    });
    const raw = await resolveA(`${GS}21SN-1002`);
    expect(raw.body).toMatchObject({ kind: 'serial', material: { id: ids.m2 }, serial: { id: ids.s2 } });
    expect(raw.body.batch).toBeUndefined();
  });

  it('S1-5.4.3-g: a location resolves to the warehouse and bin, or the warehouse alone', async () => {
    const withBin = await resolveA('(91)WH1/A-01');
    expect(withBin.status).toBe(200);
    expect(withBin.body).toEqual({
      kind: 'location',
      location: { warehouse: { id: ids.wh1, code: 'WH1' }, bin: { id: ids.binA, code: 'A-01' } },
      gs1: { location: { warehouse: 'WH1', bin: 'A-01' } },
    });
    const noBin = await resolveA('91WH2');
    expect(noBin.status).toBe(200);
    expect(noBin.body).toEqual({ kind: 'location', location: { warehouse: { id: ids.wh2, code: 'WH2' }, bin: null }, gs1: { location: { warehouse: 'WH2', bin: null } } });
  });

  it('S1-5.4.3-g: material, quantity, location and document together: kind is the most specific thing named', async () => {
    const res = await resolveA(`]C1240MAT-0003${GS}3012${GS}91WH1/A-01${GS}92PO-2026-17`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      kind: 'material',
      material: { id: ids.m3 },
      quantity: '12',
      location: { warehouse: { id: ids.wh1 }, bin: { id: ids.binA } },
      document: 'PO-2026-17',
    });
    const doc = await resolveA('(92)PO-2026-17');
    expect(doc.body).toEqual({ kind: 'document', document: 'PO-2026-17', gs1: { document: 'PO-2026-17' } });
  });

  it('S1-5.4.3-g: a bare material code and a bare serial number, as PDAs send them', async () => {
    const material = await resolveA('MAT-0003');
    expect(material.status).toBe(200);
    expect(material.body).toEqual({ kind: 'material', material: { id: ids.m3, code: 'MAT-0003', name: 'Washer M8', tracking: 'none' }, gs1: { material: 'MAT-0003' } });
    const serial = await resolveA('SN-1001\r\n');
    expect(serial.status).toBe(200);
    expect(serial.body).toMatchObject({ kind: 'serial', material: { id: ids.m2 }, serial: { id: ids.s1 }, batch: { id: ids.b2 }, gs1: { serial: 'SN-1001' } });
    // Raw GS1 without a symbology identifier still reads when it is not a known bare code.
    const raw = await resolveA('240MAT-0002');
    expect(raw.body).toMatchObject({ kind: 'material', material: { id: ids.m2 } });
  });

  it('S1-5.4.3-g: a serial or batch number several materials have is ambiguous without (240) (422)', async () => {
    const serial = await resolveA('SN-DUP');
    expect(serial.status).toBe(422);
    expect(serial.body).toMatchObject({ code: 'BARCODE_AMBIGUOUS', part: 'serial', errors: [{ field: 'code', code: 'AMBIGUOUS' }] });
    const batch = await resolveA('(10)B-SHARED');
    expect(batch.status).toBe(422);
    expect(batch.body.code).toBe('BARCODE_AMBIGUOUS');
    // With the material it is not.
    const both = await resolveA('(240)MAT-0002(10)B-SHARED');
    expect(both.body).toMatchObject({ kind: 'batch', batch: { id: ids.bShared2 } });
    const serialOf = await resolveA('(240)MAT-0001(21)SN-DUP');
    expect(serialOf.body).toMatchObject({ kind: 'serial', material: { id: ids.m1 } });
  });

  it('S1-8.3: a scan lookup changes nothing, so a failed scan adds no audit record', async () => {
    const before = (await asA('GET', '/v1/audit/verify')).body.headSeq;
    expect((await resolveA('(240)NO-SUCH-MATERIAL')).status).toBe(404);
    expect((await resolveA('(99)bad')).status).toBe(400);
    expect((await asA('GET', '/v1/audit/verify')).body.headSeq).toBe(before);
  });

  it('S1-5.4.3-g: an unknown material, batch, serial, warehouse or bin answers 404 BARCODE_TARGET_NOT_FOUND naming the part', async () => {
    const cases: [string, string, RegExp][] = [
      ['(240)MAT-9999', 'material', /material MAT-9999 does not exist/],
      ['(240)MAT-0001(10)B-NONE', 'batch', /batch B-NONE does not exist for material MAT-0001/],
      ['(10)B-NONE', 'batch', /batch B-NONE does not exist/],
      ['(21)SN-NONE', 'serial', /serial SN-NONE does not exist/],
      ['(240)MAT-0002(21)SN-NONE', 'serial', /serial SN-NONE does not exist for material MAT-0002/],
      ['(91)WH9/A-01', 'location.warehouse', /warehouse WH9 does not exist/],
      ['(91)WH2/A-01', 'location.bin', /bin A-01 does not exist in warehouse WH2/],
      ['NO-SUCH-CODE', 'material', /no material or serial number is "NO-SUCH-CODE"/],
    ];
    for (const [code, part, message] of cases) {
      const res = await resolveA(code);
      expect(res.status, code).toBe(404);
      expect(res.body, code).toMatchObject({ code: 'BARCODE_TARGET_NOT_FOUND', part, errors: [{ field: 'code', code: 'NOT_FOUND' }] });
      expect(res.body.detail, code).toMatch(message);
    }
  });

  it('S1-5.4.3-g: a batch or serial of another material than the (240) answers 422 BARCODE_INCONSISTENT', async () => {
    const cases: [string, string, RegExp][] = [
      ['(240)MAT-0001(10)B-OTHER', 'batch', /batch B-OTHER does not belong to material MAT-0001/],
      ['(240)MAT-0001(21)SN-1001', 'serial', /serial SN-1001 does not belong to material MAT-0001/],
      ['(10)B2611-01(21)SN-1001', 'serial', /serial SN-1001 does not belong to the material of batch B2611-01/],
      ['(240)MAT-0002(10)B-SHARED(21)SN-1001', 'serial', /serial SN-1001 is not of batch B-SHARED/],
    ];
    for (const [code, part, message] of cases) {
      const res = await resolveA(code);
      expect(res.status, code).toBe(422);
      expect(res.body, code).toMatchObject({ code: 'BARCODE_INCONSISTENT', part, errors: [{ field: 'code', code: 'INCONSISTENT' }] });
      expect(res.body.detail, code).toMatch(message);
    }
  });

  it('S1-5.4.3-g: unreadable GS1 data answers 400 BARCODE_UNREADABLE saying what is wrong; dates alone identify nothing (422)', async () => {
    const unknown = await resolveA('(99)X');
    expect(unknown.status).toBe(400);
    expect(unknown.body).toMatchObject({ code: 'BARCODE_UNREADABLE', errors: [{ in: 'body', field: 'code', code: 'UNKNOWN_AI' }] });
    expect(unknown.body.detail).toMatch(/unknown application identifier \(99\)/);
    const date = await resolveA('(17)271332');
    expect(date.status).toBe(400);
    expect(date.body.errors[0].code).toBe('BAD_DATE');
    const nothing = await resolveA('(17)271231(30)5');
    expect(nothing.status).toBe(422);
    expect(nothing.body.code).toBe('BARCODE_NOTHING_IDENTIFIED');
    const empty = await resolveA('');
    expect(empty.status).toBe(400);
    expect(empty.body.code).toBe('VALIDATION_FAILED');
    const extra = await asA('POST', '/v1/barcodes/resolve', { code: 'MAT-0001', tenant: 'x' });
    expect(extra.status).toBe(400);
  });

  it('S1-5.3.2-a: tenant B resolving tenant A codes gets 404, for every kind and form', async () => {
    for (const code of ['(240)MAT-0001', 'MAT-0001', '(10)B2611-01', '(21)SN-1001', 'SN-1001', '(91)WH1/A-01', `]C1240MAT-0002${GS}21SN-1001`]) {
      const res = await resolveB(code);
      expect(res.status, code).toBe(404);
      expect(res.body.code, code).toBe('BARCODE_TARGET_NOT_FOUND');
    }
    // B's own material resolves for B and not for A.
    expect((await resolveB('B-MAT')).body).toMatchObject({ kind: 'material', material: { id: ids.bMaterial } });
    expect((await resolveA('(240)B-MAT')).status).toBe(404);
  });

  it('S1-5.4.3-g: resolveBarcode serves other modules inside their own tenant-scoped transaction', async () => {
    const db = t.server.built.ctx.db;
    const got = await db.transaction({ tenantId: A.id }, (tx) => resolveBarcode(tx, A.id, `]C1240MAT-0001${GS}10B2611-01`));
    expect(got).toMatchObject({ kind: 'batch', material: { id: ids.m1 }, batch: { id: ids.b1 } });
    await expect(db.transaction({ tenantId: B.id }, (tx) => resolveBarcode(tx, B.id, '(240)MAT-0001'))).rejects.toMatchObject({ status: 404, code: 'BARCODE_TARGET_NOT_FOUND' });
  });

  it('S1-5.4.3-g: resolving needs inventory:read (403 without it)', async () => {
    const key = await asA('POST', '/v1/api-keys', { name: 'masterdata-only', permissions: ['masterdata:read'] });
    expect(key.status).toBe(201);
    const res = await call(t.url, key.body.key, 'POST', '/v1/barcodes/resolve', { code: '(240)MAT-0001' });
    expect(res.status).toBe(403);
    const label = await call(t.url, key.body.key, 'POST', '/v1/labels', { fields: { material: 'MAT-0001' }, format: 'svg' });
    expect(label.status).toBe(403);
  });
});

describe('labels', () => {
  it('S1-4.3.4: an SVG label of a batch is an SVG document carrying the human-readable text', async () => {
    const res = await fetchBytes(A.key, 'POST', '/v1/labels', { fields: { material: 'MAT-0001', batch: 'B2611-01', expiry: '2027-12-31' }, format: 'svg' });
    expect(res.status).toBe(200);
    expect(res.type).toMatch(/^image\/svg\+xml/);
    const svg = res.bytes.toString('utf8');
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('(240)MAT-0001(10)B2611-01(17)271231');
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    // Without the text line the drawing has no glyphs, so it is smaller; the title stays.
    const bare = await fetchBytes(A.key, 'POST', '/v1/labels', { fields: { material: 'MAT-0001', batch: 'B2611-01', expiry: '2027-12-31' }, format: 'svg', text: false });
    expect(bare.status).toBe(200);
    expect(bare.bytes.length).toBeLessThan(res.bytes.length);
  });

  it('S1-4.3.4: a PNG label is a PNG wider than 100 px; scale widens it', async () => {
    const res = await fetchBytes(A.key, 'POST', '/v1/labels', { fields: { material: 'MAT-0001', batch: 'B2611-01' }, format: 'png' });
    expect(res.status).toBe(200);
    expect(res.type).toBe('image/png');
    const { width, height } = pngSize(res.bytes);
    expect(width).toBeGreaterThan(100);
    expect(height).toBeGreaterThan(20);
    const big = await fetchBytes(A.key, 'POST', '/v1/labels', { fields: { material: 'MAT-0001', batch: 'B2611-01' }, format: 'png', scale: 4 });
    expect(pngSize(big.bytes).width).toBeGreaterThan(width * 1.5);
  });

  it('S1-4.2.5-a: serial and location labels; what a label encodes resolves back to the same thing', async () => {
    const serial = await fetchBytes(A.key, 'POST', '/v1/labels', { fields: { material: 'MAT-0002', serial: 'SN-1001' }, format: 'svg' });
    expect(serial.status).toBe(200);
    expect(serial.bytes.toString('utf8')).toContain('(240)MAT-0002(21)SN-1001');
    expect((await resolveA('(240)MAT-0002(21)SN-1001')).body).toMatchObject({ kind: 'serial', serial: { id: ids.s1 } });
    const location = await fetchBytes(A.key, 'POST', '/v1/labels', { fields: { location: { warehouse: 'WH1', bin: 'A-01' } }, format: 'png', text: false });
    expect(location.status).toBe(200);
    expect(pngSize(location.bytes).width).toBeGreaterThan(100);
  });

  it('S1-4.2.5-a: a label for something that does not exist is 404, for a batch of another material 422', async () => {
    const missing = await asA('POST', '/v1/labels', { fields: { material: 'MAT-0001', batch: 'B-NONE' }, format: 'svg' });
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ code: 'BARCODE_TARGET_NOT_FOUND', part: 'batch', errors: [{ field: 'fields.batch' }] });
    const bin = await asA('POST', '/v1/labels', { fields: { location: { warehouse: 'WH2', bin: 'A-01' } }, format: 'svg' });
    expect(bin.status).toBe(404);
    expect(bin.body.errors[0].field).toBe('fields.location.bin');
    const other = await asA('POST', '/v1/labels', { fields: { material: 'MAT-0001', batch: 'B-OTHER' }, format: 'png' });
    expect(other.status).toBe(422);
    expect(other.body).toMatchObject({ code: 'BARCODE_INCONSISTENT', errors: [{ field: 'fields.batch' }] });
    // Tenant B cannot label A's material (S1-5.3.2-a).
    const cross = await asB('POST', '/v1/labels', { fields: { material: 'MAT-0001' }, format: 'svg' });
    expect(cross.status).toBe(404);
  });

  it('S1-4.3.4: a bad format, scale or field value is 400 VALIDATION_FAILED', async () => {
    const cases: [unknown, string][] = [
      [{ fields: { material: 'MAT-0001' }, format: 'gif' }, 'format'],
      [{ fields: { material: 'MAT-0001' } }, 'format'],
      [{ fields: { material: 'MAT-0001' }, format: 'svg', scale: 9 }, 'scale'],
      [{ fields: { material: 'MAT 0001' }, format: 'svg' }, 'fields.material'],
      [{ fields: { material: 'MAT-0001', colour: 'red' }, format: 'svg' }, 'fields.colour'],
      [{ fields: { expiry: '2027-02-30', material: 'MAT-0001' }, format: 'svg' }, 'fields.expiry'],
    ];
    for (const [body, field] of cases) {
      const res = await asA('POST', '/v1/labels', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(res.body.errors.map((e: { field: string }) => e.field), JSON.stringify(body)).toContain(field);
    }
    const date = await asA('POST', '/v1/labels', { fields: { material: 'MAT-0001', expiry: '2099-01-01' }, format: 'svg' });
    expect(date.status).toBe(422);
    expect(date.body).toMatchObject({ code: 'BARCODE_NOT_ENCODABLE', errors: [{ field: 'fields.expiry', code: 'BAD_DATE' }] });
  });

  it('S1-4.3.4: GET /v1/labels/material/:id draws the material code alone, SVG by default', async () => {
    const svg = await fetchBytes(A.key, 'GET', `/v1/labels/material/${ids.m3}`);
    expect(svg.status).toBe(200);
    expect(svg.type).toMatch(/^image\/svg\+xml/);
    expect(svg.bytes.toString('utf8')).toMatch(/^<svg[\s\S]*\(240\)MAT-0003/);
    const png = await fetchBytes(A.key, 'GET', `/v1/labels/material/${ids.m3}?format=png&scale=3`);
    expect(png.status).toBe(200);
    expect(pngSize(png.bytes).width).toBeGreaterThan(100);
    const bad = await asA('GET', `/v1/labels/material/${ids.m3}?format=gif`);
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('VALIDATION_FAILED');
    const missing = await asA('GET', '/v1/labels/material/00000000-0000-4000-8000-000000000000');
    expect(missing.status).toBe(404);
    // S1-5.3.2-a: tenant B cannot draw A's material by id.
    const cross = await asB('GET', `/v1/labels/material/${ids.m3}`);
    expect(cross.status).toBe(404);
    expect(cross.body.code).toBe('RESOURCE_NOT_FOUND');
  });

  it('S1-4.3.4: the OpenAPI document describes the routes and the image responses', async () => {
    const res = await call(t.url, undefined, 'GET', '/openapi.json');
    expect(res.status).toBe(200);
    const paths = res.body.paths;
    expect(paths['/v1/barcodes/resolve'].post.operationId).toBe('resolveBarcode');
    expect(paths['/v1/barcodes/resolve'].post.tags).toEqual(['barcodes']);
    const label = paths['/v1/labels'].post;
    expect(label.operationId).toBe('createLabel');
    expect(Object.keys(label.responses['200'].content).sort()).toEqual(['image/png', 'image/svg+xml']);
    expect(label.responses['200'].content['image/png'].schema).toMatchObject({ type: 'string', format: 'binary' });
    expect(paths['/v1/labels/material/{id}'].get.operationId).toBe('getMaterialLabel');
    expect(res.body.components.schemas.ResolvedBarcode).toBeDefined();
    expect(res.body.components.schemas.Gs1Fields).toBeDefined();
  });
});
