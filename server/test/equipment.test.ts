/**
 * The equipment module over real HTTP: the master, gateways and their signed ingest, status, state
 * history, alarms, indicators, commands, and tenant isolation.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, startTestServer, type TestServer } from './harness.js';
import { equipmentTenant, keyPair, rec, registerGateway, signedCall, type EquipmentTenant } from './equipment-setup.js';

let t: TestServer;
let A: EquipmentTenant;
let B: EquipmentTenant;
let gwA: Awaited<ReturnType<typeof registerGateway>>;
let cnc: any;
const MIN = 60_000;
// An hour ago, on a whole minute: inside the accepted time range, and the hour is over.
const t0 = Math.floor((Date.now() - 2 * 3600_000) / MIN) * MIN;

const cncBody = (T: EquipmentTenant, extra: Record<string, unknown> = {}) => ({
  code: 'CNC-01', name: 'CNC lathe 1', manufacturer: 'Haas', model: 'ST-20', serialNo: 'SN-4711', buildDate: '2021-05-17',
  workshopId: T.workshop.id, lineId: T.line.id, workCentreId: T.workCentre.id, stationId: T.station.id,
  availableMinutesPerDay: 1440, targetOutputPerHour: 60, countPoint: 'parts',
  points: [
    { point: 'state', type: 'string' },
    { point: 'temperature', type: 'number', unit: 'degC', min: 10, max: 60 },
    { point: 'spindle_speed', type: 'number', unit: 'rpm', min: 0, max: 12000 },
    { point: 'parts', type: 'number', unit: 'pcs' },
    { point: 'fault', type: 'boolean' },
    { point: 'speed_setpoint', type: 'number', unit: 'rpm', writable: true },
  ],
  alarmRules: [
    { code: 'HOT', point: 'temperature', kind: 'threshold', high: 80, hysteresis: 5, grade: 'major' },
    { code: 'FAULT', point: 'fault', kind: 'fault', value: true, grade: 'critical' },
  ],
  ...extra,
});

const post = (path: string, body: unknown, o: Partial<Parameters<typeof signedCall>[4]> = {}) =>
  signedCall(t.url, 'POST', path, body, { key: gwA.privateKey, header: gwA.header, ...o });

// The first batch: a shift hour of CNC-01 with three bad records at the end.
const batch1 = () => ({
  batchSeq: 1,
  records: [
    rec('CNC-01', 'state', t0, 'run', 1), rec('CNC-01', 'parts', t0, 100, 2),
    rec('CNC-01', 'temperature', t0 + 10 * MIN, 85, 3), rec('CNC-01', 'temperature', t0 + 11 * MIN, 78, 4),
    rec('CNC-01', 'temperature', t0 + 12 * MIN, 90, 5), rec('CNC-01', 'temperature', t0 + 13 * MIN, 70, 6),
    rec('CNC-01', 'temperature', t0 + 14 * MIN, 95, 7),
    rec('CNC-01', 'state', t0 + 30 * MIN, 'down', 8), rec('CNC-01', 'fault', t0 + 30 * MIN, true, 9),
    rec('CNC-01', 'state', t0 + 40 * MIN, 'run', 10), rec('CNC-01', 'fault', t0 + 40 * MIN, false, 11),
    rec('CNC-01', 'parts', t0 + 50 * MIN, 150, 12), rec('CNC-01', 'state', t0 + 60 * MIN, 'idle', 13),
    rec('GHOST-9', 'temperature', t0 + 60 * MIN, 20, 14), rec('CNC-01', 'nope', t0 + 60 * MIN, 1, 15), rec('CNC-01', 'temperature', t0 + 60 * MIN, 'hot', 16),
  ],
});

beforeAll(async () => {
  t = await startTestServer();
  A = await equipmentTenant(t, 'eq-a');
  B = await equipmentTenant(t, 'eq-b');
  gwA = await registerGateway(A, 'gw-hall-1');
});
afterAll(async () => {
  await t?.stop();
});

describe('equipment master', () => {
  it('S1-5.4.6-a: a machine is registered with identity, plant location, points with running standards, available time and target output', async () => {
    const res = await A.as('POST', '/v1/equipment', cncBody(A, { gatewayId: gwA.gateway.id }));
    expect(res.status).toBe(201);
    cnc = res.body;
    expect(cnc).toMatchObject({
      code: 'CNC-01', manufacturer: 'Haas', model: 'ST-20', serialNo: 'SN-4711', buildDate: '2021-05-17', workshopCode: 'WS-MACH',
      lineId: A.line.id, workCentreId: A.workCentre.id, stationId: A.station.id, availableMinutesPerDay: 1440, targetOutputPerHour: 60, statePoint: 'state', version: 1,
    });
    expect(cnc.points.find((p: any) => p.point === 'temperature')).toEqual({ point: 'temperature', type: 'number', unit: 'degC', min: 10, max: 60, writable: false });
    expect(cnc.alarmRules.map((r: any) => r.code)).toEqual(['FAULT', 'HOT']);
    expect((await A.as('GET', `/v1/equipment/${cnc.id}`)).body).toEqual(cnc);
  });

  it('S1-5.4.6-a: the location must be one path down the plant model; a taken code is 409; nothing is saved', async () => {
    const res = await A.as('POST', '/v1/equipment', cncBody(A, { code: 'CNC-02', workshopId: A.otherWorkshop.id, alarmRules: [{ code: 'X', point: 'missing', kind: 'fault', value: true, grade: 'minor' }] }));
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('EQUIPMENT_INVALID');
    expect(res.body.errors.map((e: any) => `${e.field}:${e.code}`).sort()).toEqual(['alarmRules[0].point:UNKNOWN_POINT', 'lineId:NOT_IN_WORKSHOP', 'workCentreId:NOT_IN_WORKSHOP']);
    expect((await A.as('POST', '/v1/equipment', cncBody(A))).body.code).toBe('EQUIPMENT_CODE_TAKEN');
    const list = await A.as('GET', '/v1/equipment');
    expect(list.body.items.map((e: any) => e.code)).toEqual(['CNC-01']);
  });

  it('S1-5.4.6-a: update with optimistic concurrency; the list pages by code with a cursor', async () => {
    for (const code of ['PRESS-01', 'PRESS-02']) await A.make('/v1/equipment', { code, name: code, workshopId: A.otherWorkshop.id, points: [{ point: 'state', type: 'string' }] });
    const p1 = (await A.as('GET', '/v1/equipment?limit=2')).body;
    expect(p1.items.map((e: any) => e.code)).toEqual(['CNC-01', 'PRESS-01']);
    const p2 = (await A.as('GET', `/v1/equipment?limit=2&cursor=${p1.nextCursor}`)).body;
    expect(p2).toEqual({ items: [expect.objectContaining({ code: 'PRESS-02' })], nextCursor: null });
    const press = p1.items[1];
    const changed = await A.as('PATCH', `/v1/equipment/${press.id}`, { version: 1, manufacturer: 'Schuler', status: 'retired' });
    expect(changed.body).toMatchObject({ manufacturer: 'Schuler', status: 'retired', version: 2 });
    const stale = await A.as('PATCH', `/v1/equipment/${press.id}`, { version: 1, name: 'x' });
    expect(stale.status).toBe(409);
    expect(stale.body).toMatchObject({ code: 'VERSION_CONFLICT', currentVersion: 2 });
    expect((await A.as('GET', '/v1/equipment?cursor=bm9wZQ')).body.code).toBe('INVALID_CURSOR');
  });
});

describe('signed telemetry ingest', () => {
  it('S1-5.3.8-a: a signed batch is stored; unknown devices, unknown points and wrong types are rejected per record and counted per device (S1-5.3.8-b)', async () => {
    const res = await post('/v1/telemetry/batches', batch1());
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      accepted: 13, duplicates: 0, rejected: 3, highestSeq: 13, configVersion: 0,
      rejections: [
        { device: 'GHOST-9', point: 'temperature', seq: 14, code: 'UNKNOWN_DEVICE' },
        { device: 'CNC-01', point: 'nope', seq: 15, code: 'UNKNOWN_POINT' },
        { device: 'CNC-01', point: 'temperature', seq: 16, code: 'WRONG_TYPE' },
      ],
    });
    const gw = (await A.as('GET', `/v1/gateways/${gwA.gateway.id}`)).body;
    expect(gw.highestSeq).toBe(13);
    expect(gw.rejections.map((r: any) => [r.device, r.code, r.count, r.lastSeq])).toEqual([['CNC-01', 'UNKNOWN_POINT', 1, 15], ['CNC-01', 'WRONG_TYPE', 1, 16], ['GHOST-9', 'UNKNOWN_DEVICE', 1, 14]]);
  });

  it('S1-5.2.2.1-a: the same batch again answers the stored answer; the same batchSeq with another body is 409 BATCH_REPLAYED', async () => {
    const again = await post('/v1/telemetry/batches', batch1());
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ accepted: 13, duplicates: 0, rejected: 3, highestSeq: 13 });
    const other = batch1();
    other.records[0].value = 'idle';
    const replay = await post('/v1/telemetry/batches', other);
    expect(replay.status).toBe(409);
    expect(replay.body.code).toBe('BATCH_REPLAYED');
    expect(replay.contentType).toMatch(/^application\/problem\+json/);
  });

  it('S1-5.3.8-a: records delivered again in a new batch are duplicates, stored once (at least once in, exactly once stored), gzip accepted', async () => {
    const res = await post('/v1/telemetry/batches', {
      batchSeq: 2, records: [...batch1().records.slice(9, 13), rec('CNC-01', 'temperature', t0 + 61 * MIN, 65, 17)],
    }, { gzip: true });
    expect(res.body).toMatchObject({ accepted: 1, duplicates: 4, rejected: 0, highestSeq: 17 });
  });

  it('S1-5.2.2.1-a: refusals in the contract order: unknown gateway, bad signature, expired, invalid body; nothing stored', async () => {
    const body = { batchSeq: 50, records: [rec('CNC-01', 'temperature', t0, 20, 100)] };
    const unknown = await post('/v1/telemetry/batches', body, { header: `${B.id}.gw-hall-1` });
    expect([unknown.status, unknown.body.code]).toEqual([401, 'GATEWAY_UNKNOWN']);
    const noHeaders = await fetch(`${t.url}/v1/telemetry/batches`, { method: 'POST', headers: { authorization: `Bearer ${A.key}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect([noHeaders.status, (await noHeaders.json()).code]).toEqual([401, 'GATEWAY_UNKNOWN']);
    const badSig = await post('/v1/telemetry/batches', body, { key: keyPair().privateKey });
    expect([badSig.status, badSig.body.code]).toEqual([401, 'SIGNATURE_INVALID']);
    // A wrong signature wins over a stale timestamp: the order is the contract's.
    const badAndOld = await post('/v1/telemetry/batches', body, { key: keyPair().privateKey, at: new Date(Date.now() - 600_000) });
    expect(badAndOld.body.code).toBe('SIGNATURE_INVALID');
    const expired = await post('/v1/telemetry/batches', body, { at: new Date(Date.now() - 301_000) });
    expect([expired.status, expired.body.code]).toEqual([401, 'SIGNATURE_EXPIRED']);
    const future = await post('/v1/telemetry/batches', body, { at: new Date(Date.now() + 301_000) });
    expect(future.body.code).toBe('SIGNATURE_EXPIRED');
    const invalid = await post('/v1/telemetry/batches', { batchSeq: 51, records: [{ device: 'CNC-01', point: 'temperature', ts: 'yesterday', value: 1, quality: 'good', seq: 101 }] });
    expect(invalid.status).toBe(400);
    expect(invalid.body).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ field: 'records[0].ts', code: 'INVALID_FORMAT' }] });
    const impossible = await post('/v1/telemetry/batches', { batchSeq: 54, records: [rec('CNC-01', 'parts', t0, 1, 300), { ...rec('CNC-01', 'state', t0, 'run\u0000', 301) }] });
    expect(impossible.body.errors.map((e: any) => e.field)).toEqual(['records[1].value']);
    const feb30 = await post('/v1/telemetry/batches', { batchSeq: 55, records: [{ ...rec('CNC-01', 'parts', t0, 1, 300), ts: '2026-02-30T00:00:00.000Z' }] });
    expect(feb30.body).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ field: 'records[0].ts' }] });
    const notJson = await post('/v1/telemetry/batches', '{"batchSeq": 52, "records": [');
    expect([notJson.status, notJson.body.code]).toEqual([400, 'VALIDATION_FAILED']);
    const order = await post('/v1/telemetry/batches', { batchSeq: 53, records: [rec('CNC-01', 'parts', t0, 1, 201), rec('CNC-01', 'parts', t0, 1, 200)] });
    expect(order.body.errors).toEqual([expect.objectContaining({ field: 'records[1].seq', code: 'NOT_INCREASING' })]);
    expect((await A.as('GET', `/v1/gateways/${gwA.gateway.id}`)).body.highestSeq).toBe(17);
  });
});

describe('status, state history, alarms and indicators', () => {
  it('S1-5.4.6-b: the current state and the newest readings against their running standards', async () => {
    const res = await A.as('GET', `/v1/equipment/${cnc.id}/status`);
    expect(res.body).toMatchObject({ code: 'CNC-01', state: 'idle', stateSince: new Date(t0 + 60 * MIN).toISOString(), outOfStandard: 1, activeAlarms: 0 });
    expect(res.body.readings.map((r: any) => [r.point, r.value, r.seq, r.deviation])).toEqual([
      ['fault', false, 11, null], ['parts', 150, 12, null], ['state', 'idle', 13, null], ['temperature', 65, 17, 'high'],
    ]);
    expect(res.body.readings[3]).toMatchObject({ unit: 'degC', standard: { min: 10, max: 60 }, quality: 'good' });
  });

  it('S1-5.4.6-c: the state history gives run, idle and down durations within the period', async () => {
    const res = await A.as('GET', `/v1/equipment/${cnc.id}/states?from=${new Date(t0).toISOString()}&to=${new Date(t0 + 60 * MIN).toISOString()}`);
    expect(res.body.seconds).toEqual({ run: 3000, idle: 0, down: 600, setup: 0, other: 0 });
    expect(res.body.periods.map((p: any) => [p.state, p.seconds])).toEqual([['run', 1800], ['down', 600], ['run', 1200]]);
    const empty = await A.as('GET', `/v1/equipment/${cnc.id}/states?from=${new Date(t0).toISOString()}&to=${new Date(t0).toISOString()}`);
    expect(empty.body.seconds).toEqual({ run: 0, idle: 0, down: 0, setup: 0, other: 0 });
    const bad = await A.as('GET', `/v1/equipment/${cnc.id}/states?from=${new Date(t0).toISOString()}&to=${new Date(t0 - 1000).toISOString()}`);
    expect([bad.status, bad.body.code]).toEqual([400, 'INVALID_PERIOD']);
  });

  it('S1-5.4.6-d: threshold and fault alarms with grades; a flapping signal is raised again only after it cleared; raise and clear are audited', async () => {
    const list = (await A.as('GET', `/v1/equipment-alarms?equipmentId=${cnc.id}`)).body.items.sort((x: any, y: any) => (x.raisedAt < y.raisedAt ? -1 : 1));
    expect(list.map((a: any) => [a.code, a.grade, a.status, a.raisedValue, a.clearedValue])).toEqual([
      ['HOT', 'major', 'cleared', 85, 70], ['HOT', 'major', 'cleared', 95, 65], ['FAULT', 'critical', 'cleared', true, false],
    ]);
    const hot1 = list.find((a: any) => a.raisedValue === 85);
    expect(hot1).toMatchObject({ raisedAt: new Date(t0 + 10 * MIN).toISOString(), clearedAt: new Date(t0 + 13 * MIN).toISOString() });
    const audit = (await A.as('GET', '/v1/audit?limit=500')).body.items.filter((r: any) => r.action === 'raiseEquipmentAlarm' || r.action === 'clearEquipmentAlarm');
    expect(audit.length).toBe(6);
    expect(audit[0]).toMatchObject({ actorType: 'system', actorId: 'gateway:gw-hall-1' });
  });

  it('S1-5.4.6-d: an alarm is acknowledged once, by whom, audited; a second acknowledgement is 409', async () => {
    const [alarm] = (await A.as('GET', `/v1/equipment-alarms?equipmentId=${cnc.id}&grade=critical`)).body.items;
    const ack = await A.as('POST', `/v1/equipment-alarms/${alarm.id}/acknowledge`, { note: 'coolant pump replaced' });
    expect(ack.body).toMatchObject({ code: 'FAULT', status: 'cleared', note: 'coolant pump replaced', acknowledgedBy: expect.any(String) });
    const again = await A.as('POST', `/v1/equipment-alarms/${alarm.id}/acknowledge`, {});
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ code: 'ALARM_ALREADY_ACKNOWLEDGED', documentStatus: 'cleared' });
  });

  it('S1-5.4.6-f: availability, performance, OEE, MTBF, MTTR and failure rate from state history and the count point', async () => {
    const res = await A.as('GET', `/v1/equipment/${cnc.id}/indicators?from=${new Date(t0).toISOString()}&to=${new Date(t0 + 60 * MIN).toISOString()}`);
    expect(res.body).toMatchObject({
      plannedSeconds: 3600, output: 50, availability: 0.8333, performance: 1, quality: null, oee: 0.8333,
      failures: 1, mtbfSeconds: 3000, mttrSeconds: 600, failureRatePerHour: 1.2,
    });
  });

  it('S1-5.4.6-c: state changes, down events (for dispatching, S1-5.4.6-e) and alarms are published on the event stream', async () => {
    const events = (await A.as('GET', '/v1/events?limit=1000&type=equipment*')).body.items;
    const types = events.map((e: any) => e.type);
    expect(types.filter((x: string) => x === 'equipment.state_changed').length).toBe(4);
    expect(events.filter((e: any) => e.type === 'equipment.down').map((e: any) => e.payload)).toEqual([
      { equipmentId: cnc.id, code: 'CNC-01', workCentreId: A.workCentre.id, at: new Date(t0 + 30 * MIN).toISOString() },
    ]);
    expect(types.filter((x: string) => x === 'equipment_alarm.raised').length).toBe(3);
    expect(types.filter((x: string) => x === 'equipment_alarm.cleared').length).toBe(3);
    expect(types.filter((x: string) => x === 'equipment_alarm.acknowledged').length).toBe(1);
  });
});

describe('gateway management', () => {
  it('S1-4.2.3: a new device map version is announced in the heartbeat and pulled by the gateway, stored as given', async () => {
    const devices = [{ device: 'CNC-01', protocol: 'modbus', connection: { host: '10.0.0.5', port: 502 }, points: [{ point: 'parts', type: 'number', source: { register: 3 } }] }];
    const put = await A.as('PUT', `/v1/gateways/${gwA.gateway.id}/config`, { devices });
    expect(put.body).toEqual({ version: 1, devices });
    const beat = await post('/v1/gateways/heartbeat', { status: { devices: [{ device: 'CNC-01', connection: 'connected' }] }, sentAt: new Date().toISOString() });
    expect(beat.body).toEqual({ configVersion: 1, commands: [] });
    const pulled = await signedCall(t.url, 'GET', '/v1/gateways/config', undefined, { key: gwA.privateKey, header: gwA.header });
    expect(pulled.body).toEqual({ version: 1, devices });
    const gw = (await A.as('GET', `/v1/gateways/${gwA.gateway.id}`)).body;
    expect(gw).toMatchObject({ configVersion: 1, lastStatus: { devices: [{ device: 'CNC-01', connection: 'connected' }] } });
    expect(gw.lastHeartbeatAt).not.toBeNull();
  });

  it('S1-5.2.4: a command needs equipment:command, goes out with the heartbeat, its result is recorded once and audited', async () => {
    const writer = (await A.as('POST', '/v1/api-keys', { name: 'maintenance planner', permissions: ['equipment:read', 'equipment:write'] })).body.key;
    const denied = await call(t.url, writer, 'POST', `/v1/equipment/${cnc.id}/commands`, { point: 'speed_setpoint', value: 1500 });
    expect([denied.status, denied.body.code, denied.body.permission]).toEqual([403, 'PERMISSION_DENIED', 'equipment:command']);
    const refused = await A.as('POST', `/v1/equipment/${cnc.id}/commands`, { point: 'temperature', value: 5 });
    expect(refused.body.errors.map((e: any) => e.code)).toEqual(['NOT_WRITABLE']);
    const cmd = (await A.as('POST', `/v1/equipment/${cnc.id}/commands`, { point: 'speed_setpoint', value: 1500 })).body;
    expect(cmd).toMatchObject({ status: 'queued', device: 'CNC-01', point: 'speed_setpoint', value: 1500 });
    const beat = await post('/v1/gateways/heartbeat', { status: {}, sentAt: new Date().toISOString() });
    expect(beat.body.commands).toEqual([{ id: cmd.id, device: 'CNC-01', point: 'speed_setpoint', value: 1500, issuedAt: cmd.issuedAt }]);
    const results = { results: [{ id: cmd.id, ok: true, at: new Date().toISOString() }] };
    expect((await post('/v1/gateways/command-results', results)).body).toEqual({ recorded: 1 });
    expect((await post('/v1/gateways/command-results', results)).body).toEqual({ recorded: 0 });
    expect((await A.as('GET', `/v1/device-commands/${cmd.id}`)).body).toMatchObject({ status: 'done', error: null });
    const audit = (await A.as('GET', '/v1/audit?limit=500')).body.items.map((r: any) => `${r.action}:${r.outcome}`);
    expect(audit.filter((a: string) => a.startsWith('sendDeviceCommand')).sort()).toEqual(['sendDeviceCommand:denied', 'sendDeviceCommand:rejected', 'sendDeviceCommand:success']);
    expect(audit.filter((a: string) => a === 'reportCommandResult:success').length).toBe(1);
    expect((await post('/v1/gateways/heartbeat', { status: {}, sentAt: new Date().toISOString() })).body.commands).toEqual([]);
  });

  it('S1-5.3.8-a: key rotation: a new key works at once, the revoked one is refused', async () => {
    const next = keyPair();
    const added = (await A.as('POST', `/v1/gateways/${gwA.gateway.id}/keys`, { publicKey: next.publicKeyPem })).body;
    expect(added.keys.length).toBe(2);
    const beat = { status: {}, sentAt: new Date().toISOString() };
    expect((await post('/v1/gateways/heartbeat', beat, { key: next.privateKey })).status).toBe(200);
    expect((await A.as('POST', `/v1/gateways/${gwA.gateway.id}/keys`, { publicKey: next.publicKeyPem })).body.code).toBe('KEY_ALREADY_REGISTERED');
    expect((await A.as('POST', '/v1/gateways', { code: 'gw-x', name: 'x', publicKey: `-----BEGIN PUBLIC KEY-----\n${'A'.repeat(60)}\n-----END PUBLIC KEY-----` })).body.code).toBe('PUBLIC_KEY_INVALID');
    const revoked = await A.as('POST', `/v1/gateways/${gwA.gateway.id}/keys/${added.keys[0].id}/revoke`);
    expect(revoked.body.keys[0].revokedAt).not.toBeNull();
    expect((await post('/v1/gateways/heartbeat', beat)).body.code).toBe('SIGNATURE_INVALID');
    gwA.privateKey = next.privateKey;
    expect((await post('/v1/gateways/heartbeat', beat)).status).toBe(200);
    // A blocked gateway is refused as unknown until it is active again.
    const blocked = (await A.as('PATCH', `/v1/gateways/${gwA.gateway.id}`, { version: revoked.body.version, status: 'blocked' })).body;
    expect(blocked.status).toBe('blocked');
    expect((await post('/v1/gateways/heartbeat', beat)).body.code).toBe('GATEWAY_UNKNOWN');
    await A.as('PATCH', `/v1/gateways/${gwA.gateway.id}`, { version: blocked.version, status: 'active' });
    expect((await post('/v1/gateways/heartbeat', beat)).status).toBe(200);
  });
});

describe('tenant isolation', () => {
  it('S1-5.3.2-a: readings live in monthly partitions of telemetry_readings, each with RLS forced; the app role reaches them only through the parent and its tenant policy', async () => {
    const db = t.server.built.ctx.db;
    const parts = await db.asOwner(async (sql) => (await sql.query<{ relname: string; relrowsecurity: boolean; relforcerowsecurity: boolean }>(
      `SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
        WHERE i.inhparent = 'telemetry_readings'::regclass ORDER BY c.relname`)).rows);
    const month = (ms: number) => `telemetry_readings_${new Date(ms).getUTCFullYear()}_${String(new Date(ms).getUTCMonth() + 1).padStart(2, '0')}`;
    expect(parts.map((p) => p.relname)).toEqual(expect.arrayContaining([month(t0), month(Date.UTC(new Date(t0).getUTCFullYear(), new Date(t0).getUTCMonth() + 1, 1))]));
    expect(parts.every((p) => p.relrowsecurity && p.relforcerowsecurity)).toBe(true);
    const count = (tenantId: string, table: string) => db.transaction({ tenantId, readOnly: true }, async (tx) => Number((await tx.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`)).rows[0].n));
    expect(await count(A.id, 'telemetry_readings')).toBe(14);
    expect(await count(B.id, 'telemetry_readings')).toBe(0);
    await expect(count(A.id, month(t0))).rejects.toThrow(/permission denied/);
  });

  it('S1-5.3.2-a: another tenant sees none of the equipment, alarms or gateways, and its gateway cannot write them', async () => {
    expect((await B.as('GET', `/v1/equipment/${cnc.id}`)).status).toBe(404);
    expect((await B.as('GET', '/v1/equipment')).body.items).toEqual([]);
    expect((await B.as('GET', '/v1/equipment-alarms')).body.items).toEqual([]);
    expect((await B.as('GET', `/v1/gateways/${gwA.gateway.id}`)).status).toBe(404);
    const gwB = await registerGateway(B, 'gw-hall-1');
    // B's key cannot sign for A's gateway of the same code.
    const forged = await signedCall(t.url, 'POST', '/v1/gateways/heartbeat', { status: {}, sentAt: new Date().toISOString() }, { key: gwB.privateKey, header: gwA.header });
    expect(forged.body.code).toBe('SIGNATURE_INVALID');
    // B's gateway sending A's device code reaches only B's equipment: none.
    const res = await signedCall(t.url, 'POST', '/v1/telemetry/batches', { batchSeq: 1, records: [rec('CNC-01', 'temperature', Date.now(), 99, 1)] }, { key: gwB.privateKey, header: gwB.header });
    expect(res.body).toMatchObject({ accepted: 0, rejected: 1, rejections: [{ code: 'UNKNOWN_DEVICE' }] });
    expect((await A.as('GET', `/v1/equipment/${cnc.id}/status`)).body.readings.find((r: any) => r.point === 'temperature').value).toBe(65);
  });
});

describe('live events', () => {
  it('S1-5.4.6-c: a board on the SSE event stream sees the state change and the alarm as the batch commits', async () => {
    const ctrl = new AbortController();
    const res = await fetch(`${t.url}/v1/events/stream?type=equipment*`, { headers: { authorization: `Bearer ${A.key}` }, signal: ctrl.signal });
    const reader = res.body!.getReader();
    let text = '';
    const readUntil = async (test: () => boolean) => {
      const deadline = Date.now() + 10_000;
      while (!test() && Date.now() < deadline) text += new TextDecoder().decode((await reader.read()).value ?? new Uint8Array());
    };
    try {
      await readUntil(() => text.includes(': connected'));
      const batch = await post('/v1/telemetry/batches', { batchSeq: 3, records: [rec('CNC-01', 'state', t0 + 70 * MIN, 'down', 30), rec('CNC-01', 'fault', t0 + 70 * MIN, true, 31)] });
      expect(batch.body).toMatchObject({ accepted: 2, highestSeq: 31 });
      await readUntil(() => text.includes('equipment_alarm.raised'));
      const events = text.split('\n').filter((l) => l.startsWith('data: ')).map((l) => JSON.parse(l.slice(6)));
      expect(events.map((e) => e.type)).toEqual(['equipment.state_changed', 'equipment.down', 'equipment_alarm.raised']);
      expect(events[0].payload).toMatchObject({ code: 'CNC-01', from: 'idle', to: 'down' });
      expect(events[2].payload).toMatchObject({ code: 'FAULT', grade: 'critical', value: true });
    } finally {
      ctrl.abort();
    }
  });
});

describe('trend alarms', () => {
  it('S1-5.4.6-d S1-5.4.6-f: a trend rule raises when the change over its window is too fast and clears once it slows; energy per period from the meter point', async () => {
    const oven = (await A.as('POST', '/v1/equipment', {
      code: 'OVEN-9', name: 'Oven', workshopId: A.workshop.id, gatewayId: gwA.gateway.id, energyPoint: 'energy',
      points: [{ point: 'temp', type: 'number', unit: 'degC' }, { point: 'energy', type: 'number', unit: 'kWh' }],
      alarmRules: [{ code: 'HEATING_FAST', point: 'temp', kind: 'trend', windowSeconds: 60, maxPerMinute: 10, grade: 'minor' }],
    })).body;
    expect(oven.alarmRules).toEqual([{ code: 'HEATING_FAST', point: 'temp', kind: 'trend', high: null, low: null, hysteresis: 0, value: null, windowSeconds: 60, maxPerMinute: 10, grade: 'minor' }]);
    const T = t0 + 100 * MIN;
    const res = await post('/v1/telemetry/batches', { batchSeq: 4, records: [
      rec('OVEN-9', 'temp', T, 20, 40), rec('OVEN-9', 'temp', T + 30_000, 22, 41), rec('OVEN-9', 'temp', T + 60_000, 40, 42),
      rec('OVEN-9', 'temp', T + 90_000, 41, 43), rec('OVEN-9', 'temp', T + 150_000, 42, 44),
      rec('OVEN-9', 'energy', T, 1200.25, 45), rec('OVEN-9', 'energy', T + 150_000, 1203.75, 46),
    ] });
    expect(res.body).toMatchObject({ accepted: 7, rejected: 0 });
    // S1-5.4.6-f: energy per machine and period, from its meter point.
    const ind = (await A.as('GET', `/v1/equipment/${oven.id}/indicators?from=${new Date(T).toISOString()}&to=${new Date(T + 200_000).toISOString()}`)).body;
    expect(ind).toMatchObject({ energy: 3.5, energyUnit: 'kWh', output: null });
    const alarms = (await A.as('GET', `/v1/equipment-alarms?equipmentId=${oven.id}`)).body.items;
    expect(alarms.map((a: any) => [a.code, a.kind, a.grade, a.raisedValue, a.raisedAt, a.clearedValue, a.clearedAt])).toEqual([
      ['HEATING_FAST', 'trend', 'minor', 40, new Date(T + 60_000).toISOString(), 42, new Date(T + 150_000).toISOString()],
    ]);
    const missing = await A.as('PATCH', `/v1/equipment/${oven.id}`, { version: oven.version, alarmRules: [{ code: 'X', point: 'temp', kind: 'trend', grade: 'minor' }] });
    expect(missing.body.errors.map((e: any) => `${e.field}:${e.code}`)).toEqual(['alarmRules[0].windowSeconds:REQUIRED', 'alarmRules[0].maxPerMinute:REQUIRED']);
  });
});
