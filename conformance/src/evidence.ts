/**
 * Evidence bundles: `<time>_mes_<runid>.tar.gz` holding one folder of the same name. Its
 * `manifest.json` lists the SHA-256 of every other file; `manifest.sig` is the Ed25519 signature of
 * manifest.json's exact bytes (base64); `signer.pub.pem` is the public key it verifies with.
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as tar from 'tar';

export const MANIFEST = 'manifest.json';
export const SIGNATURE = 'manifest.sig';
export const PUBLIC_KEY = 'signer.pub.pem';

/** JSON with object keys sorted at every level: the same data always gives the same bytes. */
export function canonicalJson(value: unknown): string {
  return `${JSON.stringify(sortKeys(value), null, 2)}\n`;
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object') return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortKeys((v as Record<string, unknown>)[k])]));
  return v;
}

export const sha256 = (data: Uint8Array | string) => createHash('sha256').update(data).digest('hex');

export interface SigningKey {
  privateKey: KeyObject;
  publicPem: string;
  fingerprint: string;
  path: string;
  generated: boolean;
}

/** The Ed25519 key at `file` (PKCS#8 PEM); generated and written there (mode 600) when absent. */
export function loadOrCreateSigningKey(file: string): SigningKey {
  let generated = false;
  if (!existsSync(file)) {
    const { privateKey } = generateKeyPairSync('ed25519');
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
    generated = true;
  }
  const privateKey = createPrivateKey(readFileSync(file));
  if (privateKey.asymmetricKeyType !== 'ed25519') throw new Error(`${file} is a ${privateKey.asymmetricKeyType} key; the evidence is signed with Ed25519`);
  const publicKey = createPublicKey(privateKey);
  return { privateKey, publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(), fingerprint: fingerprintOf(publicKey), path: file, generated };
}

export function fingerprintOf(key: KeyObject): string {
  return `SHA256:${createHash('sha256').update(key.export({ type: 'spki', format: 'der' })).digest('base64').replace(/=+$/, '')}`;
}

function listFiles(dir: string, base = dir): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) out.push(...listFiles(full, base));
    else out.push(path.relative(base, full).split(path.sep).join('/'));
  }
  return out;
}

/** Writes signer.pub.pem, manifest.json and manifest.sig into `dir`, then packs it as `<dir>.tar.gz` in outDir. */
export async function sealBundle(dir: string, outDir: string, key: SigningKey, meta: Record<string, unknown>): Promise<string> {
  writeFileSync(path.join(dir, PUBLIC_KEY), key.publicPem);
  const files: Record<string, string> = {};
  for (const f of listFiles(dir)) if (f !== MANIFEST && f !== SIGNATURE) files[f] = sha256(readFileSync(path.join(dir, f)));
  const manifest = canonicalJson({ ...meta, algorithm: 'sha256', signature: { algorithm: 'ed25519', publicKeyFingerprint: key.fingerprint }, files });
  writeFileSync(path.join(dir, MANIFEST), manifest);
  writeFileSync(path.join(dir, SIGNATURE), `${sign(null, Buffer.from(manifest), key.privateKey).toString('base64')}\n`);
  mkdirSync(outDir, { recursive: true });
  const name = path.basename(dir);
  const file = path.join(outDir, `${name}.tar.gz`);
  await tar.c({ gzip: true, file, cwd: path.dirname(dir), portable: true }, [name]);
  return file;
}

export interface VerifyResult {
  ok: boolean;
  bundle: string;
  signature: 'valid' | 'invalid' | 'missing';
  /** Whose key the signature was checked with: the bundled key or one given by the caller. */
  keySource: 'bundled' | 'given';
  publicKeyFingerprint?: string;
  files: { checked: number; mismatched: string[]; missing: string[]; unlisted: string[] };
  problems: string[];
}

/** Unpacks a bundle into a temporary directory; call remove() when done. */
export async function openBundle(file: string): Promise<{ dir: string; remove(): void }> {
  if (!existsSync(file)) throw new Error(`no bundle at ${file}`);
  const tmp = mkdtempSync(path.join(tmpdir(), 'mes-evidence-'));
  try {
    await tar.x({ file, cwd: tmp, strict: true });
  } catch (err) {
    rmSync(tmp, { recursive: true, force: true });
    throw new Error(`${file} is not a readable .tar.gz bundle: ${(err as Error).message}`);
  }
  const tops = readdirSync(tmp);
  if (tops.length !== 1 || !statSync(path.join(tmp, tops[0])).isDirectory()) {
    rmSync(tmp, { recursive: true, force: true });
    throw new Error(`${file} does not hold exactly one bundle folder`);
  }
  return { dir: path.join(tmp, tops[0]), remove: () => rmSync(tmp, { recursive: true, force: true }) };
}

/** Checks the signature of manifest.json, then every file's digest, and that no file is unlisted. */
export async function verifyBundle(file: string, opts: { publicKeyPem?: string } = {}): Promise<VerifyResult> {
  const { dir, remove } = await openBundle(file);
  try {
    const result: VerifyResult = { ok: false, bundle: file, signature: 'missing', keySource: opts.publicKeyPem ? 'given' : 'bundled', files: { checked: 0, mismatched: [], missing: [], unlisted: [] }, problems: [] };
    const manifestPath = path.join(dir, MANIFEST);
    if (!existsSync(manifestPath)) {
      result.problems.push(`${MANIFEST} is missing`);
      return result;
    }
    const manifestBytes = readFileSync(manifestPath);
    const pem = opts.publicKeyPem ?? (existsSync(path.join(dir, PUBLIC_KEY)) ? readFileSync(path.join(dir, PUBLIC_KEY), 'utf8') : undefined);
    const sigPath = path.join(dir, SIGNATURE);
    if (!pem) result.problems.push(`no public key: ${PUBLIC_KEY} is missing and none was given`);
    else if (!existsSync(sigPath)) result.problems.push(`${SIGNATURE} is missing`);
    else {
      const pub = createPublicKey(pem);
      result.publicKeyFingerprint = fingerprintOf(pub);
      const good = verify(null, manifestBytes, pub, Buffer.from(readFileSync(sigPath, 'utf8').trim(), 'base64'));
      result.signature = good ? 'valid' : 'invalid';
      if (!good) result.problems.push(`the signature in ${SIGNATURE} does not match ${MANIFEST} under key ${result.publicKeyFingerprint}`);
    }
    let manifest: { files?: Record<string, string> };
    try {
      manifest = JSON.parse(manifestBytes.toString('utf8'));
    } catch {
      result.problems.push(`${MANIFEST} is not JSON`);
      return result;
    }
    const listed = manifest.files ?? {};
    for (const [f, digest] of Object.entries(listed)) {
      const full = path.join(dir, f);
      if (!full.startsWith(dir + path.sep) || !existsSync(full)) {
        result.files.missing.push(f);
        result.problems.push(`${f} is listed in the manifest but missing`);
        continue;
      }
      result.files.checked++;
      if (sha256(readFileSync(full)) !== digest) {
        result.files.mismatched.push(f);
        result.problems.push(`${f} does not match its SHA-256 in the manifest`);
      }
    }
    for (const f of listFiles(dir)) {
      if (f !== MANIFEST && f !== SIGNATURE && !(f in listed)) {
        result.files.unlisted.push(f);
        result.problems.push(`${f} is in the bundle but not in the manifest`);
      }
    }
    result.ok = result.signature === 'valid' && result.problems.length === 0;
    return result;
  } finally {
    remove();
  }
}

/** results.json of a bundle (not verified: call verifyBundle for that). */
export async function readBundleResults(file: string): Promise<any> {
  const { dir, remove } = await openBundle(file);
  try {
    return JSON.parse(readFileSync(path.join(dir, 'results.json'), 'utf8'));
  } finally {
    remove();
  }
}
