/**
 * A backup on disk: one directory named by the backup's id, holding
 *
 *   manifest.json    what the backup holds (canonical JSON), every file's size and SHA-256
 *   manifest.sig     Ed25519 signature of manifest.json's bytes (base64)
 *   signer.pub.pem   the public key it verifies with
 *   tables/NNN-<table>.copy.gz[.enc]   each table's COPY text, gzip, encrypted with --encrypt
 *
 * It is written as `<id>.partial` and renamed when complete, so a backup that failed midway is
 * never taken for one that succeeded. Reading verifies the signature first, then each file's
 * size and hash (checkFiles), or on the fly while a table streams (table()).
 */
import { createHash, createPublicKey, type KeyObject } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { mkdir, open, readFile, rename, rm, stat, writeFile, type FileHandle } from 'node:fs/promises';
import { once } from 'node:events';
import path from 'node:path';
import { createGunzip } from 'node:zlib';
import { canonicalJson } from '../../platform/canonical-json.js';
import { decrypt, fingerprintOf, FileEncryptor, signatureValid, signBytes, unlock, type EncryptionInfo, type KeySource } from './crypto.js';
import type { DumpSink } from './dump.js';
import { BackupError } from './errors.js';
import { parseManifest, tenantManifest, type BackupManifest, type DumpManifest, type TableEntry } from './manifest.js';

export const MANIFEST = 'manifest.json';
export const SIGNATURE = 'manifest.sig';
export const PUBLIC_KEY = 'signer.pub.pem';

/** A backup to restore from: its manifest and each table's COPY text, in manifest order. */
export interface BackupSource {
  manifest: BackupManifest;
  table(entry: TableEntry): AsyncIterable<Buffer>;
}

/** The manifest as stored: canonical JSON with two-space indentation, one trailing newline. */
export const manifestBytes = (m: BackupManifest) => Buffer.from(`${JSON.stringify(JSON.parse(canonicalJson(m)), null, 2)}\n`);

/** A file's name as stored: encrypted files end in .enc. */
export const storedName = (m: Pick<BackupManifest, 'encryption'>, file: string) => (m.encryption ? `${file}.enc` : file);

export interface WriterOptions {
  /** The directory the backup goes into (`<destination>/<id>`): created, must not exist. */
  dir: (id: string) => string;
  encryption?: { info: EncryptionInfo; key: Buffer };
  signingKey: KeyObject;
  tool: { name: string; version: string };
}

interface OpenFile {
  name: string;
  handle: FileHandle;
  hash: ReturnType<typeof createHash>;
  bytes: number;
  encryptor?: FileEncryptor;
}

/** Writes a backup as the dump streams it: a DumpSink, then finish() with the dump's manifest. */
export class BackupSetWriter implements DumpSink {
  private readonly staging: string;
  private current?: OpenFile;
  private readonly files: BackupManifest['files'] = {};
  private bytesWritten = 0;

  private constructor(private readonly opts: WriterOptions, private readonly parent: string) {
    this.staging = path.join(parent, `.partial-${process.pid}-${Date.now()}`);
  }

  /** Prepares a writer whose backups land in the directory `opts.dir(id)` chooses. */
  static async create(opts: WriterOptions): Promise<BackupSetWriter> {
    const parent = path.dirname(opts.dir('x'));
    await mkdir(parent, { recursive: true });
    const writer = new BackupSetWriter(opts, parent);
    await mkdir(writer.staging, { recursive: true });
    return writer;
  }

  /** Bytes written so far (compressed, encrypted): for progress. */
  get bytes(): number {
    return this.bytesWritten;
  }

  async data(file: string, chunk: Buffer): Promise<void> {
    const name = this.opts.encryption ? `${file}.enc` : file;
    if (this.current?.name !== name) {
      await this.closeFile();
      const full = path.join(this.staging, name);
      await mkdir(path.dirname(full), { recursive: true });
      this.current = { name, handle: await open(full, 'wx'), hash: createHash('sha256'), bytes: 0, encryptor: this.opts.encryption && new FileEncryptor(this.opts.encryption.key, name) };
    }
    await this.put(this.current.encryptor ? this.current.encryptor.push(chunk) : [chunk]);
  }

  /** Completes the backup: manifest, signature, then the rename that makes it visible. */
  async finish(dump: DumpManifest): Promise<{ manifest: BackupManifest; dir: string }> {
    await this.closeFile();
    const manifest: BackupManifest = { ...dump, tool: this.opts.tool, encryption: this.opts.encryption?.info ?? null, files: this.files };
    const bytes = manifestBytes(manifest);
    const publicKey = createPublicKey(this.opts.signingKey);
    await writeFile(path.join(this.staging, MANIFEST), bytes);
    await writeFile(path.join(this.staging, SIGNATURE), `${signBytes(bytes, this.opts.signingKey)}\n`);
    await writeFile(path.join(this.staging, PUBLIC_KEY), publicKey.export({ type: 'spki', format: 'pem' }));
    const dir = this.opts.dir(manifest.id);
    await rename(this.staging, dir);
    return { manifest, dir };
  }

  /** Removes what was written; the destination holds no trace of the failed backup. */
  async abort(): Promise<void> {
    await this.current?.handle.close().catch(() => {});
    this.current = undefined;
    await rm(this.staging, { recursive: true, force: true });
  }

  private async put(parts: Buffer[]): Promise<void> {
    const f = this.current!;
    for (const part of parts) {
      f.hash.update(part);
      f.bytes += part.length;
      this.bytesWritten += part.length;
      await f.handle.write(part);
    }
  }

  private async closeFile(): Promise<void> {
    const f = this.current;
    if (!f) return;
    if (f.encryptor) await this.put(f.encryptor.end());
    await f.handle.sync();
    await f.handle.close();
    this.files[f.name] = { bytes: f.bytes, sha256: f.hash.digest('hex') };
    this.current = undefined;
  }
}

export interface ReaderOptions {
  /** The passphrase or key file of an encrypted backup. */
  key?: KeySource;
  /** Only this signer is accepted (a fingerprint `SHA256:…`); by default, the bundled key is used. */
  trustedSigner?: string;
}

/** An opened backup: its manifest is signed by `signer` and, if encrypted, `key` opens it. */
export class BackupSetReader implements BackupSource {
  private constructor(
    readonly dir: string,
    readonly manifest: BackupManifest,
    readonly signer: string,
    private readonly key: Buffer | undefined,
  ) {}

  static async open(dir: string, opts: ReaderOptions = {}): Promise<BackupSetReader> {
    if (!existsSync(dir)) throw new BackupError('BACKUP_NOT_FOUND', `no backup at ${dir}`);
    const read = async (name: string, code: 'BACKUP_MANIFEST_MISSING' | 'BACKUP_SIGNATURE_INVALID') => {
      try {
        return await readFile(path.join(dir, name));
      } catch {
        throw new BackupError(code, `${name} is missing from ${dir}`, name);
      }
    };
    const bytes = await read(MANIFEST, 'BACKUP_MANIFEST_MISSING');
    const signature = (await read(SIGNATURE, 'BACKUP_SIGNATURE_INVALID')).toString('utf8');
    const pem = (await read(PUBLIC_KEY, 'BACKUP_SIGNATURE_INVALID')).toString('utf8');
    let check: { valid: boolean; fingerprint: string };
    try {
      check = signatureValid(bytes, signature, pem);
    } catch (err) {
      throw new BackupError('BACKUP_SIGNATURE_INVALID', `${SIGNATURE} or ${PUBLIC_KEY} cannot be read: ${(err as Error).message}`, SIGNATURE);
    }
    if (!check.valid) throw new BackupError('BACKUP_SIGNATURE_INVALID', `${SIGNATURE} is not a signature of ${MANIFEST} under ${check.fingerprint}: the manifest was changed after it was signed`, MANIFEST);
    if (opts.trustedSigner && opts.trustedSigner !== check.fingerprint) {
      throw new BackupError('BACKUP_SIGNER_UNTRUSTED', `${MANIFEST} is signed by ${check.fingerprint}, not by the trusted key ${opts.trustedSigner}`, SIGNATURE);
    }
    const manifest = parseManifest(bytes);
    const key = manifest.encryption ? unlock(manifest.encryption, opts.key) : undefined;
    return new BackupSetReader(dir, manifest, check.fingerprint, key);
  }

  /** Every listed file is there, whole and unchanged: sizes first, then SHA-256. */
  async checkFiles(onFile?: (name: string) => void): Promise<void> {
    for (const [name, expected] of Object.entries(this.manifest.files)) {
      const full = path.join(this.dir, name);
      const size = await stat(full).then((s) => s.size, () => undefined);
      if (size === undefined) throw new BackupError('BACKUP_FILE_MISSING', `${name} is listed in the manifest but missing`, name);
      if (size < expected.bytes) throw new BackupError('BACKUP_FILE_TRUNCATED', `${name} has ${size} bytes, the manifest says ${expected.bytes}: the file was cut off`, name);
      if (size > expected.bytes) throw new BackupError('BACKUP_FILE_CORRUPT', `${name} has ${size} bytes, the manifest says ${expected.bytes}`, name);
      const hash = createHash('sha256');
      for await (const chunk of createReadStream(full, { highWaterMark: 1024 * 1024 })) hash.update(chunk as Buffer);
      if (hash.digest('hex') !== expected.sha256) throw new BackupError('BACKUP_FILE_CORRUPT', `${name} does not match its SHA-256 in the manifest: the file was altered`, name);
      onFile?.(name);
    }
  }

  /** The table's COPY text: the file read, checked against its size and hash, decrypted, decompressed. */
  table(entry: TableEntry): AsyncIterable<Buffer> {
    const name = storedName(this.manifest, entry.file);
    const expected = this.manifest.files[name];
    if (!expected) throw new BackupError('BACKUP_MANIFEST_INVALID', `${entry.name}'s file ${name} is not listed in the manifest`, MANIFEST);
    const full = path.join(this.dir, name);
    async function* raw(): AsyncGenerator<Buffer> {
      const hash = createHash('sha256');
      let bytes = 0;
      try {
        for await (const chunk of createReadStream(full, { highWaterMark: 1024 * 1024 })) {
          hash.update(chunk as Buffer);
          bytes += (chunk as Buffer).length;
          yield chunk as Buffer;
        }
      } catch (err) {
        if ((err as { code?: string }).code === 'ENOENT') throw new BackupError('BACKUP_FILE_MISSING', `${name} is listed in the manifest but missing`, name);
        throw err;
      }
      if (bytes < expected.bytes) throw new BackupError('BACKUP_FILE_TRUNCATED', `${name} has ${bytes} bytes, the manifest says ${expected.bytes}: the file was cut off`, name);
      if (bytes > expected.bytes || hash.digest('hex') !== expected.sha256) throw new BackupError('BACKUP_FILE_CORRUPT', `${name} does not match its SHA-256 in the manifest: the file was altered`, name);
    }
    const plain = this.key ? decrypt(raw(), this.key, name) : raw();
    return gunzip(plain, name);
  }

  /** This backup narrowed to one tenant (its rows cut out of an instance backup's files). */
  forTenant(tenantId: string): BackupSource {
    return narrow(this, tenantId);
  }
}

/** Decompresses a gzip stream; damage is reported as a BackupError naming the file. */
export async function* gunzip(source: AsyncIterable<Buffer>, file: string): AsyncGenerator<Buffer> {
  const z = createGunzip({ chunkSize: 256 * 1024 });
  const feed = (async () => {
    for await (const chunk of source) if (!z.write(chunk)) await once(z, 'drain');
    z.end();
  })();
  feed.catch((err) => z.destroy(err));
  try {
    for await (const out of z) yield out as Buffer;
  } catch (err) {
    if (err instanceof BackupError) throw err;
    const truncated = /unexpected end/i.test((err as Error).message);
    throw new BackupError(truncated ? 'BACKUP_FILE_TRUNCATED' : 'BACKUP_FILE_CORRUPT', `${file} does not decompress: ${(err as Error).message}`, file);
  } finally {
    if (!z.destroyed) z.destroy();
  }
  await feed;
}

/** A source cut down to one tenant: its slice of each table, found by counting rows. */
export function narrow(source: BackupSource, tenantId: string): BackupSource {
  const manifest = tenantManifest(source.manifest, tenantId);
  return {
    manifest,
    table(entry) {
      const original = source.manifest.tables.find((t) => t.name === entry.name)!;
      const at = original.slices.findIndex((s) => s.tenantId === tenantId);
      if (at < 0 || original.slices.length === 1) return source.table(original);
      const skip = original.slices.slice(0, at).reduce((n, s) => n + s.rows, 0);
      return rowsBetween(source.table(original), skip, original.slices[at].rows);
    },
  };
}

/** Lines [skip, skip + take) of a COPY text stream. */
export async function* rowsBetween(source: AsyncIterable<Buffer>, skip: number, take: number): AsyncGenerator<Buffer> {
  let line = 0;
  const end = skip + take;
  for await (const chunk of source) {
    let start = 0;
    let from = line >= skip ? 0 : -1;
    for (let i = chunk.indexOf(10); i !== -1 && line < end; i = chunk.indexOf(10, i + 1)) {
      line++;
      if (line === skip) from = i + 1;
      start = i + 1;
    }
    if (from >= 0) {
      const until = line >= end ? start : chunk.length;
      if (until > from) yield chunk.subarray(from, until);
    }
    if (line >= end) return;
  }
}
