import { createHash, randomBytes, scrypt as scryptCb, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';

const scrypt = promisify(scryptCb) as (pw: string, salt: Buffer, len: number, opts: object) => Promise<Buffer>;

/**
 * API keys read `mes_<tenant>_<key>_<secret>`: the tenant and key ids (hex UUIDs) let the server
 * load the key inside its tenant's row-level-security scope; only a SHA-256 of the secret is
 * stored. The secret carries 256 random bits, so a fast hash is enough.
 */
export interface ParsedApiKey {
  tenantId: string;
  keyId: string;
  secret: string;
}

const KEY_FORMAT = /^mes_([0-9a-f]{32})_([0-9a-f]{32})_([A-Za-z0-9_-]{43})$/;

export function newApiKeySecret(): string {
  return randomBytes(32).toString('base64url');
}

export function formatApiKey(tenantId: string, keyId: string, secret: string): string {
  return `mes_${tenantId.replace(/-/g, '')}_${keyId.replace(/-/g, '')}_${secret}`;
}

export function parseApiKey(token: string): ParsedApiKey | undefined {
  const m = KEY_FORMAT.exec(token);
  if (!m) return undefined;
  return { tenantId: hexToUuid(m[1]), keyId: hexToUuid(m[2]), secret: m[3] };
}

export function looksLikeApiKey(token: string): boolean {
  return token.startsWith('mes_');
}

function hexToUuid(h: string): string {
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

export function secretMatches(secret: string, storedHash: string): boolean {
  const a = Buffer.from(hashSecret(secret), 'hex');
  const b = Buffer.from(storedHash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}

// Passwords are low-entropy, so they get a slow, salted hash: scrypt, N=2^15.
const SCRYPT = { N: 32768, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, 32, SCRYPT);
  return `scrypt$${SCRYPT.N}$${SCRYPT.r}$${SCRYPT.p}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

export async function verifyPassword(password: string, stored: string | null): Promise<boolean> {
  // Compare against a throwaway hash when there is no user, so timing does not reveal usernames.
  const [scheme, n, r, p, salt, expected] = (stored ?? `scrypt$32768$8$1$${'A'.repeat(22)}$${'A'.repeat(43)}`).split('$');
  if (scheme !== 'scrypt') return false;
  const key = await scrypt(password, Buffer.from(salt, 'base64url'), 32, { N: Number(n), r: Number(r), p: Number(p), maxmem: SCRYPT.maxmem });
  const want = Buffer.from(expected, 'base64url');
  return stored !== null && key.length === want.length && timingSafeEqual(key, want);
}
