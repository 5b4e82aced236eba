import { createHash } from 'node:crypto';
import { appendAudit } from '../../platform/audit.js';
import { actorId, requirePermission, type Principal } from '../../platform/auth.js';
import type { Database, Sql } from '../../platform/db.js';
import { conflict, notFound } from '../../platform/errors.js';
import { decodeFile } from './decode.js';
import { kindSpec } from './kinds.js';
import * as repo from './repo.js';
import { RowsRefused } from './rows.js';
import type { ImportJob } from './schema.js';
import { chunkAt, planFile, trialWrite, writeOrder } from './validate.js';

export interface ImportRequest {
  kind: string;
  fileName: string;
  dryRun: boolean;
  content: Buffer;
}

/**
 * Phase 1 (S1-7.3-a): reads the file, checks every cell and tries every valid row through its
 * module's service in a transaction that is rolled back. Returns the job to record, with every
 * error found: a file with any error is `invalid` and nothing is written; a dry run stops at
 * `validated`; otherwise the job is `writing` and phase 2 starts once it is recorded (startWriting).
 */
export async function validateUpload(db: Database, p: Principal, input: ImportRequest): Promise<repo.NewJob> {
  const started = Date.now();
  const file = await decodeFile(input.content, input.fileName);
  const plan = planFile(file, input.kind);
  for (const spec of new Set(plan.sheets.map((s) => s.spec))) requirePermission(p, spec.permission);
  const actor = actorId(p);
  const trial = await trialWrite(db, { tenantId: p.tenantId, actor, userId: p.userId ?? null, principal: p }, plan);
  const errors = [...plan.errors, ...trial.errors].sort((a, b) => (a.sheet === b.sheet ? a.row - b.row : 0));
  const valid = plan.sheets.reduce((n, s) => n + s.rows.length, 0);
  return {
    kind: input.kind, fileName: input.fileName, format: file.format, encoding: file.encoding, content: input.content,
    sha256: createHash('sha256').update(input.content).digest('hex'), dryRun: input.dryRun,
    status: errors.length ? 'invalid' : input.dryRun ? 'validated' : 'writing',
    sheets: plan.sheets.map((s) => ({ sheet: s.sheet, kind: s.spec.kind, headerRow: s.headerRow, rows: s.rows.length })),
    totalRows: errors.length ? valid + countRejected(plan.errors) : valid,
    unchangedRows: errors.length ? 0 : trial.unchanged, errors, createdBy: actor, createdByUser: p.userId ?? null, validateMs: Date.now() - started,
  };
}

/** Records a validated upload as a job (in the request's transaction, with its audit record). */
export const recordJob = (tx: Sql, tenantId: string, job: repo.NewJob): Promise<ImportJob> => repo.insertJob(tx, tenantId, job);

/** Rows the reading already refused (so not in any sheet's rows), for the job's row count. */
function countRejected(errors: { sheet: string; row: number; code: string }[]): number {
  return new Set(errors.filter((e) => !['MISSING_COLUMN', 'DUPLICATE_COLUMN', 'SHEET_KIND_UNKNOWN'].includes(e.code)).map((e) => `${e.sheet}|${e.row}`)).size;
}

function auditOf(tenantId: string, actor: string, action: string, job: { id: string }, details: Record<string, unknown>) {
  return { tenantId, actorType: 'system' as const, actorId: actor, action, resource: `import/${job.id}`, outcome: 'success' as const, statusCode: 200, requestId: null, traceId: null, details };
}

export async function getJob(tx: Sql, tenantId: string, id: string): Promise<ImportJob> {
  const job = await repo.findJob(tx, tenantId, id);
  if (!job) throw notFound('import job', id);
  return job;
}

/** Jobs this process is writing now: one writer per job per process (the chunk's row lock guards across processes). */
const running = new Map<string, Promise<void>>();

/** Starts (or resumes) phase 2 in the background, as the caller; the job's status tells how it goes. */
export function startWriting(db: Database, p: Principal, id: string, onError: (err: unknown) => void): void {
  if (running.has(id)) return;
  const work = writeJob(db, p, id).catch(onError).finally(() => running.delete(id));
  running.set(id, work);
}

/** A stopped job goes on from its last committed chunk; a job that is done or not writing is refused. */
export async function resumeJob(db: Database, p: Principal, id: string, onError: (err: unknown) => void): Promise<ImportJob> {
  const job = await db.transaction({ tenantId: p.tenantId }, (tx) => getJob(tx, p.tenantId, id));
  if (job.status !== 'writing') {
    throw conflict('IMPORT_NOT_RESUMABLE', `import job ${id} is ${job.status}; only a job that is writing can be resumed`, { documentStatus: job.status });
  }
  // The writes go on as the caller: they need what the upload needed.
  for (const s of job.sheets) requirePermission(p, kindSpec(s.kind)!.permission);
  startWriting(db, p, id, onError);
  return job;
}

/**
 * Phase 2: the file's rows in chunks, each chunk in one transaction with the job's progress, so
 * what the job says is done is exactly what is committed. A row whose natural key is already
 * there is counted unchanged; a process killed between chunks resumes at the next one.
 */
async function writeJob(db: Database, p: Principal, id: string): Promise<void> {
  const { tenantId } = p;
  const { job, content } = await db.transaction({ tenantId, readOnly: true }, async (tx) => ({ job: await getJob(tx, tenantId, id), content: (await repo.jobContent(tx, tenantId, id))! }));
  const plan = planFile(await decodeFile(content, job.fileName), job.kind);
  const order = writeOrder(plan);
  const ctx = { tenantId, actor: actorId(p), userId: p.userId ?? null, principal: p, jobId: id, trial: false, errors: [] };
  for (let more = true; more;) {
    more = await db.transaction({ tenantId }, async (tx) => {
      const current = await repo.findJob(tx, tenantId, id, true);
      if (!current || current.status !== 'writing') return false;
      const start = current.doneRows;
      if (start >= order.length) return await repo.setStatus(tx, tenantId, id, 'done'), false;
      const chunk = chunkAt(order, start);
      const { spec } = chunk[0];
      const end = start + chunk.length;
      const t0 = performance.now();
      const rows = chunk.map((o) => o.row);
      const present = await spec.present(tx, tenantId, rows);
      const absent = rows.filter((r) => !present.has(spec.key(r.values)));
      await spec.write(tx, ctx, absent);
      await repo.addProgress(tx, tenantId, id, absent.length, rows.length - absent.length, Math.round(performance.now() - t0));
      await appendAudit(tx, auditOf(tenantId, job.createdBy, 'writeImportChunk', { id }, { kind: spec.kind, fromRow: start, rows: rows.length, written: absent.length }));
      return end < order.length;
    }).catch(async (err) => {
      if (!(err instanceof RowsRefused)) throw err;
      await db.transaction({ tenantId }, (tx) => repo.setStatus(tx, tenantId, id, 'failed', err.errors));
      return false;
    });
  }
}
