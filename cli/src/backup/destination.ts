/**
 * Where backups live: a directory, or an S3-compatible bucket (`s3://bucket/prefix`). Both hold
 * the same layout:
 *
 *   <id>/manifest.json, manifest.sig, signer.pub.pem, tables/…   one backup
 *   catalogue/<id>.json                                           its catalogue entry
 *   drills/<drill id>.json                                        signed drill records
 *
 * Backups are written and read through a local directory: for a bucket, a staging directory under
 * the system's temporary directory (room for one backup), uploaded when complete and downloaded
 * before a restore.
 */
import { mkdir, mkdtemp, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { S3Client, s3ConfigFromEnv } from './s3.js';

export interface Destination {
  /** As the user wrote it: a path or s3://bucket/prefix. */
  readonly location: string;
  /** Where a new backup is written; publish() makes it part of the destination, discard() drops it. */
  stage(): Promise<{ parent: string; publish(id: string): Promise<void>; discard(): Promise<void> }>;
  /** A local directory holding backup `id`; release() when done. */
  open(id: string): Promise<{ dir: string; release(): Promise<void> }>;
  /** Ids of the backups in the destination (from their catalogue entries). */
  ids(): Promise<string[]>;
  readJson<T>(key: string): Promise<T | undefined>;
  writeJson(key: string, value: unknown): Promise<void>;
  /** Removes a backup and its catalogue entry. */
  remove(id: string): Promise<void>;
}

/** A destination from its location; a backup location is a destination plus the backup's id. */
export function destinationOf(location: string): Destination {
  return location.startsWith('s3://') ? new BucketDestination(location) : new DirectoryDestination(location);
}

/** `/backups/<id>` or `s3://bucket/prefix/<id>`: its destination and id. */
export function backupLocation(location: string): { destination: Destination; id: string } {
  const trimmed = location.replace(/\/+$/, '');
  const cut = trimmed.lastIndexOf('/');
  const id = trimmed.slice(cut + 1);
  const parent = cut <= 0 ? (trimmed.startsWith('/') ? '/' : '.') : trimmed.slice(0, cut);
  return { destination: destinationOf(parent), id };
}

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

class DirectoryDestination implements Destination {
  readonly root: string;

  constructor(readonly location: string) {
    this.root = path.resolve(location);
  }

  async stage() {
    await mkdir(this.root, { recursive: true });
    return { parent: this.root, publish: async () => {}, discard: async () => {} };
  }

  async open(id: string) {
    return { dir: path.join(this.root, id), release: async () => {} };
  }

  async ids(): Promise<string[]> {
    const dir = path.join(this.root, 'catalogue');
    if (!existsSync(dir)) return [];
    return (await readdir(dir)).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -'.json'.length));
  }

  async readJson<T>(key: string): Promise<T | undefined> {
    try {
      return JSON.parse(await readFile(path.join(this.root, key), 'utf8')) as T;
    } catch (err) {
      if ((err as { code?: string }).code === 'ENOENT') return undefined;
      throw err;
    }
  }

  /** Written to a temporary name and renamed: a reader never sees half a file. */
  async writeJson(key: string, value: unknown): Promise<void> {
    const file = path.join(this.root, key);
    await mkdir(path.dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    await writeFile(tmp, json(value));
    await rename(tmp, file);
  }

  async remove(id: string): Promise<void> {
    await rm(path.join(this.root, id), { recursive: true, force: true });
    await rm(path.join(this.root, 'catalogue', `${id}.json`), { force: true });
  }
}

class BucketDestination implements Destination {
  private readonly s3: S3Client;
  private readonly prefix: string;

  constructor(readonly location: string) {
    const m = /^s3:\/\/([^/]+)\/?(.*)$/.exec(location);
    if (!m) throw new Error(`not an S3 location: ${location} (expected s3://bucket/prefix)`);
    this.s3 = new S3Client(s3ConfigFromEnv(), m[1]);
    this.prefix = m[2].replace(/\/+$/, '');
  }

  private key(rel: string): string {
    return this.prefix ? `${this.prefix}/${rel}` : rel;
  }

  async stage() {
    const parent = await mkdtemp(path.join(tmpdir(), 'mes-backup-upload-'));
    return {
      parent,
      publish: async (id: string) => {
        for (const file of await listFiles(path.join(parent, id))) await this.s3.putFile(this.key(`${id}/${file}`), path.join(parent, id, file));
        await rm(parent, { recursive: true, force: true });
      },
      discard: () => rm(parent, { recursive: true, force: true }),
    };
  }

  async open(id: string) {
    const parent = await mkdtemp(path.join(tmpdir(), 'mes-backup-download-'));
    const dir = path.join(parent, id);
    const keys = await this.s3.list(this.key(`${id}/`));
    for (const key of keys) {
      const rel = key.slice(this.key(`${id}/`).length);
      await mkdir(path.dirname(path.join(dir, rel)), { recursive: true });
      await this.s3.getFile(key, path.join(dir, rel));
    }
    return { dir, release: () => rm(parent, { recursive: true, force: true }) };
  }

  async ids(): Promise<string[]> {
    const base = this.key('catalogue/');
    return (await this.s3.list(base)).filter((k) => k.endsWith('.json')).map((k) => k.slice(base.length, -'.json'.length));
  }

  async readJson<T>(key: string): Promise<T | undefined> {
    const text = await this.s3.getText(this.key(key));
    return text === undefined ? undefined : (JSON.parse(text) as T);
  }

  async writeJson(key: string, value: unknown): Promise<void> {
    await this.s3.putText(this.key(key), json(value));
  }

  async remove(id: string): Promise<void> {
    for (const key of await this.s3.list(this.key(`${id}/`))) await this.s3.delete(key);
    await this.s3.delete(this.key(`catalogue/${id}.json`));
  }
}

async function listFiles(dir: string, base = dir): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await listFiles(full, base)));
    else out.push(path.relative(base, full).split(path.sep).join('/'));
  }
  return out.sort();
}
