/**
 * Drawing revision requests from a defect, over real HTTP (S1-5.4.5-e): an inspection that found a
 * defect asks for a revision of the process drawing linked to what it inspected (product, plan or
 * operation); the request moves requested → accepted → done (once a newer revision is uploaded) or
 * rejected with a note, and is listed per drawing. Bad input has its codes and writes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './harness.js';
import { productionTenant } from './production-setup.js';
import { budget } from '../../vitest.shared.js';

let t: TestServer;
let P: Awaited<ReturnType<typeof productionTenant>>;
let inspection: any;
let drawing: any;
let other: any;
const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');

beforeAll(async () => {
  t = await startTestServer();
  P = await productionTenant(t, 'qdraw');
  await P.make('/v1/quality-defect-codes', { code: 'BURR', name: 'Burr', severity: 'major' });
  const std = await P.make('/v1/quality-standards', { code: 'STD-FAN', name: 'Fan', materialId: P.m.fan, items: [{ code: 'EDGE', name: 'Edge', kind: 'qualitative', defectCode: 'BURR' }] });
  const plan = await P.make('/v1/quality-plans', { code: 'FQC-FAN', name: 'Final', inspectionType: 'final', standardId: std.id, sampling: 'fixed', sampleSize: 2 });
  const i = await P.make('/v1/quality-inspections', { planId: plan.id, materialId: P.m.fan, lotSize: '20' });
  inspection = await P.make(`/v1/quality-inspections/${i.id}/results`, { results: [{ sampleNo: 1, itemCode: 'EDGE', passed: false }, { sampleNo: 2, itemCode: 'EDGE', passed: true }] });
  drawing = await P.make('/v1/drawings', { code: 'DWG-FAN', name: 'Fan blade', kind: 'product', materialId: P.m.fan });
  other = await P.make('/v1/drawings', { code: 'DWG-MOTOR', name: 'Motor', kind: 'product', materialId: P.m.motor });
}, budget(120_000));
afterAll(async () => t?.stop());

const ask = (body: Record<string, unknown>) => P.as('POST', `/v1/quality-inspections/${inspection.id}/drawing-revision-requests`, body);
const upload = (id: string) => fetch(`${t.url}/v1/drawings/${id}/revisions`, { method: 'POST', headers: { authorization: `Bearer ${P.key}`, 'content-type': 'image/png' }, body: PNG });

describe('drawing revision requests from a defect (S1-5.4.5-e)', () => {
  it('S1-5.4.5-e a defect the inspection found asks for a revision of the product\'s drawing; accepted, then done once a newer revision is uploaded; listed per drawing', async () => {
    expect(inspection).toMatchObject({ judgement: 'defective', defectives: 1 });
    const res = await ask({ drawingId: drawing.id, defectCode: 'BURR', reason: 'deburr the blade edge: add a 0.2 mm chamfer' });
    expect(res.status).toBe(201);
    const r = res.body;
    expect(r).toMatchObject({
      drawingId: drawing.id, drawingCode: 'DWG-FAN', inspectionId: inspection.id, defectCode: 'BURR', state: 'requested', revisionAtRequest: 0, doneRevision: null,
      reason: 'deburr the blade edge: add a 0.2 mm chamfer', decidedBy: null, version: 1,
    });
    const decide = (body: Record<string, unknown>) => P.as('PATCH', `/v1/drawing-revision-requests/${r.id}`, body);
    expect((await decide({ version: 1, state: 'done' })).body.code).toBe('STATE_TRANSITION_INVALID');
    const accepted = await decide({ version: 1, state: 'accepted', note: 'engineering will revise' });
    expect(accepted.body).toMatchObject({ state: 'accepted', decisionNote: 'engineering will revise', version: 2 });
    expect(accepted.body.decidedBy).toBeTruthy();
    expect((await decide({ version: 1, state: 'done' })).body.code).toBe('VERSION_CONFLICT');
    // Done needs the revised drawing.
    const early = await decide({ version: 2, state: 'done' });
    expect([early.status, early.body.code]).toEqual([409, 'NO_NEW_REVISION']);
    expect((await upload(drawing.id)).status).toBe(201);
    const done = await decide({ version: 2, state: 'done' });
    expect(done.body).toMatchObject({ state: 'done', doneRevision: 1, version: 3 });

    const list = (await P.as('GET', `/v1/drawings/${drawing.id}/revision-requests`)).body.items;
    expect(list.map((x: any) => [x.id, x.state, x.defectCode, x.inspectionId])).toEqual([[r.id, 'done', 'BURR', inspection.id]]);
    expect((await P.as('GET', `/v1/drawings/${other.id}/revision-requests`)).body.items).toEqual([]);
    expect((await P.as('GET', `/v1/drawing-revision-requests/${r.id}`)).body.state).toBe('done');
  });

  it('S1-5.4.5-e a defect not found, a drawing not linked to what was inspected, or a rejection without a note are refused, nothing written', async () => {
    const codes = async (body: Record<string, unknown>) => {
      const res = await ask(body);
      return [res.status, res.body.code, res.body.errors?.map((e: any) => `${e.field}:${e.code}`)];
    };
    expect(await codes({ drawingId: drawing.id, defectCode: 'CRACK', reason: 'x' })).toEqual([422, 'REVISION_REQUEST_INVALID', ['defectCode:DEFECT_NOT_FOUND']]);
    expect(await codes({ drawingId: other.id, defectCode: 'BURR', reason: 'x' })).toEqual([422, 'REVISION_REQUEST_INVALID', ['drawingId:DRAWING_NOT_LINKED']]);
    expect(await codes({ drawingId: '00000000-0000-4000-8000-000000000000', defectCode: 'BURR', reason: 'x' })).toEqual([422, 'REVISION_REQUEST_INVALID', ['drawingId:UNKNOWN_DRAWING']]);
    expect((await P.as('GET', `/v1/drawings/${other.id}/revision-requests`)).body.items).toEqual([]);
    expect((await P.as('POST', '/v1/quality-inspections/00000000-0000-4000-8000-000000000000/drawing-revision-requests', { drawingId: drawing.id, defectCode: 'BURR', reason: 'x' })).status).toBe(404);

    const r = (await ask({ drawingId: drawing.id, defectCode: 'BURR', reason: 'second opinion' })).body;
    const bare = await P.as('PATCH', `/v1/drawing-revision-requests/${r.id}`, { version: 1, state: 'rejected' });
    expect([bare.status, bare.body.errors?.[0]?.field, bare.body.errors?.[0]?.code]).toEqual([422, 'note', 'REQUIRED']);
    const rejected = await P.as('PATCH', `/v1/drawing-revision-requests/${r.id}`, { version: 1, state: 'rejected', note: 'the chamfer is already specified' });
    expect(rejected.body).toMatchObject({ state: 'rejected', decisionNote: 'the chamfer is already specified', doneRevision: null });
    expect((await P.as('GET', `/v1/drawings/${drawing.id}/revision-requests`)).body.items.map((x: any) => x.state)).toEqual(['done', 'rejected']);
  });
});
