/**
 * Live shop-floor data (S1-5.4.4-l, S1-4.3.6) over real HTTP: the progress board per workshop,
 * work centre and order (planned against good, scrap and pending inspection; running operations
 * with station and operator; late orders), and the production feed, Server-Sent Events from the
 * outbox filtered to shop-floor changes and optionally to one workshop.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './harness.js';
import { fieldsOf, productionTenant } from './production-setup.js';

let t: TestServer;
const opened: AbortController[] = [];

beforeAll(async () => {
  t = await startTestServer({ eventStreamPollMs: 100, eventStreamHeartbeatMs: 400 });
});
afterAll(async () => {
  for (const a of opened) a.abort();
  await t?.stop();
});

/** An open feed: its data frames as parsed events, and the status it answered. */
function feed(key: string, query: string) {
  const abort = new AbortController();
  opened.push(abort);
  const state = { status: 0, events: [] as any[], frames: [] as string[] };
  const done = (async () => {
    const res = await fetch(`${t.url}/v1/production-progress/feed${query}`, { headers: { authorization: `Bearer ${key}` }, signal: abort.signal });
    state.status = res.status;
    if (res.status !== 200) return void state.frames.push(await res.text());
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    for (;;) {
      const { value, done: end } = await reader.read().catch(() => ({ value: undefined, done: true }));
      if (end) return;
      buffer += decoder.decode(value, { stream: true });
      let at;
      while ((at = buffer.indexOf('\n\n')) >= 0) {
        const frame = buffer.slice(0, at);
        buffer = buffer.slice(at + 2);
        state.frames.push(frame);
        const data = frame.split('\n').find((l) => l.startsWith('data: '));
        if (data) state.events.push(JSON.parse(data.slice(6)));
      }
    }
  })();
  const until = async (predicate: () => boolean, what: string) => {
    const deadline = Date.now() + 10_000;
    while (!predicate()) {
      if (Date.now() > deadline) throw new Error(`feed: no ${what}; frames ${JSON.stringify(state.frames)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  return { state, done, until, close: () => abort.abort() };
}

/** Two workshops; PUMP = CASING at operation 10 (press), assembled at 20; two released orders, one per workshop. */
async function board(slug: string) {
  const T = await productionTenant(t, slug);
  await T.make('/v1/workshops', { code: 'WS-B', name: 'Second', plantId: T.plant.id });
  const pump = await T.make('/v1/materials', { code: 'PUMP', name: 'Pump', baseUnit: 'PCS' });
  await T.make('/v1/materials', { code: 'CASING', name: 'Casing', baseUnit: 'PCS' });
  const bom = await T.make('/v1/boms', { materialCode: 'PUMP', type: 'manufacturing', effectiveFrom: '2026-01-01', lines: [{ materialCode: 'CASING', quantity: '1', operationSeq: 10 }] });
  await T.make(`/v1/boms/${bom.id}/release`, { version: bom.version });
  const rt = await T.make('/v1/routings', {
    code: 'RT-PUMP', name: 'Pump', effectiveFrom: '2026-01-01',
    operations: [{ seq: 10, name: 'Press', workCentreCode: 'WC-PRESS', runMinutes: '1' }, { seq: 20, name: 'Assemble', workCentreCode: 'WC-ASSY', runMinutes: '2' }],
  });
  await T.make(`/v1/routings/${rt.id}/release`, { version: rt.version });
  await T.as('PATCH', `/v1/materials/${pump.id}`, { version: pump.version, defaultRouting: 'RT-PUMP' });
  const station = await T.make('/v1/stations', { code: 'ST-1', name: 'Press 1', workCentreCode: 'WC-PRESS' });
  await T.make('/v1/warehouses', { code: 'FG', name: 'Finished goods' });
  const order = async (quantity: string, workshopCode: string, plannedFinish: string) => {
    const created = await T.make('/v1/production-orders', { materialCode: 'PUMP', quantity, workshopCode, plannedStart: '2026-03-02', plannedFinish });
    return T.make(`/v1/production-orders/${created.id}/release`, { version: created.version });
  };
  const late = await order('10', 'WS-ASSY', '2026-03-06');
  const onTime = await order('5', 'WS-B', '2026-03-20');
  const event = (o: any, seq: number, event: string, extra: Record<string, unknown> = {}) =>
    T.as('POST', `/v1/production-orders/${o.id}/operations/${seq}/events`, { event, operator: 'W-007', stationCode: seq === 10 ? 'ST-1' : undefined, ...extra });
  const report = (o: any, seq: number, body: Record<string, unknown>) =>
    T.as('POST', `/v1/production-orders/${o.id}/reports`, { operationSeq: seq, operator: 'W-007', endedAt: '2026-03-03T10:00:00.000Z', ...body });
  return { ...T, station, late, onTime, event, report };
}

describe('the shop-floor progress board (S1-5.4.4-l)', () => {
  let B: Awaited<ReturnType<typeof board>>;
  beforeAll(async () => {
    B = await board('progress-a');
  });

  it('S1-5.4.4-l: per workshop and work centre: open and late orders, operations by status', async () => {
    const res = await B.as('GET', '/v1/production-progress?asOf=2026-03-10');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ asOf: '2026-03-10', truncated: false, active: [] });
    expect(res.body.workshops.map((w: any) => [w.workshopCode, w.openOrders, w.lateOrders, w.operations, w.workCentres.map((c: any) => [c.workCentreCode, c.operations.pending])])).toEqual([
      ['WS-ASSY', 1, 1, { pending: 2, inProgress: 0, paused: 0, completed: 0 }, [['WC-ASSY', 1], ['WC-PRESS', 1]]],
      ['WS-B', 1, 0, { pending: 2, inProgress: 0, paused: 0, completed: 0 }, [['WC-ASSY', 1], ['WC-PRESS', 1]]],
    ]);
    // Late first, by days late; the other after it.
    expect(res.body.orders.map((o: any) => [o.docNo, o.workshopCode, o.quantity, o.late, o.daysLate])).toEqual([[B.late.docNo, 'WS-ASSY', '10', true, 4], [B.onTime.docNo, 'WS-B', '5', false, 0]]);
    // Before the planned finish nothing is late.
    const early = (await B.as('GET', '/v1/production-progress?asOf=2026-03-06')).body;
    expect(early.workshops.map((w: any) => w.lateOrders)).toEqual([0, 0]);
  });

  it('S1-5.4.4-l: operations report planned against good, scrap and pending inspection; running ones show station, operator and since', async () => {
    expect((await B.event(B.late, 10, 'start', { at: '2026-03-03T08:00:00.000Z' })).status).toBe(201);
    const r = await B.report(B.late, 10, { goodQuantity: '6', scrapQuantity: '1', pendingInspectionQuantity: '1', stationCode: 'ST-1', endedAt: '2026-03-03T09:00:00.000Z' });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect((await B.event(B.late, 10, 'pause', { reason: 'die change', at: '2026-03-03T09:30:00.000Z', operator: 'W-008' })).status).toBe(201);
    expect((await B.event(B.onTime, 10, 'start', { at: '2026-03-03T08:15:00.000Z' })).status).toBe(201);

    const res = (await B.as('GET', '/v1/production-progress?asOf=2026-03-10')).body;
    const ops = res.orders[0].operations.map((o: any) => [o.seq, o.workCentreCode, o.status, o.planned, o.good, o.scrap, o.pendingInspection, o.remaining, o.stationCode, o.operator, o.since]);
    expect(ops).toEqual([
      [10, 'WC-PRESS', 'paused', '10', '6', '1', '1', '2', 'ST-1', 'W-008', '2026-03-03T09:30:00.000Z'],
      [20, 'WC-ASSY', 'pending', '10', '0', '0', '0', '10', null, null, null],
    ]);
    expect(res.active.map((a: any) => [a.docNo, a.seq, a.status, a.stationCode, a.operator, a.since])).toEqual(
      [[B.late.docNo, 10, 'paused', 'ST-1', 'W-008', '2026-03-03T09:30:00.000Z'], [B.onTime.docNo, 10, 'in_progress', 'ST-1', 'W-007', '2026-03-03T08:15:00.000Z']].sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
    );
    expect(res.workshops[0].operations).toEqual({ pending: 1, inProgress: 0, paused: 1, completed: 0 });
    expect(res.workshops[1].operations).toEqual({ pending: 1, inProgress: 1, paused: 0, completed: 0 });
    // One workshop, by code or id.
    const one = (await B.as('GET', '/v1/production-progress?workshopCode=WS-B&asOf=2026-03-10')).body;
    expect([one.workshops.map((w: any) => w.workshopCode), one.orders.map((o: any) => o.docNo), one.active.map((a: any) => a.docNo)]).toEqual([['WS-B'], [B.onTime.docNo], [B.onTime.docNo]]);
    const byId = (await B.as('GET', `/v1/production-progress?workshopId=${B.workshop.id}&limit=1`)).body;
    expect([byId.orders.length, byId.truncated]).toEqual([1, false]);
    expect((await B.as('GET', '/v1/production-progress?limit=1')).body.truncated).toBe(true);
  });

  it('S1-5.4.4-l: an unknown workshop is 422 UNKNOWN_WORKSHOP, a bad date 400; another tenant sees nothing and knows none of these workshops', async () => {
    const unknown = await B.as('GET', '/v1/production-progress?workshopCode=NOPE');
    expect([unknown.status, unknown.body.code, fieldsOf(unknown.body)]).toEqual([422, 'UNKNOWN_WORKSHOP', ['workshopCode:UNKNOWN_WORKSHOP']]);
    expect((await B.as('GET', '/v1/production-progress?asOf=2026-13-40')).status).toBe(400);
    const other = await productionTenant(t, 'progress-b');
    const theirs = (await other.as('GET', '/v1/production-progress')).body;
    expect([theirs.workshops, theirs.orders, theirs.active]).toEqual([[], [], []]);
    const foreign = await other.as('GET', `/v1/production-progress?workshopId=${B.workshop.id}`);
    expect([foreign.status, foreign.body.code]).toEqual([422, 'UNKNOWN_WORKSHOP']);
    const feedOfForeign = feed(other.key, `?workshopId=${B.workshop.id}`);
    await feedOfForeign.done;
    expect(feedOfForeign.state.status).toBe(422);
  });
});

describe('the progress board per production line (S1-5.4.4-l)', () => {
  it('S1-5.4.4-l: lineCode or lineId keeps the orders of one line (totals, orders and running operations); each order and running operation names its line', async () => {
    const B = await board('progress-line');
    await B.make('/v1/production-lines', { code: 'L2', name: 'Line 2', workshopCode: 'WS-ASSY' });
    const onLine = async (lineCode: string, quantity: string) => {
      const created = await B.make('/v1/production-orders', { materialCode: 'PUMP', quantity, workshopCode: 'WS-ASSY', lineCode, plannedStart: '2026-03-02', plannedFinish: '2026-03-08' });
      return B.make(`/v1/production-orders/${created.id}/release`, { version: created.version });
    };
    const l1 = await onLine('L1', '7');
    const l2 = await onLine('L2', '3');
    expect((await B.event(l2, 10, 'start', { at: '2026-03-03T08:00:00.000Z' })).status).toBe(201);
    expect((await B.event(B.late, 10, 'start', { at: '2026-03-03T08:05:00.000Z' })).status).toBe(201);

    const all = (await B.as('GET', '/v1/production-progress?asOf=2026-03-10')).body;
    expect(all.orders.map((o: any) => [o.docNo, o.lineCode]).sort()).toEqual([[B.late.docNo, null], [B.onTime.docNo, null], [l1.docNo, 'L1'], [l2.docNo, 'L2']].sort());
    const line2 = (await B.as('GET', '/v1/production-progress?lineCode=L2&asOf=2026-03-10')).body;
    expect(line2.orders.map((o: any) => [o.docNo, o.quantity, o.workshopCode, o.lineCode, o.late, o.daysLate])).toEqual([[l2.docNo, '3', 'WS-ASSY', 'L2', true, 2]]);
    expect(line2.workshops.map((w: any) => [w.workshopCode, w.openOrders, w.lateOrders, w.operations])).toEqual([['WS-ASSY', 1, 1, { pending: 1, inProgress: 1, paused: 0, completed: 0 }]]);
    expect(line2.active.map((a: any) => [a.docNo, a.seq, a.status, a.lineCode])).toEqual([[l2.docNo, 10, 'in_progress', 'L2']]);
    const lineId = all.orders.find((o: any) => o.docNo === l1.docNo).lineId;
    const line1 = (await B.as('GET', `/v1/production-progress?lineId=${lineId}&workshopCode=WS-ASSY`)).body;
    expect([line1.orders.map((o: any) => o.docNo), line1.active]).toEqual([[l1.docNo], []]);
    // A line of another workshop than the one asked: nothing, not an error.
    const elsewhere = (await B.as('GET', '/v1/production-progress?lineCode=L1&workshopCode=WS-B')).body;
    expect([elsewhere.orders, elsewhere.workshops, elsewhere.active]).toEqual([[], [], []]);

    const unknown = await B.as('GET', '/v1/production-progress?lineCode=NOPE');
    expect([unknown.status, unknown.body.code, fieldsOf(unknown.body)]).toEqual([422, 'UNKNOWN_LINE', ['lineCode:UNKNOWN_LINE']]);
    const other = await productionTenant(t, 'progress-line-b');
    const foreign = await other.as('GET', `/v1/production-progress?lineId=${lineId}`);
    expect([foreign.status, foreign.body.code, fieldsOf(foreign.body)]).toEqual([422, 'UNKNOWN_LINE', ['lineId:UNKNOWN_LINE']]);
  });
});

describe('the production feed (S1-5.4.4-l, S1-4.3.6)', () => {
  it('S1-5.4.4-l: from the board\'s lastSeq the feed carries operation events, reports and receipts of one workshop, and nothing else', async () => {
    const B = await board('feed-a');
    const { lastSeq } = (await B.as('GET', '/v1/production-progress')).body;
    expect(lastSeq).toBeGreaterThan(0);
    const shop = feed(B.key, `?after=${lastSeq}&workshopId=${B.workshop.id}`);
    const all = feed(B.key, `?after=${lastSeq}`);
    await B.event(B.onTime, 10, 'start');
    await B.event(B.late, 10, 'start');
    await B.report(B.late, 10, { goodQuantity: '2', stationCode: 'ST-1' });
    await B.report(B.late, 20, { goodQuantity: '1' });
    // Not shop-floor news: a stock receipt and a new draft order.
    await B.make('/v1/stock-documents', { type: 'other_in', post: true, lines: [{ materialCode: 'CASING', quantity: '3', warehouseCode: 'FG' }] });
    await B.make('/v1/production-orders', { materialCode: 'PUMP', quantity: '1', plannedStart: '2026-03-02', plannedFinish: '2026-03-03' });
    const receipt = await B.as('POST', `/v1/production-orders/${B.late.id}/receipts`, { warehouseCode: 'FG', lines: [{ quantity: '1' }] });
    expect(receipt.status, JSON.stringify(receipt.body)).toBe(201);

    await shop.until(() => shop.state.events.some((e) => e.type === 'production_receipt.posted'), 'receipt');
    expect(shop.state.events.map((e) => [e.type, e.payload.orderDocNo ?? e.payload.docNo, e.payload.operationSeq ?? null])).toEqual([
      ['production_order.started', B.late.docNo, null],
      ['production_operation.started', B.late.docNo, 10],
      ['production_operation.reported', B.late.docNo, 10],
      ['production_operation.reported', B.late.docNo, 20],
      ['production_receipt.posted', B.late.docNo, null],
    ]);
    expect(shop.state.events.every((e) => e.payload.workshopId === B.workshop.id)).toBe(true);
    await all.until(() => all.state.events.some((e) => e.type === 'production_receipt.posted'), 'receipt');
    const types = all.state.events.map((e) => e.type);
    expect(types).toContain('production_operation.started');
    expect(all.state.events.filter((e) => e.aggregateId === B.onTime.id).map((e) => e.type)).toEqual(['production_order.started', 'production_operation.started']);
    expect(types.some((t) => t.startsWith('stock.') || t === 'production_order.created')).toBe(false);
    const seqs = all.state.events.map((e) => e.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(all.state.frames[0]).toMatch(/^retry: 3000\n: connected at seq /);
    shop.close();
    all.close();
  });
});
