/**
 * Substitute material issue (S1-5.4.4-f, -g) over real HTTP: a BOM line's alternate is issued and
 * returned in the component's place, counted at its usage ratio, within the tolerance, exactly.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './harness.js';
import { fieldsOf, productionTenant } from './production-setup.js';

let t: TestServer;

beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => {
  await t?.stop();
});

/** HUB × 5 = PLATE 2 a piece (20 in stock), or its alternates HALF 4 a piece (batch-tracked, 30) and THIRD 3 a piece (10); SCRAP is no alternate. */
async function plant(slug: string) {
  const T = await productionTenant(t, slug);
  const material = async (code: string, extra: Record<string, unknown> = {}) => (await T.make('/v1/materials', { code, name: code, baseUnit: 'PCS', ...extra })).id as string;
  const m = { hub: await material('HUB'), plate: await material('PLATE'), half: await material('HALF', { tracking: 'batch' }), third: await material('THIRD'), scrap: await material('SCRAP') };
  const bom = await T.make('/v1/boms', {
    materialCode: 'HUB', type: 'manufacturing', effectiveFrom: '2026-01-01',
    lines: [{ materialCode: 'PLATE', quantity: '2', alternates: [{ materialCode: 'HALF', quantity: '4' }, { materialCode: 'THIRD', quantity: '3' }] }],
  });
  await T.make(`/v1/boms/${bom.id}/release`, { version: bom.version });
  const main = (await T.make('/v1/warehouses', { code: 'MAIN', name: 'Main' })).id as string;
  await T.make('/v1/stock-documents', {
    type: 'other_in', post: true, lines: [
      { materialCode: 'PLATE', quantity: '20', warehouseCode: 'MAIN' }, { materialCode: 'HALF', quantity: '30', warehouseCode: 'MAIN', batchNo: 'H1' },
      { materialCode: 'THIRD', quantity: '10', warehouseCode: 'MAIN' }, { materialCode: 'SCRAP', quantity: '5', warehouseCode: 'MAIN' },
    ],
  });
  const created = await T.make('/v1/production-orders', { materialCode: 'HUB', quantity: '5', workshopCode: 'WS-ASSY', plannedStart: '2026-03-02', plannedFinish: '2026-03-06' });
  const order = await T.make(`/v1/production-orders/${created.id}/release`, { version: created.version });
  const path = (p: string) => `/v1/production-orders/${order.id}${p}`;
  const component = async () => (await T.as('GET', `/v1/production-orders/${order.id}`)).body.components[0];
  const balance = async (materialId: string) => (await T.as('GET', `/v1/stock/balances?materialId=${materialId}`)).body.items.map((b: any) => b.quantity);
  return { ...T, m, main, order, path, component, balance };
}

describe('substitute issue (S1-5.4.4-f)', () => {
  let P: Awaited<ReturnType<typeof plant>>;
  beforeAll(async () => {
    P = await plant('substitute');
  });

  it('S1-5.4.4-f: an alternate is issued in the component\'s place and counts at its usage ratio: 8 HALF (4 a piece) are 4 PLATE (2 a piece)', async () => {
    expect(P.order.components.map((c: any) => [c.materialCode, c.requiredQuantity, c.alternates.map((a: any) => `${a.materialCode}:${a.perUnit}`)])).toEqual([['PLATE', '10', ['HALF:4', 'THIRD:3']]]);
    const res = await P.as('POST', P.path('/issues'), { warehouseCode: 'MAIN', lines: [{ materialCode: 'HALF', quantity: '8' }] });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.lines.map((l: any) => [l.componentLineNo, l.materialCode, l.batchNo, l.baseQuantity, l.origin])).toEqual([[1, 'HALF', 'H1', '8', 'fifo']]);
    const moves = (await P.as('GET', `/v1/stock/movements?sourceId=${res.body.id}`)).body.items.map((m: any) => [m.type, m.materialCode, m.quantity]);
    expect(moves).toEqual([['issue', 'HALF', '-8']]);
    expect(await P.balance(P.m.half)).toEqual(['22']);
    expect(await P.balance(P.m.plate)).toEqual(['20']);
    expect(await P.component()).toMatchObject({ issuedQuantity: '4', returnedQuantity: '0' });
    // Named by its component line too; and the primary for the rest.
    const mixed = await P.as('POST', P.path('/issues'), { warehouseCode: 'MAIN', lines: [{ componentLineNo: 1, materialCode: 'THIRD', quantity: '3' }, { materialCode: 'PLATE', quantity: '4' }] });
    expect(mixed.status, JSON.stringify(mixed.body)).toBe(201);
    expect(await P.component()).toMatchObject({ issuedQuantity: '10' });
  });

  it('S1-5.4.4-f: beyond the tolerance, an inexact equivalent, or a material that is no alternate is refused with nothing written', async () => {
    const before = [await P.component(), await P.balance(P.m.half), await P.balance(P.m.third)];
    const over = await P.as('POST', P.path('/issues'), { warehouseCode: 'MAIN', lines: [{ materialCode: 'HALF', quantity: '2' }] });
    expect([over.status, over.body.code, fieldsOf(over.body)]).toEqual([422, 'ISSUE_OVER_TOLERANCE', ['lines[0].quantity:ISSUE_OVER_TOLERANCE']]);
    const inexact = await P.as('POST', P.path('/issues'), { warehouseCode: 'MAIN', lines: [{ materialCode: 'THIRD', quantity: '1' }] });
    expect([inexact.status, inexact.body.code, fieldsOf(inexact.body)]).toEqual([422, 'INEXACT_SUBSTITUTE', ['lines[0].quantity:INEXACT_SUBSTITUTE']]);
    const none = await P.as('POST', P.path('/issues'), { warehouseCode: 'MAIN', lines: [{ materialCode: 'SCRAP', quantity: '1' }] });
    expect([none.status, none.body.code]).toEqual([422, 'NOT_A_COMPONENT']);
    const wrongLine = await P.as('POST', P.path('/issues'), { warehouseCode: 'MAIN', lines: [{ componentLineNo: 1, materialCode: 'SCRAP', quantity: '1' }] });
    expect(fieldsOf(wrongLine.body)).toEqual(['lines[0].componentLineNo:MATERIAL_MISMATCH']);
    expect([await P.component(), await P.balance(P.m.half), await P.balance(P.m.third)]).toEqual(before);
  });

  it('S1-5.4.4-g: a substitute comes back to the component it was issued to, at the same ratio, never more than was issued of it', async () => {
    const res = await P.as('POST', P.path('/returns'), { warehouseCode: 'MAIN', lines: [{ materialCode: 'HALF', batchNo: 'H1', quantity: '2' }] });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.lines.map((l: any) => [l.componentLineNo, l.materialCode, l.baseQuantity])).toEqual([[1, 'HALF', '2']]);
    expect(await P.balance(P.m.half)).toEqual(['24']);
    expect(await P.component()).toMatchObject({ issuedQuantity: '10', returnedQuantity: '1' });
    const tooMuch = await P.as('POST', P.path('/returns'), { warehouseCode: 'MAIN', lines: [{ materialCode: 'HALF', batchNo: 'H1', quantity: '7' }] });
    expect([tooMuch.status, tooMuch.body.code]).toEqual([422, 'RETURN_EXCEEDS_ISSUED']);
    // 4 PLATE were issued: 5 of them cannot come back even though 10 count as issued to the line.
    expect((await P.as('POST', P.path('/returns'), { warehouseCode: 'MAIN', lines: [{ materialCode: 'PLATE', quantity: '5' }] })).body.code).toBe('RETURN_EXCEEDS_ISSUED');
    // Issuing one substitute piece now fits again (1 returned): 2 HALF are 1 PLATE.
    expect((await P.as('POST', P.path('/issues'), { warehouseCode: 'MAIN', lines: [{ materialCode: 'HALF', quantity: '2' }] })).status).toBe(201);
    expect(await P.component()).toMatchObject({ issuedQuantity: '11', returnedQuantity: '1' });
  });
});
