/**
 * Equipment and data collection (S1-5.4.6-a..f, S1-6.1-h) and the signed upload of the edge
 * (S1-5.2.2.1-a), checked through the HTTP API only. The suite is its own edge gateway: it
 * registers a gateway with an Ed25519 key it generates, and signs telemetry batches in the unified
 * record format the way the ingest contract (docs/equipment.md) says, so no edge process is needed
 * against a remote target.
 *
 * `prepare` builds one tenant's plant model and the gateway; every check creates its own machine
 * under its own code, and takes its record and batch numbers from one counter (the gateway's seq
 * must rise across all its records), so checks run in any order. The data sent lies two to three
 * hours back, on whole minutes, so every number the check asserts is computed from what it sent.
 */
import { createHash, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import type { HttpResponse } from '../http.js';
import type { TestTenant } from '../tenants.js';
import type { Check, CheckContext, Suite, SuiteContext, SuitePlan } from '../types.js';

const A = 'S1-5.4.6-a';
const B = 'S1-5.4.6-b';
const C = 'S1-5.4.6-c';
const D = 'S1-5.4.6-d';
const E = 'S1-5.4.6-e';
const F = 'S1-5.4.6-f';
const H = 'S1-6.1-h';
const SIGNED = 'S1-5.2.2.1-a';

const MIN = 60_000;

type Call = (method: string, path: string, body?: unknown, headers?: Record<string, string>) => Promise<HttpResponse>;
type Value = number | boolean | string;
interface Rec { device: string; point: string; ts: string; value: Value; quality: 'good' | 'uncertain' | 'bad'; seq: number; unit?: string }

interface Gateway { id: string; header: string; key: KeyObject }

interface World {
  tenant: TestTenant;
  call: Call;
  code(prefix: string): string;
  ids: Record<string, string>;
  gateway: Gateway;
  /** The gateway's next seq / batchSeq: strictly rising across every check. */
  next(): number;
  /** The start of a check's hour: a whole minute about three hours back. */
  t0: number;
}

async function made(call: Call, path: string, body: unknown): Promise<any> {
  const res = await call('POST', path, body);
  if (res.status !== 201 && res.status !== 200) throw new Error(`POST ${path}: ${res.status} ${res.text.slice(0, 300)}`);
  return res.json;
}

/** The signature of the contract: Ed25519 over prefix, gateway, timestamp and sha256 of the body as sent. */
export function signature(key: KeyObject, gateway: string, timestamp: string, body: Uint8Array): string {
  const text = `mes-telemetry-v1\n${gateway}\n${timestamp}\n${createHash('sha256').update(body).digest('hex')}`;
  return `ed25519=${sign(null, Buffer.from(text), key).toString('base64url')}`;
}

interface SignedOptions { key?: KeyObject; header?: string; at?: Date; signature?: string }

/** A signed gateway request (no bearer credentials). */
async function signed(ctx: CheckContext, w: World, path: string, body: unknown, o: SignedOptions = {}): Promise<HttpResponse> {
  const bytes = new TextEncoder().encode(JSON.stringify(body));
  const header = o.header ?? w.gateway.header;
  const timestamp = (o.at ?? new Date()).toISOString();
  return ctx.target.request('POST', path, {
    body: bytes,
    headers: {
      'content-type': 'application/json', 'x-mes-gateway': header, 'x-mes-timestamp': timestamp,
      'x-mes-signature': o.signature ?? signature(o.key ?? w.gateway.key, header, timestamp, bytes),
    },
  });
}

/** Records in the unified format from [minute offset, point, value] triples, each with the next seq. */
function records(w: World, device: string, rows: Array<[number, string, Value]>): Rec[] {
  return rows.map(([minute, point, value]) => ({ device, point, ts: new Date(w.t0 + minute * MIN).toISOString(), value, quality: 'good', seq: w.next() }));
}

async function send(ctx: CheckContext, w: World, recs: Rec[]): Promise<any> {
  const res = await signed(ctx, w, '/v1/telemetry/batches', { batchSeq: w.next(), records: recs });
  ctx.assert(res.status === 200, `a signed batch of ${recs.length} records answered ${res.status} ${res.json?.code ?? ''} ${res.text.slice(0, 200)}`);
  return res.json;
}

/** A machine of this check with the usual points, on the suite's gateway in the plant model. */
async function machine(w: World, extra: Record<string, unknown> = {}): Promise<any> {
  return made(w.call, '/v1/equipment', {
    code: w.code('M'), name: 'CNC lathe', manufacturer: 'Haas', model: 'ST-20', serialNo: w.code('SN'), buildDate: '2021-05-17',
    workshopId: w.ids.workshop, lineId: w.ids.line, workCentreId: w.ids.workCentre, stationId: w.ids.station, gatewayId: w.gateway.id,
    availableMinutesPerDay: 1440, targetOutputPerHour: 60, countPoint: 'parts', energyPoint: 'energy',
    points: [
      { point: 'state', type: 'string' },
      { point: 'temperature', type: 'number', unit: 'degC', min: 10, max: 60 },
      { point: 'parts', type: 'number', unit: 'pcs' },
      { point: 'energy', type: 'number', unit: 'kWh' },
      { point: 'fault', type: 'boolean' },
    ],
    alarmRules: [
      { code: 'HOT', point: 'temperature', kind: 'threshold', high: 80, hysteresis: 5, grade: 'major' },
      { code: 'FAULT', point: 'fault', kind: 'fault', value: true, grade: 'critical' },
      { code: 'HEATING_FAST', point: 'temperature', kind: 'trend', windowSeconds: 120, maxPerMinute: 20, grade: 'warning' },
    ],
    ...extra,
  });
}

/** One shift hour of a machine: run, a 10-minute breakdown with a fault, run again, idle at the end. */
const HOUR: Array<[number, string, Value]> = [
  [0, 'state', 'run'], [0, 'parts', 100], [0, 'energy', 500], [0, 'temperature', 40],
  [10, 'temperature', 85], [11, 'temperature', 78], [12, 'temperature', 70],
  [30, 'state', 'down'], [30, 'fault', true],
  [40, 'state', 'run'], [40, 'fault', false],
  [50, 'parts', 150], [59, 'energy', 512.5], [60, 'state', 'idle'], [60, 'temperature', 65],
];

export const equipmentSuite: Suite = {
  id: 'equipment',
  title: 'Equipment: master, data collection, status, alarms, indicators, signed upload',
  proves: [A, B, C, D, E, F, H, SIGNED],
  async prepare(ctx: SuiteContext): Promise<SuitePlan> {
    const tenant = await ctx.tenants.create('equipment');
    const call: Call = (method, path, body, headers) => ctx.target.request(method, path, { key: tenant.adminKey, body, headers });
    const tag = `EQ${ctx.config.runId.slice(0, 6).toUpperCase()}`;
    let n = 0;
    let seq = 0;
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const gwCode = `gw-${tag.toLowerCase()}`;
    const calendar = await made(call, '/v1/calendars', { code: 'CAL', name: 'Days', shifts: [1, 2, 3, 4, 5].map((weekday) => ({ weekday, start: '08:00', end: '17:00' })) });
    const plant = await made(call, '/v1/plants', { code: 'P1', name: 'Plant', calendarId: calendar.id });
    const ids: Record<string, string> = {};
    ids.workshop = (await made(call, '/v1/workshops', { code: 'WS-MACH', name: 'Machining', plantId: plant.id })).id;
    ids.otherWorkshop = (await made(call, '/v1/workshops', { code: 'WS-PAINT', name: 'Paint', plantId: plant.id })).id;
    ids.line = (await made(call, '/v1/production-lines', { code: 'L1', name: 'Line 1', workshopCode: 'WS-MACH' })).id;
    ids.workCentre = (await made(call, '/v1/work-centres', { code: 'WC-CNC', name: 'CNC', lineCode: 'L1', capacityUnit: 'machine_hours' })).id;
    ids.station = (await made(call, '/v1/stations', { code: 'ST-1', name: 'Station 1', workCentreId: ids.workCentre })).id;
    const gw = await made(call, '/v1/gateways', { code: gwCode, name: 'Conformance gateway', siteId: plant.id, publicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString() });
    const world: World = {
      tenant, call, ids, code: (prefix) => `${prefix}-${tag}-${++n}`,
      gateway: { id: gw.id, header: `${tenant.id}.${gwCode}`, key: privateKey },
      next: () => ++seq,
      t0: Math.floor((Date.now() - 3 * 3600_000) / MIN) * MIN,
    };
    ctx.log(`tenant ${tenant.slug}: plant model and gateway ${gwCode} registered with its own Ed25519 key`);
    const check = (id: string, title: string, clauses: string[], run: (c: CheckContext) => Promise<void>): Check => ({ id: `equipment/${id}`, title, clauses, run });
    return {
      checks: [
        check('master', 'equipment master: identity, plant location, points with running standards, available time, target output', [A], (c) => master(c, world)),
        check('unified-format', 'records of every value type in one format; unknown devices, points and wrong types refused per record and counted', [H, B], (c) => unifiedFormat(c, world)),
        check('status-and-history', 'current state and readings against running standards; run/idle/down durations', [B, C], (c) => statusAndHistory(c, world)),
        check('alarms', 'threshold, trend and fault alarms with grades, raised and cleared once, acknowledged once, audited', [D], (c) => alarms(c, world)),
        check('down-events', 'a breakdown is an equipment.down event on the outbox for dispatching', [E], (c) => downEvents(c, world)),
        check('indicators', 'availability, performance, OEE, MTBF, MTTR, failure rate and energy computed from the data sent', [F], (c) => indicators(c, world)),
        check('signed-upload', 'unknown gateway, bad signature, expired and replayed batches refused with their codes; nothing stored', [SIGNED], (c) => signedUpload(c, world)),
      ],
      notes: () => ({ tenant: tenant.slug, gateway: gwCode, highestSeq: seq }),
    };
  },
};

async function master(ctx: CheckContext, w: World): Promise<void> {
  const e = await machine(w);
  const got = (await w.call('GET', `/v1/equipment/${e.id}`)).json;
  ctx.assert(got.manufacturer === 'Haas' && got.model === 'ST-20' && got.serialNo === e.serialNo && got.buildDate === '2021-05-17', `identity read back as ${got.manufacturer} ${got.model} ${got.serialNo} ${got.buildDate}`);
  ctx.assert(got.workshopId === w.ids.workshop && got.lineId === w.ids.line && got.workCentreId === w.ids.workCentre && got.stationId === w.ids.station, 'the location reads back as workshop, line, work centre and station');
  ctx.assert(got.availableMinutesPerDay === 1440 && got.targetOutputPerHour === 60, `available time ${got.availableMinutesPerDay}, target output ${got.targetOutputPerHour}`);
  const temp = got.points.find((p: any) => p.point === 'temperature');
  ctx.assert(temp?.unit === 'degC' && temp.min === 10 && temp.max === 60, `the temperature point's standard reads back as ${JSON.stringify(temp)}`);
  ctx.assert(got.points.length === 5 && got.alarmRules.length === 3, `${got.points.length} points and ${got.alarmRules.length} alarm rules, not 5 and 3`);
  const bad = await w.call('POST', '/v1/equipment', { code: w.code('M'), name: 'Misplaced', workshopId: w.ids.otherWorkshop, lineId: w.ids.line, points: [{ point: 'state', type: 'string' }] });
  const fields = (bad.json?.errors ?? []).map((x: any) => `${x.field}:${x.code}`);
  ctx.assert(bad.status === 422 && fields.includes('lineId:NOT_IN_WORKSHOP'), `a line outside the machine's workshop answered ${bad.status} ${fields.join(' ')}`);
  const taken = await w.call('POST', '/v1/equipment', { code: e.code, name: 'Twin', workshopId: w.ids.workshop, points: [{ point: 'state', type: 'string' }] });
  ctx.assert(taken.status === 409, `a taken code answered ${taken.status}`);
}

async function unifiedFormat(ctx: CheckContext, w: World): Promise<void> {
  const e = await machine(w);
  const good = records(w, e.code, [[0, 'state', 'run'], [1, 'temperature', 41.5], [1, 'fault', false], [2, 'parts', 7]]);
  good[1].unit = 'degC';
  good[2].quality = 'uncertain';
  const bad: Rec[] = [
    ...records(w, w.code('GHOST'), [[3, 'temperature', 20]]),
    ...records(w, e.code, [[3, 'no_such_point', 1], [3, 'temperature', 'hot'], [3, 'fault', 1]]),
  ];
  const answer = await send(ctx, w, [...good, ...bad]);
  ctx.assert(answer.accepted === 4 && answer.rejected === 4 && answer.duplicates === 0, `accepted ${answer.accepted}, rejected ${answer.rejected}, not 4 and 4`);
  ctx.assert(answer.highestSeq >= good[3].seq, `highestSeq ${answer.highestSeq} is below the last stored seq ${good[3].seq}`);
  const codes = answer.rejections.map((r: any) => `${r.seq}:${r.code}`).join(' ');
  ctx.assert(codes === `${bad[0].seq}:UNKNOWN_DEVICE ${bad[1].seq}:UNKNOWN_POINT ${bad[2].seq}:WRONG_TYPE ${bad[3].seq}:WRONG_TYPE`, `the rejections were ${codes}`);
  const again = await send(ctx, w, good.slice(2));
  ctx.assert(again.accepted === 0 && again.duplicates === 2, `the same records again were ${again.accepted} accepted and ${again.duplicates} duplicates, not 0 and 2`);
  const status = (await w.call('GET', `/v1/equipment/${e.id}/status`)).json;
  const byPoint = Object.fromEntries(status.readings.map((r: any) => [r.point, r]));
  ctx.assert(byPoint.state?.value === 'run' && byPoint.temperature?.value === 41.5 && byPoint.fault?.value === false && byPoint.parts?.value === 7,
    `the readings read back as ${JSON.stringify(status.readings.map((r: any) => [r.point, r.value]))}`);
  ctx.assert(byPoint.temperature.unit === 'degC' && byPoint.fault.quality === 'uncertain', `unit ${byPoint.temperature.unit} and quality ${byPoint.fault.quality} as sent`);
  const gw = (await w.call('GET', `/v1/gateways/${w.gateway.id}`)).json;
  const counted = gw.rejections.filter((r: any) => r.device === e.code).map((r: any) => `${r.code}:${r.count}`).sort().join(' ');
  ctx.assert(counted === 'UNKNOWN_POINT:1 WRONG_TYPE:2', `rejections counted for the device: ${counted}`);
}

async function statusAndHistory(ctx: CheckContext, w: World): Promise<void> {
  const e = await machine(w);
  await send(ctx, w, records(w, e.code, HOUR));
  const status = (await w.call('GET', `/v1/equipment/${e.id}/status`)).json;
  ctx.assert(status.state === 'idle' && status.stateSince === new Date(w.t0 + 60 * MIN).toISOString(), `state ${status.state} since ${status.stateSince}`);
  const temp = status.readings.find((r: any) => r.point === 'temperature');
  ctx.assert(temp?.value === 65 && temp.deviation === 'high' && temp.standard?.max === 60, `temperature ${temp?.value} against its standard: deviation ${temp?.deviation}`);
  ctx.assert(status.outOfStandard === 1, `${status.outOfStandard} readings out of standard, not 1`);
  const q = `from=${new Date(w.t0).toISOString()}&to=${new Date(w.t0 + 60 * MIN).toISOString()}`;
  const history = (await w.call('GET', `/v1/equipment/${e.id}/states?${q}`)).json;
  ctx.assert(JSON.stringify(history.seconds) === JSON.stringify({ run: 3000, idle: 0, down: 600, setup: 0, other: 0 }), `the hour's durations were ${JSON.stringify(history.seconds)}`);
  ctx.assert(history.periods.map((p: any) => `${p.state}:${p.seconds}`).join(' ') === 'run:1800 down:600 run:1200', `periods ${history.periods.map((p: any) => `${p.state}:${p.seconds}`).join(' ')}`);
  const bad = await w.call('GET', `/v1/equipment/${e.id}/states?from=${new Date(w.t0).toISOString()}&to=${new Date(w.t0 - MIN).toISOString()}`);
  ctx.assert(bad.status === 400 && bad.json?.code === 'INVALID_PERIOD', `a period ending before it starts answered ${bad.status} ${bad.json?.code}`);
}

async function alarms(ctx: CheckContext, w: World): Promise<void> {
  const e = await machine(w);
  // 85 raises HOT; 78 is inside the hysteresis band (80 - 5); 70 clears it; 40 → 85 in 10 min is no trend; 20 → 90 in 2 min is.
  await send(ctx, w, records(w, e.code, [...HOUR, [70, 'temperature', 20], [71, 'temperature', 60], [72, 'temperature', 90], [73, 'temperature', 50], [76, 'temperature', 50]]));
  const list = (await w.call('GET', `/v1/equipment-alarms?equipmentId=${e.id}`)).json.items
    .sort((x: any, y: any) => (x.raisedAt < y.raisedAt ? -1 : x.raisedAt > y.raisedAt ? 1 : x.code.localeCompare(y.code)));
  const seen = list.map((a: any) => `${a.code}/${a.grade}/${a.status}/${a.raisedValue}/${a.clearedValue}`).join(' ');
  ctx.assert(seen === 'HOT/major/cleared/85/70 FAULT/critical/cleared/true/false HEATING_FAST/warning/cleared/90/50 HOT/major/cleared/90/50', `the alarms were ${seen}`);
  const hot = list[0];
  ctx.assert(hot.raisedAt === new Date(w.t0 + 10 * MIN).toISOString() && hot.clearedAt === new Date(w.t0 + 12 * MIN).toISOString(), `HOT raised ${hot.raisedAt}, cleared ${hot.clearedAt}`);
  const critical = (await w.call('GET', `/v1/equipment-alarms?equipmentId=${e.id}&grade=critical`)).json.items;
  ctx.assert(critical.length === 1 && critical[0].code === 'FAULT', `the critical alarms were ${critical.map((a: any) => a.code).join(' ')}`);
  const ack = await w.call('POST', `/v1/equipment-alarms/${critical[0].id}/acknowledge`, { note: 'coolant pump replaced' });
  ctx.assert(ack.status === 200 && ack.json.acknowledgedBy && ack.json.note === 'coolant pump replaced', `acknowledging answered ${ack.status} ${ack.json?.code ?? ''}`);
  const again = await w.call('POST', `/v1/equipment-alarms/${critical[0].id}/acknowledge`, {});
  ctx.assert(again.status === 409 && again.json?.code === 'ALARM_ALREADY_ACKNOWLEDGED', `a second acknowledgement answered ${again.status} ${again.json?.code}`);
  const ids = new Set(list.map((a: any) => `equipment-alarm/${a.id}`));
  const audited = async (action: string) => (await w.call('GET', `/v1/audit?limit=1000&action=${action}`)).json.items.filter((r: any) => ids.has(r.resource));
  const raised = (await audited('raiseEquipmentAlarm')).length;
  const cleared = (await audited('clearEquipmentAlarm')).length;
  ctx.assert(raised === 4 && cleared === 4, `audited ${raised} raises and ${cleared} clears, not 4 and 4`);
  const acks = await audited('acknowledgeEquipmentAlarm');
  ctx.assert(acks.length === 1 && acks[0].resource === `equipment-alarm/${critical[0].id}`, `${acks.length} acknowledgements audited, not 1`);
  const events = (await w.call('GET', '/v1/events?limit=1000&type=equipment*')).json.items.filter((x: any) => x.payload?.equipmentId === e.id);
  const count = (type: string) => events.filter((x: any) => x.type === type).length;
  ctx.assert(count('equipment_alarm.raised') === 4 && count('equipment_alarm.acknowledged') === 1, `the event stream carried ${count('equipment_alarm.raised')} raised and ${count('equipment_alarm.acknowledged')} acknowledged`);
}

async function downEvents(ctx: CheckContext, w: World): Promise<void> {
  const e = await machine(w);
  await send(ctx, w, records(w, e.code, HOUR));
  const events = (await w.call('GET', '/v1/events?limit=1000&type=equipment*')).json.items.filter((x: any) => x.payload?.equipmentId === e.id);
  const down = events.filter((x: any) => x.type === 'equipment.down').map((x: any) => x.payload);
  ctx.assert(down.length === 1, `${down.length} equipment.down events, not 1`);
  ctx.assert(down[0].workCentreId === w.ids.workCentre && down[0].code === e.code && down[0].at === new Date(w.t0 + 30 * MIN).toISOString(),
    `the down event says ${JSON.stringify(down[0])}`);
  const changes = events.filter((x: any) => x.type === 'equipment.state_changed').map((x: any) => x.payload.to).join(' ');
  ctx.assert(changes.endsWith('run down run idle'), `state changes on the outbox: ${changes}`);
}

async function indicators(ctx: CheckContext, w: World): Promise<void> {
  const e = await machine(w);
  await send(ctx, w, records(w, e.code, HOUR));
  // From the hour sent: run 30 + 20 min, down 10 min; 50 parts; 12.5 kWh; one failure.
  const run = 3000;
  const down = 600;
  const planned = 3600;
  const output = 150 - 100;
  const availability = run / planned;
  const performance = output / (60 * (run / 3600));
  const q = `from=${new Date(w.t0).toISOString()}&to=${new Date(w.t0 + 60 * MIN).toISOString()}`;
  const res = await w.call('GET', `/v1/equipment/${e.id}/indicators?${q}`);
  ctx.assert(res.status === 200, `indicators answered ${res.status}`);
  const got = res.json;
  const near = (x: number | null, y: number) => x !== null && Math.abs(x - y) < 1e-3;
  ctx.assert(got.plannedSeconds === planned && got.output === output, `planned ${got.plannedSeconds} s and output ${got.output}, not ${planned} and ${output}`);
  ctx.assert(near(got.availability, availability) && near(got.performance, performance), `availability ${got.availability} and performance ${got.performance}, not ${availability.toFixed(4)} and ${performance}`);
  ctx.assert(near(got.oee, availability * performance * (got.quality ?? 1)), `OEE ${got.oee}, not availability × performance × quality`);
  ctx.assert(got.failures === 1 && got.mtbfSeconds === run && got.mttrSeconds === down && near(got.failureRatePerHour, 1 / (run / 3600)),
    `failures ${got.failures}, MTBF ${got.mtbfSeconds}, MTTR ${got.mttrSeconds}, failure rate ${got.failureRatePerHour}`);
  ctx.assert(got.energy === 12.5 && got.energyUnit === 'kWh', `energy ${got.energy} ${got.energyUnit}, not 12.5 kWh`);
  // Intact rate (完好率): the share of the hour not down, in the indicators and in the fleet report.
  ctx.assert(near(got.intactRate, (3600 - down) / 3600), `intact rate ${got.intactRate}, not ${((3600 - down) / 3600).toFixed(4)}`);
  const fleet = await w.call('GET', `/v1/equipment-intact-rate?${q}`);
  const mine = fleet.json?.machines?.find((m: { equipmentId: string }) => m.equipmentId === e.id);
  ctx.assert(fleet.status === 200 && mine?.downSeconds === down && near(mine.intactRate, (3600 - down) / 3600) && mine.stateAtEnd === 'idle',
    `the fleet report answered ${fleet.status} with ${JSON.stringify(mine)} for the machine`);
  const bad = await w.call('GET', `/v1/equipment/${e.id}/indicators?from=yesterday&to=${new Date(w.t0).toISOString()}`);
  ctx.assert(bad.status === 400, `a malformed period answered ${bad.status}`);
}

async function signedUpload(ctx: CheckContext, w: World): Promise<void> {
  const e = await machine(w);
  const before = (await w.call('GET', `/v1/gateways/${w.gateway.id}`)).json.highestSeq;
  const batch = { batchSeq: w.next(), records: records(w, e.code, [[0, 'temperature', 33]]) };
  const refused = async (name: string, o: SignedOptions, status: number, code: string) => {
    const res = await signed(ctx, w, '/v1/telemetry/batches', batch, o);
    ctx.assert(res.status === status && res.json?.code === code, `${name} answered ${res.status} ${res.json?.code ?? ''}, not ${status} ${code}`);
    ctx.assert(/problem\+json/.test(res.headers.get('content-type') ?? ''), `${name} is not problem+json`);
  };
  const stranger = generateKeyPairSync('ed25519').privateKey;
  await refused('an unknown gateway', { header: `${w.tenant.id}.${w.code('gw').toLowerCase()}` }, 401, 'GATEWAY_UNKNOWN');
  await refused('a signature by another key', { key: stranger }, 401, 'SIGNATURE_INVALID');
  await refused('a malformed signature', { signature: 'ed25519=AAAA' }, 401, 'SIGNATURE_INVALID');
  await refused('a timestamp 6 minutes old', { at: new Date(Date.now() - 360_000) }, 401, 'SIGNATURE_EXPIRED');
  await refused('a timestamp 6 minutes ahead', { at: new Date(Date.now() + 360_000) }, 401, 'SIGNATURE_EXPIRED');
  const mid = (await w.call('GET', `/v1/gateways/${w.gateway.id}`)).json.highestSeq;
  ctx.assert(mid === before, `refused batches moved highestSeq from ${before} to ${mid}`);
  const first = await signed(ctx, w, '/v1/telemetry/batches', batch);
  ctx.assert(first.status === 200 && first.json.accepted === 1, `the genuine batch answered ${first.status} ${first.text.slice(0, 200)}`);
  const resent = await signed(ctx, w, '/v1/telemetry/batches', batch);
  ctx.assert(resent.status === 200 && JSON.stringify(resent.json) === JSON.stringify(first.json), 'the same batch sent again got another answer than the first');
  const forged = { ...batch, records: batch.records.map((r) => ({ ...r, value: 99 })) };
  const replay = await signed(ctx, w, '/v1/telemetry/batches', forged);
  ctx.assert(replay.status === 409 && replay.json?.code === 'BATCH_REPLAYED', `the batch number reused for another body answered ${replay.status} ${replay.json?.code}`);
  const temp = (await w.call('GET', `/v1/equipment/${e.id}/status`)).json.readings.find((r: any) => r.point === 'temperature');
  ctx.assert(temp?.value === 33, `the stored reading is ${temp?.value}, not the genuine 33`);
}
