/**
 * Telemetry rollups and retention: the housekeeping job fills 1-minute and 1-hour buckets
 * incrementally (late readings merged, nothing counted twice), reports over long periods read
 * them, and raw months past the retention are dropped once rolled up while the buckets stay.
 * Stored batch answers are swept after a week.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../src/platform/db.js';
import { sweepBatchAnswers } from '../src/modules/equipment/batch-sweep.js';
import { dropExpired, rollUp } from '../src/modules/equipment/rollups.js';
import { createPartition, existingPartitions, partitionName } from '../src/modules/equipment/telemetry-repo.js';
import { startTestServer, type TestServer } from './harness.js';
import { equipmentTenant, rec, registerGateway, signedCall, type EquipmentTenant } from './equipment-setup.js';

const MIN = 60_000;
const HOUR = 3_600_000;
const RETENTION_DAYS = 60;
let t: TestServer;
let db: Database;
let A: EquipmentTenant;
let gw: Awaited<ReturnType<typeof registerGateway>>;
let press: any;
let seq = 0;
let batchSeq = 0;
// Three hours back on a whole hour: the first hour of the data.
const h0 = Math.floor((Date.now() - 3 * HOUR) / HOUR) * HOUR;

const send = async (rows: Array<[number, string, number]>) => {
  const res = await signedCall(t.url, 'POST', '/v1/telemetry/batches', { batchSeq: ++batchSeq, records: rows.map(([ms, point, v]) => rec('PRESS-7', point, ms, v, ++seq)) }, { key: gw.privateKey, header: gw.header });
  expect(res.status).toBe(200);
  return res.body;
};
const iso = (ms: number) => new Date(ms).toISOString();
const series = async (from: number, to: number, resolution?: string, point = 'force') =>
  (await A.as('GET', `/v1/equipment/${press.id}/series?point=${point}&from=${iso(from)}&to=${iso(to)}${resolution ? `&resolution=${resolution}` : ''}`));

beforeAll(async () => {
  t = await startTestServer({ telemetryRetentionDays: RETENTION_DAYS });
  db = t.server.built.ctx.db;
  A = await equipmentTenant(t, 'rollup-a');
  gw = await registerGateway(A, 'gw-rollup');
  press = await A.make('/v1/equipment', {
    code: 'PRESS-7', name: 'Press 7', workshopId: A.workshop.id, gatewayId: gw.gateway.id, energyPoint: 'energy',
    points: [{ point: 'force', type: 'number', unit: 'kN' }, { point: 'energy', type: 'number', unit: 'kWh' }, { point: 'state', type: 'string' }],
  });
});
afterAll(async () => {
  await t?.stop();
});

describe('telemetry rollups', () => {
  it('S1-5.4.6-f: 1-minute and 1-hour buckets hold count, min, max, avg and last per point, filled by the housekeeping job from what arrived since its mark', async () => {
    await send([
      [h0 + 10_000, 'force', 10], [h0 + 20_000, 'force', 30], [h0 + 50_000, 'force', 20],
      [h0 + MIN + 5_000, 'force', 40],
      [h0 + HOUR + 30 * MIN, 'force', 7],
      [h0, 'energy', 100], [h0 + HOUR - 1, 'energy', 110], [h0 + 2 * HOUR - 1, 'energy', 125],
    ]);
    expect((await series(h0, h0 + 2 * HOUR)).body.buckets).toEqual([]); // nothing rolled up yet
    const run = await rollUp(db, Date.now(), 0);
    expect(run.readings).toBe(8);
    const minutes = (await series(h0, h0 + 2 * HOUR, 'minute')).body;
    expect(minutes).toMatchObject({ resolution: 'minute', unit: 'kN', point: 'force' });
    expect(minutes.buckets).toEqual([
      { start: iso(h0), count: 3, min: 10, max: 30, avg: 20, last: 20, lastAt: iso(h0 + 50_000) },
      { start: iso(h0 + MIN), count: 1, min: 40, max: 40, avg: 40, last: 40, lastAt: iso(h0 + MIN + 5_000) },
      { start: iso(h0 + HOUR + 30 * MIN), count: 1, min: 7, max: 7, avg: 7, last: 7, lastAt: iso(h0 + HOUR + 30 * MIN) },
    ]);
    const hours = (await series(h0, h0 + 2 * HOUR, 'hour')).body.buckets;
    expect(hours.map((b: any) => [b.start, b.count, b.min, b.max, b.avg, b.last])).toEqual([[iso(h0), 4, 10, 40, 25, 40], [iso(h0 + HOUR), 1, 7, 7, 7, 7]]);
    expect((await rollUp(db, Date.now(), 0)).readings).toBe(0);
    expect((await series(h0, h0 + 2 * HOUR, 'hour')).body.buckets.map((b: any) => b.count)).toEqual([4, 1]);
  });

  it('S1-5.4.6-f: a late reading (store-and-forward after an outage) is merged into its old buckets; the last stays the newest by time', async () => {
    await send([[h0 + 5_000, 'force', 2], [h0 + 59_000, 'force', 50]]);
    expect((await rollUp(db, Date.now(), 0)).readings).toBe(2);
    const [first] = (await series(h0, h0 + MIN, 'minute')).body.buckets;
    expect(first).toEqual({ start: iso(h0), count: 5, min: 2, max: 50, avg: 22.4, last: 50, lastAt: iso(h0 + 59_000) });
    const [hour] = (await series(h0, h0 + HOUR, 'hour')).body.buckets;
    expect([hour.count, hour.min, hour.max, hour.last, hour.lastAt]).toEqual([6, 2, 50, 40, iso(h0 + MIN + 5_000)]);
  });

  it('S1-5.4.6-f: long periods read the rollups: auto picks hours beyond two days, the indicators take counters from the hour buckets', async () => {
    const from = h0 - 2 * 86_400_000;
    const auto = (await series(from, h0 + 2 * HOUR)).body;
    expect(auto.resolution).toBe('hour');
    expect(auto.buckets.map((b: any) => b.count)).toEqual([6, 1]);
    expect((await series(h0, h0 + 2 * HOUR)).body.resolution).toBe('minute');
    const long = (await A.as('GET', `/v1/equipment/${press.id}/indicators?from=${iso(from)}&to=${iso(h0 + 2 * HOUR)}`)).body;
    expect(long).toMatchObject({ countersFrom: 'hourRollups', energy: 25, energyUnit: 'kWh' });
    const short = (await A.as('GET', `/v1/equipment/${press.id}/indicators?from=${iso(h0)}&to=${iso(h0 + 2 * HOUR)}`)).body;
    expect(short).toMatchObject({ countersFrom: 'readings', energy: 25 });
  });

  it('S1-5.4.6-f: a series of a string point or an unknown point is 422 with the field; a reversed period 400; never a 500; no point: the energy point', async () => {
    const text = await series(h0, h0 + HOUR, undefined, 'state');
    expect([text.status, text.body.code, text.body.errors[0].code]).toEqual([422, 'SERIES_INVALID', 'NOT_A_NUMBER_POINT']);
    const unknown = await series(h0, h0 + HOUR, undefined, 'nope');
    expect([unknown.status, unknown.body.errors[0]]).toEqual([422, expect.objectContaining({ field: 'point', code: 'UNKNOWN_POINT' })]);
    const reversed = await series(h0, h0 - HOUR);
    expect([reversed.status, reversed.body.code]).toEqual([400, 'INVALID_PERIOD']);
    const bad = await series(h0, h0 + HOUR, 'week');
    expect(bad.status).toBe(400);
    // Without a point: the machine's energy point.
    const byDefault = (await A.as('GET', `/v1/equipment/${press.id}/series?from=${iso(h0)}&to=${iso(h0 + 2 * HOUR)}&resolution=hour`)).body;
    expect([byDefault.point, byDefault.unit, byDefault.buckets.map((b: any) => b.last)]).toEqual(['energy', 'kWh', [110, 125]]);
  });
});

describe('telemetry retention', () => {
  it('S1-5.4.6-b: readings older than the retention are refused TIMESTAMP_OUT_OF_RANGE, so a dropped month is never written again', async () => {
    const old = await send([[Date.now() - (RETENTION_DAYS + 1) * 86_400_000, 'force', 1], [Date.now() - (RETENTION_DAYS - 1) * 86_400_000, 'force', 1]]);
    expect(old).toMatchObject({ accepted: 1, rejected: 1, rejections: [expect.objectContaining({ code: 'TIMESTAMP_OUT_OF_RANGE' })] });
  });

  it('S1-5.4.6-f: a raw month past the retention is dropped only once rolled up; its rollups stay; months inside the retention stay', async () => {
    // A month five months back, written before the retention was shortened (as the owner: the API refuses it now).
    const d = new Date();
    const month = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - 5, 1));
    const name = partitionName(month);
    const at = month.getTime() + 3 * 86_400_000 + 10 * HOUR;
    await db.asOwner(async (sql) => {
      await createPartition(sql, month);
      await sql.query(`INSERT INTO telemetry_readings (tenant_id, gateway_id, equipment_id, point, ts, seq, num_value, quality) VALUES ($1, $2, $3, 'force', $4, $5, 12.5, 'good')`,
        [A.id, gw.gateway.id, press.id, iso(at), ++seq]);
    });
    const before = await db.asOwner(existingPartitions);
    expect(before).toContain(name);
    // Not rolled up yet: kept.
    expect(await dropExpired(db, RETENTION_DAYS, new Date(Date.now() - MIN))).toEqual([]);
    const run = await rollUp(db, Date.now(), 0);
    expect(run.readings).toBe(2); // this one and the reading inside the retention from the test before
    expect(await dropExpired(db, RETENTION_DAYS, run.rolledTo)).toEqual([name]);
    const after = await db.asOwner(existingPartitions);
    expect(after).not.toContain(name);
    expect(after).toEqual(before.filter((p) => p !== name));
    const kept = (await series(at - HOUR, at + HOUR, 'hour')).body.buckets;
    expect(kept).toEqual([expect.objectContaining({ start: iso(Math.floor(at / HOUR) * HOUR), count: 1, last: 12.5 })]);
    expect((await series(h0, h0 + HOUR, 'hour')).body.buckets[0].count).toBe(6);
    expect(await dropExpired(db, RETENTION_DAYS, run.rolledTo)).toEqual([]);
  });
});

describe('stored batch answers', () => {
  it('S1-5.2.2.1-a: answers older than a week are swept, newer stay; a swept batch sent again gets a fresh answer and its records stay stored once', async () => {
    const count = () => db.asOwner(async (sql) => Number((await sql.query<{ n: string }>('SELECT count(*) AS n FROM gateway_batches WHERE gateway_id = $1', [gw.gateway.id])).rows[0].n));
    const all = await count();
    expect(all).toBe(batchSeq);
    // The first batch was answered eight days ago (as far as the table knows).
    await db.asOwner((sql) => sql.query(`UPDATE gateway_batches SET received_at = now() - interval '8 days' WHERE gateway_id = $1 AND batch_seq = 1`, [gw.gateway.id]));
    expect(await sweepBatchAnswers(db)).toBe(1);
    expect(await count()).toBe(all - 1);
    expect(await sweepBatchAnswers(db)).toBe(0);
    const readings = () => db.asOwner(async (sql) => Number((await sql.query<{ n: string }>('SELECT count(*) AS n FROM telemetry_readings WHERE gateway_id = $1', [gw.gateway.id])).rows[0].n));
    const stored = await readings();
    const first = [
      [h0 + 10_000, 'force', 10], [h0 + 20_000, 'force', 30], [h0 + 50_000, 'force', 20], [h0 + MIN + 5_000, 'force', 40], [h0 + HOUR + 30 * MIN, 'force', 7],
      [h0, 'energy', 100], [h0 + HOUR - 1, 'energy', 110], [h0 + 2 * HOUR - 1, 'energy', 125],
    ] as Array<[number, string, number]>;
    const again = await signedCall(t.url, 'POST', '/v1/telemetry/batches', { batchSeq: 1, records: first.map(([ms, point, v], i) => rec('PRESS-7', point, ms, v, i + 1)) }, { key: gw.privateKey, header: gw.header });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ accepted: 0, duplicates: 8, rejected: 0 });
    expect(await readings()).toBe(stored);
    expect(await count()).toBe(all);
  });
});
