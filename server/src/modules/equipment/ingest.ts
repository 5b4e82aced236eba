/**
 * Telemetry ingest, POST /v1/telemetry/batches (docs/equipment.md, "Ingest contract"). After the
 * signature (signing.ts): the batch is looked up by (gateway, batchSeq) — the same body answers
 * with the stored answer, another body is BATCH_REPLAYED — then validated whole (400 and nothing
 * stored), then every record is accepted, a duplicate of a (gateway, seq) stored before, or
 * rejected with a code counted per device. Stored records then move the newest readings, the
 * state history and the alarms, so a resend changes nothing twice.
 */
import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import type { Database, Sql } from '../../platform/db.js';
import { badRequest, conflict, fieldError, type FieldError } from '../../platform/errors.js';
import { evaluateAlarms, type Trace } from './alarms.js';
import * as gateways from './gateway-repo.js';
import type { BatchAnswer, TelemetryRecord } from './gateway-schema.js';
import { tsInRange, type TelemetryPartitions } from './partitions.js';
import * as repo from './repo.js';
import type { Equipment, EquipmentPoint } from './schema.js';
import type { SignedGateway } from './signing.js';
import { applyStates } from './status.js';
import { insertReadings, upsertLatest, type StoredReading } from './telemetry-repo.js';

export const MAX_RECORDS = 5000;
const MAX_INFLATED_BYTES = 64 * 1024 * 1024;
const TS = /^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)\.(\d{3})Z$/;
const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * Epoch ms of an RFC 3339 UTC time with milliseconds that exists as written (no 30 February, no
 * 24:00), else NaN. From the digits, without a Date round trip: that round trip was most of the
 * validation's time on a batch of 1,000.
 */
export function tsMillis(s: unknown): number {
  const m = typeof s === 'string' ? TS.exec(s) : null;
  if (!m) return NaN;
  const y = +m[1];
  const mo = +m[2];
  const d = +m[3];
  const leap = mo === 2 && (y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0));
  if (mo < 1 || mo > 12 || d < 1 || d > DAYS[mo - 1] + (leap ? 1 : 0) || +m[4] > 23 || +m[5] > 59 || +m[6] > 59) return NaN;
  // Date.UTC reads years 0–99 as 1900–1999: those (refused later as out of range anyway) go the slow way.
  return y < 100 ? Date.parse(s as string) : Date.UTC(y, mo - 1, d, +m[4], +m[5], +m[6], +m[7]);
}
const QUALITIES = new Set(['good', 'uncertain', 'bad']);

type Rejection = BatchAnswer['rejections'][number];

function invalid(errors: FieldError[]) {
  return badRequest('VALIDATION_FAILED', `the batch is not valid: ${errors.slice(0, 5).map((e) => `${e.field} ${e.message}`).join('; ')}`, errors.slice(0, 20));
}

/** A string the database can hold: at most `max` characters, no NUL. */
const text = (v: unknown, max: number): v is string => typeof v === 'string' && v.length <= max && !v.includes('\u0000');

function checkRecord(r: unknown, i: number, prevSeq: number, errors: FieldError[]): void {
  const at = `records[${i}]`;
  const x = r as Partial<TelemetryRecord> | null;
  if (typeof x !== 'object' || x === null || Array.isArray(x)) return void errors.push(fieldError(at, 'NOT_OBJECT', 'must be a record object'));
  if (!text(x.device, 200) || !x.device) errors.push(fieldError(`${at}.device`, 'REQUIRED', 'must be a non-empty string'));
  if (!text(x.point, 200) || !x.point) errors.push(fieldError(`${at}.point`, 'REQUIRED', 'must be a non-empty string'));
  // The time must exist as written (no 30 February, no 24:00): it round-trips through Date.
  if (Number.isNaN(tsMillis(x.ts))) errors.push(fieldError(`${at}.ts`, 'INVALID_FORMAT', 'must be RFC 3339 UTC with milliseconds'));
  const v = x.value;
  if (!(typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v)) || text(v, 1000))) errors.push(fieldError(`${at}.value`, 'INVALID_TYPE', 'must be a number, boolean or string'));
  if (typeof x.quality !== 'string' || !QUALITIES.has(x.quality)) errors.push(fieldError(`${at}.quality`, 'INVALID_VALUE', 'must be good, uncertain or bad'));
  if (x.unit !== undefined && !text(x.unit, 20)) errors.push(fieldError(`${at}.unit`, 'INVALID_TYPE', 'must be a string'));
  if (!Number.isSafeInteger(x.seq) || (x.seq as number) < 1) errors.push(fieldError(`${at}.seq`, 'INVALID_TYPE', 'must be a positive integer'));
  else if ((x.seq as number) <= prevSeq) errors.push(fieldError(`${at}.seq`, 'NOT_INCREASING', 'records must be in strictly increasing seq order'));
}

/** The body as JSON, with what is wrong with it (checked only once the batch is known not to be a replay). */
export function parseBatch(raw: Buffer, encoding: string | undefined): { batchSeq: number; records: TelemetryRecord[]; errors: FieldError[] } {
  let text: Buffer;
  let body: { batchSeq?: unknown; records?: unknown };
  try {
    text = encoding === 'gzip' ? gunzipSync(raw, { maxOutputLength: MAX_INFLATED_BYTES }) : raw;
    body = JSON.parse(text.toString('utf8'));
  } catch {
    throw invalid([fieldError('body', 'MALFORMED', encoding === 'gzip' ? 'is not gzipped JSON' : 'is not JSON')]);
  }
  if (typeof body !== 'object' || body === null || !Number.isSafeInteger(body.batchSeq) || (body.batchSeq as number) < 1) {
    throw invalid([fieldError('batchSeq', 'REQUIRED', 'must be a positive integer')]);
  }
  const errors: FieldError[] = [];
  const records = body.records;
  if (!Array.isArray(records)) errors.push(fieldError('records', 'REQUIRED', 'must be an array'));
  else if (records.length > MAX_RECORDS) errors.push(fieldError('records', 'TOO_MANY', `at most ${MAX_RECORDS} records per batch`));
  else {
    let prev = 0;
    for (let i = 0; i < records.length && errors.length < 20; i++) {
      checkRecord(records[i], i, prev, errors);
      if (Number.isSafeInteger(records[i]?.seq)) prev = records[i].seq;
    }
  }
  for (const k of Object.keys(body)) if (k !== 'batchSeq' && k !== 'records') errors.push(fieldError(k, 'UNKNOWN_FIELD', 'is not a field of a batch'));
  return { batchSeq: body.batchSeq as number, records: errors.length ? [] : (records as TelemetryRecord[]), errors };
}

export async function ingestBatch(db: Database, partitions: TelemetryPartitions, gw: SignedGateway, raw: Buffer, encoding: string | undefined, trace: Trace): Promise<BatchAnswer> {
  const batch = parseBatch(raw, encoding);
  const now = Date.now();
  if (!batch.errors.length) await partitions.ensure(batch.records.map((r) => tsMillis(r.ts)).filter((ms) => tsInRange(ms, now, partitions.maxAgeMs)));
  const sha256 = createHash('sha256').update(raw).digest('hex');
  return db.transaction({ tenantId: gw.tenantId }, async (tx) => {
    // One upload per gateway at a time: the replay check and highestSeq see every earlier batch.
    const locked = await gateways.findGatewayRow(tx, gw.tenantId, { id: gw.id }, true);
    const before = await gateways.findBatch(tx, gw.tenantId, gw.id, batch.batchSeq);
    if (before) {
      if (before.body_sha256 === sha256) return before.answer;
      throw conflict('BATCH_REPLAYED', `batchSeq ${batch.batchSeq} was received before with another body; use a new batchSeq`);
    }
    if (batch.errors.length) throw invalid(batch.errors);
    const answer = await store(tx, gw, batch.records, Number(locked!.highest_seq), now, partitions.maxAgeMs, trace);
    await gateways.insertBatch(tx, gw.tenantId, gw.id, batch.batchSeq, sha256, answer);
    return answer;
  });
}

async function store(tx: Sql, gw: SignedGateway, records: TelemetryRecord[], highestStored: number, now: number, maxAgeMs: number, trace: Trace): Promise<BatchAnswer> {
  const equipment = await repo.findEquipmentByCodes(tx, gw.tenantId, [...new Set(records.map((r) => r.device))]);
  const points = new Map<string, Map<string, EquipmentPoint>>();
  for (const e of equipment.values()) points.set(e.code, new Map(e.points.map((p) => [p.point, p])));
  const rejections: Rejection[] = [];
  const candidates: StoredReading[] = [];
  for (const r of records) {
    const code = rejectionOf(r, equipment.get(r.device), points.get(r.device), gw.id, now, maxAgeMs);
    if (code) rejections.push({ device: r.device, point: r.point, seq: r.seq, code });
    else candidates.push({ equipmentId: equipment.get(r.device)!.id, point: r.point, ts: r.ts, seq: r.seq, value: r.value, quality: r.quality, unit: r.unit ?? points.get(r.device)!.get(r.point)!.unit });
  }
  // In-order delivery, the usual case: every seq above the highest stored is new, and a plain
  // INSERT stores them; a batch reaching below it (a resend) skips what is stored already.
  const storedSeqs = await insertReadings(tx, gw.tenantId, gw.id, candidates, candidates.length > 0 && candidates[0].seq > highestStored);
  const stored = candidates.filter((c) => storedSeqs.has(c.seq));
  await upsertLatest(tx, gw.tenantId, newestPerPoint(stored));
  const byId = new Map([...equipment.values()].map((e) => [e.id, e]));
  await applyStates(tx, gw.tenantId, byId, stored);
  await evaluateAlarms(tx, gw, byId, stored, trace);
  await gateways.countRejections(tx, gw.tenantId, gw.id, countPerDevice(rejections));
  const highestSeq = await gateways.raiseHighestSeq(tx, gw.tenantId, gw.id, stored.reduce((m, r) => Math.max(m, r.seq), 0));
  return {
    accepted: stored.length, duplicates: candidates.length - stored.length, rejected: rejections.length, highestSeq,
    rejections: rejections.slice(0, 100), configVersion: await gateways.configVersion(tx, gw.tenantId, gw.id),
  };
}

function rejectionOf(r: TelemetryRecord, e: Equipment | undefined, points: Map<string, EquipmentPoint> | undefined, gatewayId: string, now: number, maxAgeMs: number): string | undefined {
  if (!e || e.status !== 'active') return 'UNKNOWN_DEVICE';
  if (e.gatewayId && e.gatewayId !== gatewayId) return 'DEVICE_OF_OTHER_GATEWAY';
  const p = points!.get(r.point);
  if (!p) return 'UNKNOWN_POINT';
  if (typeof r.value !== p.type) return 'WRONG_TYPE';
  if (!tsInRange(tsMillis(r.ts), now, maxAgeMs)) return 'TIMESTAMP_OUT_OF_RANGE';
  return undefined;
}

function newestPerPoint(rows: StoredReading[]): StoredReading[] {
  const newest = new Map<string, StoredReading>();
  for (const r of rows) {
    const key = `${r.equipmentId}\u0000${r.point}`;
    const held = newest.get(key);
    if (!held || held.ts <= r.ts) newest.set(key, r);
  }
  return [...newest.values()];
}

function countPerDevice(rejections: Rejection[]) {
  const counts = new Map<string, { device: string; code: string; count: number; lastSeq: number }>();
  for (const r of rejections) {
    const key = `${r.device}\u0000${r.code}`;
    const c = counts.get(key) ?? { device: r.device, code: r.code, count: 0, lastSeq: 0 };
    c.count++;
    c.lastSeq = r.seq;
    counts.set(key, c);
  }
  return [...counts.values()];
}
