/**
 * Stock counting over real HTTP on a real database (S1-5.4.3-b, S1-5.1.4, S1-5.3.2-a). Master
 * data and stock are created through the API; nothing is mocked.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createTenant, startTestServer, type TestServer } from './harness.js';
import { listAll } from './util.js';

let t: TestServer;
let A: Awaited<ReturnType<typeof createTenant>>;
let B: Awaited<ReturnType<typeof createTenant>>;
const id: Record<string, string> = {};

const asA = (method: string, path: string, body?: unknown, headers?: Record<string, string>) => call(t.url, A.key, method, path, body, headers);
const asB = (method: string, path: string, body?: unknown) => call(t.url, B.key, method, path, body);

async function ok(res: Promise<{ status: number; body: any }>, status = 201) {
  const r = await res;
  if (r.status !== status) throw new Error(`expected ${status}, got ${r.status}: ${JSON.stringify(r.body).slice(0, 2000)}`);
  return r.body;
}

/** Stock in through an other_in document, posted at once. */
const receive = (lines: Record<string, unknown>[]) => ok(asA('POST', '/v1/stock-documents', { type: 'other_in', post: true, lines }));

/** A's balances of a warehouse as comparable tuples. */
async function balancesOf(warehouseId: string) {
  const items = await listAll(t, A.key, `/v1/stock/balances?warehouseId=${warehouseId}`);
  return items.map((b) => [b.materialCode, b.binCode, b.batchNo, b.serialNo, b.quantity].join('|')).sort();
}

const lineTuples = (sheet: any, pick: 'book' | 'counted' = 'book') =>
  sheet.lines.map((l: any) => [l.materialCode, l.binCode, l.batchNo, l.serialNo, l[pick]].join('|')).sort();

beforeAll(async () => {
  t = await startTestServer();
  A = await createTenant(t, 'count-a');
  B = await createTenant(t, 'count-b');
  for (const u of [{ code: 'pcs', name: 'Pieces', decimals: 0 }, { code: 'box', name: 'Box', decimals: 0 }, { code: 'kg', name: 'Kilogram', decimals: 3 }]) {
    await ok(asA('POST', '/v1/units', u));
  }
  await ok(asA('POST', '/v1/unit-conversions', { fromUnit: 'box', toUnit: 'pcs', factor: '12' }));
  const material = async (code: string, extra: Record<string, unknown> = {}) =>
    (id[code] = (await ok(asA('POST', '/v1/materials', { code, name: `${code} 物料`, baseUnit: 'pcs', ...extra }))).id);
  await material('BOLT', { category: 'fasteners' });
  await material('NUT', { category: 'fasteners' });
  await material('BEARING', { tracking: 'batch', category: 'parts' });
  await material('MOTOR', { tracking: 'serial', category: 'parts' });
  await material('OIL', { baseUnit: 'kg', category: 'fluids' });
  const warehouse = async (code: string) => (id[code] = (await ok(asA('POST', '/v1/warehouses', { code, name: `Warehouse ${code}` }))).id);
  await warehouse('WH1');
  await warehouse('WH2');
  for (const bin of ['A-01', 'A-02', 'A-03']) id[bin] = (await ok(asA('POST', `/v1/warehouses/${id.WH1}/bins`, { code: bin }))).id;

  await receive([
    { materialCode: 'BOLT', quantity: '100', warehouseCode: 'WH1', binCode: 'A-01' },
    { materialCode: 'BOLT', quantity: '40', warehouseCode: 'WH1', binCode: 'A-02' },
    { materialCode: 'NUT', quantity: '2', unit: 'box', warehouseCode: 'WH1', binCode: 'A-01' },
    { materialCode: 'BEARING', quantity: '10', warehouseCode: 'WH1', binCode: 'A-01', batchNo: 'LOT-1' },
    { materialCode: 'BEARING', quantity: '5', warehouseCode: 'WH1', binCode: 'A-02', batchNo: 'LOT-2' },
    { materialCode: 'MOTOR', quantity: '1', warehouseCode: 'WH1', binCode: 'A-02', serialNo: 'SN-1' },
    { materialCode: 'MOTOR', quantity: '1', warehouseCode: 'WH1', binCode: 'A-02', serialNo: 'SN-2' },
    { materialCode: 'OIL', quantity: '12.5', warehouseCode: 'WH1' },
    { materialCode: 'BOLT', quantity: '7', warehouseCode: 'WH2' },
  ]);
});

afterAll(async () => {
  await t?.stop();
});

describe('count sheets (S1-5.4.3-b)', () => {
  it('S1-5.4.3-b: a new sheet snapshots the book quantity of every balance of the warehouse; scope filters apply', async () => {
    const sheet = await ok(asA('POST', '/v1/count-sheets', { warehouseId: id.WH1 }));
    expect(sheet.sheetNo).toMatch(/^CS\d{8}-\d{3}$/);
    expect(sheet.status).toBe('open');
    expect(lineTuples(sheet)).toEqual(await balancesOf(id.WH1));
    expect(sheet.totals).toEqual({ lines: 8, counted: 0, uncounted: 8, found: 0, withVariance: 0, gains: 0, losses: 0 });
    expect(sheet.lines.every((l: any) => l.counted === null && l.variance === null && l.entries === 0)).toBe(true);
    expect(sheet.lines.map((l: any) => l.lineNo)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(sheet.lines.find((l: any) => l.materialCode === 'NUT').book).toBe('24'); // 2 box of 12, in pcs

    const second = await ok(asA('POST', '/v1/count-sheets', { warehouseId: id.WH1 }));
    expect(Number(second.sheetNo.slice(-3))).toBe(Number(sheet.sheetNo.slice(-3)) + 1);

    const bins = await ok(asA('POST', '/v1/count-sheets', { warehouseId: id.WH1, binIds: [id['A-02']] }));
    expect(lineTuples(bins)).toEqual(['BEARING|A-02|LOT-2||5', 'BOLT|A-02|||40', 'MOTOR|A-02||SN-1|1', 'MOTOR|A-02||SN-2|1']);
    const category = await ok(asA('POST', '/v1/count-sheets', { warehouseId: id.WH1, category: 'fasteners', binIds: [id['A-01']] }));
    expect(lineTuples(category)).toEqual(['BOLT|A-01|||100', 'NUT|A-01|||24']);
    const materials = await ok(asA('POST', '/v1/count-sheets', { warehouseId: id.WH1, materialIds: [id.OIL] }));
    expect(lineTuples(materials)).toEqual(['OIL||||12.5']);

    const bad = await asA('POST', '/v1/count-sheets', { warehouseId: id.WH1, binIds: [id['A-01'], '00000000-0000-4000-8000-000000000000'], materialIds: ['00000000-0000-4000-8000-000000000001'] });
    expect(bad.status).toBe(422);
    expect(bad.body.code).toBe('COUNT_SHEET_INVALID');
    expect(bad.body.errors.map((e: any) => `${e.field}:${e.code}`)).toEqual(['binIds[1]:UNKNOWN_BIN', 'materialIds[0]:UNKNOWN_MATERIAL']);

    for (const s of [sheet, second, bins, category, materials]) await ok(asA('POST', `/v1/count-sheets/${s.id}/cancel`), 200);
  });

  it('S1-5.4.3-b: two counters counting the same bin add up; scans, codes and units resolve; found stock adds a line; every entry is kept', async () => {
    const sheet = await ok(asA('POST', '/v1/count-sheets', { warehouseId: id.WH1 }));
    const boltA01 = sheet.lines.find((l: any) => l.materialCode === 'BOLT' && l.binCode === 'A-01');
    const alice = await ok(asA('POST', `/v1/count-sheets/${sheet.id}/entries`, {
      counter: 'alice',
      entries: [
        { lineNo: boltA01.lineNo, quantity: '60' },
        { materialCode: 'NUT', binCode: 'A-01', quantity: '2', unit: 'box' },
        { barcode: 'BEARING', binCode: 'A-01', batchNo: 'LOT-1', quantity: '10' },
        { materialId: id.MOTOR, binId: id['A-02'], serialNo: 'SN-1', quantity: '1' },
      ],
    }), 200);
    expect(alice).toEqual({
      sheetId: sheet.id, accepted: 4, newLines: 0,
      lines: [{ lineNo: boltA01.lineNo, counted: '60' }, { lineNo: expect.any(Number), counted: '24' }, { lineNo: expect.any(Number), counted: '10' }, { lineNo: expect.any(Number), counted: '1' }],
    });
    const bob = await ok(asA('POST', `/v1/count-sheets/${sheet.id}/entries`, {
      counter: 'bob',
      entries: [
        { materialCode: 'BOLT', binCode: 'A-01', quantity: '42' },
        // Found stock: bearings of a new batch in A-03, and bolts in A-03.
        { materialCode: 'BEARING', binCode: 'A-03', batchNo: 'LOT-9', quantity: '3' },
        { materialCode: 'BOLT', binCode: 'A-03', quantity: '1' },
        { materialCode: 'BOLT', binCode: 'A-03', quantity: '1' },
        { materialCode: 'OIL', quantity: '12.25' },
      ],
    }), 200);
    expect(bob.accepted).toBe(5);
    expect(bob.newLines).toBe(2);
    expect(bob.lines).toEqual([
      { lineNo: boltA01.lineNo, counted: '102' },
      { lineNo: 9, counted: '3' },
      { lineNo: 10, counted: '2' },
      { lineNo: expect.any(Number), counted: '12.25' },
    ]);

    const review = await ok(asA('GET', `/v1/count-sheets/${sheet.id}`), 200);
    const line = (material: string, bin: string | null, extra: Record<string, unknown> = {}) =>
      review.lines.find((l: any) => l.materialCode === material && l.binCode === bin && Object.entries(extra).every(([k, v]) => l[k] === v));
    expect(line('BOLT', 'A-01')).toMatchObject({ book: '100', counted: '102', variance: '2', entries: 2, found: false });
    expect(line('BEARING', 'A-03')).toMatchObject({ lineNo: 9, book: '0', counted: '3', variance: '3', batchNo: 'LOT-9', found: true, entries: 1 });
    expect(line('BOLT', 'A-03')).toMatchObject({ lineNo: 10, book: '0', counted: '2', variance: '2', found: true, entries: 2 });
    expect(line('OIL', null)).toMatchObject({ book: '12.5', counted: '12.25', variance: '-0.25' });
    expect(line('NUT', 'A-01')).toMatchObject({ book: '24', counted: '24', variance: '0' });
    expect(line('BOLT', 'A-02')).toMatchObject({ counted: null, variance: null });
    expect(review.totals).toEqual({ lines: 10, counted: 7, uncounted: 3, found: 2, withVariance: 4, gains: 3, losses: 1 });

    const only = await ok(asA('GET', `/v1/count-sheets/${sheet.id}?onlyVariances=true`), 200);
    expect(only.lines.map((l: any) => `${l.materialCode}@${l.binCode}:${l.variance}`).sort()).toEqual(['BEARING@A-03:3', 'BOLT@A-01:2', 'BOLT@A-03:2', 'OIL@null:-0.25']);

    // Each entry is a row of its own, with its counter, its unit and a time.
    const entries = await t.server.built.ctx.db.transaction({ tenantId: A.id }, async (tx) =>
      (await tx.query<any>('SELECT line_no, quantity::text, entered_quantity::text, entered_unit, counter, entered_at FROM count_entries WHERE sheet_id = $1 ORDER BY id', [sheet.id])).rows);
    expect(entries).toHaveLength(9);
    expect(entries.filter((e) => e.line_no === boltA01.lineNo).map((e) => `${e.counter}:${e.quantity}`)).toEqual(['alice:60', 'bob:42']);
    expect(entries.find((e) => e.entered_unit === 'box')).toMatchObject({ quantity: '24', entered_quantity: '2', counter: 'alice' });
    expect(entries.every((e) => e.entered_at instanceof Date)).toBe(true);

    await ok(asA('POST', `/v1/count-sheets/${sheet.id}/cancel`), 200);
  });

  it('S1-5.4.3-b: every bad entry is reported at once and nothing is recorded', async () => {
    const sheet = await ok(asA('POST', '/v1/count-sheets', { warehouseId: id.WH1, binIds: [id['A-01'], id['A-02']] }));
    const res = await asA('POST', `/v1/count-sheets/${sheet.id}/entries`, {
      entries: [
        { materialCode: 'BOLT', binCode: 'A-01', quantity: '1' },
        { materialCode: 'BOLT', binCode: 'A-01', quantity: '1.5' },
        { materialCode: 'NUT', binCode: 'A-01', quantity: '1', unit: 'kg' },
        { materialCode: 'BEARING', binCode: 'A-01', quantity: '1' },
        { materialCode: 'MOTOR', binCode: 'A-02', serialNo: 'SN-1', quantity: '2' },
        { materialCode: 'BOLT', binCode: 'A-03', quantity: '1' },
        { materialCode: 'NOPE', binCode: 'NOWHERE', quantity: '1' },
        { lineNo: 999, quantity: '1' },
        { quantity: '1' },
        { materialCode: 'BOLT', binCode: 'A-02', quantity: '-1' },
        { materialCode: 'BOLT', binCode: 'A-01', batchNo: 'X', quantity: '1' },
      ],
    });
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('COUNT_ENTRIES_INVALID');
    expect(res.body.errors.map((e: any) => `${e.field}:${e.code}`)).toEqual([
      'entries[1].quantity:FRACTION_NOT_ALLOWED',
      'entries[2].unit:UNIT_NOT_CONVERTIBLE',
      'entries[3].batchNo:BATCH_REQUIRED',
      'entries[4].quantity:SERIAL_QUANTITY',
      'entries[5].binCode:OUT_OF_SCOPE',
      'entries[6].materialCode:UNKNOWN_MATERIAL',
      'entries[6].binCode:UNKNOWN_BIN',
      'entries[7].lineNo:UNKNOWN_LINE',
      'entries[8].materialId:REQUIRED',
      'entries[9].quantity:NEGATIVE_COUNT',
      'entries[10].batchNo:NOT_TRACKED',
    ]);
    const after = await ok(asA('GET', `/v1/count-sheets/${sheet.id}`), 200);
    expect(after.totals.counted).toBe(0);
    expect(after.totals.lines).toBe(sheet.totals.lines);
    await ok(asA('POST', `/v1/count-sheets/${sheet.id}/cancel`), 200);
  });

  it('S1-5.4.3-b: posting adjusts by counted − book as count_gain/count_loss on one source document; uncounted lines stay; posting twice changes nothing', async () => {
    const sheet = await ok(asA('POST', '/v1/count-sheets', { warehouseId: id.WH1 }));
    await ok(asA('POST', `/v1/count-sheets/${sheet.id}/entries`, {
      counter: 'carol',
      entries: [
        { materialCode: 'BOLT', binCode: 'A-01', quantity: '97' }, // loss 3
        { materialCode: 'BEARING', binCode: 'A-02', batchNo: 'LOT-2', quantity: '5' }, // no variance
        { materialCode: 'MOTOR', binCode: 'A-02', serialNo: 'SN-2', quantity: '0' }, // loss 1
        { materialCode: 'MOTOR', binCode: 'A-01', serialNo: 'SN-7', quantity: '1' }, // found: a new serial
        { materialCode: 'BEARING', binCode: 'A-03', batchNo: 'LOT-8', quantity: '4' }, // found: a new batch
      ],
    }), 200);
    const before = await balancesOf(id.WH1);
    const posted = await ok(asA('POST', `/v1/count-sheets/${sheet.id}/post`, {}), 200);
    expect(posted.status).toBe('posted');
    expect(posted.uncountedAsZero).toBe(false);
    expect(posted.totals).toMatchObject({ withVariance: 4, gains: 2, losses: 2 });

    const moves = await listAll(t, A.key, `/v1/stock/movements?sourceId=${sheet.id}`);
    expect(moves.every((m) => m.sourceType === 'count_sheet')).toBe(true);
    expect(moves.map((m) => `${m.type}:${m.materialCode}:${m.quantity}:${m.batchNo ?? ''}${m.serialNo ?? ''}`).sort()).toEqual([
      'count_gain:BEARING:4:LOT-8', 'count_gain:MOTOR:1:SN-7', 'count_loss:BOLT:-3:', 'count_loss:MOTOR:-1:SN-2',
    ]);
    const after = await balancesOf(id.WH1);
    // Counted lines now equal their count; uncounted ones (BOLT A-02, NUT, OIL, BEARING LOT-1, MOTOR SN-1) are unchanged.
    expect(after).toEqual([
      ...before.filter((b) => !/^(BOLT\|A-01|MOTOR\|A-02\|\|SN-2)\|/.test(b)),
      'BOLT|A-01|||97', 'BEARING|A-03|LOT-8||4', 'MOTOR|A-01||SN-7|1',
    ].sort());

    const again = await ok(asA('POST', `/v1/count-sheets/${sheet.id}/post`, {}), 200);
    expect(again).toEqual(posted);
    expect(await listAll(t, A.key, `/v1/stock/movements?sourceId=${sheet.id}`)).toHaveLength(4);
    expect(await balancesOf(id.WH1)).toEqual(after);

    const late = await asA('POST', `/v1/count-sheets/${sheet.id}/entries`, { entries: [{ materialCode: 'BOLT', binCode: 'A-01', quantity: '1' }] });
    expect(late.status).toBe(409);
    expect(late.body.code).toBe('SHEET_NOT_OPEN');
    expect((await asA('POST', `/v1/count-sheets/${sheet.id}/cancel`)).body.code).toBe('ALREADY_POSTED');
  });

  it('S1-5.4.3-b: uncountedAsZero writes off what nobody counted', async () => {
    const sheet = await ok(asA('POST', '/v1/count-sheets', { warehouseId: id.WH2 }));
    expect(lineTuples(sheet)).toEqual(['BOLT||||7']);
    const posted = await ok(asA('POST', `/v1/count-sheets/${sheet.id}/post`, { uncountedAsZero: true }), 200);
    expect(posted.lines[0]).toMatchObject({ book: '7', counted: null, variance: '-7' });
    expect(await balancesOf(id.WH2)).toEqual([]);
    const moves = await listAll(t, A.key, `/v1/stock/movements?sourceId=${sheet.id}`);
    expect(moves.map((m) => `${m.type}:${m.quantity}`)).toEqual(['count_loss:-7']);
  });

  it('S1-5.4.3-b: an open sheet can be cancelled, and then takes no entries and cannot be posted', async () => {
    const sheet = await ok(asA('POST', '/v1/count-sheets', { warehouseId: id.WH1 }));
    await ok(asA('POST', `/v1/count-sheets/${sheet.id}/entries`, { entries: [{ lineNo: 1, quantity: '1' }] }), 200);
    const cancelled = await ok(asA('POST', `/v1/count-sheets/${sheet.id}/cancel`), 200);
    expect(cancelled.status).toBe('cancelled');
    expect(cancelled.cancelledAt).not.toBeNull();
    expect((await ok(asA('POST', `/v1/count-sheets/${sheet.id}/cancel`), 200)).status).toBe('cancelled');
    const post = await asA('POST', `/v1/count-sheets/${sheet.id}/post`, {});
    expect([post.status, post.body.code]).toEqual([409, 'SHEET_CANCELLED']);
    const entry = await asA('POST', `/v1/count-sheets/${sheet.id}/entries`, { entries: [{ lineNo: 1, quantity: '1' }] });
    expect([entry.status, entry.body.code]).toEqual([409, 'SHEET_NOT_OPEN']);
    expect(await listAll(t, A.key, `/v1/stock/movements?sourceId=${sheet.id}`)).toEqual([]);
    const listed = await listAll(t, A.key, '/v1/count-sheets?status=cancelled');
    expect(listed.map((s) => s.id)).toContain(sheet.id);
  });

  it('S1-5.4.3-b: a blind sheet hides book quantities from counters, not from those who post', async () => {
    const counter = (await ok(asA('POST', '/v1/api-keys', { name: 'counter', permissions: ['inventory:read', 'inventory:write'] }))).key as string;
    const sheet = await ok(call(t.url, counter, 'POST', '/v1/count-sheets', { warehouseId: id.WH1, blind: true }));
    expect(sheet.lines.every((l: any) => l.book === null && l.variance === null)).toBe(true);
    expect(sheet.totals.withVariance).toBeNull();
    await ok(call(t.url, counter, 'POST', `/v1/count-sheets/${sheet.id}/entries`, { entries: [{ lineNo: 1, quantity: '0' }] }), 200);
    const seen = await ok(call(t.url, counter, 'GET', `/v1/count-sheets/${sheet.id}`), 200);
    expect(seen.lines[0]).toMatchObject({ book: null, counted: '0', variance: null });
    const variances = await call(t.url, counter, 'GET', `/v1/count-sheets/${sheet.id}?onlyVariances=true`);
    expect([variances.status, variances.body.code]).toEqual([403, 'BLIND_COUNT']);
    const post = await call(t.url, counter, 'POST', `/v1/count-sheets/${sheet.id}/post`, {});
    expect([post.status, post.body.code]).toEqual([403, 'PERMISSION_DENIED']);
    const reviewer = await ok(asA('GET', `/v1/count-sheets/${sheet.id}`), 200);
    expect(reviewer.lines[0].book).not.toBeNull();
    expect(reviewer.lines[0].variance).toBe(`-${reviewer.lines[0].book}`);
    await ok(asA('POST', `/v1/count-sheets/${sheet.id}/cancel`), 200);
  });

  it('S1-5.3.2-a: another tenant cannot see, count, post or cancel a sheet, nor count a warehouse it does not own', async () => {
    const sheet = await ok(asA('POST', '/v1/count-sheets', { warehouseId: id.WH1 }));
    for (const [method, path, body] of [
      ['GET', `/v1/count-sheets/${sheet.id}`, undefined],
      ['POST', `/v1/count-sheets/${sheet.id}/entries`, { entries: [{ lineNo: 1, quantity: '1' }] }],
      ['POST', `/v1/count-sheets/${sheet.id}/post`, {}],
      ['POST', `/v1/count-sheets/${sheet.id}/cancel`, undefined],
    ] as const) {
      const res = await asB(method, path, body);
      expect([res.status, res.body.code], path).toEqual([404, 'RESOURCE_NOT_FOUND']);
    }
    expect(await listAll(t, B.key, '/v1/count-sheets')).toEqual([]);
    const foreign = await asB('POST', '/v1/count-sheets', { warehouseId: id.WH1 });
    expect([foreign.status, foreign.body.errors?.[0]?.code]).toEqual([422, 'UNKNOWN_WAREHOUSE']);
    const mine = await ok(asA('GET', `/v1/count-sheets/${sheet.id}`), 200);
    expect(mine.totals.counted).toBe(0);
    expect(mine.status).toBe('open');
    await ok(asA('POST', `/v1/count-sheets/${sheet.id}/cancel`), 200);
  });
});

describe('a 10,000-line count (S1-5.1.4)', () => {
  const MATERIALS = 100;
  const BINS = 100;
  const code = (prefix: string, n: number) => `${prefix}${String(n).padStart(2, '0')}`;
  const book = (m: number, b: number) => ((m * 7 + b * 3) % 9) + 1;

  beforeAll(async () => {
    const wh = (await ok(asA('POST', '/v1/warehouses', { code: 'WB', name: 'Big store' }))).id;
    id.WB = wh;
    for (let m = 0; m < MATERIALS; m++) await ok(asA('POST', '/v1/materials', { code: code('K', m), name: `Part ${m}`, baseUnit: 'pcs' }));
    for (let b = 0; b < BINS; b++) await ok(asA('POST', `/v1/warehouses/${wh}/bins`, { code: code('B', b) }));
    const lines = [];
    for (let m = 0; m < MATERIALS; m++) for (let b = 0; b < BINS; b++) lines.push({ materialCode: code('K', m), quantity: String(book(m, b)), warehouseCode: 'WB', binCode: code('B', b) });
    await receive(lines);
  });

  it('S1-5.1.4 S1-5.4.3-b: 10,000 lines snapshot in one sheet; 10,000 entries with 50 bad ones are refused at once with exactly those 50 errors; valid ones post', async () => {
    const sheet = await ok(asA('POST', '/v1/count-sheets', { warehouseId: id.WB }));
    expect(sheet.totals.lines).toBe(10_000);
    expect(lineTuples(sheet)).toEqual(await balancesOf(id.WB));

    // Every line counted by item and bin; the count differs from the book on every 10th line.
    const counted = (m: number, b: number) => {
      const k = m * BINS + b;
      return k % 10 === 0 ? book(m, b) + 2 : k % 10 === 5 ? book(m, b) - 1 : book(m, b);
    };
    const entries: Record<string, unknown>[] = [];
    for (let m = 0; m < MATERIALS; m++) for (let b = 0; b < BINS; b++) entries.push({ materialCode: code('K', m), binCode: code('B', b), quantity: String(counted(m, b)) });

    const bad = entries.map((e) => ({ ...e }));
    const expected: string[] = [];
    for (let i = 7; i < 10_000; i += 200) {
      const kind = expected.length % 5;
      if (kind === 0) (bad[i].materialCode = 'NO-SUCH'), expected.push(`entries[${i}].materialCode:UNKNOWN_MATERIAL`);
      if (kind === 1) (bad[i].binCode = 'NO-BIN'), expected.push(`entries[${i}].binCode:UNKNOWN_BIN`);
      if (kind === 2) (bad[i].quantity = '2.5'), expected.push(`entries[${i}].quantity:FRACTION_NOT_ALLOWED`);
      if (kind === 3) (bad[i].unit = 'furlong'), expected.push(`entries[${i}].unit:UNKNOWN_UNIT`);
      if (kind === 4) (bad[i].batchNo = 'LOT-X'), expected.push(`entries[${i}].batchNo:NOT_TRACKED`);
    }
    expect(expected).toHaveLength(50);
    const refused = await asA('POST', `/v1/count-sheets/${sheet.id}/entries`, { counter: 'team-1', entries: bad });
    expect(refused.status).toBe(422);
    expect(refused.body.code).toBe('COUNT_ENTRIES_INVALID');
    expect(refused.body.errors.map((e: any) => `${e.field}:${e.code}`)).toEqual(expected);
    const untouched = await ok(asA('GET', `/v1/count-sheets/${sheet.id}`), 200);
    expect(untouched.totals).toMatchObject({ lines: 10_000, counted: 0 });
    const entryRows = await t.server.built.ctx.db.transaction({ tenantId: A.id }, async (tx) =>
      (await tx.query<{ n: number }>('SELECT count(*)::int AS n FROM count_entries WHERE sheet_id = $1', [sheet.id])).rows[0].n);
    expect(entryRows).toBe(0);

    const accepted = await ok(asA('POST', `/v1/count-sheets/${sheet.id}/entries`, { counter: 'team-1', entries }), 200);
    expect(accepted).toMatchObject({ accepted: 10_000, newLines: 0 });
    const posted = await ok(asA('POST', `/v1/count-sheets/${sheet.id}/post`, {}), 200);
    expect(posted.totals).toEqual({ lines: 10_000, counted: 10_000, uncounted: 0, found: 0, withVariance: 2000, gains: 1000, losses: 1000 });

    const moves = await listAll(t, A.key, `/v1/stock/movements?sourceId=${sheet.id}`);
    expect(moves).toHaveLength(2000);
    expect(moves.filter((m) => m.type === 'count_gain').every((m) => m.quantity === '2')).toBe(true);
    expect(moves.filter((m) => m.type === 'count_loss').every((m) => m.quantity === '-1')).toBe(true);
    const want = [];
    for (let m = 0; m < MATERIALS; m++) for (let b = 0; b < BINS; b++) if (counted(m, b) > 0) want.push(`${code('K', m)}|${code('B', b)}|||${counted(m, b)}`);
    expect(await balancesOf(id.WB)).toEqual(want.sort());
  });
});
