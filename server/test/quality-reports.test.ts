/**
 * Quality reports through real HTTP (S1-5.4.5-f): defect Pareto (by code, supplier, operation and
 * line), first-pass yield, supplier PPM, inspection lead time, and the X̄-R chart with its limits;
 * the Western Electric rules on known series.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { westernElectric } from '../src/modules/quality/reports.js';
import { call, createTenant, startTestServer, type TestServer } from './harness.js';
import { productionTenant } from './production-setup.js';

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

  it('S1-5.4.5-f defect Pareto by operation and by line, and inspection lead time p50/p95 per inspection type and per supplier', async () => {
    const T = await productionTenant(t, 'q-shop-floor');
    const shaft = await T.make('/v1/materials', { code: 'SHAFT', name: 'Shaft', baseUnit: 'PCS', category: 'shafts' });
    await T.make('/v1/materials', { code: 'BAR', name: 'Bar', baseUnit: 'PCS' });
    await T.make('/v1/quality-defect-codes', { code: 'DIA-OOT', name: 'Diameter', severity: 'major' });
    await T.make('/v1/quality-defect-codes', { code: 'SCRATCH', name: 'Scratch', severity: 'minor' });
    const std = await T.make('/v1/quality-standards', {
      code: 'STD', name: 'Shafts', materialCategory: 'shafts',
      items: [
        { code: 'DIA', name: 'Diameter', kind: 'quantitative', lowerLimit: '9.95', upperLimit: '10.05', unit: 'mm', decimals: 2, defectCode: 'DIA-OOT' },
        { code: 'SURFACE', name: 'Surface', kind: 'qualitative', defectCode: 'SCRATCH' },
      ],
    });
    const plan = async (code: string, inspectionType: string) => T.make('/v1/quality-plans', { code, name: code, inspectionType, standardId: std.id, sampling: 'fixed', sampleSize: 5, acceptNumber: 1 });
    const turnPlan = await plan('IPQC-T', 'in_process');
    const grindPlan = await plan('IPQC-G', 'in_process');
    const finalPlan = await plan('FQC', 'final');
    await T.make('/v1/quality-plans', { code: 'IQC', name: 'Incoming', inspectionType: 'incoming', standardId: std.id, sampling: 'aql', aql: '1.0' });
    // Turning on WC-PRESS (no line), grinding on WC-ASSY (line L1); each an inspection point naming its plan.
    const rt = await T.make('/v1/routings', {
      code: 'RT-SHAFT', name: 'Shaft', effectiveFrom: '2026-01-01', operations: [
        { seq: 10, name: 'Turn', workCentreCode: 'WC-PRESS', runMinutes: '1', inspectionPoint: true, inspectionRef: 'IPQC-T' },
        { seq: 20, name: 'Grind', workCentreCode: 'WC-ASSY', runMinutes: '1', inspectionPoint: true, inspectionRef: 'IPQC-G' },
      ],
    });
    await T.make(`/v1/routings/${rt.id}/release`, { version: rt.version });
    await T.as('PATCH', `/v1/materials/${shaft.id}`, { version: shaft.version, defaultRouting: 'RT-SHAFT' });
    const bom = await T.make('/v1/boms', { materialCode: 'SHAFT', type: 'manufacturing', effectiveFrom: '2026-01-01', lines: [{ materialCode: 'BAR', quantity: '1' }] });
    await T.make(`/v1/boms/${bom.id}/release`, { version: bom.version });
    const order = async (body: Record<string, unknown>) => {
      const o = await T.make('/v1/production-orders', { materialCode: 'SHAFT', quantity: '10', plannedStart: '2026-03-02', plannedFinish: '2026-03-06', ...body });
      return T.make(`/v1/production-orders/${o.id}/release`, { version: o.version });
    };
    const onLine = await order({ workshopCode: 'WS-ASSY', lineCode: 'L1' });
    const noLine = await order({ workshopCode: 'WS-ASSY' });

    // Each lot: 5 pieces, `scratched` of them scratched, `oversize` of them (the last ones) outside the diameter limits.
    const lot = async (planId: string, productionOrderId: string | undefined, scratched: number, oversize = 0) => {
      const i = await T.make('/v1/quality-inspections', { planId, lotSize: '10', ...(productionOrderId ? { productionOrderId } : { materialId: shaft.id }) });
      const results = [0, 1, 2, 3, 4].flatMap((k) => [{ sampleNo: k + 1, itemCode: 'DIA', value: k >= 5 - oversize ? '10.09' : '10.00' }, { sampleNo: k + 1, itemCode: 'SURFACE', passed: k >= scratched }]);
      return T.make(`/v1/quality-inspections/${i.id}/results`, { results });
    };
    const lots = [
      await lot(turnPlan.id, onLine.id, 3), //      RT-SHAFT/10, L1 (the order's line)
      await lot(grindPlan.id, onLine.id, 0, 2), //  RT-SHAFT/20, L1
      await lot(turnPlan.id, noLine.id, 2), //      RT-SHAFT/10, no line (neither the order nor WC-PRESS has one)
      await lot(grindPlan.id, noLine.id, 1, 1), //  RT-SHAFT/20, L1 (WC-ASSY's line)
      await lot(finalPlan.id, noLine.id, 1), //     no operation names FQC, no line
      await lot(finalPlan.id, undefined, 3), //     by hand: no order
    ];
    // Two incoming lots of SUP-1, every piece good (no defects).
    const supplier = await T.make('/v1/suppliers', { code: 'SUP-1', name: 'Steel Co' });
    for (let k = 0; k < 2; k++) {
      const o = await T.make('/v1/purchase-orders', { supplierId: supplier.id, lines: [{ materialId: shaft.id, quantity: '100' }] });
      await T.make(`/v1/purchase-orders/${o.id}/approve`, { version: o.version });
      const receipt = await T.make('/v1/purchase-receipts', { orderId: o.id });
      const [inc] = (await T.make(`/v1/purchase-receipts/${receipt.id}/quality-inspections`, {})).items;
      lots.push(await T.make(`/v1/quality-inspections/${inc.id}/results`, {
        results: Array.from({ length: inc.sampleSize }, (_, n) => [{ sampleNo: n + 1, itemCode: 'DIA', value: '10.00' }, { sampleNo: n + 1, itemCode: 'SURFACE', passed: true }]).flat(),
      }));
    }
    expect(lots.map((l) => l.defectives)).toEqual([3, 2, 2, 2, 1, 3, 0, 0]);
    // Known lead times: judged on 2026-06-01 from 10:00, created 30 min … 1 day before.
    const minutes = [30, 60, 90, 120, 240, 480, 720, 1440];
    await t.server.built.ctx.db.asOwner(async (sql) => {
      for (const [k, l] of lots.entries()) {
        await sql.query(`UPDATE quality_inspections SET judged_at = $2::timestamptz, created_at = $2::timestamptz - make_interval(mins => $3) WHERE id = $1`, [l.id, new Date(Date.UTC(2026, 5, 1, 10, k)).toISOString(), minutes[k]]);
      }
    });
    const q = 'from=2026-06-01T00:00:00.000Z&to=2026-06-02T00:00:00.000Z';
    const pareto = async (groupBy: string) => {
      const res = await T.as('GET', `/v1/reports/quality-defects?${q}&groupBy=${groupBy}`);
      expect(res.status).toBe(200);
      expect([res.body.groupBy, res.body.total]).toEqual([groupBy, 13]);
      return res.body.items.map((r: any) => [r.key, r.name, r.count, r.share, r.cumulativeShare]);
    };
    expect(await pareto('operation')).toEqual([['RT-SHAFT/10', 'Turn', 5, 38.46, 38.46], ['-', 'no operation', 4, 30.77, 69.23], ['RT-SHAFT/20', 'Grind', 4, 30.77, 100]]);
    expect(await pareto('line')).toEqual([['L1', 'Line 1', 7, 53.85, 53.85], ['-', 'no line', 6, 46.15, 100]]);
    expect(await pareto('code')).toEqual([['SCRATCH', 'Scratch', 10, 76.92, 76.92], ['DIA-OOT', 'Diameter', 3, 23.08, 100]]);
    const bad = await T.as('GET', `/v1/reports/quality-defects?${q}&groupBy=shift`);
    expect([bad.status, bad.body.code]).toEqual([400, 'VALIDATION_FAILED']);

    const lead = await T.as('GET', `/v1/reports/quality-lead-times?${q}`);
    expect(lead.status).toBe(200);
    const rows = (xs: any[]) => xs.map((r) => [r.key, r.lots, r.p50Minutes, r.p95Minutes, r.meanMinutes, r.maxMinutes]);
    // Continuous percentiles: in-process 30/60/90/120 → p50 75, p95 90 + 0.85 × 30; final 240/480 → 360, 240 + 0.95 × 240.
    expect(rows(lead.body.byInspectionType)).toEqual([['final', 2, 360, 468, 360, 480], ['in_process', 4, 75, 115.5, 75, 120], ['incoming', 2, 1080, 1404, 1080, 1440]]);
    expect(rows(lead.body.bySupplier)).toEqual([['-', 6, 105, 420, 170, 480], ['SUP-1', 2, 1080, 1404, 1080, 1440]]);
    expect(lead.body.bySupplier[1].name).toBe('Steel Co');
    const none = await T.as('GET', '/v1/reports/quality-lead-times?from=2026-07-01T00:00:00.000Z&to=2026-07-02T00:00:00.000Z');
    expect(none.body).toEqual({ from: '2026-07-01T00:00:00.000Z', to: '2026-07-02T00:00:00.000Z', byInspectionType: [], bySupplier: [] });
  });
});
