/**
 * Changing an inspection standard's items, over real HTTP (S1-5.4.5-a): items added, changed and
 * removed make the next items version; an inspection started before keeps (and is judged against)
 * the old items, the plan's new inspections take the new ones; the old version stays readable.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './harness.js';
import { productionTenant } from './production-setup.js';
import { budget } from '../../vitest.shared.js';

let t: TestServer;
let P: Awaited<ReturnType<typeof productionTenant>>;
beforeAll(async () => {
  t = await startTestServer();
  P = await productionTenant(t, 'qstdv');
  await P.make('/v1/quality-defect-codes', { code: 'DIA-OOT', name: 'Diameter out of tolerance', severity: 'major' });
  await P.make('/v1/quality-defect-codes', { code: 'SCRATCH', name: 'Scratch', severity: 'minor' });
}, budget(120_000));
afterAll(async () => t?.stop());

const DIA = { code: 'DIA', name: 'Diameter', kind: 'quantitative', nominal: '10.00', lowerLimit: '9.95', upperLimit: '10.05', unit: 'mm', decimals: 2, defectCode: 'DIA-OOT' };
const LOOK = { code: 'LOOK', name: 'Look', kind: 'qualitative', defectCode: 'SCRATCH' };

describe('standard items in versions (S1-5.4.5-a)', () => {
  it('S1-5.4.5-a items changed make a new version; an open inspection is judged against its old items, the plan\'s next inspection takes the new ones', async () => {
    const std = await P.make('/v1/quality-standards', { code: 'STD-FAN', name: 'Fan', materialId: P.m.fan, items: [DIA, LOOK] });
    expect([std.version, std.itemsVersion]).toEqual([1, 1]);
    const plan = await P.make('/v1/quality-plans', { code: 'FQC-FAN', name: 'Final', inspectionType: 'final', standardId: std.id, sampling: 'fixed', sampleSize: 1 });
    const before = await P.make('/v1/quality-inspections', { planId: plan.id, materialId: P.m.fan, lotSize: '10' });
    expect(before.standardItemsVersion).toBe(1);

    // DIA widened to 9.90..10.10, LOOK removed, LEN added.
    const LEN = { code: 'LEN', name: 'Length', kind: 'quantitative', nominal: '50.0', lowerLimit: '49.5', upperLimit: '50.5', unit: 'mm', decimals: 1 };
    const res = await P.as('PUT', `/v1/quality-standards/${std.id}/items`, { version: 1, items: [{ ...DIA, lowerLimit: '9.90', upperLimit: '10.10' }, LEN] });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ version: 2, itemsVersion: 2 });
    expect(res.body.items.map((i: any) => [i.itemNo, i.code, i.lowerLimit, i.upperLimit])).toEqual([[1, 'DIA', '9.90', '10.10'], [2, 'LEN', '49.5', '50.5']]);
    const v1 = (await P.as('GET', `/v1/quality-standards/${std.id}?itemsVersion=1`)).body;
    expect([v1.itemsVersion, v1.items.map((i: any) => [i.code, i.upperLimit])]).toEqual([1, [['DIA', '10.05'], ['LOOK', null]]]);
    expect((await P.as('GET', `/v1/quality-standards/${std.id}?itemsVersion=3`)).status).toBe(404);

    // The open inspection takes the old items: DIA 10.07 is beyond its 10.05; LEN is no item of it.
    const wrong = await P.as('POST', `/v1/quality-inspections/${before.id}/results`, { results: [{ sampleNo: 1, itemCode: 'DIA', value: '10.07' }, { sampleNo: 1, itemCode: 'LEN', value: '50.0' }] });
    expect(wrong.body.errors.map((e: any) => `${e.field}:${e.code}`)).toEqual(['results[1].itemCode:UNKNOWN_ITEM']);
    const old = await P.make(`/v1/quality-inspections/${before.id}/results`, { results: [{ sampleNo: 1, itemCode: 'DIA', value: '10.07' }, { sampleNo: 1, itemCode: 'LOOK', passed: true }] });
    expect([old.judgement, old.results.map((r: any) => [r.itemCode, r.passed])]).toEqual(['defective', [['DIA', false], ['LOOK', true]]]);

    // A new inspection of the plan takes version 2: the same 10.07 is within 9.90..10.10.
    const after = await P.make('/v1/quality-inspections', { planId: plan.id, materialId: P.m.fan, lotSize: '10' });
    expect(after.standardItemsVersion).toBe(2);
    const fresh = await P.make(`/v1/quality-inspections/${after.id}/results`, { results: [{ sampleNo: 1, itemCode: 'DIA', value: '10.07' }, { sampleNo: 1, itemCode: 'LEN', value: '50.2' }] });
    expect(fresh.judgement).toBe('good');
    expect((await P.as('GET', `/v1/quality-inspections/${before.id}`)).body.standardItemsVersion).toBe(1);
  });

  it('S1-5.4.5-a a stale version, a bad item, or dropping an item an active plan inspects are refused and write nothing', async () => {
    const std = await P.make('/v1/quality-standards', { code: 'STD-MOTOR', name: 'Motor', materialId: P.m.motor, items: [DIA, LOOK] });
    await P.make('/v1/quality-plans', { code: 'LOOK-MOTOR', name: 'Look only', inspectionType: 'final', standardId: std.id, sampling: 'full', itemCodes: ['LOOK'] });
    const put = (body: Record<string, unknown>) => P.as('PUT', `/v1/quality-standards/${std.id}/items`, body);
    const stale = await put({ version: 7, items: [DIA] });
    expect([stale.status, stale.body.code]).toEqual([409, 'VERSION_CONFLICT']);
    const inUse = await put({ version: 1, items: [DIA] });
    expect([inUse.status, inUse.body.code, inUse.body.errors.map((e: any) => `${e.field}:${e.code}`)]).toEqual([422, 'STANDARD_INVALID', ['items:ITEM_IN_USE']]);
    const bad = await put({ version: 1, items: [LOOK, LOOK, { ...DIA, lowerLimit: '9.951' }, { ...DIA, code: 'D2', defectCode: 'NOPE' }] });
    expect(bad.body.errors.map((e: any) => `${e.field}:${e.code}`).sort()).toEqual(['items[1].code:DUPLICATE_ITEM', 'items[2].lowerLimit:TOO_MANY_DECIMALS', 'items[3].defectCode:UNKNOWN_DEFECT_CODE']);
    const unchanged = (await P.as('GET', `/v1/quality-standards/${std.id}`)).body;
    expect([unchanged.version, unchanged.itemsVersion, unchanged.items.map((i: any) => i.code)]).toEqual([1, 1, ['DIA', 'LOOK']]);
    expect((await put({ version: 1, items: [LOOK, { ...DIA, name: 'Bore' }] })).body).toMatchObject({ version: 2, itemsVersion: 2 });
    expect((await P.as('PUT', '/v1/quality-standards/00000000-0000-4000-8000-000000000000/items', { version: 1, items: [DIA] })).status).toBe(404);
  });
});
