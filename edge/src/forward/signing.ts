import { createHash, createPrivateKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Request signing of the telemetry contract: Ed25519 over
 * "mes-telemetry-v1\n" + gateway header + "\n" + timestamp + "\n" + hex(sha256(body as sent)).
 */
export const SIGNING_PREFIX = 'mes-telemetry-v1';

export function signedString(gateway: string, timestamp: string, body: Uint8Array): string {
  return `${SIGNING_PREFIX}\n${gateway}\n${timestamp}\n${createHash('sha256').update(body).digest('hex')}`;
}

/** The three authentication headers of a signed request. */
export function signatureHeaders(key: KeyObject, gateway: string, body: Uint8Array, now = new Date()): Record<string, string> {
  const timestamp = now.toISOString();
  const signature = sign(null, Buffer.from(signedString(gateway, timestamp, body), 'utf8'), key).toString('base64url');
  return { 'x-mes-gateway': gateway, 'x-mes-timestamp': timestamp, 'x-mes-signature': `ed25519=${signature}` };
}

/** The receiving side's check (used by tests and tools): true when the signature is the gateway's. */
export function verifySignature(publicKey: KeyObject | string, gateway: string, timestamp: string, body: Uint8Array, header: string): boolean {
  const m = /^ed25519=([A-Za-z0-9_-]+)$/.exec(header);
  if (!m) return false;
  return verify(null, Buffer.from(signedString(gateway, timestamp, body), 'utf8'), publicKey, Buffer.from(m[1], 'base64url'));
}

export function loadPrivateKey(file: string): KeyObject {
  const key = createPrivateKey(readFileSync(file));
  if (key.asymmetricKeyType !== 'ed25519') throw new Error(`${file}: expected an Ed25519 private key, found ${key.asymmetricKeyType}`);
  return key;
}

/** A new key pair: the private key written to `file` with mode 0600, the public key PEM (SPKI) returned. */
export function createKeyFile(file: string): { publicKeyPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600, flag: 'wx' });
  chmodSync(file, 0o600);
  return { publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString() };
}

