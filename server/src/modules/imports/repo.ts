import type { Sql } from '../../platform/db.js';
import type { ImportJob, ImportJobStatus } from './schema.js';
import type { RowError } from './spec.js';

interface JobRow {
  id: string;
  kind: string;
  file_name: string;
  format: 'csv' | 'xlsx';
  encoding: string;
  sha256: string;
  dry_run: boolean;
  status: ImportJobStatus;
  sheets: ImportJob['sheets'];
  total_rows: number;
  written_rows: number;
  unchanged_rows: number;
  errors: RowError[];
  created_by: string;
  created_by_user: string | null;
  validate_ms: number;
  write_ms: number;
  created_at: Date;
  updated_at: Date;
  finished_at: Date | null;
}

const COLUMNS = `id, kind, file_name, format, encoding, sha256, dry_run, status, sheets, total_rows, written_rows, unchanged_rows, errors, created_by,
  created_by_user, validate_ms, write_ms, created_at, updated_at, finished_at`;

function toJob(r: JobRow): ImportJob {
  const seconds = r.write_ms / 1000;
  return {
    id: r.id, kind: r.kind, fileName: r.file_name, format: r.format, encoding: r.encoding, sha256: r.sha256, dryRun: r.dry_run, status: r.status,
    sheets: r.sheets, totalRows: r.total_rows, writtenRows: r.written_rows, unchangedRows: r.unchanged_rows,
    doneRows: r.written_rows + r.unchanged_rows, errorCount: r.errors.length, errors: r.errors, createdBy: r.created_by,
    validateMs: r.validate_ms, writeMs: r.write_ms,
    rowsPerSecond: seconds > 0 ? Math.round((r.written_rows + r.unchanged_rows) / seconds) : null,
    createdAt: r.created_at.toISOString(), updatedAt: r.updated_at.toISOString(), finishedAt: r.finished_at?.toISOString() ?? null,
  };
}

export interface NewJob {
  kind: string;
  fileName: string;
  format: 'csv' | 'xlsx';
  encoding: string;
  content: Buffer;
  sha256: string;
  dryRun: boolean;
  status: ImportJobStatus;
  sheets: ImportJob['sheets'];
  totalRows: number;
  /** Rows the trial found already there; kept for a job that stops at validation (a writing job counts them again as it goes). */
  unchangedRows: number;
  errors: RowError[];
  createdBy: string;
  createdByUser: string | null;
  validateMs: number;
}

export async function insertJob(tx: Sql, tenantId: string, j: NewJob): Promise<ImportJob> {
  const { rows } = await tx.query<JobRow>(
    `INSERT INTO import_jobs (tenant_id, kind, file_name, format, encoding, content, sha256, dry_run, status, sheets, total_rows, errors, created_by, created_by_user,
       validate_ms, unchanged_rows, finished_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, CASE WHEN $9 = 'writing' THEN 0 ELSE $16::integer END,
       CASE WHEN $9 IN ('invalid', 'validated') THEN now() END)
     RETURNING ${COLUMNS}`,
    [tenantId, j.kind, j.fileName, j.format, j.encoding, j.content, j.sha256, j.dryRun, j.status, JSON.stringify(j.sheets), j.totalRows, JSON.stringify(j.errors),
      j.createdBy, j.createdByUser, j.validateMs, j.unchangedRows],
  );
  return toJob(rows[0]);
}

export async function findJob(tx: Sql, tenantId: string, id: string, lock = false): Promise<ImportJob | undefined> {
  const { rows } = await tx.query<JobRow>(`SELECT ${COLUMNS} FROM import_jobs WHERE tenant_id = $1 AND id = $2${lock ? ' FOR UPDATE' : ''}`, [tenantId, id]);
  return rows[0] && toJob(rows[0]);
}

export async function jobContent(tx: Sql, tenantId: string, id: string): Promise<Buffer | undefined> {
  const { rows } = await tx.query<{ content: Buffer | Uint8Array }>('SELECT content FROM import_jobs WHERE tenant_id = $1 AND id = $2', [tenantId, id]);
  return rows[0] && Buffer.from(rows[0].content);
}

/** A chunk's progress, in the chunk's transaction. */
export async function addProgress(tx: Sql, tenantId: string, id: string, written: number, unchanged: number, ms: number): Promise<void> {
  await tx.query(
    `UPDATE import_jobs SET written_rows = written_rows + $3, unchanged_rows = unchanged_rows + $4, write_ms = write_ms + $5, updated_at = now(),
       status = CASE WHEN written_rows + unchanged_rows + $3 + $4 >= total_rows THEN 'done' ELSE status END,
       finished_at = CASE WHEN written_rows + unchanged_rows + $3 + $4 >= total_rows THEN now() ELSE finished_at END
     WHERE tenant_id = $1 AND id = $2`,
    [tenantId, id, written, unchanged, ms],
  );
}

export async function setStatus(tx: Sql, tenantId: string, id: string, status: ImportJobStatus, errors?: RowError[]): Promise<void> {
  await tx.query(
    `UPDATE import_jobs SET status = $3, errors = coalesce($4::jsonb, errors), updated_at = now(),
       finished_at = CASE WHEN $3 IN ('done', 'failed') THEN now() ELSE finished_at END WHERE tenant_id = $1 AND id = $2`,
    [tenantId, id, status, errors ? JSON.stringify(errors) : null],
  );
}

/** The documents these legacy numbers already became, by legacy number. */
export async function documentsByLegacyNo(tx: Sql, tenantId: string, kind: string, legacyNos: string[]): Promise<Map<string, string>> {
  const { rows } = await tx.query<{ legacy_no: string; document_id: string }>(
    'SELECT legacy_no, document_id FROM import_documents WHERE tenant_id = $1 AND kind = $2 AND legacy_no = ANY($3::text[])',
    [tenantId, kind, legacyNos],
  );
  return new Map(rows.map((r) => [r.legacy_no, r.document_id]));
}

export async function recordDocument(tx: Sql, tenantId: string, kind: string, legacyNo: string, documentId: string, jobId: string): Promise<void> {
  await tx.query('INSERT INTO import_documents (tenant_id, kind, legacy_no, document_id, job_id) VALUES ($1, $2, $3, $4, $5)', [tenantId, kind, legacyNo, documentId, jobId]);
}
