import type { Journal, JournalSlice } from '../journal/journal.js';
import type { Logger } from '../log.js';
import type { EdgeMetrics } from '../metrics.js';
import type { CloudAnswer, CloudClient } from './cloud.js';

export interface ForwarderOptions {
  maxBatch: number;
  gzip: boolean;
  minBackoffMs: number;
  maxBackoffMs: number;
  /** With fewer than maxBatch records waiting, wait this long for more before sending. */
  lingerMs: number;
}

/** The answer of `POST /v1/telemetry/batches`. */
export interface BatchAnswer {
  accepted: number;
  duplicates: number;
  rejected: number;
  highestSeq: number;
  rejections?: Array<{ device: string; point: string; seq: number; code: string }>;
  configVersion?: number;
}

export interface ForwarderStatus {
  cloudReachable: boolean;
  /** Seq of the last record of the last batch the MES answered 200 for. */
  sentSeq: number;
  lastError?: { code: string; at: string; message: string };
  consecutiveFailures: number;
  lastRejections: BatchAnswer['rejections'];
}

/**
 * Store-and-forward: sends the journal's durable records in seq order, in signed batches of up to
 * maxBatch, at least once. A failed batch is sent again, identical (same batchSeq, same bytes),
 * after an exponential back-off with full jitter; the MES answers a resend it already stored with
 * its stored answer, and de-duplicates records by (gateway, seq). The journal is truncated only up
 * to the highestSeq the MES confirmed.
 */
export class Forwarder {
  private running = false;
  /** Ends the current wait: on stop always, on new durable records only while idle. */
  private wake?: { done: () => void; onData: boolean };
  private loop?: Promise<void>;
  private cursor: number;
  /** Last batchSeq used in this run. */
  private batchSeq?: number;
  private readonly st: ForwarderStatus = { cloudReachable: false, sentSeq: 0, consecutiveFailures: 0, lastRejections: [] };
  /** Called with the configVersion of every answer (the management loop pulls a newer config). */
  onConfigVersion?: (version: number) => void;

  constructor(
    private readonly journal: Journal,
    private readonly cloud: CloudClient,
    private readonly opts: ForwarderOptions,
    private readonly metrics: EdgeMetrics,
    private readonly log: Logger,
  ) {
    this.cursor = journal.state.ackedSeq;
    journal.on('durable', () => {
      if (this.wake?.onData) this.wake.done();
    });
  }

  status(): ForwarderStatus {
    return { ...this.st, sentSeq: this.cursor };
  }

  start(): void {
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake?.done();
    await this.loop;
  }

  private async run(): Promise<void> {
    while (this.running) {
      let slice = this.journal.read(this.cursor, this.opts.maxBatch);
      if (slice && slice.payloads.length < this.opts.maxBatch && this.opts.lingerMs > 0) {
        await this.sleep(this.opts.lingerMs);
        slice = this.journal.read(this.cursor, this.opts.maxBatch);
      }
      if (!slice) {
        await this.sleep(1000, true);
        continue;
      }
      if (slice.payloads.length === 0) {
        this.cursor = slice.lastSeq; // only corrupt entries: nothing to send
        continue;
      }
      await this.deliver(slice);
    }
  }

  /** Sends one batch until the MES has it, or the forwarder stops. */
  private async deliver(slice: JournalSlice): Promise<void> {
    let batchSeq = this.nextBatchSeq();
    let body = batchBody(batchSeq, slice.payloads);
    for (let attempt = 0; this.running; attempt++) {
      let res: CloudAnswer;
      try {
        res = await this.cloud.request('POST', '/v1/telemetry/batches', body, this.opts.gzip);
      } catch (err) {
        this.fail('CLOUD_UNREACHABLE', (err as Error).message, 'unreachable', false);
        await this.sleep(this.backoff(attempt));
        continue;
      }
      if (res.status === 200) return this.delivered(slice, res.body as BatchAnswer);
      if (res.code === 'BATCH_REPLAYED') {
        // This batchSeq was used before with other records (a checkpoint lost with its directory): take a new one.
        this.fail('BATCH_REPLAYED', `batchSeq ${batchSeq} was used before`, 'replayed', true);
        batchSeq = this.nextBatchSeq();
        body = batchBody(batchSeq, slice.payloads);
        continue;
      }
      this.fail(res.code ?? `HTTP_${res.status}`, problemDetail(res), res.status >= 500 || res.status === 429 ? 'unavailable' : 'refused', true);
      await this.sleep(this.backoff(attempt));
    }
  }

  /**
   * A batchSeq never used before, across restarts too: they are reserved on disk a block at a
   * time, and a restart continues above the reserved block (gaps are fine, reuse is not).
   */
  private nextBatchSeq(): number {
    if (this.batchSeq === undefined || this.batchSeq >= this.journal.state.batchSeq) {
      this.batchSeq ??= this.journal.state.batchSeq;
      this.journal.saveCheckpoint({ batchSeq: this.batchSeq + BATCH_SEQ_BLOCK });
    }
    return ++this.batchSeq;
  }

  private delivered(slice: JournalSlice, a: BatchAnswer): void {
    this.metrics.batches.inc({ outcome: 'ok' });
    this.metrics.forwarded.inc({ result: 'accepted' }, a.accepted ?? 0);
    this.metrics.forwarded.inc({ result: 'duplicate' }, a.duplicates ?? 0);
    this.metrics.forwarded.inc({ result: 'rejected' }, a.rejected ?? 0);
    this.metrics.cloudUp.set(1);
    this.st.cloudReachable = true;
    this.st.consecutiveFailures = 0;
    if (a.rejected) {
      this.st.lastRejections = a.rejections ?? [];
      this.log.warn('records rejected by the MES', { rejected: a.rejected, sample: (a.rejections ?? []).slice(0, 5) });
    }
    // The MES holds seqs this journal never handed out: never reuse them for new records.
    if (a.highestSeq > this.journal.stats().lastSeq) {
      this.log.error('the MES holds higher seqs than this journal; skipping ahead', { highestSeq: a.highestSeq });
      this.journal.skipTo(a.highestSeq);
    }
    this.journal.ack(a.highestSeq);
    // Rejected records at the end of a batch are not stored, so highestSeq may stay below the
    // batch: they are not sent again in this run (the MES refused them for good).
    this.cursor = Math.max(slice.lastSeq, this.journal.state.ackedSeq);
    if (a.configVersion !== undefined) this.onConfigVersion?.(a.configVersion);
  }

  private fail(code: string, message: string, outcome: string, reachable: boolean): void {
    this.metrics.batches.inc({ outcome });
    this.metrics.cloudUp.set(reachable ? 1 : 0);
    this.st.cloudReachable = reachable;
    this.st.consecutiveFailures++;
    this.st.lastError = { code, message, at: new Date().toISOString() };
    if (this.st.consecutiveFailures === 1 || this.st.consecutiveFailures % 20 === 0) {
      this.log.warn('upload failed; the journal keeps the records', { code, message, failures: this.st.consecutiveFailures });
    }
  }

  /** Exponential back-off with full jitter: uniform in [0, min(max, min·2^attempt)]. */
  private backoff(attempt: number): number {
    const ceiling = Math.min(this.opts.maxBackoffMs, this.opts.minBackoffMs * 2 ** Math.min(attempt, 20));
    return Math.max(this.opts.minBackoffMs / 2, Math.random() * ceiling);
  }

  private sleep(ms: number, onData = false): Promise<void> {
    if (!this.running) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(t);
        this.wake = undefined;
        resolve();
      };
      const t = setTimeout(done, ms);
      this.wake = { done, onData };
    });
  }
}

const BATCH_SEQ_BLOCK = 1000;

/** `{"batchSeq":n,"records":[…]}` from the journal's JSON, without parsing it again. */
function batchBody(batchSeq: number, payloads: Buffer[]): Buffer {
  const parts: Buffer[] = [Buffer.from(`{"batchSeq":${batchSeq},"records":[`)];
  payloads.forEach((p, i) => {
    if (i) parts.push(COMMA);
    parts.push(p);
  });
  parts.push(CLOSE);
  return Buffer.concat(parts);
}

const COMMA = Buffer.from(',');
const CLOSE = Buffer.from(']}');

function problemDetail(res: CloudAnswer): string {
  const b = res.body as { detail?: string; title?: string } | undefined;
  return b?.detail ?? b?.title ?? `HTTP ${res.status}`;
}
