/**
 * Authentication of the gateway's signed requests (S1-5.3.8-a, S1-5.2.2.1-a): Ed25519 over
 * "mes-telemetry-v1\n" + x-mes-gateway + "\n" + x-mes-timestamp + "\n" + hex(sha256(body as sent)),
 * checked against the gateway's unrevoked keys, within ±300 s of the server's clock.
 */
import { createHash, createPublicKey, verify, type KeyObject } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { Database } from '../../platform/db.js';
import { MesProblem } from '../../platform/errors.js';
import * as repo from './gateway-repo.js';

export const SIGNING_PREFIX = 'mes-telemetry-v1';
export const SIGNATURE_WINDOW_MS = 300_000;

export interface SignedGateway {
  tenantId: string;
  id: string;
  code: string;
}

const HEADER = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.([A-Za-z0-9_.-]{1,64})$/i;
const SIGNATURE = /^ed25519=([A-Za-z0-9_-]{86})$/;

/** Parsed keys by PEM: a key is parsed once per process, not per request. */
const parsed = new Map<string, KeyObject>();
function keyOf(pem: string): KeyObject {
  let key = parsed.get(pem);
  if (!key) {
    if (parsed.size > 10_000) parsed.clear();
    key = createPublicKey(pem);
    parsed.set(pem, key);
  }
  return key;
}

const refuse = (code: string, detail: string) => new MesProblem(401, code, detail);

/**
 * The gateway a request comes from, or a 401 in the contract's order: GATEWAY_UNKNOWN,
 * SIGNATURE_INVALID, SIGNATURE_EXPIRED.
 */
export async function authenticateGateway(db: Database, headers: IncomingHttpHeaders, body: Buffer, now = Date.now()): Promise<SignedGateway> {
  const header = String(headers['x-mes-gateway'] ?? '');
  const m = HEADER.exec(header);
  if (!m) throw refuse('GATEWAY_UNKNOWN', 'x-mes-gateway must be <tenant id>.<gateway code> of a registered gateway');
  const tenantId = m[1].toLowerCase();
  const found = await db.transaction({ tenantId, readOnly: true }, async (tx) => {
    const row = await repo.findGatewayRow(tx, tenantId, { code: m[2] });
    return row && row.status === 'active' ? { row, keys: await repo.activeKeys(tx, tenantId, row.id) } : undefined;
  });
  if (!found) throw refuse('GATEWAY_UNKNOWN', `no active gateway ${header}`);
  const timestamp = String(headers['x-mes-timestamp'] ?? '');
  const sig = SIGNATURE.exec(String(headers['x-mes-signature'] ?? ''));
  const signed = Buffer.from(`${SIGNING_PREFIX}\n${header}\n${timestamp}\n${createHash('sha256').update(body).digest('hex')}`, 'utf8');
  const valid = sig !== null && found.keys.some((pem) => verify(null, signed, keyOf(pem), Buffer.from(sig[1], 'base64url')));
  if (!valid) throw refuse('SIGNATURE_INVALID', 'x-mes-signature is not a valid Ed25519 signature of this request by a key of this gateway');
  const at = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?(Z|[+-]\d\d:\d\d)$/.test(timestamp) ? Date.parse(timestamp) : NaN;
  if (!(Math.abs(at - now) <= SIGNATURE_WINDOW_MS)) {
    throw refuse('SIGNATURE_EXPIRED', `x-mes-timestamp ${timestamp} is more than ${SIGNATURE_WINDOW_MS / 1000} s from the server's clock (${new Date(now).toISOString()}); check the gateway's NTP`);
  }
  return { tenantId, id: found.row.id, code: found.row.code };
}
