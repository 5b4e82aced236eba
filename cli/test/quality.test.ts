/**
 * mes quality standards list and mes quality inspections list|show, run as a user would (the real
 * binary in a child process) against a real server with a judged inspection.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createTenant, startTestServer, type TestServer } from '../../server/test/harness.js';
import { killAll, mes, mesJson } from './helpers.js';

let t: TestServer;
let key: string;
let docNo: string;
const asTenant = () => ({ url: t.url, apiKey: key });

beforeAll(async () => {
  t = await startTestServer();
  key = (await createTenant(t, 'cli-quality')).key;
  const make = async (path: string, body: unknown, status = 201) => {
    const res = await call(t.url, key, 'POST', path, body);
    if (res.status !== status) throw new Error(`${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };
  await make('/v1/units', { code: 'PCS', name: 'Pieces', decimals: 0 });
  const shaft = await make('/v1/materials', { code: 'SHAFT', name: 'Shaft', baseUnit: 'PCS', category: 'shafts' });
  await make('/v1/quality-defect-codes', { code: 'DIA-OOT', name: 'Diameter out of tolerance', severity: 'major' });
  const std = await make('/v1/quality-standards', {
    code: 'STD-SHAFT', name: 'Shafts', materialCategory: 'shafts',
    items: [{ code: 'DIA', name: 'Diameter', kind: 'quantitative', lowerLimit: '9.95', upperLimit: '10.05', unit: 'mm', decimals: 2, defectCode: 'DIA-OOT' }],
  });
  const plan = await make('/v1/quality-plans', { code: 'FQC', name: 'Final', inspectionType: 'final', standardId: std.id, sampling: 'fixed', sampleSize: 3 });
  const insp = await make('/v1/quality-inspections', { planId: plan.id, materialId: shaft.id, lotSize: '50' });
  await make(`/v1/quality-inspections/${insp.id}/results`, { results: [1, 2, 3].map((n) => ({ sampleNo: n, itemCode: 'DIA', value: n === 2 ? '10.09' : '10.00' })) }, 200);
  docNo = insp.docNo;
});
afterAll(async () => {
  await killAll();
  await t?.stop();
});

describe('mes quality', () => {
  it('S1-5.4.5-a: standards list shows what a standard applies to and its items; --json gives the standards', async () => {
    const res = await mes(['quality', 'standards', 'list'], asTenant());
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/STD-SHAFT\s+Shafts\s+category shafts\s+active\s+DIA 9\.95\.\.10\.05 mm/);
    const json = await mesJson(['quality', 'standards', 'list'], asTenant());
    expect(json.json.map((s: any) => [s.code, s.items.length])).toEqual([['STD-SHAFT', 1]]);
  });

  it('S1-5.4.5-c: inspections list and show print the judgement, its reason and the failed results', async () => {
    const list = await mes(['quality', 'inspections', 'list', '--status', 'judged'], asTenant());
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(new RegExp(`${docNo}\\s+final\\s+SHAFT\\s+50\\s+3 \\(0/1\\)\\s+judged\\s+defective \\(1 defective\\)`));
    const show = await mes(['quality', 'inspections', 'show', docNo], asTenant());
    expect(show.code).toBe(0);
    expect(show.stdout).toMatch(/judgement: defective by .*: 1 of 3 pieces defective ≥ Re 1/);
    expect(show.stdout).toMatch(/2\s+DIA\s+10\.09\s+DIA-OOT/);
    const json = await mesJson(['quality', 'inspections', 'show', docNo], asTenant());
    expect(json.json).toMatchObject({ docNo, judgement: 'defective', defectives: 1 });
    expect(json.json.results).toHaveLength(3);
    const missing = await mesJson(['quality', 'inspections', 'show', 'QI-NOPE'], asTenant());
    expect([missing.code, missing.json.error.code]).toEqual([1, 'INSPECTION_NOT_FOUND']);
  });
});
