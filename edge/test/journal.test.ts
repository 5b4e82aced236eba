import { spawn } from 'node:child_process';
import { appendFileSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Journal, JournalFullError, type FsyncPolicy } from '../src/journal/journal.js';
import type { Reading } from '../src/record.js';

const dirs: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'mes-edge-journal-'));
  dirs.push(d);
  return d;
}
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const reading = (i: number): Reading => ({ device: 'M1', point: 'p', ts: new Date(1_700_000_000_000 + i).toISOString(), value: i, quality: 'good', unit: 'kWh' });
const readings = (from: number, n: number) => Array.from({ length: n }, (_, i) => reading(from + i));

/** Every record in the journal after `after`, parsed. */
function readAll(j: Journal, after = 0): Array<{ seq: number; value: number }> {
  const out: Array<{ seq: number; value: number }> = [];
  for (let s = j.read(after, 1000); s; s = j.read(s.lastSeq, 1000)) out.push(...s.payloads.map((p) => JSON.parse(p.toString())));
  return out;
}

describe('store-and-forward journal (S1-5.3.8-c)', () => {
  it('S1-5.3.8-c: appends get consecutive seqs, read back in order across segment rotations, byte for byte the contract record', async () => {
    const j = Journal.open({ dir: tempDir(), fsync: 'always', segmentBytes: 2048 });
    expect(await j.append(readings(0, 3))).toBe(3);
    for (let i = 3; i < 100; i++) await j.append([reading(i)]);
    expect(j.stats().segments).toBeGreaterThan(3);
    const all = readAll(j);
    expect(all.map((r) => r.seq)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    expect(all.map((r) => r.value)).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(JSON.parse(j.read(0, 1)!.payloads[0].toString())).toEqual({ device: 'M1', point: 'p', ts: '2023-11-14T22:13:20.000Z', value: 0, quality: 'good', unit: 'kWh', seq: 1 });
    const mid = j.read(41, 5)!;
    expect([mid.firstSeq, mid.lastSeq, mid.payloads.length]).toEqual([42, 46, 5]);
    j.close();
  });

  it('S1-5.3.8-c: acknowledged records are truncated by whole segments; seqs are never reused after everything was sent and the gateway restarted', async () => {
    const dir = tempDir();
    let j = Journal.open({ dir, fsync: 'batch', segmentBytes: 1024, batchMs: 1 });
    for (let i = 0; i < 60; i++) await j.append([reading(i)]);
    const before = j.stats().segments;
    j.ack(30);
    expect(j.stats()).toMatchObject({ ackedSeq: 30, backlogRecords: 30 });
    expect(j.stats().segments).toBeLessThan(before);
    expect(readAll(j, 30)[0].seq).toBe(31);
    j.ack(60);
    expect(j.stats()).toMatchObject({ ackedSeq: 60, backlogRecords: 0, segments: 1 });
    j.close();
    j = Journal.open({ dir, fsync: 'batch', batchMs: 1 });
    expect(await j.append(readings(60, 1))).toBe(61);
    j.skipTo(500); // the MES holds seqs up to 500 (a journal restored from an old copy)
    expect(await j.append(readings(61, 1))).toBe(501);
    expect(readAll(j, 60).map((r) => r.seq)).toEqual([61, 501]);
    j.close();
  });

  it('S1-5.3.8-c: a full journal refuses new records (nothing written, no seq used) or drops its oldest segment, counted either way', async () => {
    const refuse = Journal.open({ dir: tempDir(), fsync: 'always', segmentBytes: 1000, maxBytes: 3000, whenFull: 'refuse-new' });
    let refused = 0;
    for (let i = 0; i < 40; i++) {
      await refuse.append([reading(i)]).catch((err) => {
        expect(err).toBeInstanceOf(JournalFullError);
        refused++;
      });
    }
    expect(refused).toBeGreaterThan(0);
    expect(refuse.stats()).toMatchObject({ refusedRecords: refused, lastSeq: 40 - refused });
    expect(refuse.stats().bytes).toBeLessThanOrEqual(3000);
    refuse.close();

    const drop = Journal.open({ dir: tempDir(), fsync: 'always', segmentBytes: 1000, maxBytes: 3000, whenFull: 'drop-oldest' });
    for (let i = 0; i < 40; i++) await drop.append([reading(i)]);
    const s = drop.stats();
    expect(s.lastSeq).toBe(40);
    expect(s.bytes).toBeLessThanOrEqual(3000);
    const left = readAll(drop);
    expect(s.droppedRecords).toBe(40 - left.length);
    expect(left.at(-1)!.seq).toBe(40);
    expect(left.map((r) => r.seq)).toEqual(Array.from({ length: left.length }, (_, i) => 41 - left.length + i));
    drop.close();
  });

  it('S1-5.3.8-c: a torn tail (half an entry, a bad checksum) is cut off at start-up; every complete record survives', async () => {
    const dir = tempDir();
    const j = Journal.open({ dir, fsync: 'always' });
    await j.append(readings(0, 10));
    j.close();
    const seg = join(dir, readdirSync(dir).find((n) => n.startsWith('seg-'))!);
    // A header announcing 200 bytes followed by 5: the write a power cut interrupted.
    appendFileSync(seg, Buffer.from([200, 0, 0, 0, 1, 2, 3, 4, 0x7b, 0x22, 0x64, 0x65, 0x76]));
    const again = Journal.open({ dir, fsync: 'always' });
    expect(again.stats()).toMatchObject({ tornTailRepairs: 1, lastSeq: 10 });
    expect(await again.append(readings(10, 1))).toBe(11);
    expect(readAll(again).map((r) => r.seq)).toEqual(Array.from({ length: 11 }, (_, i) => i + 1));
    again.close();
  });

  it('S1-5.3.8-c: killed with -9 at random points under each fsync policy: no acknowledged record lost, no seq reused, torn tail repaired', async () => {
    const dir = tempDir();
    const policies: FsyncPolicy[] = ['always', 'batch', 'interval', 'always', 'batch'];
    let highestAcked = 0;
    let highestSeen = 0;
    for (const [round, policy] of policies.entries()) {
      const { acked, opened } = await runWriterUntilKilled(dir, policy, 20 + Math.floor(Math.random() * 300));
      expect(opened).toBeGreaterThanOrEqual(highestAcked); // restarted where the acknowledged records end
      expect(acked).toBeGreaterThan(opened);
      highestAcked = acked;
      const j = Journal.open({ dir, fsync: 'always' });
      const all = readAll(j);
      // Contiguous from 1: nothing acknowledged is missing, and no seq appears twice.
      expect(all.length).toBe(all.at(-1)!.seq);
      expect(all.every((r, i) => r.seq === i + 1)).toBe(true);
      expect(all.at(-1)!.seq).toBeGreaterThanOrEqual(highestAcked);
      expect(all.at(-1)!.seq).toBeGreaterThanOrEqual(highestSeen);
      highestSeen = all.at(-1)!.seq;
      j.close();
      if (round === 1) {
        // A torn write as a power cut leaves it: the next start cuts it off.
        const last = readdirSync(dir).filter((n) => n.startsWith('seg-')).sort().at(-1)!;
        appendFileSync(join(dir, last), Buffer.from([90, 0, 0, 0, 9, 9]));
        const repaired = Journal.open({ dir, fsync: 'always' });
        expect(repaired.stats()).toMatchObject({ tornTailRepairs: 1, lastSeq: highestSeen });
        repaired.close();
      }
    }
  });
});

/** Starts the writer, kills it with SIGKILL after `acks` acknowledgements; the highest acked seq. */
function runWriterUntilKilled(dir: string, fsync: FsyncPolicy, acks: number): Promise<{ acked: number; opened: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(import.meta.dirname, 'support/journal-writer.mjs'), dir, fsync], { stdio: ['ignore', 'pipe', 'inherit'] });
    let acked = 0;
    let opened = -1;
    let count = 0;
    let buf = '';
    child.stdout.on('data', (chunk: Buffer) => {
      buf += chunk.toString();
      const lines = buf.split('\n');
      buf = lines.pop()!;
      for (const line of lines) {
        const [word, n] = line.split(' ');
        if (word === 'open') opened = Number(n);
        if (word === 'ack') {
          acked = Number(n);
          if (++count === acks) child.kill('SIGKILL');
        }
      }
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => (signal === 'SIGKILL' ? resolve({ acked, opened }) : reject(new Error(`writer exited ${code}`))));
  });
}
