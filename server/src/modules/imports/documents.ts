import { MesProblem, type FieldError } from '../../platform/errors.js';
import type { Sql } from '../../platform/db.js';
import { RowsRefused, rowErrors, str, trialProblem } from './rows.js';
import type { KindSpec, Row, RowError, WriteContext } from './spec.js';

/**
 * How a document's field errors find their rows and columns: `operations[2].runMinutes` is the
 * third row's run time (`lines` names the array), a header field (`code`) the first row's column
 * named in `header`; `line` renames a line's fields where the column's name differs.
 */
export interface DocumentFields {
  lines: string;
  header?: Record<string, string>;
  line?: Record<string, string>;
}

/** The rows of each group (a BOM's product and type, a routing's code), in file order. */
export function byGroup(spec: KindSpec, rows: Row[]): [string, Row[]][] {
  const groups = new Map<string, Row[]>();
  for (const r of rows) {
    const g = spec.group!(r.values);
    (groups.get(g) ?? groups.set(g, []).get(g)!).push(r);
  }
  return [...groups];
}

/** A document's refusal as its rows' errors: a line's on its row, the header's on the first row. */
export function documentErrors(spec: KindSpec, lines: Row[], err: MesProblem, map: DocumentFields): RowError[] {
  const fields = (err.extras?.errors as FieldError[] | undefined) ?? [];
  if (fields.length === 0) return rowErrors(spec, lines[0], err, []);
  const lineField = new RegExp(`^${map.lines}\\[(\\d+)\\]\\.?([^.[]*)`);
  return fields.flatMap((f) => {
    const m = lineField.exec(f.field);
    if (!m) return rowErrors(spec, lines[0], err, [{ ...f, field: map.header?.[f.field] ?? f.field }]);
    return rowErrors(spec, lines[Number(m[1])] ?? lines[0], err, [{ ...f, field: map.line?.[m[2]] ?? m[2] }]);
  });
}

/** Where a field error of a document lands: the row and the column's field. */
export type Locate = (field: string) => { row: Row; field: string } | undefined;

/**
 * A document's refusal when its rows are not its lines one to one (a calendar's shifts and
 * holidays, a BOM line and its alternates): `locate` names each field error's row and column;
 * what it does not place lands on the first row.
 */
export function locatedErrors(spec: KindSpec, first: Row, err: MesProblem, locate: Locate): RowError[] {
  const fields = (err.extras?.errors as FieldError[] | undefined) ?? [];
  if (fields.length === 0) return rowErrors(spec, first, err, []);
  return fields.flatMap((f) => {
    const at = locate(f.field) ?? { row: first, field: f.field };
    return rowErrors(spec, at.row, err, [{ ...f, field: at.field }]);
  });
}

/** Runs a service call for a document whose refusal is placed by `locate`. */
export async function locating<T>(spec: KindSpec, first: Row, locate: Locate, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (err instanceof MesProblem) throw new RowsRefused(locatedErrors(spec, first, err, locate));
    throw err;
  }
}

/**
 * One document per group of rows through its module's service. A trial wraps each in a
 * savepoint, so a refused document is undone alone and every refusal is reported in one pass; a
 * real write refuses the chunk at the first.
 */
export async function eachDocument(tx: Sql, ctx: WriteContext, spec: KindSpec, rows: Row[], map: DocumentFields, create: (lines: Row[]) => Promise<void>): Promise<void> {
  for (const [, lines] of byGroup(spec, rows)) {
    if (ctx.trial) await tx.query('SAVEPOINT import_document');
    try {
      await create(lines);
      if (ctx.trial) await tx.query('RELEASE SAVEPOINT import_document');
    } catch (err) {
      if (ctx.trial) await tx.query('ROLLBACK TO SAVEPOINT import_document');
      const problem = ctx.trial ? trialProblem(err) : err instanceof MesProblem ? err : undefined;
      if (!problem && !(err instanceof RowsRefused)) throw err;
      const errors = err instanceof RowsRefused ? err.errors : documentErrors(spec, lines, problem!, map);
      if (!ctx.trial) throw new RowsRefused(errors);
      ctx.errors.push(...errors);
    }
  }
}

/** The keys of the rows whose group's document the tenant already holds. */
export function presentGroups(spec: KindSpec, rows: Row[], held: (group: string, first: Row) => boolean): Set<string> {
  return new Set(byGroup(spec, rows).flatMap(([g, lines]) => (held(g, lines[0]) ? lines.map((l) => spec.key(l.values)) : [])));
}

