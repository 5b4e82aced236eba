/**
 * The stock ledger over real HTTP on a real database (S1-5.4.3-a, S1-5.4.3-j, S1-5.1.4): no lost
 * update under concurrent postings from one process, several client processes and two server
 * processes on one PostgreSQL database; negative stock only where allowed; append-only movements;
 * serial (S1-5.4.3-h) and batch (S1-5.4.3-f) tracking; FIFO suggestions (S1-5.4.3-i).
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createTenant, startTestServer, type TestServer } from './harness.js';
import { startServerProcess } from './server-process.js';
import { listAll, runCleanups } from './util.js';

const POSTER = fileURLToPath(new URL('./ledger-poster.mjs', import.meta.url));

let t: TestServer;
let pgT: TestServer;
const cleanups: (() => unknown)[] = [];

beforeAll(async () => {
  [t, pgT] = await Promise.all([startTestServer(), startTestServer({}, { postgres: true })]);
});

afterAll(async () => {
  await runCleanups(cleanups);
  await Promise.all([t?.stop(), pgT?.stop()]);
});

type Tenant = Awaited<ReturnType<typeof setup>>;

/** A tenant with PCS, four materials (plain, batch, serial, batch with expiry) and five warehouses. */
async function setup(server: TestServer, slug: string) {
  const tenant = await createTenant(server, slug);
  const as = (method: string, path: string, body?: unknown, headers?: Record<string, string>) => call(server.url, tenant.key, method, path, body, headers);
  const make = async (path: string, body: unknown) => {
    const res = await as('POST', path, body);
    if (res.status !== 201) throw new Error(`${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };
  await make('/v1/units', { code: 'PCS', name: 'Pieces', decimals: 0 });
  await make('/v1/units', { code: 'KG', name: 'Kilogram', decimals: 3 });
  const m = {
    plain: (await make('/v1/materials', { code: 'PLAIN', name: 'Plain', baseUnit: 'PCS' })).id as string,
    other: (await make('/v1/materials', { code: 'OTHER', name: 'Other', baseUnit: 'PCS' })).id as string,
    third: (await make('/v1/materials', { code: 'THIRD', name: 'Third', baseUnit: 'KG' })).id as string,
    batch: (await make('/v1/materials', { code: 'BATCHED', name: 'Batched', baseUnit: 'PCS', tracking: 'batch' })).id as string,
    serial: (await make('/v1/materials', { code: 'SERIAL', name: 'Serial', baseUnit: 'PCS', tracking: 'serial' })).id as string,
    expiry: (await make('/v1/materials', { code: 'EXPIRY', name: 'Expiring', baseUnit: 'PCS', tracking: 'batch', trackExpiry: true })).id as string,
  };
  const w = {
    main: (await make('/v1/warehouses', { code: 'MAIN', name: 'Main' })).id as string,
    second: (await make('/v1/warehouses', { code: 'SECOND', name: 'Second' })).id as string,
    neg: (await make('/v1/warehouses', { code: 'NEG', name: 'Negative allowed', allowNegative: true })).id as string,
    qc: (await make('/v1/warehouses', { code: 'QC', name: 'Quarantine', kind: 'quarantine' })).id as string,
    wip: (await make('/v1/warehouses', { code: 'WIP', name: 'Line side', kind: 'wip' })).id as string,
  };
  const doc = (type: string, lines: unknown[], extra: Record<string, unknown> = { post: true }) => as('POST', '/v1/stock-documents', { type, lines, ...extra });
  const posted = async (type: string, lines: unknown[]) => {
    const res = await doc(type, lines);
    if (res.status !== 201) throw new Error(`posting ${type}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };
  const balance = async (materialId: string, warehouseId: string) => {
    const items = await listAll(server, tenant.key, `/v1/stock/balances?materialId=${materialId}&warehouseId=${warehouseId}&includeZero=true`);
    return items.map((b) => b.quantity as string);
  };
  return { ...tenant, server, as, m, w, doc, posted, balance };
}

const fieldsOf = (body: any) => (body.errors ?? []).map((e: any) => `${e.field}:${e.code}`).sort();

/** As the database owner: every balance equals the sum of its movements, and no movement lacks a balance. */
async function ledgerMismatches(databaseUrl: string): Promise<unknown[]> {
  const owner = new pg.Client({ connectionString: databaseUrl });
  await owner.connect();
  try {
    const { rows } = await owner.query(
      `WITH m AS (SELECT tenant_id, material_id, warehouse_id, bin_id, batch_id, serial_id, sum(quantity) AS q FROM stock_movements
                   GROUP BY tenant_id, material_id, warehouse_id, bin_id, batch_id, serial_id)
       SELECT coalesce(b.material_id, m.material_id) AS material_id, b.quantity::text AS balance, m.q::text AS movements
         FROM stock_balances b FULL JOIN m
           ON (b.tenant_id, b.material_id, b.warehouse_id) = (m.tenant_id, m.material_id, m.warehouse_id)
          AND b.bin_id IS NOT DISTINCT FROM m.bin_id AND b.batch_id IS NOT DISTINCT FROM m.batch_id AND b.serial_id IS NOT DISTINCT FROM m.serial_id
        WHERE b.quantity IS DISTINCT FROM coalesce(m.q, 0) AND NOT (b.quantity = 0 AND m.q IS NULL)`,
    );
    return rows;
  } finally {
    await owner.end();
  }
}

async function ownerQuery<R extends pg.QueryResultRow = any>(databaseUrl: string, text: string, params: unknown[] = []): Promise<R[]> {
  const owner = new pg.Client({ connectionString: databaseUrl });
  await owner.connect();
  try {
    return (await owner.query<R>(text, params)).rows;
  } finally {
    await owner.end();
  }
}

/** Runs a node child to completion (bounded by timeoutMs) and returns its stdout. */
function runNode(args: string[], timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(out);
      else reject(new Error(`child exited with ${code}: ${err}`));
    });
  });
}

describe('concurrent postings on PostgreSQL (S1-5.4.3-j, S1-5.1.4)', () => {
  it('S1-5.4.3-j: 50 parallel issues of 1 against 30 in stock: exactly 30 post, 20 are 409 STOCK_INSUFFICIENT; the balance ends at 0 and never went below', async () => {
    const T = await setup(pgT, 'ledger-race');
    await T.posted('other_in', [{ materialId: T.m.plain, warehouseId: T.w.main, quantity: '30' }]);
    const results = await Promise.all(
      Array.from({ length: 50 }, () => T.doc('other_out', [{ materialId: T.m.plain, warehouseId: T.w.main, quantity: '1' }])),
    );
    const statuses = results.map((r) => (r.status === 201 ? '201' : `${r.status} ${r.body.code}`));
    expect(statuses.filter((s) => s === '201')).toHaveLength(30);
    expect(statuses.filter((s) => s === '409 STOCK_INSUFFICIENT')).toHaveLength(20);
    for (const r of results.filter((x) => x.status === 409)) {
      expect(r.body.shortages).toEqual([expect.objectContaining({ materialId: T.m.plain, warehouseId: T.w.main, available: '0', requested: '1' })]);
    }
    expect(await T.balance(T.m.plain, T.w.main)).toEqual(['0']);
    // Only committed movements exist: one receipt and 30 issues; the running sum never dips below zero.
    const rows = await ownerQuery(pgT.databaseUrl,
      `SELECT count(*)::int AS n, sum(quantity)::text AS total, min(running)::text AS lowest
         FROM (SELECT quantity, sum(quantity) OVER (ORDER BY id) AS running FROM stock_movements WHERE tenant_id = $1 AND material_id = $2) x`,
      [T.id, T.m.plain]);
    expect(rows[0]).toEqual({ n: 31, total: '0', lowest: '0' });
    expect(await ledgerMismatches(pgT.databaseUrl)).toEqual([]);
  });

  it('S1-5.1.4: 3 client processes each posting 20 mixed receipts and issues at once: balance == sum of movements == what was acknowledged', async () => {
    const T = await setup(pgT, 'ledger-procs');
    await T.posted('other_in', [{ materialId: T.m.plain, warehouseId: T.w.main, quantity: '10' }]);
    const outputs = await Promise.all(
      [0, 1, 2].map(() => runNode([POSTER, pgT.url.replace('localhost', '127.0.0.1'), T.key, T.m.plain, T.w.main, '20', '2', '3'], 60_000)),
    );
    const reports = outputs.map((o) => JSON.parse(o.trim().split('\n').pop()!));
    let expected = 10;
    for (const r of reports) {
      expect(Object.keys(r.failures).filter((k) => k !== '409 STOCK_INSUFFICIENT'), JSON.stringify(r)).toEqual([]);
      expect(r.posted.other_in).toBe(10);
      expected += 2 * r.posted.other_in - 3 * r.posted.other_out;
    }
    expect(reports.reduce((n, r) => n + r.posted.other_in + r.posted.other_out, 0)).toBeGreaterThanOrEqual(30);
    expect(await T.balance(T.m.plain, T.w.main)).toEqual([String(expected)]);
    const [sum] = await ownerQuery(pgT.databaseUrl, 'SELECT sum(quantity)::text AS q, count(*)::int AS n FROM stock_movements WHERE tenant_id = $1 AND material_id = $2', [T.id, T.m.plain]);
    expect(sum.q).toBe(String(expected));
    expect(sum.n).toBe(1 + reports.reduce((n, r) => n + r.posted.other_in + r.posted.other_out, 0));
    expect(await ledgerMismatches(pgT.databaseUrl)).toEqual([]);
  });

  it('S1-5.1.4: a second server process on the same database posting concurrently with the first loses no update', async () => {
    const T = await setup(pgT, 'ledger-two');
    await T.posted('other_in', [{ materialId: T.m.plain, warehouseId: T.w.main, quantity: '20' }]);
    const { url: second } = await startServerProcess(pgT.databaseUrl, { cleanups });
    // The same tenant and key work on both processes.
    expect((await call(second, T.key, 'GET', `/v1/materials/${T.m.plain}`)).status).toBe(200);

    const line = (quantity: string) => [{ materialId: T.m.plain, warehouseId: T.w.main, quantity }];
    const results = await Promise.all(
      Array.from({ length: 60 }, (_, i) => {
        const base = i % 2 === 0 ? pgT.url : second;
        const type = i % 3 === 0 ? 'other_in' : 'other_out';
        return call(base, T.key, 'POST', '/v1/stock-documents', { type, post: true, lines: line(type === 'other_in' ? '2' : '1') }).then((r) => ({ type, ...r }));
      }),
    );
    const bad = results.filter((r) => r.status !== 201 && !(r.status === 409 && r.body.code === 'STOCK_INSUFFICIENT'));
    expect(bad.map((r) => `${r.status} ${JSON.stringify(r.body)}`)).toEqual([]);
    const ok = results.filter((r) => r.status === 201);
    const expected = 20 + ok.reduce((n, r) => n + (r.type === 'other_in' ? 2 : -1), 0);
    expect(ok.length).toBeGreaterThan(40);
    expect(await T.balance(T.m.plain, T.w.main)).toEqual([String(expected)]);
    expect((await call(second, T.key, 'GET', `/v1/stock/balances?materialId=${T.m.plain}`)).body.items.map((b: any) => b.quantity)).toEqual([String(expected)]);
    expect(await ledgerMismatches(pgT.databaseUrl)).toEqual([]);
  });

  it('S1-5.4.3-a: the ledger is append-only: as the owner UPDATE and DELETE on stock_movements raise; the app role has no UPDATE or DELETE grant', async () => {
    const T = await setup(pgT, 'ledger-append');
    await T.posted('other_in', [{ materialId: T.m.plain, warehouseId: T.w.main, quantity: '4' }]);
    const owner = new pg.Client({ connectionString: pgT.databaseUrl });
    await owner.connect();
    try {
      await expect(owner.query('UPDATE stock_movements SET quantity = 400 WHERE tenant_id = $1', [T.id])).rejects.toThrow(/append-only/);
      await expect(owner.query('DELETE FROM stock_movements WHERE tenant_id = $1', [T.id])).rejects.toThrow(/append-only/);
      const { rows } = await owner.query(
        `SELECT has_table_privilege('mes_app', 'stock_movements', 'UPDATE') AS upd, has_table_privilege('mes_app', 'stock_movements', 'DELETE') AS del,
                has_table_privilege('mes_app', 'stock_movements', 'INSERT') AS ins, has_table_privilege('mes_app', 'stock_movements', 'TRUNCATE') AS trunc`,
      );
      expect(rows[0]).toEqual({ upd: false, del: false, ins: true, trunc: false });
      // As the app role, even with the tenant set, the update is refused by the grant.
      await owner.query('BEGIN');
      await owner.query(`SET LOCAL ROLE mes_app; SELECT set_config('mes.tenant_id', '${T.id}', true)`);
      await expect(owner.query('UPDATE stock_movements SET quantity = 400')).rejects.toThrow(/permission denied/);
      await owner.query('ROLLBACK');
      const [sum] = (await owner.query('SELECT sum(quantity)::text AS q FROM stock_movements WHERE tenant_id = $1', [T.id])).rows;
      expect(sum.q).toBe('4');
    } finally {
      await owner.end();
    }
  });
});

describe('stock rules (S1-5.4.3-a)', () => {
  let T: Tenant;
  beforeAll(async () => {
    T = await setup(t, 'ledger-rules');
  });

  it('S1-5.4.3-a: a warehouse that allows negative stock goes below zero; one that does not refuses', async () => {
    const neg = await T.doc('other_out', [{ materialId: T.m.plain, warehouseId: T.w.neg, quantity: '5' }]);
    expect(neg.status).toBe(201);
    expect(await T.balance(T.m.plain, T.w.neg)).toEqual(['-5']);
    const refused = await T.doc('other_out', [{ materialId: T.m.plain, warehouseId: T.w.second, quantity: '5' }]);
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('STOCK_INSUFFICIENT');
    await T.posted('other_in', [{ materialId: T.m.plain, warehouseId: T.w.neg, quantity: '7' }]);
    expect(await T.balance(T.m.plain, T.w.neg)).toEqual(['2']);
  });

  it('S1-5.4.3-a: STOCK_INSUFFICIENT names every short line with what is available; the good lines post nothing either', async () => {
    await T.posted('other_in', [
      { materialId: T.m.plain, warehouseId: T.w.main, quantity: '2' },
      { materialId: T.m.other, warehouseId: T.w.main, quantity: '10' },
      { materialId: T.m.third, warehouseId: T.w.main, quantity: '1.5' },
    ]);
    const before = { plain: await T.balance(T.m.plain, T.w.main), other: await T.balance(T.m.other, T.w.main), third: await T.balance(T.m.third, T.w.main) };
    const res = await T.doc('other_out', [
      { materialId: T.m.plain, warehouseId: T.w.main, quantity: '5' },
      { materialId: T.m.other, warehouseId: T.w.main, quantity: '1' },
      { materialId: T.m.third, warehouseId: T.w.main, quantity: '1' },
      { materialId: T.m.third, warehouseId: T.w.main, quantity: '0.6' },
      { materialId: T.m.other, warehouseId: T.w.second, quantity: '3' },
    ]);
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('STOCK_INSUFFICIENT');
    expect(fieldsOf(res.body)).toEqual(['lines[0].quantity:STOCK_INSUFFICIENT', 'lines[2].quantity:STOCK_INSUFFICIENT', 'lines[3].quantity:STOCK_INSUFFICIENT', 'lines[4].quantity:STOCK_INSUFFICIENT']);
    const short = res.body.shortages.map((s: any) => [s.materialId, s.warehouseId, s.available, s.requested]);
    expect(short).toHaveLength(3);
    expect(short).toEqual(expect.arrayContaining([[T.m.plain, T.w.main, '2', '5'], [T.m.third, T.w.main, '1.5', '1.6'], [T.m.other, T.w.second, '0', '3']]));
    expect(res.body.errors.find((e: any) => e.field === 'lines[0].quantity').message).toContain('2');
    expect({ plain: await T.balance(T.m.plain, T.w.main), other: await T.balance(T.m.other, T.w.main), third: await T.balance(T.m.third, T.w.main) }).toEqual(before);
    expect(before).toEqual({ plain: ['2'], other: ['10'], third: ['1.5'] });
    // Nothing was written: no document, no movement for the good line.
    const movements = await listAll(t, T.key, `/v1/stock/movements?materialId=${T.m.other}`);
    expect(movements.map((m) => m.quantity)).toEqual(['10']);
  });

  it('S1-5.4.3-h: a serial already in stock cannot be received again (409 SERIAL_IN_STOCK); its history shows in, transfer out and in, and out', async () => {
    const first = await T.posted('other_in', [{ materialId: T.m.serial, warehouseId: T.w.main, quantity: '1', serialNo: 'SN-0001' }]);
    for (const warehouseId of [T.w.main, T.w.second]) {
      const again = await T.doc('other_in', [{ materialId: T.m.serial, warehouseId, quantity: '1', serialNo: 'SN-0001' }]);
      expect(again.status).toBe(409);
      expect(again.body.code).toBe('SERIAL_IN_STOCK');
      expect(fieldsOf(again.body)).toEqual(['lines[0].serialNo:SERIAL_IN_STOCK']);
    }
    const twice = await T.doc('other_in', [
      { materialId: T.m.serial, warehouseId: T.w.main, quantity: '1', serialNo: 'SN-0002' },
      { materialId: T.m.serial, warehouseId: T.w.second, quantity: '1', serialNo: 'SN-0002' },
    ]);
    expect(twice.status).toBe(409);
    expect(twice.body.code).toBe('SERIAL_IN_STOCK');
    const moved = await T.posted('transfer', [{ materialId: T.m.serial, warehouseId: T.w.main, toWarehouseId: T.w.second, quantity: '1', serialNo: 'SN-0001' }]);
    const out = await T.posted('other_out', [{ materialId: T.m.serial, warehouseId: T.w.second, quantity: '1', serialNo: 'SN-0001' }]);
    const history = await listAll(t, T.key, '/v1/stock/movements?serialNo=SN-0001');
    expect(history.map((h) => [h.type, h.warehouseId, h.quantity, h.sourceId])).toEqual([
      ['other_in', T.w.main, '1', first.id],
      ['transfer_out', T.w.main, '-1', moved.id],
      ['transfer_in', T.w.second, '1', moved.id],
      ['other_out', T.w.second, '-1', out.id],
    ]);
    expect(history.every((h) => h.serialNo === 'SN-0001' && h.materialId === T.m.serial)).toBe(true);
    // Gone from stock, it can come back; issuing it twice cannot.
    expect((await T.doc('other_out', [{ materialId: T.m.serial, warehouseId: T.w.second, quantity: '1', serialNo: 'SN-0001' }])).body.code).toBe('STOCK_INSUFFICIENT');
    expect((await T.doc('other_in', [{ materialId: T.m.serial, warehouseId: T.w.main, quantity: '1', serialNo: 'SN-0001' }])).status).toBe(201);
  });

  it('S1-5.4.3-h: a serial line moves exactly one piece (422 SERIAL_QUANTITY); issues name their serial; receipts without one get a generated number', async () => {
    const two = await T.doc('other_in', [{ materialId: T.m.serial, warehouseId: T.w.main, quantity: '2', serialNo: 'SN-TWO' }]);
    expect(two.status).toBe(422);
    expect(fieldsOf(two.body)).toEqual(['lines[0].quantity:SERIAL_QUANTITY']);
    const noSerial = await T.doc('other_out', [{ materialId: T.m.serial, warehouseId: T.w.main, quantity: '1' }]);
    expect(noSerial.status).toBe(422);
    expect(fieldsOf(noSerial.body)).toEqual(['lines[0].serialNo:SERIAL_REQUIRED']);
    const generated = await T.posted('other_in', [{ materialId: T.m.serial, warehouseId: T.w.main, quantity: '1' }, { materialId: T.m.serial, warehouseId: T.w.main, quantity: '1' }]);
    const serials = generated.lines.map((l: any) => l.serialNo);
    expect(serials[0]).toMatch(/^SERIAL-\d{6}$/);
    expect(new Set(serials).size).toBe(2);
    const unknown = await T.doc('other_out', [{ materialId: T.m.serial, warehouseId: T.w.main, quantity: '1', serialNo: 'NEVER-SEEN' }]);
    expect(unknown.status).toBe(422);
    expect(fieldsOf(unknown.body)).toEqual(['lines[0].serialNo:UNKNOWN_SERIAL']);
  });

  it('S1-5.4.3-f: batch-tracked issues need a batch (422 BATCH_REQUIRED); an unknown batch is 422; a receipt without one gets a generated batch number', async () => {
    const received = await T.posted('other_in', [{ materialId: T.m.batch, warehouseId: T.w.main, quantity: '5' }]);
    const batchNo = received.lines[0].batchNo;
    expect(batchNo).toMatch(/^B\d{8}-\d{3}$/);
    expect((await listAll(t, T.key, `/v1/stock/balances?materialId=${T.m.batch}`)).map((b) => [b.batchNo, b.quantity])).toEqual([[batchNo, '5']]);
    const noBatch = await T.doc('other_out', [{ materialId: T.m.batch, warehouseId: T.w.main, quantity: '1' }]);
    expect(noBatch.status).toBe(422);
    expect(fieldsOf(noBatch.body)).toEqual(['lines[0].batchNo:BATCH_REQUIRED']);
    const unknown = await T.doc('other_out', [{ materialId: T.m.batch, warehouseId: T.w.main, quantity: '1', batchNo: 'NO-SUCH-BATCH' }]);
    expect(unknown.status).toBe(422);
    expect(fieldsOf(unknown.body)).toEqual(['lines[0].batchNo:UNKNOWN_BATCH']);
    const notTracked = await T.doc('other_in', [{ materialId: T.m.plain, warehouseId: T.w.main, quantity: '1', batchNo: 'X', serialNo: 'Y' }]);
    expect(fieldsOf(notTracked.body)).toEqual(['lines[0].batchNo:NOT_TRACKED', 'lines[0].serialNo:NOT_TRACKED']);
    expect((await T.doc('other_out', [{ materialId: T.m.batch, warehouseId: T.w.main, quantity: '2', batchNo }])).status).toBe(201);
    expect(await T.balance(T.m.batch, T.w.main)).toEqual(['3']);
  });

  it('S1-5.4.3-f: an expiry-tracked receipt needs expiryDate, also for a new batch number; a known batch keeps its expiry', async () => {
    const none = await T.doc('other_in', [{ materialId: T.m.expiry, warehouseId: T.w.main, quantity: '1' }]);
    expect(none.status).toBe(422);
    expect(fieldsOf(none.body)).toEqual(['lines[0].expiryDate:EXPIRY_REQUIRED']);
    const newBatch = await T.doc('other_in', [{ materialId: T.m.expiry, warehouseId: T.w.main, quantity: '1', batchNo: 'EXP-NEW' }]);
    expect(newBatch.status).toBe(422);
    expect(fieldsOf(newBatch.body)).toEqual(['lines[0].expiryDate:EXPIRY_REQUIRED']);
    const dated = await T.posted('other_in', [{ materialId: T.m.expiry, warehouseId: T.w.main, quantity: '1', batchNo: 'EXP-1', productionDate: '2026-01-02', expiryDate: '2027-01-02' }]);
    expect(dated.lines[0]).toMatchObject({ batchNo: 'EXP-1', productionDate: '2026-01-02', expiryDate: '2027-01-02' });
    const more = await T.doc('other_in', [{ materialId: T.m.expiry, warehouseId: T.w.main, quantity: '2', batchNo: 'EXP-1' }]);
    expect(more.status).toBe(201);
    const fifo = (await T.as('GET', `/v1/stock/fifo?materialId=${T.m.expiry}&quantity=3`)).body;
    expect(fifo.picks.map((p: any) => [p.batchNo, p.expiryDate, p.quantity])).toEqual([['EXP-1', '2027-01-02', '3']]);
  });

  it("S1-5.4.3-f: a batch keeps its production date, expiry and the supplier's lot; the batch list shows them with stock on hand", async () => {
    await T.posted('other_in', [
      { materialId: T.m.batch, warehouseId: T.w.main, quantity: '7', batchNo: 'LOT-A', productionDate: '2026-03-01', expiryDate: '2028-03-01', supplierBatch: 'SUP-99' },
      { materialId: T.m.batch, warehouseId: T.w.second, quantity: '5', batchNo: 'LOT-A' },
    ]);
    const res = await T.as('GET', `/v1/materials/${T.m.batch}/batches`);
    expect(res.status).toBe(200);
    const lot = res.body.items.find((b: any) => b.batchNo === 'LOT-A');
    expect(lot).toMatchObject({ productionDate: '2026-03-01', expiryDate: '2028-03-01', supplierBatch: 'SUP-99', onHand: '12' });
    expect((await T.as('GET', `/v1/materials/${crypto.randomUUID()}/batches`)).status).toBe(404);
  });
});

describe('FIFO suggestions (S1-5.4.3-i)', () => {
  let T: Tenant;
  beforeAll(async () => {
    T = await setup(t, 'ledger-fifo');
    // Received in the order B1, B2, B3, each in its own document; plenty more in quarantine and WIP.
    for (const [batchNo, quantity] of [['B1', '10'], ['B2', '7'], ['B3', '20']]) {
      await T.posted('other_in', [{ materialId: T.m.batch, warehouseId: T.w.main, quantity, batchNo }]);
    }
    await T.posted('other_in', [{ materialId: T.m.batch, warehouseId: T.w.second, quantity: '4', batchNo: 'B4' }]);
    await T.posted('other_in', [{ materialId: T.m.batch, warehouseId: T.w.qc, quantity: '100', batchNo: 'B0-QC' }]);
    await T.posted('other_in', [{ materialId: T.m.batch, warehouseId: T.w.wip, quantity: '100', batchNo: 'B0-WIP' }]);
    // With expiry: received B1, B2, B3 but B3 expires first and B1 last.
    for (const [batchNo, expiryDate] of [['E1', '2027-03-01'], ['E2', '2027-02-01'], ['E3', '2027-01-01']]) {
      await T.posted('other_in', [{ materialId: T.m.expiry, warehouseId: T.w.main, quantity: '5', batchNo, expiryDate }]);
    }
    await T.posted('other_in', [{ materialId: T.m.expiry, warehouseId: T.w.qc, quantity: '50', batchNo: 'E0-QC', expiryDate: '2026-06-01' }]);
  });
  const fifo = async (materialId: string, quantity: string, warehouseId?: string) => {
    const res = await T.as('GET', `/v1/stock/fifo?materialId=${materialId}&quantity=${quantity}${warehouseId ? `&warehouseId=${warehouseId}` : ''}`);
    expect(res.status).toBe(200);
    return res.body;
  };

  it('S1-5.4.3-i: oldest receipt first, exact quantities: 25 is B1 10, B2 7, B3 8; quarantine and WIP stock are never suggested', async () => {
    const s = await fifo(T.m.batch, '25');
    expect(s.picks.map((p: any) => [p.batchNo, p.available, p.quantity])).toEqual([['B1', '10', '10'], ['B2', '7', '7'], ['B3', '20', '8']]);
    expect([s.requested, s.suggested, s.shortfall]).toEqual(['25', '25', '0']);
    expect(s.picks.every((p: any) => p.warehouseId === T.w.main)).toBe(true);
    expect((await fifo(T.m.batch, '10')).picks.map((p: any) => [p.batchNo, p.quantity])).toEqual([['B1', '10']]);
  });

  it('S1-5.4.3-i: when stock is short the suggestion takes all usable stock and reports the shortfall', async () => {
    const s = await fifo(T.m.batch, '50');
    expect(s.picks.map((p: any) => [p.batchNo, p.quantity])).toEqual([['B1', '10'], ['B2', '7'], ['B3', '20'], ['B4', '4']]);
    expect([s.suggested, s.shortfall]).toEqual(['41', '9']);
    const inMain = await fifo(T.m.batch, '50', T.w.main);
    expect([inMain.suggested, inMain.shortfall]).toEqual(['37', '13']);
    const inQc = await fifo(T.m.batch, '1', T.w.qc);
    expect([inQc.picks, inQc.shortfall]).toEqual([[], '1']);
  });

  it('S1-5.4.3-i: with expiry tracked, earliest expiry first whatever the receipt order: E3, E2, E1', async () => {
    const s = await fifo(T.m.expiry, '12');
    expect(s.picks.map((p: any) => [p.batchNo, p.expiryDate, p.quantity])).toEqual([['E3', '2027-01-01', '5'], ['E2', '2027-02-01', '5'], ['E1', '2027-03-01', '2']]);
    expect(s.shortfall).toBe('0');
  });

  it('S1-5.4.3-i: issuing a batch moves the suggestion on; an unknown material is 404', async () => {
    await T.posted('other_out', [{ materialId: T.m.batch, warehouseId: T.w.main, quantity: '10', batchNo: 'B1' }]);
    expect((await fifo(T.m.batch, '9')).picks.map((p: any) => [p.batchNo, p.quantity])).toEqual([['B2', '7'], ['B3', '2']]);
    expect((await T.as('GET', '/v1/stock/fifo?materialId=00000000-0000-4000-8000-000000000000&quantity=1')).status).toBe(404);
    expect((await T.as('GET', `/v1/stock/fifo?materialId=${T.m.batch}&quantity=abc`)).status).toBe(400);
  });
});
