/**
 * A backup in transit over HTTP (`application/vnd.mes.backup-stream`): what POST /v1/backups
 * answers with and what POST /v1/tenant-restores reads. After the 8-byte magic `MESBKS1\n`, frames:
 *
 *   type (1 byte: D data, M manifest, E error) | name length (u16) | name | length (u32) | payload
 *
 * D frames carry a file's gzip bytes (name: the file), in file order; M carries the manifest as
 * JSON (last from the server, first to the server); E a problem that ended the stream early. A
 * stream without its M frame was cut off.
 */
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { createGzip } from 'node:zlib';
import { BackupError } from './errors.js';
import { gunzip, type BackupSetWriter, type BackupSource } from './backup-set.js';
import type { BackupManifest, DumpManifest, TableEntry } from './manifest.js';

export const BACKUP_STREAM_TYPE = 'application/vnd.mes.backup-stream';
const MAGIC = Buffer.from('MESBKS1\n');

export type Frame =
  | { kind: 'data'; file: string; chunk: Buffer }
  | { kind: 'manifest'; manifest: DumpManifest | BackupManifest }
  | { kind: 'error'; problem: { code: string; detail: string } };

const TYPES = { data: 0x44, manifest: 0x4d, error: 0x45 } as const;

export function encodeFrame(frame: Frame): Buffer {
  const name = Buffer.from(frame.kind === 'data' ? frame.file : '');
  const payload = frame.kind === 'data' ? frame.chunk : Buffer.from(JSON.stringify(frame.kind === 'manifest' ? frame.manifest : frame.problem));
  const head = Buffer.alloc(7 + name.length);
  head[0] = TYPES[frame.kind];
  head.writeUInt16BE(name.length, 1);
  name.copy(head, 3);
  head.writeUInt32BE(payload.length, 3 + name.length);
  return Buffer.concat([head, payload]);
}

export const streamStart = () => Buffer.from(MAGIC);

const invalid = (why: string) => new BackupError('BACKUP_STREAM_INVALID', `not a backup stream: ${why}`);

/** The frames of a backup stream; a stream cut off mid-frame fails. */
export async function* decodeFrames(source: AsyncIterable<Uint8Array>): AsyncGenerator<Frame> {
  let buf: Buffer = Buffer.alloc(0);
  let started = false;
  for await (const chunk of source) {
    buf = buf.length ? Buffer.concat([buf, chunk]) : Buffer.from(chunk);
    if (!started) {
      if (buf.length < MAGIC.length) continue;
      if (!buf.subarray(0, MAGIC.length).equals(MAGIC)) throw invalid('it does not start with the backup-stream magic');
      buf = buf.subarray(MAGIC.length);
      started = true;
    }
    for (;;) {
      if (buf.length < 3) break;
      const nameLength = buf.readUInt16BE(1);
      if (buf.length < 7 + nameLength) break;
      const length = buf.readUInt32BE(3 + nameLength);
      const end = 7 + nameLength + length;
      if (buf.length < end) break;
      const type = buf[0];
      const name = buf.subarray(3, 3 + nameLength).toString('utf8');
      const payload = buf.subarray(7 + nameLength, end);
      buf = buf.subarray(end);
      if (type === TYPES.data) yield { kind: 'data', file: name, chunk: payload };
      else if (type === TYPES.manifest) yield { kind: 'manifest', manifest: parseJson(payload) };
      else if (type === TYPES.error) yield { kind: 'error', problem: parseJson(payload) };
      else throw invalid(`unknown frame type ${type}`);
    }
  }
  if (!started || buf.length) throw new BackupError('BACKUP_STREAM_INVALID', 'the backup stream was cut off mid-frame');
}

function parseJson<T>(payload: Buffer): T {
  try {
    return JSON.parse(payload.toString('utf8'));
  } catch {
    throw invalid('a frame holds malformed JSON');
  }
}

/** Writes to a stream, waiting while it is full; fails if the other side went away. */
export async function writeFully(out: Writable, bytes: Buffer): Promise<void> {
  if (out.destroyed || out.writableEnded) throw new Error('the backup stream was closed by the other side');
  if (out.write(bytes)) return;
  const closed = once(out, 'close').then(() => Promise.reject(new Error('the backup stream was closed by the other side')));
  await Promise.race([once(out, 'drain'), closed]);
}

/**
 * A restore source read from a backup stream whose first frame is the (tenant-narrowed)
 * manifest; tables are read in manifest order, each from its D frames.
 */
export async function streamSource(frames: AsyncGenerator<Frame>): Promise<BackupSource> {
  const first = await frames.next();
  if (first.done || first.value.kind !== 'manifest') throw invalid('its first frame is not the manifest');
  const manifest = first.value.manifest as BackupManifest;
  let lookahead: Frame | undefined;
  const next = async () => {
    if (lookahead) {
      const f = lookahead;
      lookahead = undefined;
      return f;
    }
    const r = await frames.next();
    return r.done ? undefined : r.value;
  };
  async function* compressed(entry: TableEntry): AsyncGenerator<Buffer> {
    for (;;) {
      const frame = await next();
      if (!frame) return;
      if (frame.kind === 'error') throw new BackupError('BACKUP_STREAM_INVALID', `the sender failed: ${frame.problem.code}: ${frame.problem.detail}`);
      if (frame.kind !== 'data' || frame.file !== entry.file) {
        lookahead = frame;
        return;
      }
      yield frame.chunk;
    }
  }
  return { manifest, table: (entry) => gunzip(compressed(entry), entry.file) };
}

/**
 * Writes a backup stream (POST /v1/backups) as a backup on disk: the data frames into the writer,
 * the manifest to finish it. A stream that ends in an error frame or without its manifest leaves
 * nothing behind.
 */
export async function receiveBackup(frames: AsyncIterable<Frame>, writer: BackupSetWriter): Promise<{ dir: string; manifest: BackupManifest }> {
  try {
    for await (const frame of frames) {
      if (frame.kind === 'data') await writer.data(frame.file, frame.chunk);
      else if (frame.kind === 'manifest') return await writer.finish(frame.manifest as DumpManifest);
      else throw new BackupError('BACKUP_STREAM_INVALID', `the server could not complete the backup: ${frame.problem.code}: ${frame.problem.detail}`);
    }
    throw new BackupError('BACKUP_STREAM_INVALID', 'the backup stream ended before its manifest: the connection was cut');
  } catch (err) {
    await writer.abort();
    throw err;
  }
}

/** A backup (or one tenant of it) as a backup stream to send: the manifest first, then each table recompressed. */
export async function* sendBackup(source: BackupSource, compressionLevel = 3): AsyncGenerator<Buffer> {
  yield streamStart();
  yield encodeFrame({ kind: 'manifest', manifest: source.manifest });
  for (const entry of source.manifest.tables) {
    const z = createGzip({ level: compressionLevel, chunkSize: 256 * 1024 });
    const feed = (async () => {
      for await (const chunk of source.table(entry)) if (!z.write(chunk)) await once(z, 'drain');
      z.end();
    })();
    feed.catch((err) => z.destroy(err));
    for await (const out of z) yield encodeFrame({ kind: 'data', file: entry.file, chunk: out as Buffer });
    await feed;
  }
}
