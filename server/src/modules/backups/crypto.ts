/**
 * Encryption and signatures of backup files.
 *
 * Files are encrypted with AES-256-GCM in chunks, so they stream in constant memory:
 * `MESENC01` + an 8-byte random nonce prefix, then chunks of [u32 length | final flag in the top
 * bit][ciphertext][16-byte tag]. A chunk's IV is the prefix and its index; its additional data is
 * the file's name, its index and the final flag, so chunks cannot be reordered, moved to another
 * file or cut off after a chunk boundary without the tag failing. The key comes from a passphrase
 * through scrypt (salt and cost in the manifest) or is a 32-byte key file.
 */
import { createCipheriv, createDecipheriv, createHash, createHmac, createPublicKey, randomBytes, scryptSync, sign, timingSafeEqual, verify, type KeyObject } from 'node:crypto';
import { BackupError } from './errors.js';

export interface EncryptionInfo {
  algorithm: 'aes-256-gcm';
  kdf: { name: 'scrypt'; salt: string; N: number; r: number; p: number } | { name: 'key-file' };
  chunkBytes: number;
  /** HMAC-SHA256 of a fixed text under the key: tells a wrong passphrase from a damaged file. */
  keyCheck: string;
}

/** Where the key comes from: a passphrase, or the contents of a key file. */
export type KeySource = { passphrase: string } | { keyFile: Buffer };

const MAGIC = Buffer.from('MESENC01');
const TAG_BYTES = 16;
const CHUNK_BYTES = 1024 * 1024;
const FINAL = 0x8000_0000;
const SCRYPT = { N: 2 ** 15, r: 8, p: 1 };

const keyCheckOf = (key: Buffer) => createHmac('sha256', key).update('mes-backup key check').digest('hex');

function keyFromFile(contents: Buffer): Buffer {
  if (contents.length === 32) return contents;
  const decoded = Buffer.from(contents.toString('utf8').trim(), 'base64');
  if (decoded.length !== 32) throw new BackupError('BACKUP_KEY_INVALID', 'a key file holds 32 random bytes, raw or base64 (openssl rand -base64 32)');
  return decoded;
}

function derive(source: KeySource, kdf: EncryptionInfo['kdf']): Buffer {
  if (kdf.name === 'key-file') {
    if (!('keyFile' in source)) throw new BackupError('BACKUP_KEY_MISSING', 'this backup was encrypted with a key file: pass --key-file');
    return keyFromFile(source.keyFile);
  }
  if (!('passphrase' in source)) throw new BackupError('BACKUP_KEY_MISSING', 'this backup was encrypted with a passphrase: pass --passphrase-file or set MES_BACKUP_PASSPHRASE');
  return scryptSync(source.passphrase, Buffer.from(kdf.salt, 'base64'), 32, { N: kdf.N, r: kdf.r, p: kdf.p, maxmem: 128 * kdf.N * kdf.r * 2 });
}

/** A fresh key for a new backup, and what the manifest records about it. */
export function newEncryption(source: KeySource): { info: EncryptionInfo; key: Buffer } {
  const kdf: EncryptionInfo['kdf'] = 'keyFile' in source ? { name: 'key-file' } : { name: 'scrypt', salt: randomBytes(16).toString('base64'), ...SCRYPT };
  const key = derive(source, kdf);
  return { info: { algorithm: 'aes-256-gcm', kdf, chunkBytes: CHUNK_BYTES, keyCheck: keyCheckOf(key) }, key };
}

/** The key of an existing backup; a wrong passphrase or key file is refused before any file is read. */
export function unlock(info: EncryptionInfo, source: KeySource | undefined): Buffer {
  if (!source) throw new BackupError('BACKUP_KEY_MISSING', `this backup is encrypted: pass --${info.kdf.name === 'key-file' ? 'key-file' : 'passphrase-file (or set MES_BACKUP_PASSPHRASE)'}`);
  const key = derive(source, info.kdf);
  const expected = Buffer.from(info.keyCheck, 'hex');
  const actual = Buffer.from(keyCheckOf(key), 'hex');
  if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) {
    throw new BackupError('BACKUP_PASSPHRASE_WRONG', `the ${info.kdf.name === 'key-file' ? 'key file' : 'passphrase'} does not open this backup`);
  }
  return key;
}

const aad = (file: string, index: number, final: boolean) => Buffer.from(`${file}\0${index}\0${final ? 1 : 0}`);
const ivOf = (prefix: Buffer, index: number) => {
  const iv = Buffer.alloc(12);
  prefix.copy(iv, 0, 0, 8);
  iv.writeUInt32BE(index, 8);
  return iv;
};

/** Encrypts the file `file` of a backup as its bytes arrive: push() what comes, end() once. */
export class FileEncryptor {
  private readonly prefix = randomBytes(8);
  private index = 0;
  private pending: Buffer = Buffer.alloc(0);
  private started = false;

  constructor(private readonly key: Buffer, private readonly file: string) {}

  push(chunk: Buffer): Buffer[] {
    const out = this.header();
    this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    while (this.pending.length > CHUNK_BYTES) {
      out.push(this.seal(this.pending.subarray(0, CHUNK_BYTES), false));
      this.pending = this.pending.subarray(CHUNK_BYTES);
    }
    return out;
  }

  end(): Buffer[] {
    return [...this.header(), this.seal(this.pending, true)];
  }

  private header(): Buffer[] {
    if (this.started) return [];
    this.started = true;
    return [Buffer.concat([MAGIC, this.prefix])];
  }

  private seal(plain: Buffer, final: boolean): Buffer {
    const cipher = createCipheriv('aes-256-gcm', this.key, ivOf(this.prefix, this.index));
    cipher.setAAD(aad(this.file, this.index++, final));
    const body = Buffer.concat([cipher.update(plain), cipher.final()]);
    const head = Buffer.alloc(4);
    head.writeUInt32BE((plain.length | (final ? FINAL : 0)) >>> 0);
    return Buffer.concat([head, body, cipher.getAuthTag()]);
  }
}

/** Decrypts the file `file`; a cut-off, altered or reordered file fails with the file's name. */
export async function* decrypt(source: AsyncIterable<Buffer>, key: Buffer, file: string): AsyncGenerator<Buffer> {
  let buf: Buffer = Buffer.alloc(0);
  let prefix: Buffer | undefined;
  let index = 0;
  let done = false;
  const truncated = () => new BackupError('BACKUP_FILE_TRUNCATED', `${file} ends before its last encrypted chunk: the file was cut off`, file);
  for await (const chunk of source) {
    buf = buf.length ? Buffer.concat([buf, chunk]) : chunk;
    if (!prefix) {
      if (buf.length < 16) continue;
      if (!buf.subarray(0, 8).equals(MAGIC)) throw new BackupError('BACKUP_FILE_CORRUPT', `${file} is not an encrypted backup file (bad header)`, file);
      prefix = Buffer.from(buf.subarray(8, 16));
      buf = buf.subarray(16);
    }
    for (;;) {
      if (buf.length < 4) break;
      if (done) throw new BackupError('BACKUP_FILE_CORRUPT', `${file} has data after its last chunk`, file);
      const head = buf.readUInt32BE(0);
      const length = head & ~FINAL;
      const final = (head & FINAL) !== 0;
      if (length > CHUNK_BYTES) throw new BackupError('BACKUP_FILE_CORRUPT', `${file}: chunk ${index} claims ${length} bytes`, file);
      if (buf.length < 4 + length + TAG_BYTES) break;
      const decipher = createDecipheriv('aes-256-gcm', key, ivOf(prefix, index));
      decipher.setAAD(aad(file, index, final));
      decipher.setAuthTag(buf.subarray(4 + length, 4 + length + TAG_BYTES));
      let plain: Buffer;
      try {
        plain = Buffer.concat([decipher.update(buf.subarray(4, 4 + length)), decipher.final()]);
      } catch {
        throw new BackupError('BACKUP_FILE_CORRUPT', `${file}: encrypted chunk ${index} fails its authentication tag (the file was altered)`, file);
      }
      buf = buf.subarray(4 + length + TAG_BYTES);
      index++;
      done = final;
      if (plain.length) yield plain;
    }
  }
  if (!prefix || !done) throw truncated();
  if (buf.length) throw new BackupError('BACKUP_FILE_CORRUPT', `${file} has data after its last chunk`, file);
}

export function fingerprintOf(key: KeyObject): string {
  return `SHA256:${createHash('sha256').update(key.export({ type: 'spki', format: 'der' })).digest('base64').replace(/=+$/, '')}`;
}

export const signBytes = (bytes: Buffer, privateKey: KeyObject) => sign(null, bytes, privateKey).toString('base64');

/** Whether `signature` (base64) is the Ed25519 signature of `bytes` under the PEM public key. */
export function signatureValid(bytes: Buffer, signature: string, publicPem: string): { valid: boolean; fingerprint: string } {
  const key = createPublicKey(publicPem);
  return { valid: verify(null, bytes, key, Buffer.from(signature.trim(), 'base64')), fingerprint: fingerprintOf(key) };
}
