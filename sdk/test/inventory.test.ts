/**
 * The master-data, inventory, coding-rule, feature and barcode namespaces against a real server
 * over real HTTP (PGlite in memory, or PostgreSQL with MES_TEST_DATABASE_URL). Every method once,
 * with its answer checked; then the flow a PDA runs: scan to stock by codes, see it in balances.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTenant, startTestServer, type TestServer } from './support/server.js';
import { MesClient, MesConnectionError, MesError, type Balance, type Material, type Movement, type StockDocumentSummary, type Warehouse } from '../src/index.js';
import { retryDelayMs } from '../src/http.js';

let t: TestServer;
let mes: MesClient;

/** Awaits a call that must fail and returns its MesError. */
async function failure(p: Promise<unknown>): Promise<MesError> {
  const err = await p.then(() => undefined, (e: unknown) => e);
  if (!(err instanceof MesError)) throw new Error(`expected a MesError, got ${err === undefined ? 'success' : String(err)}`);
  return err;
}

async function all<T>(gen: AsyncGenerator<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of gen) out.push(x);
  return out;
}

beforeAll(async () => {
  t = await startTestServer();
  const tenant = await createTenant(t, `inv-${process.pid}`);
  mes = new MesClient({ baseUrl: t.url, apiKey: tenant.key });
});
afterAll(async () => {
  await t?.stop();
});

// Shared by the tests below, which run in order.
let screw: Material;
let glue: Material;
let raw: Warehouse;
let wip: Warehouse;

describe('units and conversions', () => {
  it('S1-5.4.3-e units.create() and list(); a taken code is 409 UNIT_CODE_TAKEN', async () => {
    expect(await mes.units.create({ code: 'PCS', name: 'Pieces', decimals: 0 })).toEqual({ code: 'PCS', name: 'Pieces', decimals: 0, rounding: 'half_up' });
    await mes.units.create({ code: 'BOX', name: 'Box', decimals: 0 });
    await mes.units.create({ code: 'KG', name: 'Kilogram', decimals: 3, rounding: 'half_even' });
    await mes.units.create({ code: 'G', name: 'Gram', decimals: 1 });
    const { items } = await mes.units.list();
    expect(items.map((u) => u.code).sort()).toEqual(['BOX', 'G', 'KG', 'PCS']);
    expect(items.find((u) => u.code === 'KG')).toEqual({ code: 'KG', name: 'Kilogram', decimals: 3, rounding: 'half_even' });
    const taken = await failure(mes.units.create({ code: 'PCS', name: 'again', decimals: 0 }));
    expect([taken.status, taken.code]).toEqual([409, 'UNIT_CODE_TAKEN']);
  });

  it('S1-5.4.3-e unitConversions.create() and list(), global and per material', async () => {
    const box = await mes.unitConversions.create({ fromUnit: 'BOX', toUnit: 'PCS', factor: '12' });
    expect(box).toMatchObject({ materialId: null, fromUnit: 'BOX', toUnit: 'PCS', factor: '12' });
    expect(box.id).toMatch(/^[0-9a-f-]{36}$/);
    await mes.unitConversions.create({ fromUnit: 'KG', toUnit: 'G', factor: '1000' });
    const { items } = await mes.unitConversions.list();
    expect(items.map((c) => `${c.fromUnit}>${c.toUnit}=${c.factor}`).sort()).toEqual(['BOX>PCS=12', 'KG>G=1000']);
    const again = await failure(mes.unitConversions.create({ fromUnit: 'PCS', toUnit: 'BOX', factor: '0.5' }));
    expect([again.status, again.code]).toEqual([409, 'CONVERSION_EXISTS']);
  });
});

describe('features and coding rules', () => {
  it('S1-5.4.3-d features.create(), get(), update(), list() and iterate()', async () => {
    const color = await mes.features.create({ code: 'COLOR', name: 'Colour', values: [{ code: 'RED', name: 'Red' }, { code: 'BLUE', name: 'Blue' }] });
    expect(color).toMatchObject({ code: 'COLOR', name: 'Colour', values: [{ code: 'RED', name: 'Red' }, { code: 'BLUE', name: 'Blue' }] });
    expect(await mes.features.get(color.id)).toEqual(color);
    const updated = await mes.features.update(color.id, { values: [...color.values, { code: 'WHITE', name: 'White' }] });
    expect(updated.values.map((v) => v.code)).toEqual(['RED', 'BLUE', 'WHITE']);
    await mes.features.create({ code: 'SIZE', name: 'Size', values: [{ code: 'S', name: 'Small' }, { code: 'L', name: 'Large' }] });
    const page = await mes.features.list({ limit: 1 });
    expect(page.items.map((f) => f.code)).toEqual(['COLOR']);
    expect(page.nextCursor).toBeTruthy();
    expect((await all(mes.features.iterate({ limit: 1 }))).map((f) => f.code)).toEqual(['COLOR', 'SIZE']);
    const taken = await failure(mes.features.create({ code: 'COLOR', name: 'x', values: [{ code: 'X', name: 'x' }] }));
    expect([taken.status, taken.code]).toEqual([409, 'FEATURE_CODE_TAKEN']);
  });

  it('S1-5.4.3-f codingRules.put(), get(), preview(), next(), list() and iterate()', async () => {
    const rule = await mes.codingRules.put('lot', { pattern: 'L{yyyy}{mm}-{seq:3}', reset: 'monthly', description: 'Lots' });
    expect(rule).toMatchObject({ code: 'lot', pattern: 'L{yyyy}{mm}-{seq:3}', reset: 'monthly', description: 'Lots' });
    expect(await mes.codingRules.get('lot')).toEqual(rule);
    const date = '2026-03-15';
    expect(await mes.codingRules.preview('lot', { date })).toEqual({ code: 'L202603-001' });
    expect(await mes.codingRules.next('lot', { date })).toEqual({ code: 'L202603-001' });
    expect(await mes.codingRules.next('lot', { date })).toEqual({ code: 'L202603-002' });
    expect(await mes.codingRules.preview('lot', { date })).toEqual({ code: 'L202603-003' });
    await mes.codingRules.put('pallet', { pattern: 'P{seq:5}' });
    expect((await mes.codingRules.next('pallet')).code).toBe('P00001');
    const listed = await mes.codingRules.list({ limit: 500 });
    expect(listed.items.map((r) => r.code)).toEqual(expect.arrayContaining(['lot', 'pallet']));
    expect((await all(mes.codingRules.iterate({ limit: 1 }))).map((r) => r.code)).toEqual(listed.items.map((r) => r.code));
    const missing = await failure(mes.codingRules.get('nope'));
    expect([missing.status, missing.code]).toEqual([404, 'RESOURCE_NOT_FOUND']);
  });
});

describe('materials', () => {
  it('S1-5.4.3-d materials.create(), get(), update(), list() and iterate()', async () => {
    screw = await mes.materials.create({ code: 'SCR-M4x10', name: '十字螺钉 Screw M4x10', category: 'fastener', baseUnit: 'PCS', purchaseUnit: 'BOX' });
    expect(screw).toMatchObject({
      code: 'SCR-M4x10', name: '十字螺钉 Screw M4x10', category: 'fastener', baseUnit: 'PCS', purchaseUnit: 'BOX', stockUnit: 'PCS',
      tracking: 'none', trackExpiry: false, status: 'active', version: 1, variantOf: null, featureValues: {},
    });
    glue = await mes.materials.create({ code: 'GLU-EP01', name: '环氧胶 Epoxy', category: 'chemical', baseUnit: 'KG', tracking: 'batch', trackExpiry: true });
    expect(await mes.materials.get(screw.id)).toEqual(screw);
    const updated = await mes.materials.update(screw.id, { version: 1, specification: 'DIN 7985, zinc', issueType: 'backflush_receipt' });
    expect(updated).toMatchObject({ specification: 'DIN 7985, zinc', version: 2, production: { issueType: 'backflush_receipt' } });
    screw = updated;
    const stale = await failure(mes.materials.update(screw.id, { version: 1, name: 'x' }));
    expect([stale.status, stale.code]).toEqual([409, 'VERSION_CONFLICT']);

    const page = await mes.materials.list({ q: 'Epoxy' });
    expect(page.items.map((m) => m.code)).toEqual(['GLU-EP01']);
    expect((await all(mes.materials.iterate({ limit: 1 }))).map((m) => m.code)).toEqual(['GLU-EP01', 'SCR-M4x10']);
  });

  it('S1-5.4.3-d materials.createVariant() codes a variant from its feature values', async () => {
    const fan = await mes.materials.create({ code: 'FAN-T', name: 'Fan', baseUnit: 'PCS', variantFeatures: ['COLOR'] });
    const red = await mes.materials.createVariant(fan.id, { featureValues: { COLOR: 'RED' } });
    expect(red).toMatchObject({ code: 'FAN-T-RED', name: 'Fan RED', variantOf: fan.id, featureValues: { COLOR: 'RED' }, baseUnit: 'PCS' });
    const again = await failure(mes.materials.createVariant(fan.id, { featureValues: { COLOR: 'RED' } }));
    expect([again.status, again.code]).toEqual([409, 'VARIANT_EXISTS']);
  });

  it('S1-5.4.3-e materials.convert() converts exactly; a material-specific conversion wins', async () => {
    expect(await mes.materials.convert(screw.id, { quantity: '2', from: 'BOX' })).toEqual({ quantity: '24', unit: 'PCS', exact: '24' });
    expect(await mes.materials.convert(glue.id, { quantity: '1234.5', from: 'G' })).toEqual({ quantity: '1.234', unit: 'KG', exact: '1.2345' });
    await mes.unitConversions.create({ fromUnit: 'BOX', toUnit: 'PCS', factor: '100', materialId: screw.id });
    expect((await mes.unitConversions.list({ materialId: screw.id })).items.map((c) => [c.materialId, c.factor])).toContainEqual([screw.id, '100']);
    expect(await mes.materials.convert(screw.id, { quantity: '2', from: 'BOX', to: 'PCS' })).toEqual({ quantity: '200', unit: 'PCS', exact: '200' });
  });
});

describe('warehouses and bins', () => {
  it('S1-5.4.4-a warehouses.create(), get(), update(), list(), createBin() and listBins()', async () => {
    raw = await mes.warehouses.create({ code: 'RM', name: '原料仓 Raw materials' });
    expect(raw).toMatchObject({ code: 'RM', name: '原料仓 Raw materials', kind: 'normal', allowNegative: false, status: 'active', version: 1 });
    wip = await mes.warehouses.create({ code: 'WIP', name: 'Line-side', kind: 'wip', allowNegative: true });
    expect(await mes.warehouses.get(wip.id)).toEqual(wip);
    const renamed = await mes.warehouses.update(raw.id, { version: 1, name: 'Raw material store' });
    expect(renamed).toMatchObject({ name: 'Raw material store', version: 2 });
    expect((await mes.warehouses.list()).items.map((w) => w.code).sort()).toEqual(['RM', 'WIP']);

    const bin = await mes.warehouses.createBin(raw.id, { code: 'A-01', name: 'Aisle A, rack 1' });
    expect(bin).toMatchObject({ warehouseId: raw.id, code: 'A-01', name: 'Aisle A, rack 1' });
    await mes.warehouses.createBin(raw.id, { code: 'A-02' });
    expect((await mes.warehouses.listBins(raw.id)).items.map((b) => b.code)).toEqual(['A-01', 'A-02']);
    const taken = await failure(mes.warehouses.createBin(raw.id, { code: 'A-01' }));
    expect([taken.status, taken.code]).toEqual([409, 'BIN_CODE_TAKEN']);
  });

  it('S1-5.4.3-i materials.setSafetyStock() per warehouse and tenant-wide', async () => {
    expect(await mes.materials.setSafetyStock(screw.id, { warehouseId: raw.id, quantity: '500' })).toEqual({ materialId: screw.id, warehouseId: raw.id, quantity: '500' });
    expect(await mes.materials.setSafetyStock(screw.id, { quantity: '800' })).toEqual({ materialId: screw.id, warehouseId: null, quantity: '800' });
  });
});

describe('stock documents and stock', () => {
  it('S1-5.4.3-a PDA flow: other_in with post: true by material and warehouse code; balances show it exactly', async () => {
    const doc = await mes.stockDocuments.create({
      type: 'other_in', post: true, reason: 'PDA receipt',
      lines: [{ materialCode: 'SCR-M4x10', warehouseCode: 'RM', binCode: 'A-01', quantity: '3', unit: 'BOX' }],
    });
    expect(doc).toMatchObject({ type: 'other_in', status: 'posted', reason: 'PDA receipt', reversesId: null });
    // The material-specific conversion (1 BOX = 100 PCS) applies.
    expect(doc.lines).toEqual([expect.objectContaining({ lineNo: 1, materialCode: 'SCR-M4x10', quantity: '3', unit: 'BOX', baseQuantity: '300', baseUnit: 'PCS' })]);
    const { items } = await mes.stock.balances({ materialId: screw.id });
    expect(items.map((b) => [b.warehouseCode, b.binCode, b.batchNo, b.serialNo, b.quantity, b.baseUnit])).toEqual([['RM', 'A-01', null, null, '300', 'PCS']]);
  });

  it('S1-5.4.3-a stockDocuments.create() a draft, post(), get(), list(), iterate() and reverse()', async () => {
    const draft = await mes.stockDocuments.create({
      type: 'other_in',
      lines: [
        { materialId: glue.id, warehouseId: raw.id, quantity: '5', batchNo: 'EP-OLD', expiryDate: '2027-01-31' },
        { materialId: glue.id, warehouseId: raw.id, quantity: '2.5', batchNo: 'EP-NEW', expiryDate: '2027-06-30' },
      ],
    });
    expect(draft).toMatchObject({ status: 'draft', postedAt: null });
    expect((await mes.stock.balances({ materialId: glue.id })).items).toEqual([]);
    const posted = await mes.stockDocuments.post(draft.id);
    expect(posted).toMatchObject({ id: draft.id, status: 'posted' });
    expect(posted.postedAt).not.toBeNull();
    expect(await mes.stockDocuments.get(draft.id)).toEqual(posted);
    expect((await mes.stockDocuments.post(draft.id)).status).toBe('posted');

    const out = await mes.stockDocuments.create({ type: 'other_out', post: true, lines: [{ materialCode: 'SCR-M4x10', warehouseCode: 'RM', binCode: 'A-01', quantity: '40' }] });
    const reversal = await mes.stockDocuments.reverse(out.id, { reason: 'counted wrong' });
    expect(reversal).toMatchObject({ type: 'other_out', status: 'posted', reversesId: out.id, reason: 'counted wrong' });
    expect((await mes.stockDocuments.get(out.id)).reversedById).toBe(reversal.id);
    const twice = await failure(mes.stockDocuments.reverse(out.id));
    expect([twice.status, twice.code]).toEqual([409, 'ALREADY_REVERSED']);

    const page = await mes.stockDocuments.list({ limit: 500, type: 'other_out' });
    expect(page.items.map((d) => d.id).sort()).toEqual([out.id, reversal.id].sort());
    expect(page.items[0]).not.toHaveProperty('lines');
    const iterated: StockDocumentSummary[] = await all(mes.stockDocuments.iterate({ limit: 1 }));
    expect(iterated).toHaveLength(4);
    expect(iterated.map((d) => d.id)).toEqual(expect.arrayContaining([draft.id, out.id, reversal.id]));
  });

  it('S1-5.4.3-a stock.balances(), iterateBalances(), movements() and iterateMovements()', async () => {
    const glueBalances = await mes.stock.balances({ materialId: glue.id });
    expect(glueBalances.items.map((b) => [b.batchNo, Number(b.quantity)])).toEqual([['EP-NEW', 2.5], ['EP-OLD', 5]]);
    const every: Balance[] = await all(mes.stock.iterateBalances({ limit: 1 }));
    expect(every.map((b) => `${b.materialCode}/${b.batchNo ?? '-'}=${Number(b.quantity)}`)).toEqual(['GLU-EP01/EP-NEW=2.5', 'GLU-EP01/EP-OLD=5', 'SCR-M4x10/-=300']);

    const moves = await mes.stock.movements({ materialId: screw.id });
    expect(moves.items.map((m) => [m.type, Number(m.quantity)])).toEqual([['other_in', 300], ['other_out', -40], ['other_out', 40]]);
    const iterated: Movement[] = await all(mes.stock.iterateMovements({ limit: 2 }));
    expect(iterated).toHaveLength(5);
    expect(iterated.map((m) => m.materialCode).filter((c) => c === 'GLU-EP01')).toHaveLength(2);
  });

  it('S1-5.4.3-i stock.fifo() picks the earliest expiry first and reports a shortfall', async () => {
    const s = await mes.stock.fifo({ materialId: glue.id, quantity: '6' });
    expect({ requested: s.requested, suggested: s.suggested, shortfall: s.shortfall }).toEqual({ requested: '6', suggested: '6', shortfall: '0' });
    expect(s.picks.map((p) => [p.batchNo, Number(p.quantity)])).toEqual([['EP-OLD', 5], ['EP-NEW', 1]]);
    const short = await mes.stock.fifo({ materialId: glue.id, quantity: '10', warehouseId: raw.id });
    expect(short).toMatchObject({ suggested: '7.5', shortfall: '2.5' });
  });
});

describe('barcodes', () => {
  it('S1-5.4.3-g barcodes.resolve() a bare material code and a GS1 batch label', async () => {
    expect(await mes.barcodes.resolve({ code: 'SCR-M4x10' })).toMatchObject({ kind: 'material', material: { id: screw.id, code: 'SCR-M4x10', tracking: 'none' } });
    const batch = await mes.barcodes.resolve({ code: '(240)GLU-EP01(10)EP-OLD' });
    expect(batch).toMatchObject({ kind: 'batch', material: { id: glue.id }, batch: { batchNo: 'EP-OLD', expiryDate: '2027-01-31' } });
  });

  it('S1-4.3.4 barcodes.label() draws SVG, barcodes.materialLabel() PNG, as bytes with their content type', async () => {
    const svg = await mes.barcodes.label({ fields: { material: 'GLU-EP01', batch: 'EP-OLD' }, format: 'svg' });
    expect(svg.contentType).toMatch(/^image\/svg\+xml/);
    expect(new TextDecoder().decode(svg.bytes)).toContain('<svg');
    const png = await mes.barcodes.materialLabel(screw.id, { format: 'png', scale: 1 });
    expect(png.contentType).toBe('image/png');
    expect([...png.bytes.slice(0, 4)]).toEqual([0x89, 0x50, 0x4e, 0x47]);
    // A failure is still a MesError, binary or not.
    const missing = await failure(mes.barcodes.label({ fields: { material: 'NOPE' }, format: 'svg' }));
    expect([missing.status, missing.code]).toEqual([404, 'BARCODE_TARGET_NOT_FOUND']);
  });
});

describe('transport', () => {
  it('S1-5.3.5-a a PUT that lost its connection is retried (it replaces, so twice is harmless); a PATCH is not', () => {
    const reset = new MesConnectionError('http://127.0.0.1:1/v1/x', Object.assign(new TypeError('fetch failed'), { cause: { code: 'UND_ERR_SOCKET' } }));
    expect(retryDelayMs(reset, 'PUT', 0)).toBeGreaterThan(0);
    expect(retryDelayMs(reset, 'PATCH', 0)).toBeUndefined();
  });

  it('S1-8.2 an empty rule code or id is refused before any request', async () => {
    await expect(mes.codingRules.get('')).rejects.toThrow(/code must be a non-empty string/);
    await expect(mes.barcodes.materialLabel('')).rejects.toThrow(/id must be a non-empty string/);
  });
});

describe('count sheets', () => {
  it('S1-5.4.3-b countSheets.create(), addEntries(), get(), post(): the variance is posted and balances follow', async () => {
    const sheet = await mes.countSheets.create({ warehouseId: raw.id, materialIds: [screw.id] });
    expect(sheet).toMatchObject({ warehouseId: raw.id, warehouseCode: 'RM', status: 'open', blind: false, totals: { lines: 1, counted: 0, uncounted: 1 } });
    expect(sheet.lines).toEqual([expect.objectContaining({ lineNo: 1, materialCode: 'SCR-M4x10', binCode: 'A-01', book: '300', counted: null, variance: null })]);

    const entered = await mes.countSheets.addEntries(sheet.id, { counter: 'ann', entries: [{ lineNo: 1, quantity: '290' }, { materialCode: 'SCR-M4x10', binCode: 'A-01', quantity: '5' }] });
    expect(entered).toEqual({ sheetId: sheet.id, accepted: 2, newLines: 0, lines: [{ lineNo: 1, counted: '295' }] });
    const review = await mes.countSheets.get(sheet.id, { onlyVariances: true });
    expect(review.lines.map((l) => [l.lineNo, l.book, l.counted, Number(l.variance), l.entries])).toEqual([[1, '300', '295', -5, 2]]);
    expect(review.totals).toMatchObject({ counted: 1, withVariance: 1, losses: 1, gains: 0 });

    const posted = await mes.countSheets.post(sheet.id);
    expect(posted).toMatchObject({ id: sheet.id, status: 'posted', uncountedAsZero: false });
    expect((await mes.stock.balances({ materialId: screw.id })).items.map((b) => b.quantity)).toEqual(['295']);
    const moves = await mes.stock.movements({ materialId: screw.id });
    expect(moves.items.at(-1)).toMatchObject({ type: 'count_loss', sourceId: sheet.id });
    expect(Number(moves.items.at(-1)!.quantity)).toBe(-5);
  });

  it('S1-5.4.3-b countSheets.cancel(), list() and iterate()', async () => {
    const sheet = await mes.countSheets.create({ warehouseId: raw.id, category: 'chemical', blind: true });
    expect(sheet.lines.map((l) => l.batchNo).sort()).toEqual(['EP-NEW', 'EP-OLD']);
    const cancelled = await mes.countSheets.cancel(sheet.id);
    expect(cancelled).toMatchObject({ id: sheet.id, status: 'cancelled' });
    expect((await mes.stock.balances({ materialId: glue.id })).items).toHaveLength(2);
    const page = await mes.countSheets.list({ warehouseId: raw.id });
    expect(page.items.map((s) => [s.id, s.status])).toEqual([[sheet.id, 'cancelled'], [expect.any(String), 'posted']]);
    expect((await all(mes.countSheets.iterate({ limit: 1 }))).map((s) => s.id)).toEqual(page.items.map((s) => s.id));
    expect((await mes.countSheets.list({ status: 'posted' })).items).toHaveLength(1);
  });
});

describe('reports', () => {
  const period = { from: '2000-01-01T00:00:00.000Z', to: '2999-01-01T00:00:00.000Z' };

  it('S1-5.4.3-k reports.stockSummary() and iterateStockSummary(): opening, receipts, issues, closing', async () => {
    const page = await mes.reports.stockSummary({ ...period, materialId: screw.id });
    // In 300, out 40 and its reversal back in, then a count loss of 5.
    expect(page.items.map((r) => [r.materialCode, r.baseUnit, Number(r.opening), Number(r.receipts), Number(r.issues), Number(r.closing)])).toEqual([
      ['SCR-M4x10', 'PCS', 0, 340, 45, 295],
    ]);
    const rows = await all(mes.reports.iterateStockSummary({ ...period, limit: 1 }));
    expect(rows.map((r) => [r.materialCode, Number(r.closing)])).toEqual([['GLU-EP01', 7.5], ['SCR-M4x10', 295]]);
  });

  it('S1-5.4.3-i reports.safetyStock(), shortages() and their iterators', async () => {
    const rows = (await mes.reports.safetyStock()).items.map((r) => [r.materialCode, r.warehouseCode, Number(r.level), Number(r.onHand), Number(r.shortfall)]);
    expect(rows).toEqual(expect.arrayContaining([['SCR-M4x10', 'RM', 500, 295, 205], ['SCR-M4x10', null, 800, 295, 505]]));
    expect(rows).toHaveLength(2);
    expect((await mes.reports.shortages({ warehouseId: raw.id })).items.map((r) => [r.materialCode, Number(r.shortfall)])).toEqual([['SCR-M4x10', 205]]);
    expect(await all(mes.reports.iterateSafetyStock({ limit: 1 }))).toHaveLength(2);
    expect(await all(mes.reports.iterateShortages({ limit: 1 }))).toHaveLength(2);
  });

  it('S1-5.4.3-k reports.exportBalances() and exportStockSummary() return the CSV text', async () => {
    const balances = await mes.reports.exportBalances({ materialId: screw.id });
    const [header, ...rows] = balances.trimEnd().split(/\r?\n/);
    expect(header).toBe('materialCode,warehouseCode,binCode,batchNo,serialNo,quantity,baseUnit,materialId,warehouseId,binId');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatch(new RegExp(`^SCR-M4x10,RM,A-01,,,295,PCS,${screw.id},${raw.id},`));
    const summary = await mes.reports.exportStockSummary(period);
    expect(summary.split(/\r?\n/)[0]).toBe('materialCode,materialName,category,baseUnit,warehouseId,opening,receipts,issues,closing');
    expect(summary).toContain('GLU-EP01,环氧胶 Epoxy,chemical,KG,');
  });
});

describe('batches', () => {
  it("S1-5.4.3-f materials.batches() lists a received batch with its dates, the supplier's lot and stock on hand", async () => {
    const resin = await mes.materials.create({ code: 'RES-PU02', name: '聚氨酯 PU resin', category: 'chemical', baseUnit: 'KG', tracking: 'batch', trackExpiry: true });
    await mes.stockDocuments.create({
      type: 'other_in', post: true,
      lines: [{ materialId: resin.id, warehouseCode: 'RM', quantity: '2.5', batchNo: 'PU-2611', productionDate: '2026-11-01', expiryDate: '2027-05-01', supplierBatch: 'HX-778' }],
    });
    const { items } = await mes.materials.batches(resin.id);
    expect(items).toEqual([expect.objectContaining({ batchNo: 'PU-2611', productionDate: '2026-11-01', expiryDate: '2027-05-01', supplierBatch: 'HX-778', onHand: '2.5' })]);
  });
});

describe('events.stream()', () => {
  it('S1-5.3.5-a: yields stock.posted events as they commit, filters by type, ends on abort, and throws a refusal', async () => {
    const unit = await mes.units.create({ code: 'STR', name: 'Stream unit', decimals: 0 });
    const m = await mes.materials.create({ code: 'STREAM-1', name: 'Streamed', baseUnit: unit.code });
    const w = await mes.warehouses.create({ code: 'STREAM-W', name: 'Stream warehouse' });
    const stop = new AbortController();
    const states: string[] = [];
    const received: string[] = [];
    const stream = mes.events.stream({ type: 'stock.*' }, { signal: stop.signal, onState: (s) => states.push(s) });
    const reading = (async () => {
      for await (const e of stream) {
        received.push(`${e.type} ${(e.payload as { sourceId: string }).sourceId}`);
        if (received.length === 2) stop.abort();
      }
    })();
    // The stream starts at "now": wait until it is open before posting.
    while (!states.includes('open')) await new Promise((r) => setTimeout(r, 20));
    const docs = [];
    for (const quantity of ['1', '2']) docs.push(await mes.stockDocuments.create({ type: 'other_in', post: true, lines: [{ materialId: m.id, warehouseId: w.id, quantity }] }));
    await reading;
    expect(received).toEqual(docs.map((d) => `stock.posted ${d.id}`));

    const narrow = new MesClient({ baseUrl: t.url, apiKey: (await mes.apiKeys.create({ name: 'no-events', permissions: ['inventory:read'] })).key });
    const refused = await failure(all(narrow.events.stream()));
    expect(refused).toMatchObject({ status: 403, code: 'PERMISSION_DENIED' });
  });
});
