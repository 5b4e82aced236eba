/**
 * Engineering data over real HTTP (S1-5.4.4-a..d): material production parameters, routings,
 * BOMs of the four types with revisions, exact unit usage, multi-level explosion and where-used,
 * cycles refused with their path, immutability of released revisions, and process drawings
 * (sniffed, hashed, size-limited, audited downloads).
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, startTestServer, type TestServer } from './harness.js';
import { fanBoms, fieldsOf, productionTenant } from './production-setup.js';

let t: TestServer;
let T: Awaited<ReturnType<typeof productionTenant>>;
let boms: Awaited<ReturnType<typeof fanBoms>>;
const DRAWING_LIMIT = 4096;

beforeAll(async () => {
  t = await startTestServer({ drawingMaxBytes: DRAWING_LIMIT });
  T = await productionTenant(t, 'engineering');
  boms = await fanBoms(T);
});
afterAll(async () => {
  await t?.stop();
});

const routingBody = (code: string, extra: Record<string, unknown> = {}) => ({
  code, name: 'Fan assembly', effectiveFrom: '2026-01-01',
  operations: [
    { seq: 20, name: 'Motor assembly', workCentreCode: 'WC-ASSY', runMinutes: '2.25', alternates: [{ workCentreCode: 'WC-ASSY2', runMinutes: '3' }] },
    { seq: 10, name: 'Press housing', workCentreCode: 'WC-PRESS', setupMinutes: '15', runMinutes: '0.5', queueMinutes: '30', moveMinutes: '5' },
    { seq: 30, name: 'Final assembly', workCentreCode: 'WC-ASSY', runMinutes: '4', inspectionPoint: true, inspectionText: 'balance G6.3, noise at most 45 dB', inspectionRef: 'IP-FAN' },
  ],
  ...extra,
});

describe('material production parameters (S1-5.4.4-a)', () => {
  it('S1-5.4.4-a: issue type (manual, backflush by operation, on receipt), kitting, production unit and a default routing that exists', async () => {
    const wire = (await T.as('GET', `/v1/materials/${T.m.wire}`)).body;
    expect(wire.production).toEqual({ issueType: 'backflush_operation', includeInKitting: true, productionUnit: 'G', defaultRouting: null });
    expect((await T.as('GET', `/v1/materials/${T.m.screw}`)).body.production).toMatchObject({ issueType: 'backflush_receipt', includeInKitting: false });

    const unknown = await T.as('POST', '/v1/materials', { code: 'FAN-X', name: 'X', baseUnit: 'PCS', defaultRouting: 'RT-NONE' });
    expect(unknown.status).toBe(422);
    expect(fieldsOf(unknown.body)).toEqual(['defaultRouting:UNKNOWN_ROUTING']);
    const old = await T.as('POST', '/v1/materials', { code: 'FAN-X', name: 'X', baseUnit: 'PCS', issueType: 'backflush' });
    expect(old.status).toBe(400);
    expect(fieldsOf(old.body)).toEqual(['issueType:NOT_ALLOWED']);

    await T.make('/v1/routings', routingBody('RT-PARAM'));
    const fan = (await T.as('GET', `/v1/materials/${T.m.fan}`)).body;
    const refused = await T.as('PATCH', `/v1/materials/${T.m.fan}`, { version: fan.version, defaultRouting: 'RT-NONE' });
    expect(refused.status).toBe(422);
    const ok = await T.as('PATCH', `/v1/materials/${T.m.fan}`, { version: fan.version, defaultRouting: 'RT-PARAM', issueType: 'manual', includeInKitting: false });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ version: fan.version + 1, production: { issueType: 'manual', includeInKitting: false, productionUnit: 'PCS', defaultRouting: 'RT-PARAM' } });
  });
});

describe('routings (S1-5.4.4-c)', () => {
  it('S1-5.4.4-c: operations in sequence with work centre, standard times, queue/move, inspection data and alternates', async () => {
    const r = await T.make('/v1/routings', routingBody('RT-FAN'));
    expect(r).toMatchObject({ code: 'RT-FAN', name: 'Fan assembly', revision: 1, status: 'draft', effectiveFrom: '2026-01-01', effectiveTo: null });
    expect(r.operations.map((o: any) => [o.seq, o.workCentreCode, o.setupMinutes, o.runMinutes, o.queueMinutes, o.moveMinutes, o.inspectionPoint])).toEqual([
      [10, 'WC-PRESS', '15', '0.5', '30', '5', false],
      [20, 'WC-ASSY', '0', '2.25', '0', '0', false],
      [30, 'WC-ASSY', '0', '4', '0', '0', true],
    ]);
    expect(r.operations[2]).toMatchObject({ inspectionText: 'balance G6.3, noise at most 45 dB', inspectionRef: 'IP-FAN', workshopId: T.workshop.id });
    expect(r.operations[1].alternates).toEqual([{ priority: 1, workCentreId: T.wc.assy2.id, workCentreCode: 'WC-ASSY2', setupMinutes: null, runMinutes: '3' }]);
    const released = await T.as('POST', `/v1/routings/${r.id}/release`, { version: r.version });
    expect(released.body).toMatchObject({ status: 'released', releasedBy: expect.any(String) });
    const list = (await T.as('GET', '/v1/routings?code=RT-FAN')).body.items;
    expect(list.map((x: any) => [x.revision, x.status, x.operationCount])).toEqual([[1, 'released', 3]]);
  });

  it('S1-5.4.4-c: bad operations are refused with every field at once, and nothing is saved', async () => {
    const bad = await T.as('POST', '/v1/routings', {
      code: 'RT-BAD', name: 'Bad',
      operations: [
        { seq: 10, name: 'A', workCentreCode: 'WC-NONE', runMinutes: '1' },
        { seq: 10, name: 'B', workCentreCode: 'WC-ASSY', runMinutes: '1', inspectionPoint: true, alternates: [{ workCentreCode: 'WC-ASSY' }] },
      ],
    });
    expect(bad.status).toBe(422);
    expect(bad.body.code).toBe('ROUTING_INVALID');
    expect(fieldsOf(bad.body)).toEqual([
      'operations[0].workCentreCode:UNKNOWN_WORK_CENTRE', 'operations[1].alternates[0].workCentreId:DUPLICATE_ALTERNATE', 'operations[1].inspectionText:INSPECTION_UNDEFINED',
      'operations[1].seq:DUPLICATE_SEQ',
    ]);
    expect((await T.as('GET', '/v1/routings?code=RT-BAD')).body.items).toEqual([]);
    const negative = await T.as('POST', '/v1/routings', { code: 'RT-BAD', name: 'Bad', operations: [{ seq: 10, name: 'A', workCentreCode: 'WC-ASSY', runMinutes: '-1' }] });
    expect(negative.status).toBe(400);
  });

  it('S1-5.4.4-c: a released revision is immutable; a newer one supersedes it from its effective date', async () => {
    const r1 = (await T.as('GET', '/v1/routings?code=RT-FAN')).body.items[0];
    const patch = await T.as('PATCH', `/v1/routings/${r1.id}`, { version: r1.version, remark: 'x' });
    expect(patch.status).toBe(409);
    expect(patch.body).toMatchObject({ code: 'RELEASED_IMMUTABLE', documentStatus: 'released' });
    const early = await T.make('/v1/routings', routingBody('RT-FAN', { effectiveFrom: '2026-01-01', name: undefined }));
    expect(early).toMatchObject({ revision: 2, status: 'draft' });
    const second = await T.as('POST', '/v1/routings', routingBody('RT-FAN'));
    expect(second.status).toBe(409);
    expect(second.body).toMatchObject({ code: 'DRAFT_EXISTS', draftId: early.id, draftRevision: 2 });
    const overlap = await T.as('POST', `/v1/routings/${early.id}/release`, { version: early.version });
    expect(overlap.status).toBe(422);
    expect(overlap.body.code).toBe('EFFECTIVITY_OVERLAP');
    const moved = (await T.as('PATCH', `/v1/routings/${early.id}`, { version: early.version, effectiveFrom: '2026-09-01' })).body;
    expect((await T.as('POST', `/v1/routings/${early.id}/release`, { version: moved.version })).status).toBe(200);
    const old = (await T.as('GET', `/v1/routings/${r1.id}`)).body;
    expect(old).toMatchObject({ status: 'obsolete', effectiveTo: '2026-09-01', obsoletedAt: expect.any(String) });
  });
});

describe('BOMs (S1-5.4.4-b)', () => {
  it('S1-5.4.4-b: the four types; usage in any unit of the component, converted exactly to its base unit', async () => {
    for (const type of ['engineering', 'process', 'sales']) {
      const b = await T.make('/v1/boms', { materialCode: 'FAN-A', type, lines: [{ materialCode: 'MOTOR-1', quantity: '1' }] });
      expect(b).toMatchObject({ type, revision: 1, status: 'draft', materialCode: 'FAN-A' });
    }
    const stator = (await T.as('GET', `/v1/boms/${boms.stator.id}`)).body;
    expect(stator.lines.map((l: any) => [l.lineNo, l.componentCode, l.quantity, l.unit, l.baseQuantity, l.baseUnit, l.scrapRate])).toEqual([
      [10, 'WIRE', '250', 'G', '0.25', 'KG', '2'],
      [20, 'LAMINATION', '24', 'PCS', '24', 'PCS', '0'],
    ]);
    const types = (await T.as('GET', `/v1/boms?materialId=${T.m.fan}`)).body.items.map((b: any) => b.type).sort();
    expect(types).toEqual(['engineering', 'manufacturing', 'process', 'sales']);
  });

  it('S1-5.4.4-b: an inexact or impossible unit is refused with its code and nothing is saved', async () => {
    const before = (await T.as('GET', `/v1/boms?materialId=${T.m.blade}`)).body.items.length;
    const inexact = await T.as('POST', '/v1/boms', { materialCode: 'BLADE', type: 'manufacturing', lines: [{ materialCode: 'WIRE', quantity: '0.5', unit: 'G' }] });
    expect(inexact.status).toBe(422);
    expect(inexact.body.code).toBe('INEXACT_CONVERSION');
    expect(fieldsOf(inexact.body)).toEqual(['lines[0].quantity:INEXACT_CONVERSION']);
    const impossible = await T.as('POST', '/v1/boms', { materialCode: 'BLADE', type: 'manufacturing', lines: [{ materialCode: 'WIRE', quantity: '1', unit: 'PCS' }] });
    expect(impossible.body.code).toBe('UNIT_NOT_CONVERTIBLE');
    const both = await T.as('POST', '/v1/boms', {
      materialCode: 'BLADE', type: 'manufacturing', effectiveFrom: '2026-05-01', effectiveTo: '2026-04-01',
      lines: [{ materialCode: 'WIRE', quantity: '0.5', unit: 'G' }, { materialCode: 'NOPE', quantity: '1' }, { materialCode: 'STEEL', quantity: '0' }],
    });
    expect(both.body.code).toBe('BOM_INVALID');
    expect(fieldsOf(both.body)).toEqual(['effectiveTo:NOT_AFTER_FROM', 'lines[0].quantity:INEXACT_CONVERSION', 'lines[1].materialCode:UNKNOWN_MATERIAL', 'lines[2].quantity:NOT_POSITIVE']);
    expect((await T.as('GET', `/v1/boms?materialId=${T.m.blade}`)).body.items.length).toBe(before);
  });

  it('S1-5.4.4-b: multi-level explosion: four levels, phantom blown through, scrap applied, exact quantities, totals', async () => {
    const res = await T.as('GET', `/v1/materials/${T.m.fan}/bom-explosion?quantity=7&date=2026-03-01`);
    expect(res.status).toBe(200);
    const e = res.body;
    expect(e).toMatchObject({ materialCode: 'FAN-A', type: 'manufacturing', date: '2026-03-01', quantity: '7', truncated: false, bom: { id: boms.fan.id, revision: 1 } });
    expect(e.items.map((i: any) => [i.level, i.path.join('>'), i.materialCode, i.perUnit, i.quantity, i.roundedQuantity, i.operationSeq, i.viaPhantoms.join(','), i.made])).toEqual([
      [1, 'FAN-A>MOTOR-1', 'MOTOR-1', '1', '7', '7', 20, '', true],
      [2, 'FAN-A>MOTOR-1>STATOR', 'STATOR', '1', '7', '7', null, '', true],
      [3, 'FAN-A>MOTOR-1>STATOR>WIRE', 'WIRE', '0.255', '1.785', '1.785', null, '', false],
      [3, 'FAN-A>MOTOR-1>STATOR>LAMINATION', 'LAMINATION', '24', '168', '168', null, '', true],
      [4, 'FAN-A>MOTOR-1>STATOR>LAMINATION>STEEL', 'STEEL', '0.84', '5.88', '5.88', null, '', false],
      [1, 'FAN-A>KIT-HW>SCREW', 'SCREW', '4', '28', '28', 30, 'KIT-HW', false],
      [1, 'FAN-A>KIT-HW>WASHER', 'WASHER', '4', '28', '28', 30, 'KIT-HW', false],
      [1, 'FAN-A>BLADE', 'BLADE', '3.15', '22.05', '23', 30, '', false],
    ]);
    expect(e.items.find((i: any) => i.materialCode === 'BLADE').alternates).toEqual([{ priority: 1, materialId: T.m.bladeB, materialCode: 'BLADE-B', perUnit: '3.15' }]);
    expect(e.items.find((i: any) => i.materialCode === 'WIRE')).toMatchObject({ issueType: 'backflush_operation', usage: '0.25', scrapRate: '2', parentCode: 'STATOR' });
    expect(e.totals.find((x: any) => x.materialCode === 'STEEL')).toEqual({ materialId: T.m.steel, materialCode: 'STEEL', baseUnit: 'KG', quantity: '5.88', roundedQuantity: '5.88', made: false });
    const shallow = (await T.as('GET', `/v1/materials/${T.m.fan}/bom-explosion?date=2026-03-01&maxDepth=2`)).body;
    expect(shallow.truncated).toBe(true);
    expect(Math.max(...shallow.items.map((i: any) => i.level))).toBe(2);
    const none = (await T.as('GET', `/v1/materials/${T.m.blade}/bom-explosion`)).body;
    expect(none).toMatchObject({ bom: null, items: [], totals: [] });
    const inexact = await T.as('GET', `/v1/materials/${T.m.fan}/bom-explosion?quantity=0.5`);
    expect(inexact.status).toBe(422);
    expect(inexact.body.errors[0]).toMatchObject({ in: 'query', field: 'quantity', code: 'FRACTION_NOT_ALLOWED' });
  });

  it('S1-5.4.4-b: where-used walks every level up, with the usage per parent', async () => {
    const w = (await T.as('GET', `/v1/materials/${T.m.steel}/where-used?date=2026-03-01`)).body;
    expect(w.items.map((i: any) => [i.level, i.materialCode, i.path.join('>'), i.perUnit])).toEqual([
      [1, 'LAMINATION', 'STEEL>LAMINATION', '0.035'],
      [2, 'STATOR', 'STEEL>LAMINATION>STATOR', '0.84'],
      [3, 'MOTOR-1', 'STEEL>LAMINATION>STATOR>MOTOR-1', '0.84'],
      [4, 'FAN-A', 'STEEL>LAMINATION>STATOR>MOTOR-1>FAN-A', '0.84'],
    ]);
    const screws = (await T.as('GET', `/v1/materials/${T.m.screw}/where-used?date=2026-03-01`)).body.items;
    expect(screws.map((i: any) => [i.materialCode, i.phantom])).toEqual([['KIT-HW', false], ['FAN-A', true]]);
  });

  it('S1-5.4.4-b: a cycle is refused where it would be created, naming the path (BOM_CYCLE)', async () => {
    const cycle = await T.as('POST', '/v1/boms', { materialCode: 'MOTOR-1', type: 'manufacturing', effectiveFrom: '2026-02-01', lines: [{ materialCode: 'FAN-A', quantity: '1' }] });
    expect(cycle.status).toBe(422);
    expect(cycle.body).toMatchObject({ code: 'BOM_CYCLE', cycle: ['MOTOR-1', 'FAN-A', 'MOTOR-1'] });
    expect(cycle.body.detail).toContain('MOTOR-1 → FAN-A → MOTOR-1');
    expect(fieldsOf(cycle.body)).toEqual(['lines[0].materialId:BOM_CYCLE']);
    const deep = await T.as('POST', '/v1/boms', { materialCode: 'STEEL', type: 'manufacturing', lines: [{ materialCode: 'BLADE', quantity: '1', alternates: [{ materialCode: 'FAN-A', quantity: '1' }] }] });
    expect(deep.body).toMatchObject({ code: 'BOM_CYCLE', cycle: ['STEEL', 'FAN-A', 'MOTOR-1', 'STATOR', 'LAMINATION', 'STEEL'] });
    expect(fieldsOf(deep.body)).toEqual(['lines[0].alternates[0].materialId:BOM_CYCLE']);
    const self = await T.as('POST', '/v1/boms', { materialCode: 'BLADE', type: 'manufacturing', lines: [{ materialCode: 'BLADE', quantity: '1' }] });
    expect(self.body).toMatchObject({ code: 'BOM_CYCLE', cycle: ['BLADE', 'BLADE'] });
    // Each type is its own structure: an engineering BOM of STEEL may hold FAN-A (FAN-A's engineering BOM does not reach STEEL).
    expect((await T.as('POST', '/v1/boms', { materialCode: 'STEEL', type: 'engineering', lines: [{ materialCode: 'FAN-A', quantity: '1' }] })).status).toBe(201);
    expect((await T.as('GET', `/v1/boms?materialId=${T.m.motor}&type=manufacturing`)).body.items.length).toBe(1);
  });

  it('S1-5.4.4-b: a released revision is immutable; a newer release supersedes it from its effective date, and explosions follow the date', async () => {
    const fan = (await T.as('GET', `/v1/boms/${boms.fan.id}`)).body;
    const patch = await T.as('PATCH', `/v1/boms/${fan.id}`, { version: fan.version, lines: [] });
    expect(patch.status).toBe(409);
    expect(patch.body).toMatchObject({ code: 'RELEASED_IMMUTABLE', documentStatus: 'released' });
    const draft = await T.make('/v1/boms', { materialCode: 'FAN-A', type: 'manufacturing', effectiveFrom: '2026-06-01', lines: [] });
    const empty = await T.as('POST', `/v1/boms/${draft.id}/release`, { version: draft.version });
    expect(empty.body.code).toBe('BOM_EMPTY');
    const stale = await T.as('PATCH', `/v1/boms/${draft.id}`, { version: draft.version + 5, lines: [] });
    expect(stale.body).toMatchObject({ code: 'VERSION_CONFLICT', currentVersion: draft.version });
    const filled = (await T.as('PATCH', `/v1/boms/${draft.id}`, { version: draft.version, lines: [{ materialCode: 'MOTOR-1', quantity: '1' }, { materialCode: 'BLADE', quantity: '5' }] })).body;
    expect(filled).toMatchObject({ revision: 2, version: draft.version + 1 });
    expect((await T.as('POST', `/v1/boms/${draft.id}/release`, { version: filled.version })).body.status).toBe('released');
    expect((await T.as('GET', `/v1/boms/${fan.id}`)).body).toMatchObject({ status: 'obsolete', effectiveTo: '2026-06-01' });
    const blades = async (date: string) => (await T.as('GET', `/v1/materials/${T.m.fan}/bom-explosion?date=${date}`)).body.items.filter((i: any) => i.materialCode === 'BLADE').map((i: any) => i.quantity);
    expect(await blades('2026-05-31')).toEqual(['3.15']);
    expect(await blades('2026-06-01')).toEqual(['5']);
    const events = (await T.as('GET', `/v1/events?aggregateId=${draft.id}`)).body.items.map((x: any) => x.type);
    expect(events).toEqual(['bom.created', 'bom.released']);
  });
});

const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');
const PDF = Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n');
const SVG = Buffer.from('<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>');
const DXF = Buffer.from('  0\nSECTION\n  2\nHEADER\n  0\nENDSEC\n  0\nEOF\n');

describe('process drawings (S1-5.4.4-d)', () => {
  const upload = (id: string, bytes: Buffer, type: string, query = '') =>
    fetch(`${t.url}/v1/drawings/${id}/revisions${query}`, { method: 'POST', headers: { authorization: `Bearer ${T.key}`, 'content-type': type }, body: bytes }).then(async (r) => ({ status: r.status, body: await r.json() as any }));

  it('S1-5.4.4-d: drawings of a product, an operation and an inspection, uploaded in revisions, viewed with their type, hashed, every download audited', async () => {
    const product = await T.make('/v1/drawings', { code: 'DWG-FAN-A', name: 'Fan A general arrangement', kind: 'product', materialCode: 'FAN-A' });
    const op = await T.make('/v1/drawings', { code: 'DWG-PRESS', name: 'Housing press tool', kind: 'machining', routingCode: 'RT-FAN', operationSeq: 10 });
    const insp = await T.make('/v1/drawings', { code: 'DWG-INSP', name: 'Balance check', kind: 'inspection', inspectionRef: 'IP-FAN' });
    expect(product).toMatchObject({ materialCode: 'FAN-A', currentRevision: 0, revisions: [] });
    expect(op).toMatchObject({ routingCode: 'RT-FAN', operationSeq: 10 });

    const r1 = await upload(product.id, PDF, 'application/pdf', '?fileName=fan-a.pdf');
    expect(r1.status).toBe(201);
    const r2 = await upload(product.id, PNG, 'application/octet-stream', '?note=photo');
    expect(r2.body.revisions.map((r: any) => [r.revision, r.contentType, r.sizeBytes, r.sha256, r.fileName])).toEqual([
      [2, 'image/png', PNG.length, createHash('sha256').update(PNG).digest('hex'), 'DWG-FAN-A-2.png'],
      [1, 'application/pdf', PDF.length, createHash('sha256').update(PDF).digest('hex'), 'fan-a.pdf'],
    ]);
    expect((await upload(op.id, DXF, 'image/vnd.dxf')).body.revisions[0].contentType).toBe('image/vnd.dxf');
    expect((await upload(insp.id, SVG, 'image/svg+xml')).body.revisions[0].contentType).toBe('image/svg+xml');

    const get = (path: string) => fetch(`${t.url}${path}`, { headers: { authorization: `Bearer ${T.key}` } });
    const current = await get(`/v1/drawings/${product.id}/content`);
    expect(current.headers.get('content-type')).toBe('image/png');
    expect(current.headers.get('etag')).toBe(`"${createHash('sha256').update(PNG).digest('hex')}"`);
    expect(current.headers.get('content-disposition')).toMatch(/^inline; filename="DWG-FAN-A-2.png"/);
    expect(Buffer.from(await current.arrayBuffer()).equals(PNG)).toBe(true);
    const first = await get(`/v1/drawings/${product.id}/content?revision=1&download=true`);
    expect(first.headers.get('content-type')).toBe('application/pdf');
    expect(first.headers.get('content-disposition')).toMatch(/^attachment; filename="fan-a.pdf"/);
    expect(Buffer.from(await first.arrayBuffer()).equals(PDF)).toBe(true);
    const svg = await get(`/v1/drawings/${insp.id}/content`);
    expect(svg.headers.get('content-security-policy')).toContain('sandbox');

    expect((await T.as('GET', `/v1/drawings?materialId=${T.m.fan}`)).body.items.map((d: any) => [d.code, d.current.revision])).toEqual([['DWG-FAN-A', 2]]);
    expect((await T.as('GET', '/v1/drawings?routingCode=RT-FAN&operationSeq=10')).body.items.map((d: any) => d.code)).toEqual(['DWG-PRESS']);
    expect((await T.as('GET', '/v1/drawings?inspectionRef=IP-FAN')).body.items.map((d: any) => d.code)).toEqual(['DWG-INSP']);
    const audit = (await T.as('GET', '/v1/audit?limit=100')).body.items.filter((a: any) => a.action === 'getDrawingContent');
    expect(audit.map((a: any) => [a.resource, a.details.revision])).toEqual(expect.arrayContaining([[`drawing/${product.id}`, 2], [`drawing/${product.id}`, 1], [`drawing/${insp.id}`, 1]]));
    expect(audit.length).toBe(3);
  });

  it('S1-5.4.4-d: a declared type the bytes contradict, an unknown format, an empty or too large file are refused and nothing is stored', async () => {
    const d = await T.make('/v1/drawings', { code: 'DWG-BAD', name: 'Bad', kind: 'product' });
    const lie = await upload(d.id, Buffer.from('<script>alert(1)</script>'), 'image/png');
    expect(lie.status).toBe(415);
    expect(lie.body.code).toBe('DRAWING_TYPE_UNSUPPORTED');
    const mismatch = await upload(d.id, PDF, 'image/png');
    expect(mismatch.status).toBe(422);
    expect(mismatch.body.code).toBe('DRAWING_TYPE_MISMATCH');
    expect(mismatch.body.errors[0]).toMatchObject({ in: 'header', field: 'content-type' });
    const big = await upload(d.id, Buffer.concat([PDF, Buffer.alloc(DRAWING_LIMIT)]), 'application/pdf');
    expect(big.status).toBe(413);
    expect(big.body).toMatchObject({ code: 'DRAWING_TOO_LARGE', limitBytes: DRAWING_LIMIT });
    const empty = await call(t.url, T.key, 'POST', `/v1/drawings/${d.id}/revisions`);
    expect(empty.body.code).toBe('DRAWING_EMPTY');
    expect((await T.as('GET', `/v1/drawings/${d.id}`)).body).toMatchObject({ currentRevision: 0, revisions: [] });
    expect((await T.as('GET', `/v1/drawings/${d.id}/content`)).status).toBe(404);
    const badLink = await T.as('POST', '/v1/drawings', { code: 'DWG-X', name: 'X', kind: 'machining', routingCode: 'RT-FAN', operationSeq: 99 });
    expect(fieldsOf(badLink.body)).toEqual(['operationSeq:UNKNOWN_OPERATION']);
  });
});
