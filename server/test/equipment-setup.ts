/**
 * Equipment test setup through the API: a tenant with a plant model (workshop, line, work centre,
 * station), a registered gateway with its Ed25519 key, and a client that signs requests the way
 * the telemetry contract says (written here from the contract, independent of the server's code).
 */
import { createHash, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { call, createTenant, type TestServer } from './harness.js';

export type Api = (method: string, path: string, body?: unknown, headers?: Record<string, string>) => Promise<{ status: number; body: any; headers: Headers }>;

export function keyPair() {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return { privateKey, publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString() };
}

export async function equipmentTenant(t: TestServer, slug: string) {
  const tenant = await createTenant(t, slug);
  const as: Api = (method, path, body, headers) => call(t.url, tenant.key, method, path, body, headers);
  const make = async (path: string, body?: unknown) => {
    const res = await as('POST', path, body);
    if (res.status !== 201 && res.status !== 200) throw new Error(`${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };
  const calendar = await make('/v1/calendars', { code: 'CAL', name: 'Standard', shifts: [1, 2, 3, 4, 5].map((weekday) => ({ weekday, start: '08:00', end: '17:00' })) });
  const plant = await make('/v1/plants', { code: 'P1', name: 'Plant 1', calendarId: calendar.id });
  const workshop = await make('/v1/workshops', { code: 'WS-MACH', name: 'Machining', plantId: plant.id });
  const otherWorkshop = await make('/v1/workshops', { code: 'WS-PAINT', name: 'Paint', plantId: plant.id });
  const line = await make('/v1/production-lines', { code: 'L1', name: 'Line 1', workshopCode: 'WS-MACH' });
  const workCentre = await make('/v1/work-centres', { code: 'WC-CNC', name: 'CNC', lineCode: 'L1', capacityUnit: 'machine_hours' });
  const station = await make('/v1/stations', { code: 'ST-1', name: 'Station 1', workCentreId: workCentre.id });
  return { ...tenant, as, make, plant, workshop, otherWorkshop, line, workCentre, station };
}

export type EquipmentTenant = Awaited<ReturnType<typeof equipmentTenant>>;

/** Registers a gateway with a new key pair; returns what the gateway would hold. */
export async function registerGateway(T: EquipmentTenant, code: string) {
  const key = keyPair();
  const res = await T.as('POST', '/v1/gateways', { code, name: `Gateway ${code}`, siteId: T.plant.id, publicKey: key.publicKeyPem });
  if (res.status !== 201) throw new Error(`gateway: ${res.status} ${JSON.stringify(res.body)}`);
  return { gateway: res.body, header: `${T.id}.${code}`, ...key };
}

export interface SignOptions { key: KeyObject; header: string; at?: Date; gzip?: boolean; signature?: string }

/** A request signed per the contract: Ed25519 over prefix, gateway, timestamp and sha256 of the body as sent. */
export async function signedCall(baseUrl: string, method: 'GET' | 'POST', path: string, body: unknown, o: SignOptions) {
  const json = body === undefined ? Buffer.alloc(0) : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
  const sent = o.gzip && json.length ? gzipSync(json) : json;
  const timestamp = (o.at ?? new Date()).toISOString();
  const text = `mes-telemetry-v1\n${o.header}\n${timestamp}\n${createHash('sha256').update(sent).digest('hex')}`;
  const signature = o.signature ?? `ed25519=${sign(null, Buffer.from(text), o.key).toString('base64url')}`;
  const res = await fetch(baseUrl + path, {
    method,
    headers: {
      'x-mes-gateway': o.header, 'x-mes-timestamp': timestamp, 'x-mes-signature': signature,
      ...(method === 'POST' ? { 'content-type': 'application/json' } : {}), ...(o.gzip && json.length ? { 'content-encoding': 'gzip' } : {}),
    },
    body: method === 'POST' ? sent : undefined,
  });
  const text2 = await res.text();
  return { status: res.status, body: text2 ? JSON.parse(text2) : undefined, contentType: res.headers.get('content-type') };
}

export const rec = (device: string, point: string, ts: number, value: number | boolean | string, seq: number, quality = 'good') =>
  ({ device, point, ts: new Date(ts).toISOString(), value, quality, seq });
