/**
 * Quality reports through real HTTP (S1-5.4.5-f): defect Pareto, first-pass yield, supplier PPM,
 * and the X̄-R chart with its limits; the Western Electric rules on known series.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { westernElectric } from '../src/modules/quality/reports.js';
import { call, createTenant, startTestServer, type TestServer } from './harness.js';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => t?.stop());

describe('Western Electric rules', () => {
  it('S1-5.4.5-f flags 1 beyond 3σ, 2 of 3 beyond 2σ, 4 of 5 beyond 1σ, 8 in a row on one side', () => {
    expect(westernElectric([0, 3.5, 0], 0, 1)).toEqual([[], [1], []]);
    expect(westernElectric([2.5, 0, 2.2], 0, 1)).toEqual([[], [], [2]]);
    expect(westernElectric([1.5, 1.2, 0, 1.1, 1.3], 0, 1)).toEqual([[], [], [], [], [3]]);
    expect(westernElectric([-0.1, -0.2, -0.3, -0.1, -0.2, -0.1, -0.4, -0.2], 0, 1)[7]).toEqual([4]);
    expect(westernElectric([0.5, -0.5, 0.5, -0.5], 0, 1)).toEqual([[], [], [], []]);
  });
});

describe('quality reports', () => {
  it('S1-5.4.5-f defect Pareto by code and supplier, first-pass yield, supplier PPM and the X̄-R chart over judged inspections', async () => {
    const tenant = await createTenant(t, 'q-reports');
    const api = (method: string, path: string, body?: unknown) => call(t.url, tenant.key, method, path, body);
    const make = async (path: string, body: unknown, status = 201) => {
      const res = await api('POST', path, body);
      if (res.status !== status) throw new Error(`${path}: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body;
    };
    const from = new Date(Date.now() - 60_000).toISOString();
    await make('/v1/units', { code: 'PCS', name: 'Pieces', decimals: 0 });
    const supplier = (await make('/v1/suppliers', { code: 'SUP-1', name: 'Steel Co' })).id;
    const shaft = await make('/v1/materials', { code: 'SHAFT', name: 'Shaft', baseUnit: 'PCS', category: 'shafts' });
    await make('/v1/quality-defect-codes', { code: 'DIA-OOT', name: 'Diameter', severity: 'major' });
    await make('/v1/quality-defect-codes', { code: 'SCRATCH', name: 'Scratch', severity: 'minor' });
    const std = await make('/v1/quality-standards', {
      code: 'STD', name: 'Shafts', materialCategory: 'shafts',
      items: [
        { code: 'DIA', name: 'Diameter', kind: 'quantitative', lowerLimit: '9.95', upperLimit: '10.05', unit: 'mm', decimals: 2, defectCode: 'DIA-OOT' },
        { code: 'SURFACE', name: 'Surface', kind: 'qualitative', defectCode: 'SCRATCH' },
      ],
    });
    const final = await make('/v1/quality-plans', { code: 'FQC', name: 'Final', inspectionType: 'final', standardId: std.id, sampling: 'fixed', sampleSize: 5, acceptNumber: 1 });
    await make('/v1/quality-plans', { code: 'IQC', name: 'Incoming', inspectionType: 'incoming', standardId: std.id, sampling: 'aql', aql: '1.0' });
    const lot = async (values: string[], scratched = 0) => {
      const i = await make('/v1/quality-inspections', { planId: final.id, materialId: shaft.id, lotSize: '100' });
      const results = values.flatMap((v, k) => [{ sampleNo: k + 1, itemCode: 'DIA', value: v }, { sampleNo: k + 1, itemCode: 'SURFACE', passed: k >= scratched }]);
      return make(`/v1/quality-inspections/${i.id}/results`, { results }, 200);
    };
    expect((await lot(['10.00', '10.01', '10.02', '10.00', '9.99'])).judgement).toBe('good');
    expect((await lot(['10.01', '10.01', '10.01', '10.01', '10.01'], 2)).judgement).toBe('defective');
    expect((await lot(['9.98', '10.00', '10.02', '10.04', '10.06'], 1)).judgement).toBe('defective');
    // An incoming lot of 100 (AQL 1.0, II: F points up to E, n = 13, Ac 0): 1 scratched.
    const o = await make('/v1/purchase-orders', { supplierId: supplier, lines: [{ materialId: shaft.id, quantity: '100' }] });
    await make(`/v1/purchase-orders/${o.id}/approve`, { version: o.version }, 200);
    const receipt = await make('/v1/purchase-receipts', { orderId: o.id });
    const [inc] = (await make(`/v1/purchase-receipts/${receipt.id}/quality-inspections`, {})).items;
    expect(inc).toMatchObject({ sampleSize: 13, acceptNumber: 0 });
    await make(`/v1/quality-inspections/${inc.id}/results`, {
      results: Array.from({ length: 13 }, (_, k) => [{ sampleNo: k + 1, itemCode: 'DIA', value: '10.00' }, { sampleNo: k + 1, itemCode: 'SURFACE', passed: k > 0 }]).flat(),
    }, 200);
    const to = new Date(Date.now() + 60_000).toISOString();
    const q = `from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`;

    const byCode = (await api('GET', `/v1/reports/quality-defects?${q}`)).body;
    expect(byCode.total).toBe(5);
    expect(byCode.items.map((r: any) => [r.key, r.count, r.share, r.cumulativeShare])).toEqual([['SCRATCH', 4, 80, 80], ['DIA-OOT', 1, 20, 100]]);
    const bySupplier = (await api('GET', `/v1/reports/quality-defects?${q}&groupBy=supplier`)).body;
    expect(bySupplier.items.map((r: any) => [r.key, r.count])).toEqual([['-', 4], ['SUP-1', 1]]);

    const fpy = (await api('GET', `/v1/reports/quality-yield?${q}`)).body;
    expect(fpy.items.map((r: any) => [r.materialCode, r.inspectionType, r.lots, r.passedFirst, r.firstPassYield])).toEqual([['SHAFT', 'final', 3, 1, 33.33], ['SHAFT', 'incoming', 1, 0, 0]]);

    const ppm = (await api('GET', `/v1/reports/quality-supplier-ppm?${q}`)).body;
    expect(ppm.items.map((r: any) => [r.supplierCode, r.lots, r.sampled, r.defectives, r.samplePpm, r.lotPpm])).toEqual([['SUP-1', 1, 13, 1, 76923, 1_000_000]]);

    const chart = await api('GET', `/v1/reports/quality-control-chart?${q}&planId=${final.id}&itemCode=DIA`);
    expect(chart.status).toBe(200);
    expect(chart.body.subgroupSize).toBe(5);
    expect(chart.body.points.map((p: any) => [p.mean, p.range])).toEqual([[10.004, 0.03], [10.01, 0], [10.02, 0.08]]);
    const grand = (10.004 + 10.01 + 10.02) / 3;
    const rBar = 0.11 / 3;
    expect(chart.body.xBar.centre).toBeCloseTo(grand, 6);
    expect(chart.body.xBar.ucl).toBeCloseTo(grand + 0.577 * rBar, 6);
    expect(chart.body.xBar.lcl).toBeCloseTo(grand - 0.577 * rBar, 6);
    expect(chart.body.range).toMatchObject({ lcl: 0 });
    expect(chart.body.range.ucl).toBeCloseTo(2.114 * rBar, 6);
    const unfit = await api('GET', `/v1/reports/quality-control-chart?${q}&planId=${final.id}&itemCode=SURFACE`);
    expect([unfit.status, unfit.body.code]).toEqual([422, 'CHART_NOT_POSSIBLE']);
  });
});
