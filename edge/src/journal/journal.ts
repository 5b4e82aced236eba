import { EventEmitter } from 'node:events';
import {
  closeSync, existsSync, fdatasyncSync, fsyncSync, ftruncateSync, mkdirSync, openSync, readdirSync, readFileSync,
  readSync, renameSync, unlinkSync, writeSync,
} from 'node:fs';
import { join } from 'node:path';
import type { Reading } from '../record.js';
import { crc32c } from './crc32c.js';

/**
 * When appended records reach the disk (docs/edge.md, "fsync policy"):
 * - always:   every append is written and fdatasync'd before it is acknowledged;
 * - batch:    appends within `batchMs` are written together and fdatasync'd once (group commit), then
 *             all of them are acknowledged; nothing acknowledged is lost on power failure;
 * - interval: appends are written to the OS at once and acknowledged; fdatasync every
 *             `fsyncIntervalMs`. A killed process loses nothing; a power failure loses up to that
 *             interval of acknowledged records.
 */
export type FsyncPolicy = 'always' | 'batch' | 'interval';
/** What a full journal does: refuse new records, or delete its oldest segment (unsent records too). */
export type WhenFull = 'refuse-new' | 'drop-oldest';

export interface JournalOptions {
  dir: string;
  fsync: FsyncPolicy;
  /** A segment file is closed and a new one started past this size. Default 16 MiB. */
  segmentBytes?: number;
  /** Bound on all segments together. Default 1 GiB. */
  maxBytes?: number;
  whenFull?: WhenFull;
  /** interval policy: time between fdatasyncs. Default 1000 ms. */
  fsyncIntervalMs?: number;
  /** batch policy: the group-commit window. Default 10 ms. */
  batchMs?: number;
}

export interface JournalStats {
  /** Highest seq given to a record (0: none yet). */
  lastSeq: number;
  /** Highest seq known to be on disk; the forwarder sends no further. */
  durableSeq: number;
  /** Highest seq the server confirmed; everything up to it may be discarded. */
  ackedSeq: number;
  backlogRecords: number;
  bytes: number;
  segments: number;
  tornTailRepairs: number;
  corruptEntries: number;
  droppedRecords: number;
  refusedRecords: number;
}

/** The forwarder's durable state, kept beside the segments (checkpoint.json). */
export interface Checkpoint {
  ackedSeq: number;
  /** batchSeqs up to this one may have been used: after a restart batches continue above it. */
  batchSeq: number;
}

export class JournalFullError extends Error {
  readonly code = 'JOURNAL_FULL';
}

interface Segment {
  firstSeq: number;
  count: number;
  bytes: number;
  path: string;
}

/** Raw JSON of records read back for forwarding, in seq order. */
export interface JournalSlice {
  payloads: Buffer[];
  firstSeq: number;
  lastSeq: number;
}

const HEADER = 8;
const SEGMENT_NAME = /^seg-(\d{16})\.log$/;
const READ_CHUNK = 1 << 20;

/**
 * The store-and-forward journal: records in checksummed segment files (`seg-<first seq>.log`),
 * each entry `u32 length | u32 CRC-32C | JSON`. Segments hold contiguous seqs, so a segment's name
 * and its entry count give every seq in it; the newest segment is never deleted, so its name keeps
 * the seq counter from going backwards even when everything has been sent.
 */
export class Journal extends EventEmitter {
  private readonly segmentBytes: number;
  private readonly maxBytes: number;
  private readonly whenFull: WhenFull;
  private segments: Segment[] = [];
  private fd = -1;
  private nextSeq = 1;
  private writtenSeq = 0;
  private durableSeqValue = 0;
  private totalBytes = 0;
  private checkpoint: Checkpoint = { ackedSeq: 0, batchSeq: 0 };
  private checkpointSavedAt = 0;
  private readonly counters = { tornTailRepairs: 0, corruptEntries: 0, droppedRecords: 0, refusedRecords: 0 };
  private pending: { bufs: Buffer[]; bytes: number; count: number; lastSeq: number; waiters: Array<() => void> } | undefined;
  private timer: NodeJS.Timeout | undefined;
  private cursor: { path: string; seq: number; offset: number } | undefined;
  private closed = false;

  private constructor(private readonly opts: JournalOptions) {
    super();
    this.segmentBytes = opts.segmentBytes ?? 16 << 20;
    this.maxBytes = opts.maxBytes ?? 1 << 30;
    this.whenFull = opts.whenFull ?? 'refuse-new';
  }

  /** Opens the journal, repairing a torn tail left by a crash. */
  static open(opts: JournalOptions): Journal {
    const j = new Journal(opts);
    j.recover();
    return j;
  }

  get durableSeq(): number {
    return this.durableSeqValue;
  }

  get state(): Readonly<Checkpoint> {
    return this.checkpoint;
  }

  stats(): JournalStats {
    return {
      lastSeq: this.nextSeq - 1,
      durableSeq: this.durableSeqValue,
      ackedSeq: this.checkpoint.ackedSeq,
      backlogRecords: Math.max(0, this.nextSeq - 1 - this.checkpoint.ackedSeq),
      bytes: this.totalBytes,
      segments: this.segments.length,
      ...this.counters,
    };
  }

  /**
   * Gives the readings their seqs and writes them; resolves with the last seq once they are as
   * durable as the fsync policy promises. Rejects with JournalFullError (nothing written, no seq
   * used) when the journal is full and refuses new records.
   */
  append(readings: Reading[]): Promise<number> {
    if (this.closed) return Promise.reject(new Error('journal is closed'));
    if (readings.length === 0) return Promise.resolve(this.nextSeq - 1);
    const buf = encodeEntries(readings, this.nextSeq);
    const bytes = buf.length;
    if (!this.makeRoom(bytes)) {
      this.counters.refusedRecords += readings.length;
      return Promise.reject(new JournalFullError(`journal full (${this.totalBytes} of ${this.maxBytes} bytes): ${readings.length} records refused`));
    }
    this.nextSeq += readings.length;
    const lastSeq = this.nextSeq - 1;
    this.totalBytes += bytes;
    if (this.opts.fsync === 'batch') return this.enqueue(buf, readings.length, lastSeq);
    this.writeOut(buf, readings.length, lastSeq);
    if (this.opts.fsync === 'always') this.sync();
    else this.armIntervalSync();
    return Promise.resolve(lastSeq);
  }

  /**
   * Up to `max` records after `afterSeq`, no further than what is durable. Skips over records that
   * a full journal dropped.
   */
  read(afterSeq: number, max: number): JournalSlice | undefined {
    let want = afterSeq + 1;
    const limit = Math.min(this.durableSeqValue, afterSeq + max);
    const payloads: Buffer[] = [];
    let firstSeq = 0;
    for (const seg of this.segments) {
      const segLast = seg.firstSeq + seg.count - 1;
      if (segLast < want) continue;
      if (want > limit || seg.firstSeq > limit) break;
      if (seg.firstSeq > want) want = seg.firstSeq; // records a full journal dropped
      if (firstSeq === 0) firstSeq = want;
      const take = Math.min(limit, segLast) - want + 1;
      const known = this.cursor?.path === seg.path && this.cursor.seq === want ? this.cursor.offset : undefined;
      const { entries, consumed, endOffset } = this.readSegment(seg, want, take, known);
      payloads.push(...entries);
      want += consumed;
      this.cursor = { path: seg.path, seq: want, offset: endOffset };
      if (consumed < take) break;
    }
    return firstSeq && want > firstSeq ? { payloads, firstSeq, lastSeq: want - 1 } : undefined;
  }

  /**
   * The server confirmed every record up to `highestSeq`: delete sent segments, and remember it
   * (on disk at most once a second and at close: an ack lost in a crash only makes the gateway send
   * records again, which the server counts as duplicates).
   */
  ack(highestSeq: number): void {
    const seq = Math.min(highestSeq, this.durableSeqValue);
    if (seq <= this.checkpoint.ackedSeq) return;
    this.checkpoint = { ...this.checkpoint, ackedSeq: seq };
    if (Date.now() - this.checkpointSavedAt >= 1000) this.saveCheckpoint({});
    while (this.segments.length > 1 && this.segments[0].firstSeq + this.segments[0].count - 1 <= seq) {
      this.removeOldest();
    }
  }

  /** Durably records a new checkpoint (atomic: write, fsync, rename). */
  saveCheckpoint(change: Partial<Checkpoint>): void {
    this.checkpoint = { ...this.checkpoint, ...change };
    this.checkpointSavedAt = Date.now();
    const file = join(this.opts.dir, 'checkpoint.json');
    const tmp = `${file}.tmp`;
    const fd = openSync(tmp, 'w');
    try {
      writeSync(fd, JSON.stringify(this.checkpoint));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, file);
    syncDir(this.opts.dir);
  }

  /**
   * Jumps the seq counter past `seq` (the server holds seqs this journal never gave: its directory
   * was lost or restored from an old copy). New records then never collide with stored ones.
   */
  skipTo(seq: number): void {
    if (seq < this.nextSeq) return;
    this.flushPending();
    this.rotate(seq + 1);
  }

  /** Writes whatever is pending, fdatasyncs and closes. */
  close(): void {
    if (this.closed) return;
    this.flushPending();
    if (this.timer) clearTimeout(this.timer);
    this.sync();
    closeSync(this.fd);
    this.saveCheckpoint({});
    this.closed = true;
  }

  private recover(): void {
    mkdirSync(this.opts.dir, { recursive: true });
    const cp = join(this.opts.dir, 'checkpoint.json');
    if (existsSync(cp)) this.checkpoint = { ...this.checkpoint, ...JSON.parse(readFileSync(cp, 'utf8')) };
    const names = readdirSync(this.opts.dir).filter((n) => SEGMENT_NAME.test(n)).sort();
    names.forEach((name, i) => this.segments.push(this.scanSegment(name, i === names.length - 1)));
    const last = this.segments.at(-1);
    this.nextSeq = Math.max(last ? last.firstSeq + last.count : 1, this.checkpoint.ackedSeq + 1);
    this.writtenSeq = this.durableSeqValue = this.nextSeq - 1;
    if (last && last.firstSeq + last.count === this.nextSeq) {
      this.fd = openSync(last.path, 'a');
    } else {
      this.createSegment(this.nextSeq);
    }
  }

  /** Counts a segment's valid entries; cuts off a torn or corrupt tail. */
  private scanSegment(name: string, newest: boolean): Segment {
    const path = join(this.opts.dir, name);
    const buf = readFileSync(path);
    let offset = 0;
    let count = 0;
    while (offset + HEADER <= buf.length) {
      const length = buf.readUInt32LE(offset);
      const end = offset + HEADER + length;
      if (length === 0 || end > buf.length || crc32c(buf, offset + HEADER, end) !== buf.readUInt32LE(offset + 4)) break;
      offset = end;
      count++;
    }
    if (offset < buf.length) {
      const fd = openSync(path, 'r+');
      ftruncateSync(fd, offset);
      fsyncSync(fd);
      closeSync(fd);
      // A crash can only tear the newest segment; damage anywhere else is corruption.
      if (newest) this.counters.tornTailRepairs++;
      else this.counters.corruptEntries++;
    }
    this.totalBytes += offset;
    return { firstSeq: Number(SEGMENT_NAME.exec(name)![1]), count, bytes: offset, path };
  }

  /**
   * Reads `count` entries from seq `fromSeq` on (at `knownOffset` when the cursor knows it). An
   * entry whose checksum fails is counted and left out, its seq consumed all the same.
   */
  private readSegment(seg: Segment, fromSeq: number, count: number, knownOffset: number | undefined): { entries: Buffer[]; consumed: number; endOffset: number } {
    const fd = openSync(seg.path, 'r');
    try {
      let skip = knownOffset === undefined ? fromSeq - seg.firstSeq : 0;
      let pos = knownOffset ?? 0;
      let consumed = 0;
      const entries: Buffer[] = [];
      const take = (buf: Buffer, off: number, length: number) => {
        if (skip > 0) {
          skip--;
          return;
        }
        consumed++;
        if (crc32c(buf, off + HEADER, off + HEADER + length) === buf.readUInt32LE(off + 4)) entries.push(buf.subarray(off + HEADER, off + HEADER + length));
        else this.counters.corruptEntries++;
      };
      while (consumed < count && pos < seg.bytes) {
        const chunk = Buffer.allocUnsafe(Math.min(READ_CHUNK, seg.bytes - pos));
        const got = readSync(fd, chunk, 0, chunk.length, pos);
        let off = 0;
        while (consumed < count && off + HEADER <= got) {
          const length = chunk.readUInt32LE(off);
          if (off + HEADER + length > got) break;
          take(chunk, off, length);
          off += HEADER + length;
        }
        if (off === 0) {
          // One entry larger than the chunk: read that entry whole.
          const whole = Buffer.allocUnsafe(HEADER + chunk.readUInt32LE(0));
          readSync(fd, whole, 0, whole.length, pos);
          take(whole, 0, whole.length - HEADER);
          off = whole.length;
        }
        pos += off;
      }
      return { entries, consumed, endOffset: pos };
    } finally {
      closeSync(fd);
    }
  }

  private enqueue(buf: Buffer, count: number, lastSeq: number): Promise<number> {
    const p = (this.pending ??= { bufs: [], bytes: 0, count: 0, lastSeq: 0, waiters: [] });
    p.bufs.push(buf);
    p.bytes += buf.length;
    p.count += count;
    p.lastSeq = lastSeq;
    return new Promise((resolve) => {
      p.waiters.push(() => resolve(lastSeq));
      if (p.bytes >= 1 << 20) this.flushPending();
      else this.timer ??= setTimeout(() => this.flushPending(), this.opts.batchMs ?? 10);
    });
  }

  private flushPending(): void {
    const p = this.pending;
    if (this.timer && this.opts.fsync === 'batch') {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (!p) return;
    this.pending = undefined;
    this.writeOut(Buffer.concat(p.bufs, p.bytes), p.count, p.lastSeq);
    this.sync();
    for (const w of p.waiters) w();
  }

  private armIntervalSync(): void {
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      if (!this.closed) this.sync();
    }, this.opts.fsyncIntervalMs ?? 1000);
  }

  private writeOut(buf: Buffer, count: number, lastSeq: number): void {
    for (let off = 0; off < buf.length; ) off += writeSync(this.fd, buf, off);
    const active = this.segments.at(-1)!;
    active.bytes += buf.length;
    active.count += count;
    this.writtenSeq = lastSeq;
    if (active.bytes >= this.segmentBytes) this.rotate(lastSeq + 1);
  }

  private sync(): void {
    if (this.writtenSeq === this.durableSeqValue) return;
    fdatasyncSync(this.fd);
    this.durableSeqValue = this.writtenSeq;
    this.emit('durable', this.durableSeqValue);
  }

  /** Closes the active segment (durably) and starts a new one whose first seq is `firstSeq`. */
  private rotate(firstSeq: number): void {
    fdatasyncSync(this.fd);
    closeSync(this.fd);
    this.durableSeqValue = this.writtenSeq;
    this.nextSeq = Math.max(this.nextSeq, firstSeq);
    this.createSegment(firstSeq);
    this.emit('durable', this.durableSeqValue);
  }

  private createSegment(firstSeq: number): void {
    const path = join(this.opts.dir, `seg-${String(firstSeq).padStart(16, '0')}.log`);
    this.fd = openSync(path, 'a');
    fsyncSync(this.fd);
    syncDir(this.opts.dir);
    this.segments.push({ firstSeq, count: 0, bytes: 0, path });
    this.writtenSeq = Math.max(this.writtenSeq, firstSeq - 1);
    if (this.durableSeqValue < firstSeq - 1 && this.pending === undefined) this.durableSeqValue = firstSeq - 1;
  }

  /** Frees space for `bytes` more, by the whenFull policy. False: refuse the append. */
  private makeRoom(bytes: number): boolean {
    while (this.totalBytes + bytes > this.maxBytes) {
      if (this.whenFull === 'refuse-new') return false;
      if (this.segments.length === 1) {
        if (this.segments[0].count === 0 && !this.pending) return false;
        this.flushPending();
        this.rotate(this.nextSeq);
      }
      this.removeOldest();
    }
    return true;
  }

  private removeOldest(): void {
    const seg = this.segments.shift()!;
    const last = seg.firstSeq + seg.count - 1;
    this.counters.droppedRecords += Math.max(0, last - Math.max(this.checkpoint.ackedSeq, seg.firstSeq - 1));
    unlinkSync(seg.path);
    this.totalBytes -= seg.bytes;
    if (this.cursor?.path === seg.path) this.cursor = undefined;
  }
}

/** The entries of `readings` (seqs from `firstSeq` on) in one buffer. */
function encodeEntries(readings: Reading[], firstSeq: number): Buffer {
  const jsons = readings.map((r, i) => recordJson(r, firstSeq + i));
  const lengths = jsons.map((j) => Buffer.byteLength(j));
  const buf = Buffer.allocUnsafe(lengths.reduce((n, l) => n + HEADER + l, 0));
  let off = 0;
  jsons.forEach((json, i) => {
    const length = lengths[i];
    buf.write(json, off + HEADER);
    buf.writeUInt32LE(length, off);
    buf.writeUInt32LE(crc32c(buf, off + HEADER, off + HEADER + length), off + 4);
    off += HEADER + length;
  });
  return buf;
}

/** The contract's record as JSON, fields in the contract's order; built by hand: it is the hot path. */
function recordJson(r: Reading, seq: number): string {
  const unit = r.unit !== undefined ? `,"unit":${JSON.stringify(r.unit)}` : '';
  return `{"device":${JSON.stringify(r.device)},"point":${JSON.stringify(r.point)},"ts":${JSON.stringify(r.ts)},"value":${JSON.stringify(r.value)},"quality":${JSON.stringify(r.quality)}${unit},"seq":${seq}}`;
}

function syncDir(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
