/**
 * Inventory reports and exports over real HTTP on a real database (S1-5.4.3-k, S1-8.3,
 * S1-5.3.2-a). Master data and stock are created through the API; the period boundary is taken
 * from the ledger's own timestamps.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createTenant, startTestServer, type TestServer } from './harness.js';
import { listAll, sleep } from './util.js';

let t: TestServer;
let A: Awaited<ReturnType<typeof createTenant>>;
let B: Awaited<ReturnType<typeof createTenant>>;
const id: Record<string, string> = {};
let from = '';
let to = '';

const asA = (method: string, path: string, body?: unknown) => call(t.url, A.key, method, path, body);

async function ok(res: Promise<{ status: number; body: any }>, status = 201) {
  const r = await res;
  if (r.status !== status) throw new Error(`expected ${status}, got ${r.status}: ${JSON.stringify(r.body).slice(0, 2000)}`);
  return r.body;
}

const doc = (type: 'other_in' | 'other_out', lines: Record<string, unknown>[]) => ok(asA('POST', '/v1/stock-documents', { type, post: true, lines }));

/** The time just after the last movement on A's ledger, then a pause so the next posting is later. */
async function boundary(): Promise<string> {
  const moves = await listAll(t, A.key, '/v1/stock/movements');
  const last = Math.max(...moves.map((m) => Date.parse(m.occurredAt)));
  await sleep(25);
  return new Date(last + 1).toISOString();
}

/** The raw bytes: fetch's text() would drop the byte-order mark we check for. */
async function fetchCsv(key: string, path: string) {
  const res = await fetch(t.url + path, { headers: { authorization: `Bearer ${key}` } });
  const bytes = Buffer.from(await res.arrayBuffer());
  return { status: res.status, type: res.headers.get('content-type') ?? '', disposition: res.headers.get('content-disposition') ?? '', bytes };
}

/** RFC 4180: quoted fields may hold commas, quotes (doubled) and line breaks; lines end in CRLF. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') row.push(field), (field = '');
    else if (c === '\r' && text[i + 1] === '\n') row.push(field), rows.push(row), (row = []), (field = ''), i++;
    else field += c;
  }
  if (field || row.length) throw new Error('the CSV does not end with CRLF');
  return rows;
}

/** Header row and objects, after checking the BOM. */
function readCsv(bytes: Buffer) {
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const [header, ...rows] = parseCsv(bytes.subarray(3).toString('utf8'));
  return { header, items: rows.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]]))) };
}

beforeAll(async () => {
  t = await startTestServer();
  A = await createTenant(t, 'report-a');
  B = await createTenant(t, 'report-b');
  await ok(asA('POST', '/v1/units', { code: 'pcs', name: 'Pieces', decimals: 0 }));
  await ok(asA('POST', '/v1/units', { code: 'kg', name: 'Kilogram', decimals: 3 }));
  await ok(asA('POST', '/v1/units', { code: 'g', name: 'Gram', decimals: 0 }));
  await ok(asA('POST', '/v1/unit-conversions', { fromUnit: 'kg', toUnit: 'g', factor: '1000' }));
  const material = async (key: string, body: Record<string, unknown>) => (id[key] = (await ok(asA('POST', '/v1/materials', body))).id);
  await material('grease', { code: 'GREASE', name: '润滑脂, "高温"', baseUnit: 'kg', category: 'fluids' });
  await material('bolt', { code: 'BOLT', name: '螺栓 M8', baseUnit: 'pcs', category: 'fasteners' });
  await material('idle', { code: 'IDLE', name: 'Never moved', baseUnit: 'pcs', category: 'fasteners' });
  await material('nut', { code: 'NUT', name: 'Nut', baseUnit: 'pcs', category: 'fasteners' });
  for (const [key, body] of [['W1', { code: 'W1', name: '一号仓' }], ['W2', { code: 'W2', name: 'Second' }], ['Q', { code: 'Q', name: 'Quarantine', kind: 'quarantine' }]] as const) {
    id[key] = (await ok(asA('POST', '/v1/warehouses', body))).id;
  }

  // Before the period.
  await doc('other_in', [
    { materialCode: 'GREASE', quantity: '10.5', warehouseCode: 'W1' },
    { materialCode: 'BOLT', quantity: '100', warehouseCode: 'W1' },
    { materialCode: 'BOLT', quantity: '20', warehouseCode: 'W2' },
  ]);
  from = await boundary();
  // In the period.
  await doc('other_in', [
    { materialCode: 'GREASE', quantity: '2250', unit: 'g', warehouseCode: 'W1' },
    { materialCode: 'BOLT', quantity: '30', warehouseCode: 'W2' },
    { materialCode: 'BOLT', quantity: '500', warehouseCode: 'Q' },
  ]);
  await doc('other_out', [
    { materialCode: 'GREASE', quantity: '0.75', warehouseCode: 'W1' },
    { materialCode: 'BOLT', quantity: '45', warehouseCode: 'W1' },
    { materialCode: 'BOLT', quantity: '5', warehouseCode: 'W2' },
  ]);
  to = await boundary();
  // After the period.
  await doc('other_in', [{ materialCode: 'GREASE', quantity: '1000', warehouseCode: 'W1' }, { materialCode: 'NUT', quantity: '9', warehouseCode: 'W1' }]);

  const safety = (material: string, body: Record<string, unknown>) => ok(asA('PUT', `/v1/materials/${id[material]}/safety-stock`, body), 200);
  await safety('bolt', { warehouseId: id.W1, quantity: '50' }); // W1 has 55: fine
  await safety('bolt', { quantity: '200' }); // normal warehouses hold 55 + 45 = 100 (quarantine's 500 do not count): short by 100
  await safety('grease', { warehouseId: id.W2, quantity: '1.5' }); // W2 has none: short by 1.5
  await safety('nut', { quantity: '9' }); // exactly at the level: not short
});

afterAll(async () => {
  await t?.stop();
});

const summaryPath = (extra = '') => `/v1/reports/stock-summary?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}${extra}`;

describe('stock summary (S1-5.4.3-k)', () => {
  it('S1-5.4.3-k: opening, receipts, issues and closing per material across the period boundary, exact', async () => {
    const page = await ok(asA('GET', summaryPath()), 200);
    expect(page.nextCursor).toBeNull();
    expect(page.items.map((r: any) => [r.materialCode, r.opening, r.receipts, r.issues, r.closing])).toEqual([
      ['BOLT', '120', '530', '50', '600'],
      ['GREASE', '10.5', '2.25', '0.75', '12'],
    ]);
    expect(page.items[1]).toMatchObject({ materialName: '润滑脂, "高温"', baseUnit: 'kg', category: 'fluids', warehouseId: null });

    const w2 = await ok(asA('GET', summaryPath(`&warehouseId=${id.W2}`)), 200);
    expect(w2.items.map((r: any) => [r.materialCode, r.opening, r.receipts, r.issues, r.closing, r.warehouseId])).toEqual([['BOLT', '20', '30', '5', '45', id.W2]]);

    const withZero = await ok(asA('GET', summaryPath('&includeZero=true&category=fasteners')), 200);
    expect(withZero.items.map((r: any) => [r.materialCode, r.closing])).toEqual([['BOLT', '600'], ['IDLE', '0'], ['NUT', '0']]);

    const first = await ok(asA('GET', summaryPath('&limit=1')), 200);
    expect(first.items.map((r: any) => r.materialCode)).toEqual(['BOLT']);
    const second = await ok(asA('GET', summaryPath(`&limit=1&cursor=${first.nextCursor}`)), 200);
    expect([second.items.map((r: any) => r.materialCode), second.nextCursor]).toEqual([['GREASE'], null]);

    // The whole ledger up to now: closing equals the balances.
    const all = await ok(asA('GET', `/v1/reports/stock-summary?from=${encodeURIComponent(from)}&to=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}&materialId=${id.grease}`), 200);
    expect(all.items.map((r: any) => r.closing)).toEqual(['1012']);

    const backwards = await asA('GET', `/v1/reports/stock-summary?from=${encodeURIComponent(to)}&to=${encodeURIComponent(from)}`);
    expect([backwards.status, backwards.body.code, backwards.body.errors[0].field]).toEqual([400, 'INVALID_PERIOD', 'to']);
  });

  it('S1-5.4.3-k: safety stock with on-hand and shortfall; shortages lists those below their level only', async () => {
    const safety = await ok(asA('GET', '/v1/reports/safety-stock'), 200);
    expect(safety.items.map((r: any) => [r.materialCode, r.warehouseCode, r.level, r.onHand, r.shortfall])).toEqual([
      ['BOLT', null, '200', '100', '100'],
      ['BOLT', 'W1', '50', '55', '0'],
      ['GREASE', 'W2', '1.5', '0', '1.5'],
      ['NUT', null, '9', '9', '0'],
    ]);
    const shortages = await ok(asA('GET', '/v1/reports/shortages'), 200);
    expect(shortages.items.map((r: any) => [r.materialCode, r.warehouseCode, r.shortfall])).toEqual([['BOLT', null, '100'], ['GREASE', 'W2', '1.5']]);
    const inW2 = await ok(asA('GET', `/v1/reports/shortages?warehouseId=${id.W2}`), 200);
    expect(inW2.items.map((r: any) => r.materialCode)).toEqual(['GREASE']);
    const paged = await ok(asA('GET', '/v1/reports/safety-stock?limit=2'), 200);
    const rest = await ok(asA('GET', `/v1/reports/safety-stock?limit=2&cursor=${paged.nextCursor}`), 200);
    expect([...paged.items, ...rest.items]).toEqual(safety.items);
  });
});

describe('exports (S1-5.4.3-k, S1-8.3)', () => {
  it('S1-5.4.3-k S1-8.3: the stock summary CSV reads back equal to the JSON, UTF-8 with BOM, and the export is audited', async () => {
    const csv = await fetchCsv(A.key, `${summaryPath().replace('stock-summary', 'stock-summary.csv')}`);
    expect(csv.status).toBe(200);
    expect(csv.type).toMatch(/^text\/csv/);
    expect(csv.disposition).toContain('stock-summary.csv');
    const { header, items } = readCsv(csv.bytes);
    expect(header).toEqual(['materialCode', 'materialName', 'category', 'baseUnit', 'warehouseId', 'opening', 'receipts', 'issues', 'closing']);
    const json = (await ok(asA('GET', summaryPath()), 200)).items;
    expect(items).toEqual(json.map((r: any) => ({ ...Object.fromEntries(header.map((h) => [h, r[h] ?? ''])) })));
    expect(items[1].materialName).toBe('润滑脂, "高温"');
    expect(csv.bytes.toString('utf8')).toContain('"润滑脂, ""高温"""');

    const audit = await ok(asA('GET', '/v1/audit?action=exportStockSummary'), 200);
    expect(audit.items).toHaveLength(1);
    expect(audit.items[0]).toMatchObject({
      action: 'exportStockSummary', resource: '/v1/reports/stock-summary.csv', outcome: 'success', statusCode: 200,
      details: { rows: 2, filters: { from, to } },
    });
  });

  it('S1-5.4.3-k S1-8.3: the balances CSV has every balance /v1/stock/balances lists, with the same filters, and is audited', async () => {
    const all = readCsv((await fetchCsv(A.key, '/v1/stock/balances.csv')).bytes);
    const json = await listAll(t, A.key, '/v1/stock/balances');
    const pick = (b: any) => [b.materialCode, b.warehouseCode, b.binCode ?? '', b.batchNo ?? '', b.serialNo ?? '', b.quantity, b.baseUnit].join('|');
    expect(all.items.map(pick)).toEqual(json.map(pick));
    expect(all.items).toHaveLength(5);

    const filtered = readCsv((await fetchCsv(A.key, `/v1/stock/balances.csv?warehouseId=${id.W1}&category=fasteners`)).bytes);
    expect(filtered.items.map(pick)).toEqual((await listAll(t, A.key, `/v1/stock/balances?warehouseId=${id.W1}&category=fasteners`)).map(pick));
    expect(filtered.items.map((b) => b.materialCode)).toEqual(['BOLT', 'NUT']);

    const audit = await ok(asA('GET', '/v1/audit?action=exportStockBalances'), 200);
    expect(audit.items.map((r: any) => [r.resource, r.outcome, r.details.rows, r.details.filters])).toEqual([
      ['/v1/stock/balances.csv', 'success', 5, {}],
      ['/v1/stock/balances.csv', 'success', 2, { warehouseId: id.W1, category: 'fasteners' }],
    ]);
  });

  it('S1-8.3: exports need inventory:export; a refused export is audited as denied', async () => {
    const reader = (await ok(asA('POST', '/v1/api-keys', { name: 'reader', permissions: ['inventory:read'] }))).key as string;
    expect((await call(t.url, reader, 'GET', summaryPath())).status).toBe(200);
    for (const path of ['/v1/stock/balances.csv', summaryPath().replace('stock-summary', 'stock-summary.csv')]) {
      const res = await call(t.url, reader, 'GET', path);
      expect([res.status, res.body.code], path).toEqual([403, 'PERMISSION_DENIED']);
    }
    const denied = await ok(asA('GET', '/v1/audit?action=exportStockBalances&outcome=denied'), 200);
    expect(denied.items).toHaveLength(1);
  });

  it('S1-5.3.2-a: another tenant sees none of these rows in reports or exports', async () => {
    const asB = (path: string) => call(t.url, B.key, 'GET', path);
    expect((await asB(summaryPath('&includeZero=true'))).body.items).toEqual([]);
    expect((await asB('/v1/reports/safety-stock')).body.items).toEqual([]);
    expect((await asB('/v1/reports/shortages')).body.items).toEqual([]);
    expect(readCsv((await fetchCsv(B.key, '/v1/stock/balances.csv')).bytes).items).toEqual([]);
    expect(readCsv((await fetchCsv(B.key, summaryPath('&includeZero=true').replace('stock-summary', 'stock-summary.csv'))).bytes).items).toEqual([]);
    expect((await asB(`/v1/reports/stock-summary?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}&materialId=${id.bolt}`)).body.items).toEqual([]);
  });
});

describe('the API description', () => {
  it('S1-5.4.3-k S1-5.4.3-b: reports, exports and counting are in the OpenAPI document', async () => {
    const spec = (await call(t.url, undefined, 'GET', '/openapi.json')).body;
    for (const id of ['StockSummaryPage', 'SafetyStockPage', 'CountSheet', 'CountSheetPage', 'CountEntriesResult']) expect(spec.components.schemas[id], id).toBeDefined();
    expect(spec.paths['/v1/reports/stock-summary.csv'].get.operationId).toBe('exportStockSummary');
    expect(Object.keys(spec.paths['/v1/stock/balances.csv'].get.responses['200'].content)).toEqual(['text/csv']);
    expect(spec.paths['/v1/count-sheets/{id}/post'].post.tags).toEqual(['inventory']);
  });
});
