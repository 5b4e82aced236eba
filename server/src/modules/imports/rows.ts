import type { Sql } from '../../platform/db.js';
import { MesProblem, problemFromDatabase, type FieldError } from '../../platform/errors.js';
import { cellText } from './cells.js';
import { columnHeader, type KindSpec, type Row, type RowError, type WriteContext } from './spec.js';

/** The column a service's field error points at: `lines[3].batchNo` → batchNo, `settlement.days` via the kind's map. */
export function columnOfField(spec: KindSpec, field: string): string {
  const path = field.replace(/^(lines)?\[\d+\]\.?/, '').replace(/\./g, '/').replace(/\[\d+\]$/, '');
  const name = spec.fieldOfPath?.[path] ?? path;
  const c = spec.columns.find((col) => col.field === name) ?? spec.columns.find((col) => col.required);
  return c ? columnHeader(c) : '';
}

const valueOf = (spec: KindSpec, row: Row, column: string) => {
  const c = spec.columns.find((col) => columnHeader(col) === column);
  return c ? cellText(row.values[c.field]) : '';
};

/** A service's refusal of one row as that row's errors, one per field error (or one for the row). */
export function rowErrors(spec: KindSpec, row: Row, err: MesProblem, fields?: FieldError[]): RowError[] {
  const list = fields ?? ((err.extras?.errors as FieldError[] | undefined) ?? []);
  if (list.length === 0) {
    const column = columnOfField(spec, '');
    return [{ sheet: row.sheet, row: row.row, column, value: valueOf(spec, row, column), code: err.code, message: err.message }];
  }
  return list.map((f) => {
    const column = columnOfField(spec, f.field);
    return { sheet: row.sheet, row: row.row, column, value: valueOf(spec, row, column), code: f.code, message: f.message };
  });
}

/** An error of one row found before the service is asked (an unknown reference). */
export function refError(spec: KindSpec, row: Row, field: string, code: string, message: string): RowError {
  const column = columnOfField(spec, field);
  return { sheet: row.sheet, row: row.row, column, value: valueOf(spec, row, column), code, message };
}

/**
 * A trial's refusal of a row: a service's problem, or an integrity error of the database (a row
 * another job is writing at the same moment: the key is taken when that job commits).
 */
export function trialProblem(err: unknown): MesProblem | undefined {
  if (err instanceof MesProblem) return err;
  const code = (err as { code?: unknown })?.code;
  return typeof code === 'string' && code.startsWith('23') ? problemFromDatabase(err as { code: string }) : undefined;
}

/** Refuses a real write: the chunk rolls back and the job fails with these errors. */
export class RowsRefused extends Error {
  constructor(readonly errors: RowError[]) {
    super(`${errors.length} row(s) refused`);
  }
}

export function refuse(ctx: WriteContext, errors: RowError[]): void {
  if (errors.length === 0) return;
  if (!ctx.trial) throw new RowsRefused(errors);
  ctx.errors.push(...errors);
}

/**
 * Writes row by row through a service. A trial wraps each row in a savepoint, so a refused row is
 * undone alone and the rows after it are still tried: every row's refusal in one pass.
 */
export async function eachRow(tx: Sql, ctx: WriteContext, spec: KindSpec, rows: Row[], fn: (row: Row) => Promise<void>): Promise<void> {
  for (const row of rows) {
    if (!ctx.trial) {
      try {
        await fn(row);
      } catch (err) {
        if (err instanceof MesProblem) throw new RowsRefused(rowErrors(spec, row, err));
        throw err;
      }
      continue;
    }
    await tx.query('SAVEPOINT import_row');
    try {
      await fn(row);
      await tx.query('RELEASE SAVEPOINT import_row');
    } catch (err) {
      await tx.query('ROLLBACK TO SAVEPOINT import_row');
      const problem = trialProblem(err);
      if (err instanceof RowsRefused) ctx.errors.push(...err.errors);
      else if (problem) ctx.errors.push(...rowErrors(spec, row, problem));
      else throw err;
    }
  }
}

export const str = (v: unknown) => (v === undefined || v === null ? '' : String(v));
/** The distinct non-empty values of a field over rows. */
export const distinct = (rows: Row[], field: string) => [...new Set(rows.map((r) => str(r.values[field])).filter(Boolean))];

/** A refusal of many rows at once (`[3].baseUnit`, `lines[3].batchNo`) as the errors of the rows named. */
export function errorsByIndex(spec: KindSpec, rows: Row[], err: MesProblem): RowError[] {
  const fields = (err.extras?.errors as FieldError[] | undefined) ?? [];
  const indexed = fields.map((f) => ({ f, i: Number(/^(?:lines)?\[(\d+)\]/.exec(f.field)?.[1] ?? -1) }));
  if (indexed.length === 0 || indexed.some((x) => !rows[x.i])) return rows.flatMap((r) => rowErrors(spec, r, err, fields));
  return indexed.flatMap(({ f, i }) => rowErrors(spec, rows[i], err, [f]));
}

/**
 * Writes a chunk through a service that takes many rows at once and refuses all of them on any
 * problem. A trial reports the rows refused and tries the others again, so that what later rows
 * refer to (a material for its opening stock) is there for them as it will be for real.
 */
export async function inBulk(tx: Sql, ctx: WriteContext, spec: KindSpec, rows: Row[], fn: (rows: Row[]) => Promise<unknown>): Promise<void> {
  if (rows.length === 0) return;
  if (!ctx.trial) {
    try {
      await fn(rows);
    } catch (err) {
      if (err instanceof MesProblem) throw new RowsRefused(errorsByIndex(spec, rows, err));
      throw err;
    }
    return;
  }
  await tx.query('SAVEPOINT import_chunk');
  try {
    await fn(rows);
    await tx.query('RELEASE SAVEPOINT import_chunk');
  } catch (err) {
    await tx.query('ROLLBACK TO SAVEPOINT import_chunk');
    const problem = trialProblem(err);
    if (!problem) throw err;
    const errors = errorsByIndex(spec, rows, problem);
    ctx.errors.push(...errors);
    const refused = new Set(errors.map((e) => e.row));
    const rest = rows.filter((r) => !refused.has(r.row));
    if (rest.length && rest.length < rows.length) await inBulk(tx, ctx, spec, rest, fn);
  }
}
