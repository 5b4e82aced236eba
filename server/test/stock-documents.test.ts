/**
 * Stock documents over real HTTP on a real database (S1-5.4.3-a, S1-5.4.3-c, S1-5.4.3-g): draft
 * and post, posting exactly once (also under 10 concurrent posts on PostgreSQL), reversal by a
 * compensating document, transfers and backflush transfers to WIP, idempotent PDA postings, and a
 * 2,000-line document answering every bad line at once while writing nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createTenant, startTestServer, type TestServer } from './harness.js';
import { listAll } from './util.js';

let t: TestServer;
let pgT: TestServer;

beforeAll(async () => {
  [t, pgT] = await Promise.all([startTestServer(), startTestServer({}, { postgres: true })]);
});

afterAll(async () => {
  await Promise.all([t?.stop(), pgT?.stop()]);
});

type Tenant = Awaited<ReturnType<typeof setup>>;

async function setup(server: TestServer, slug: string) {
  const tenant = await createTenant(server, slug);
  const as = (method: string, path: string, body?: unknown, headers?: Record<string, string>) => call(server.url, tenant.key, method, path, body, headers);
  const make = async (path: string, body: unknown) => {
    const res = await as('POST', path, body);
    if (res.status !== 201) throw new Error(`${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };
  await make('/v1/units', { code: 'PCS', name: 'Pieces', decimals: 0 });
  await make('/v1/units', { code: 'BOX', name: 'Box', decimals: 0 });
  await make('/v1/unit-conversions', { fromUnit: 'BOX', toUnit: 'PCS', factor: '12' });
  const m = {
    a: (await make('/v1/materials', { code: 'MAT-A', name: 'A', baseUnit: 'PCS', stockUnit: 'BOX' })).id as string,
    b: (await make('/v1/materials', { code: 'MAT-B', name: 'B', baseUnit: 'PCS' })).id as string,
    batch: (await make('/v1/materials', { code: 'MAT-BATCH', name: 'Batched', baseUnit: 'PCS', tracking: 'batch' })).id as string,
  };
  const w = {
    main: (await make('/v1/warehouses', { code: 'MAIN', name: 'Main' })).id as string,
    second: (await make('/v1/warehouses', { code: 'SECOND', name: 'Second' })).id as string,
    wip: (await make('/v1/warehouses', { code: 'WIP', name: 'Line side', kind: 'wip' })).id as string,
  };
  const bins = {
    a1: (await make(`/v1/warehouses/${w.main}/bins`, { code: 'A-01' })).id as string,
    a2: (await make(`/v1/warehouses/${w.main}/bins`, { code: 'A-02' })).id as string,
  };
  const doc = (type: string, lines: unknown[], extra: Record<string, unknown> = {}, headers?: Record<string, string>) =>
    as('POST', '/v1/stock-documents', { type, lines, ...extra }, headers);
  const posted = async (type: string, lines: unknown[]) => {
    const res = await doc(type, lines, { post: true });
    if (res.status !== 201) throw new Error(`posting ${type}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };
  /** Every non-zero balance of the tenant as "MATERIAL@WAREHOUSE/BIN/BATCH=qty", sorted. */
  const balances = async () =>
    (await listAll(server, tenant.key, '/v1/stock/balances')).map((b) => `${b.materialCode}@${b.warehouseCode}/${b.binCode ?? ''}/${b.batchNo ?? ''}=${b.quantity}`).sort();
  const movementsOf = (sourceId: string) => listAll(server, tenant.key, `/v1/stock/movements?sourceId=${sourceId}`);
  return { ...tenant, as, m, w, bins, doc, posted, balances, movementsOf };
}

const fieldsOf = (body: any) => (body.errors ?? []).map((e: any) => `${e.field}:${e.code}`).sort();

describe('draft, post and reverse (S1-5.4.3-a)', () => {
  let T: Tenant;
  beforeAll(async () => {
    T = await setup(t, 'docs-life');
  });

  it('S1-5.4.3-a: a draft moves nothing; posting it writes one movement per line in base units; posting again changes nothing', async () => {
    const draft = await T.doc('other_in', [
      { materialId: T.m.a, quantity: '2', warehouseId: T.w.main, binId: T.bins.a1 },
      { materialCode: 'MAT-B', quantity: '5', unit: 'PCS', warehouseCode: 'MAIN', binCode: 'A-02' },
    ]);
    expect(draft.status).toBe(201);
    expect(draft.body).toMatchObject({ type: 'other_in', status: 'draft', postedAt: null, reversesId: null, reversedById: null });
    expect(draft.body.docNo).toMatch(/^SD\d{8}-\d{4}$/);
    expect(draft.body.lines.map((l: any) => [l.lineNo, l.quantity, l.unit, l.baseQuantity, l.baseUnit])).toEqual([[1, '2', 'BOX', '24', 'PCS'], [2, '5', 'PCS', '5', 'PCS']]);
    expect(await T.movementsOf(draft.body.id)).toEqual([]);
    expect(await T.balances()).toEqual([]);

    const post = await T.as('POST', `/v1/stock-documents/${draft.body.id}/post`);
    expect(post.status).toBe(200);
    expect(post.body).toMatchObject({ status: 'posted', postedAt: expect.any(String), postedBy: expect.any(String) });
    const moves = await T.movementsOf(draft.body.id);
    expect(moves.map((m) => [m.type, m.materialCode, m.quantity, m.enteredQuantity, m.enteredUnit, m.sourceLine])).toEqual([
      ['other_in', 'MAT-A', '24', '2', 'BOX', 1], ['other_in', 'MAT-B', '5', '5', 'PCS', 2],
    ]);
    const again = await T.as('POST', `/v1/stock-documents/${draft.body.id}/post`);
    expect(again.status).toBe(200);
    expect(again.body.postedAt).toBe(post.body.postedAt);
    expect(await T.movementsOf(draft.body.id)).toHaveLength(2);
    expect(await T.balances()).toEqual(['MAT-A@MAIN/A-01/=24', 'MAT-B@MAIN/A-02/=5']);
    expect((await T.as('GET', `/v1/stock-documents/${draft.body.id}`)).body.status).toBe('posted');
    expect((await T.as('POST', '/v1/stock-documents/00000000-0000-4000-8000-000000000000/post')).status).toBe(404);
  });

  it('S1-5.4.3-a: a reversal restores every balance exactly; a second reversal is 409 ALREADY_REVERSED; a reversal is not reversed; a draft is not reversed', async () => {
    const before = await T.balances();
    const out = await T.posted('other_out', [
      { materialId: T.m.a, quantity: '7', unit: 'PCS', warehouseId: T.w.main, binId: T.bins.a1 },
      { materialId: T.m.b, quantity: '5', warehouseId: T.w.main, binId: T.bins.a2 },
    ]);
    expect(await T.balances()).toEqual(['MAT-A@MAIN/A-01/=17']);
    const rev = await T.as('POST', `/v1/stock-documents/${out.id}/reverse`, { reason: 'wrong material' });
    expect(rev.status).toBe(201);
    expect(rev.body).toMatchObject({ type: 'other_out', status: 'posted', reversesId: out.id, reason: 'wrong material' });
    expect(await T.balances()).toEqual(before);
    const revMoves = await T.movementsOf(rev.body.id);
    expect(revMoves.map((m) => [m.materialCode, m.quantity])).toEqual([['MAT-A', '7'], ['MAT-B', '5']]);
    expect((await T.as('GET', `/v1/stock-documents/${out.id}`)).body.reversedById).toBe(rev.body.id);

    const second = await T.as('POST', `/v1/stock-documents/${out.id}/reverse`);
    expect(second.status).toBe(409);
    expect(second.body.code).toBe('ALREADY_REVERSED');
    expect((await T.as('POST', `/v1/stock-documents/${rev.body.id}/reverse`, {})).body.code).toBe('IS_A_REVERSAL');
    const draft = await T.doc('other_in', [{ materialId: T.m.b, quantity: '1', warehouseId: T.w.main }]);
    expect((await T.as('POST', `/v1/stock-documents/${draft.body.id}/reverse`)).body.code).toBe('NOT_POSTED');
    expect(await T.balances()).toEqual(before);
  });

  it('S1-5.4.3-a: reversing a receipt whose stock was already issued is 409 STOCK_INSUFFICIENT and changes nothing', async () => {
    const receipt = await T.posted('other_in', [{ materialId: T.m.b, quantity: '10', warehouseId: T.w.second }]);
    await T.posted('other_out', [{ materialId: T.m.b, quantity: '4', warehouseId: T.w.second }]);
    const before = await T.balances();
    const rev = await T.as('POST', `/v1/stock-documents/${receipt.id}/reverse`);
    expect(rev.status).toBe(409);
    expect(rev.body.code).toBe('STOCK_INSUFFICIENT');
    expect(rev.body.shortages).toEqual([expect.objectContaining({ materialId: T.m.b, warehouseId: T.w.second, available: '6', requested: '10' })]);
    expect(await T.balances()).toEqual(before);
    expect((await T.as('GET', `/v1/stock-documents/${receipt.id}`)).body.reversedById).toBeNull();
  });
});

describe('transfers (S1-5.4.3-c)', () => {
  let T: Tenant;
  beforeAll(async () => {
    T = await setup(t, 'docs-transfer');
    await T.posted('other_in', [{ materialId: T.m.b, quantity: '50', warehouseId: T.w.main, binId: T.bins.a1 }, { materialId: T.m.batch, quantity: '9', warehouseId: T.w.main, batchNo: 'LOT-1' }]);
  });

  it('S1-5.4.3-c: a transfer moves stock between warehouses and bins, batch kept, as a pair of movements', async () => {
    const tr = await T.posted('transfer', [
      { materialId: T.m.b, quantity: '20', warehouseId: T.w.main, binId: T.bins.a1, toWarehouseId: T.w.main, toBinId: T.bins.a2 },
      { materialId: T.m.b, quantity: '5', warehouseId: T.w.main, binId: T.bins.a1, toWarehouseCode: 'SECOND' },
      { materialId: T.m.batch, quantity: '4', warehouseId: T.w.main, batchNo: 'LOT-1', toWarehouseId: T.w.second },
    ]);
    expect(await T.balances()).toEqual(['MAT-B@MAIN/A-01/=25', 'MAT-B@MAIN/A-02/=20', 'MAT-B@SECOND//=5', 'MAT-BATCH@MAIN//LOT-1=5', 'MAT-BATCH@SECOND//LOT-1=4']);
    const moves = await T.movementsOf(tr.id);
    expect(moves.map((m) => m.type)).toEqual(['transfer_out', 'transfer_in', 'transfer_out', 'transfer_in', 'transfer_out', 'transfer_in']);
    expect(moves.reduce((n, m) => n + Number(m.quantity), 0)).toBe(0);
    const same = await T.doc('transfer', [{ materialId: T.m.b, quantity: '1', warehouseId: T.w.main, binId: T.bins.a1, toWarehouseId: T.w.main, toBinId: T.bins.a1 }], { post: true });
    expect(same.status).toBe(422);
    expect(fieldsOf(same.body)).toEqual(['lines[0].toBinId:SAME_LOCATION']);
    const noTarget = await T.doc('transfer', [{ materialId: T.m.b, quantity: '1', warehouseId: T.w.main }]);
    expect(fieldsOf(noTarget.body)).toEqual(['lines[0].toWarehouseId:REQUIRED']);
    const targetOnIn = await T.doc('other_in', [{ materialId: T.m.b, quantity: '1', warehouseId: T.w.main, toWarehouseId: T.w.second }]);
    expect(fieldsOf(targetOnIn.body)).toEqual(['lines[0].toWarehouseId:NOT_A_TRANSFER']);
  });

  it('S1-5.4.3-c: a backflush transfer goes to a WIP warehouse only: elsewhere 422 NOT_WIP; to WIP it posts', async () => {
    const notWip = await T.doc('backflush_transfer', [{ materialId: T.m.b, quantity: '3', warehouseId: T.w.main, binId: T.bins.a1, toWarehouseId: T.w.second }], { post: true });
    expect(notWip.status).toBe(422);
    expect(fieldsOf(notWip.body)).toEqual(['lines[0].toWarehouseId:NOT_WIP']);
    const before = await T.balances();
    const ok = await T.posted('backflush_transfer', [{ materialId: T.m.b, quantity: '3', warehouseId: T.w.main, binId: T.bins.a1, toWarehouseCode: 'WIP' }]);
    expect(ok.type).toBe('backflush_transfer');
    const after = await T.balances();
    expect(after).toContain('MAT-B@WIP//=3');
    expect(after).toContain('MAT-B@MAIN/A-01/=22');
    expect(before).toContain('MAT-B@MAIN/A-01/=25');
    const tooMuch = await T.doc('backflush_transfer', [{ materialId: T.m.b, quantity: '1000', warehouseId: T.w.main, binId: T.bins.a1, toWarehouseId: T.w.wip }], { post: true });
    expect(tooMuch.status).toBe(409);
    expect(tooMuch.body.code).toBe('STOCK_INSUFFICIENT');
    expect(await T.balances()).toEqual(after);
  });
});

describe('posting exactly once (S1-5.4.3-g, S1-5.1.4)', () => {
  it('S1-5.4.3-g: a PDA receipt repeated with the same Idempotency-Key answers the same document and posts once', async () => {
    const T = await setup(t, 'docs-idem');
    const body = { type: 'other_in', post: true, lines: [{ materialCode: 'MAT-B', quantity: '3', warehouseCode: 'MAIN', binCode: 'A-01' }] };
    const first = await T.as('POST', '/v1/stock-documents', body, { 'idempotency-key': 'pda-scan-0001' });
    const second = await T.as('POST', '/v1/stock-documents', body, { 'idempotency-key': 'pda-scan-0001' });
    expect([first.status, second.status]).toEqual([201, 201]);
    expect(second.body).toEqual(first.body);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(await T.balances()).toEqual(['MAT-B@MAIN/A-01/=3']);
    expect(await T.movementsOf(first.body.id)).toHaveLength(1);
    expect(await listAll(t, T.key, '/v1/stock-documents')).toHaveLength(1);
    // A new scan with its own key posts again.
    expect((await T.as('POST', '/v1/stock-documents', body, { 'idempotency-key': 'pda-scan-0002' })).headers.get('idempotent-replayed')).toBeNull();
    expect(await T.balances()).toEqual(['MAT-B@MAIN/A-01/=6']);
  });

  it('S1-5.1.4: 10 concurrent POSTs of one draft\'s /post on PostgreSQL all answer posted and write its movements once; of 8 concurrent reversals one reverses and 7 are 409 ALREADY_REVERSED', async () => {
    const T = await setup(pgT, 'docs-double');
    const draft = await T.doc('other_in', [
      { materialId: T.m.a, quantity: '1', warehouseId: T.w.main },
      { materialId: T.m.b, quantity: '4', warehouseId: T.w.main },
      { materialId: T.m.batch, quantity: '2', warehouseId: T.w.main, batchNo: 'LOT-X' },
    ]);
    expect(draft.status).toBe(201);
    const results = await Promise.all(Array.from({ length: 10 }, () => T.as('POST', `/v1/stock-documents/${draft.body.id}/post`)));
    expect(results.map((r) => r.status)).toEqual(Array(10).fill(200));
    expect(results.every((r) => r.body.status === 'posted')).toBe(true);
    expect(new Set(results.map((r) => r.body.postedAt)).size).toBe(1);
    expect(await T.movementsOf(draft.body.id)).toHaveLength(3);
    expect(await T.balances()).toEqual(['MAT-A@MAIN//=12', 'MAT-B@MAIN//=4', 'MAT-BATCH@MAIN//LOT-X=2']);

    const reversals = await Promise.all(Array.from({ length: 8 }, () => T.as('POST', `/v1/stock-documents/${draft.body.id}/reverse`)));
    const made = reversals.filter((r) => r.status === 201);
    expect(made).toHaveLength(1);
    expect(reversals.filter((r) => r.status !== 201).map((r) => [r.status, r.body.code, r.body.reversedById])).toEqual(Array(7).fill([409, 'ALREADY_REVERSED', made[0].body.id]));
    expect(await T.balances()).toEqual([]);
  });

  it('S1-5.4.3-g: 8 concurrent PDA POSTs with one Idempotency-Key on PostgreSQL create and post one document', async () => {
    const T = await setup(pgT, 'docs-idem-race');
    const body = { type: 'other_in', post: true, lines: [{ materialId: T.m.b, quantity: '2', warehouseId: T.w.main }] };
    const results = await Promise.all(Array.from({ length: 8 }, () => T.as('POST', '/v1/stock-documents', body, { 'idempotency-key': 'race-scan' })));
    expect(results.map((r) => r.status)).toEqual(Array(8).fill(201));
    expect(new Set(results.map((r) => r.body.id)).size).toBe(1);
    expect(await T.balances()).toEqual(['MAT-B@MAIN//=2']);
    expect(await listAll(pgT, T.key, '/v1/stock-documents')).toHaveLength(1);
  });
});

describe('a batch keeps its dates (S1-5.4.3-f)', () => {
  it('S1-5.4.3-f: receiving an existing batch number with another expiry or production date is 409 BATCH_ATTRIBUTES_DIFFER naming the field, unless the line keeps the recorded batch; a draft is checked again when posted', async () => {
    const T = await setup(t, 'docs-batch-dates');
    const lot = (extra: Record<string, unknown>) => ({ materialId: T.m.batch, quantity: '5', warehouseId: T.w.main, batchNo: 'LOT-1', ...extra });
    await T.posted('other_in', [lot({ productionDate: '2026-01-10', expiryDate: '2027-01-10' })]);
    // A draft made now, with the dates the batch has.
    const draft = await T.doc('other_in', [{ ...lot({ expiryDate: '2027-01-10' }), batchNo: 'LOT-2' }]);

    const expiry = await T.doc('other_in', [lot({ expiryDate: '2027-06-30' })], { post: true });
    expect(expiry.body).toMatchObject({ status: 409, code: 'BATCH_ATTRIBUTES_DIFFER' });
    expect(expiry.body.errors.map((e: any) => `${e.field}:${e.code}`)).toEqual(['lines[0].expiryDate:BATCH_ATTRIBUTES_DIFFER']);
    expect(expiry.body.errors[0].message).toContain('2027-01-10');
    const both = await T.doc('other_in', [lot({}), lot({ productionDate: '2026-02-01', expiryDate: '2027-06-30' })], { post: true });
    expect(both.body.errors.map((e: any) => `${e.field}:${e.code}`)).toEqual(['lines[1].productionDate:BATCH_ATTRIBUTES_DIFFER', 'lines[1].expiryDate:BATCH_ATTRIBUTES_DIFFER']);
    expect(await T.balances()).toEqual(['MAT-BATCH@MAIN//LOT-1=5']);

    // The same dates, or none, receive into the batch; keepRecordedBatch receives with the recorded dates.
    expect((await T.doc('other_in', [lot({ expiryDate: '2027-01-10' }), lot({})], { post: true })).status).toBe(201);
    const kept = await T.doc('other_in', [lot({ expiryDate: '2027-06-30', keepRecordedBatch: true })], { post: true });
    expect(kept.status).toBe(201);
    expect(kept.body.lines[0]).toMatchObject({ batchNo: 'LOT-1', productionDate: '2026-01-10', expiryDate: '2027-01-10' });
    const batches = (await T.as('GET', `/v1/materials/${T.m.batch}/batches`)).body.items;
    expect(batches.map((b: any) => [b.batchNo, b.productionDate, b.expiryDate, b.onHand])).toEqual([['LOT-1', '2026-01-10', '2027-01-10', '20']]);

    // A date the batch was received without is filled in, never lost.
    await T.posted('other_in', [{ ...lot({}), batchNo: 'LOT-3' }]);
    await T.posted('other_in', [{ ...lot({ expiryDate: '2029-03-01' }), batchNo: 'LOT-3' }]);
    expect((await T.as('GET', `/v1/materials/${T.m.batch}/batches`)).body.items.find((b: any) => b.batchNo === 'LOT-3').expiryDate).toBe('2029-03-01');

    // LOT-2 arrives by another document with another expiry before the draft is posted.
    await T.posted('other_in', [{ ...lot({ expiryDate: '2028-01-01' }), batchNo: 'LOT-2' }]);
    const late = await T.as('POST', `/v1/stock-documents/${draft.body.id}/post`);
    expect(late.body).toMatchObject({ status: 409, code: 'BATCH_ATTRIBUTES_DIFFER' });
    expect(late.body.errors.map((e: any) => e.field)).toEqual(['lines[0].expiryDate']);
    expect((await T.as('GET', `/v1/stock-documents/${draft.body.id}`)).body.status).toBe('draft');
  });
});

describe('validation (S1-5.4.3-a)', () => {
  let T: Tenant;
  beforeAll(async () => {
    T = await setup(t, 'docs-valid');
    await T.posted('other_in', [{ materialId: T.m.b, quantity: '100', warehouseId: T.w.main }]);
  });

  it('S1-5.4.3-a: a 2,000-line document with 20 bad lines answers all 20 problems at once and writes nothing', async () => {
    const lines: Record<string, unknown>[] = Array.from({ length: 2000 }, (_, i) => ({ materialCode: i % 2 ? 'MAT-A' : 'MAT-B', quantity: '1', unit: 'PCS', warehouseCode: 'MAIN', binCode: i % 3 ? 'A-01' : 'A-02' }));
    const expected: string[] = [];
    const spoil = (i: number, change: Record<string, unknown>, field: string) => {
      lines[i] = { ...lines[i], ...change };
      expected.push(`lines[${i}].${field}`);
    };
    for (let k = 0; k < 4; k++) spoil(17 + k * 400, { materialCode: `NOPE-${k}` }, 'materialCode:UNKNOWN_MATERIAL');
    for (let k = 0; k < 4; k++) spoil(33 + k * 400, { warehouseCode: 'NOWHERE' }, 'warehouseCode:UNKNOWN_WAREHOUSE');
    for (let k = 0; k < 3; k++) spoil(51 + k * 400, { binCode: 'Z-99' }, 'binCode:UNKNOWN_BIN');
    for (let k = 0; k < 3; k++) spoil(77 + k * 400, { quantity: '1.5' }, 'quantity:FRACTION_NOT_ALLOWED');
    for (let k = 0; k < 2; k++) spoil(91 + k * 400, { unit: 'LITRE' }, 'unit:UNKNOWN_UNIT');
    for (let k = 0; k < 2; k++) spoil(123 + k * 400, { quantity: '0' }, 'quantity:NOT_POSITIVE');
    spoil(1999, { batchNo: 'LOT-9' }, 'batchNo:NOT_TRACKED');
    spoil(1998, { materialCode: 'MAT-BATCH' }, 'batchNo:BATCH_REQUIRED');
    expect(expected).toHaveLength(20);
    const before = await T.balances();
    const docsBefore = (await listAll(t, T.key, '/v1/stock-documents')).length;
    const res = await T.doc('other_out', lines, { post: true });
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('STOCK_DOCUMENT_INVALID');
    expect(fieldsOf(res.body)).toEqual([...expected].sort());
    expect(res.body.errors.every((e: any) => e.in === 'body' && typeof e.message === 'string' && e.message.length > 0)).toBe(true);
    expect(await T.balances()).toEqual(before);
    expect(await listAll(t, T.key, '/v1/stock-documents')).toHaveLength(docsBefore);
    // The same document fixed posts 2,000 lines in one go.
    const fixed = lines.map((l, i) => (expected.some((e) => e.startsWith(`lines[${i}].`)) ? { materialCode: 'MAT-B', quantity: '1', warehouseCode: 'MAIN' } : l));
    const ok = await T.doc('other_in', fixed, { post: true });
    expect(ok.status).toBe(201);
    expect(ok.body.lines).toHaveLength(2000);
    expect(await T.movementsOf(ok.body.id)).toHaveLength(2000);
  });

  it('S1-5.4.3-a: bad input is a 4xx problem, never a 5xx, and writes nothing', async () => {
    const before = await T.balances();
    const line = { materialId: T.m.b, quantity: '1', warehouseId: T.w.main };
    const bodies: unknown[] = [
      {}, { type: 'other_in' }, { type: 'other_in', lines: [] }, { type: 'gift', lines: [line] }, { type: 'other_in', lines: 'x' },
      { type: 'other_in', lines: [{ ...line, quantity: 1 }] }, { type: 'other_in', lines: [{ ...line, quantity: '1e3' }] }, { type: 'other_in', lines: [{ ...line, quantity: '-1' }] },
      { type: 'other_in', lines: [{ ...line, quantity: '0' }], post: true }, { type: 'other_in', lines: [{ ...line, quantity: '-0' }], post: true },
      { type: 'other_in', lines: [{ ...line, quantity: '0.0000000001' }], post: true },
      { type: 'other_out', lines: [{ ...line, quantity: '999999999999999999' }], post: true },
      { type: 'other_in', lines: [{ ...line, materialId: 'not-a-uuid' }] }, { type: 'other_in', lines: [{ ...line, materialId: '00000000-0000-4000-8000-000000000000' }] },
      { type: 'other_in', lines: [{ ...line, extra: 1 }] }, { type: 'other_in', lines: [{ quantity: '1' }] },
      { type: 'other_in', lines: [{ ...line, productionDate: '2026-02-30' }], post: true }, { type: 'other_in', lines: [{ ...line, expiryDate: 'tomorrow' }] },
      { type: 'other_in', lines: [{ ...line, binId: '00000000-0000-4000-8000-000000000000' }] }, { type: 'other_in', lines: [{ ...line, unit: 'x'.repeat(17) }] },
      { type: 'other_in', lines: [{ ...line, barcode: 'garbage-label' }], post: true }, { type: 'other_in', lines: [line], post: 'yes' },
      { type: 'transfer', lines: [{ ...line, toWarehouseId: T.w.main, toBinId: T.bins.a1, binId: T.bins.a2, batchNo: 'X' }], post: true },
      '{"type": "other_in", "lines": [', 'null', '[]',
    ];
    for (const body of bodies) {
      const res = await T.as('POST', '/v1/stock-documents', body);
      expect(res.status, JSON.stringify(body)).toBeGreaterThanOrEqual(400);
      expect(res.status, `${JSON.stringify(body)} -> ${JSON.stringify(res.body)}`).toBeLessThan(500);
      expect(typeof res.body.code, JSON.stringify(body)).toBe('string');
    }
    for (const path of ['/v1/stock/balances?materialId=nope', '/v1/stock/movements?limit=0', '/v1/stock/movements?from=yesterday', '/v1/stock/fifo?materialId=' + T.m.b, '/v1/stock/fifo?quantity=1', '/v1/stock-documents?status=gone', '/v1/stock/balances?cursor=%%%']) {
      const res = await T.as('GET', path);
      expect(res.status, path).toBeGreaterThanOrEqual(400);
      expect(res.status, path).toBeLessThan(500);
    }
    // A FIFO suggestion for nothing or less is refused, not answered with a negative shortfall.
    for (const quantity of ['0', '-1']) {
      const fifo = await T.as('GET', `/v1/stock/fifo?materialId=${T.m.b}&quantity=${quantity}`);
      expect([fifo.status, fifo.body.code, fieldsOf(fifo.body)]).toEqual([422, 'FIFO_QUERY_INVALID', ['quantity:NOT_POSITIVE']]);
    }
    expect((await T.as('POST', '/v1/stock-documents/not-a-uuid/post')).status).toBe(400);
    expect((await T.as('POST', '/v1/stock-documents/not-a-uuid/reverse')).status).toBe(400);
    expect(await T.balances()).toEqual(before);
  });
});
