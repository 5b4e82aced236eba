import { FormatRegistry } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import type { Database } from '../../platform/db.js';
import { cellText } from './cells.js';
import type { DecodedFile, RawSheet } from './decode.js';
import { KINDS, kindOfSheetName, kindSpec } from './kinds.js';
import { columnHeader, coerce, mapHeader, type Column, type KindSpec, type Row, type RowError, type WriteContext } from './spec.js';

// The formats the modules' schemas use, for checking rows with TypeBox as the routes check bodies with Ajv.
const FORMATS: Record<string, RegExp> = {
  date: /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/,
  uuid: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
};
for (const [name, re] of Object.entries(FORMATS)) if (!FormatRegistry.Has(name)) FormatRegistry.Set(name, (v) => re.test(v));

/** A sheet read as one kind: where its header is, and its data rows with typed values. */
export interface SheetPlan {
  sheet: string;
  spec: KindSpec;
  /** 1-based row of the header. */
  headerRow: number;
  /** Column position (0-based) → the kind's column. */
  columns: (Column | undefined)[];
  rows: Row[];
}

export interface FilePlan {
  sheets: SheetPlan[];
  errors: RowError[];
}

/** Rows a chunk writes in one transaction. */
export const CHUNK_ROWS = 1000;
const HEADER_SCAN = 10;
/** Sheets users keep beside the data (instructions, lists): never data. */
const NOT_DATA = /^(说明|填写说明|instructions?|readme|lists?|选项|下拉)$/i;

/** The header row of a sheet for a kind: of the first rows, the one naming most of its columns. */
function findHeader(spec: KindSpec, sheet: RawSheet): { index: number; columns: (Column | undefined)[]; score: number } {
  let best = { index: -1, columns: [] as (Column | undefined)[], score: 0 };
  for (let i = 0; i < Math.min(HEADER_SCAN, sheet.rows.length); i++) {
    const columns = mapHeader(spec, sheet.rows[i]);
    const score = new Set(columns.filter(Boolean)).size;
    if (score > best.score) best = { index: i, columns, score };
  }
  // A two-row header (a group title merged above some columns): a position the header row leaves
  // unnamed takes the name of the row above.
  if (best.index > 0) {
    const above = mapHeader(spec, sheet.rows[best.index - 1]);
    above.forEach((c, j) => {
      if (c && !best.columns[j] && !best.columns.includes(c)) best.columns[j] = c;
    });
  }
  return best;
}

const isEmpty = (cells: unknown[]) => cells.every((c) => cellText(c) === '');

function schemaCode(schema: Record<string, unknown>): string {
  // A nullable value (`Type.Union([T, Type.Null()])`) fails as its non-null member does.
  const member = Array.isArray(schema.anyOf) ? (schema.anyOf as Record<string, unknown>[]).find((m) => m.type !== 'null') : undefined;
  if (member) return schemaCode(member);
  if ('pattern' in schema) return 'INVALID_FORMAT';
  if ('maxLength' in schema || 'minLength' in schema) return 'INVALID_LENGTH';
  if ('minimum' in schema || 'maximum' in schema) return 'OUT_OF_RANGE';
  return 'INVALID_VALUE';
}

/** Reads every sheet as its kind and checks every cell; returns all errors at once. */
export function planFile(file: DecodedFile, kind: string): FilePlan {
  const errors: RowError[] = [];
  const sheets: SheetPlan[] = [];
  const err = (sheet: string, row: number, column: string, value: string, code: string, message: string) => errors.push({ sheet, row, column, value, code, message });
  const seen = new Map<string, Map<string, number>>();
  for (const raw of file.sheets) {
    if (raw.rows.every(isEmpty) || NOT_DATA.test(raw.name.trim())) continue;
    const spec = pickKind(raw, kind, file.format);
    if (!spec) {
      err(raw.name, 1, '', raw.name, 'SHEET_KIND_UNKNOWN', `sheet ${raw.name} names no kind of import; name it after one (${KINDS.map((k) => `${k.kind}/${k.zh}`).join(', ')})`);
      continue;
    }
    const header = findHeader(spec, raw);
    const headerRow = header.index + 1;
    const missing = spec.columns.filter((c) => c.required && !header.columns.includes(c));
    for (const c of missing) err(raw.name, Math.max(headerRow, 1), columnHeader(c), '', 'MISSING_COLUMN', `the sheet has no column ${c.en} (${c.zh})`);
    header.columns.forEach((c, j) => {
      if (c && header.columns.indexOf(c) !== j) err(raw.name, headerRow, columnHeader(c), cellText(raw.rows[header.index][j]), 'DUPLICATE_COLUMN', `${c.en} is named twice`);
    });
    if (missing.length || header.index < 0) continue;
    const plan: SheetPlan = { sheet: raw.name, spec, headerRow, columns: header.columns, rows: [] };
    const keys = seen.get(spec.kind) ?? seen.set(spec.kind, new Map()).get(spec.kind)!;
    for (let i = header.index + 1; i < raw.rows.length; i++) {
      const cells = raw.rows[i];
      if (isEmpty(cells)) continue;
      const row: Row = { sheet: raw.name, row: i + 1, values: {} };
      const bad = new Set<string>();
      header.columns.forEach((c, j) => {
        if (!c || header.columns.indexOf(c) !== j) return;
        const { value, error } = coerce(c, cells[j]);
        if (error) bad.add(c.field), err(raw.name, row.row, columnHeader(c), cellText(cells[j]), error.code, error.message);
        else if (value !== undefined) row.values[c.field] = value;
      });
      for (const c of spec.columns) {
        if (c.required && !header.columns.includes(c)) bad.add(c.field);
      }
      const checks = [{ body: spec.bodyOf?.(row.values) ?? spec.body, input: spec.input(row.values), fieldOfPath: spec.fieldOfPath }];
      if (spec.header) checks.push({ body: spec.header.body, input: spec.header.input(row.values), fieldOfPath: spec.header.fieldOfPath });
      for (const check of checks) for (const e of Value.Errors(check.body, check.input)) {
        const path = e.path.replace(/^\//, '');
        const field = check.fieldOfPath?.[path] ?? path.split('/')[0];
        const c = spec.columns.find((col) => col.field === field) ?? spec.columns[0];
        if (bad.has(c.field)) continue;
        bad.add(c.field);
        err(raw.name, row.row, columnHeader(c), cellText(row.values[c.field]), schemaCode(e.schema as Record<string, unknown>), `${c.en}: ${e.message}`);
      }
      if (bad.size) continue;
      const key = spec.key(row.values);
      const first = keys.get(key);
      if (first !== undefined) {
        const c = spec.columns[0];
        err(raw.name, row.row, columnHeader(c), cellText(row.values[c.field]), 'DUPLICATE_KEY', `the same ${spec.en.toLowerCase()} row as row ${first}: ${key}`);
        continue;
      }
      keys.set(key, row.row);
      plan.rows.push(row);
    }
    sheets.push(plan);
  }
  sheets.sort((a, b) => KINDS.indexOf(a.spec) - KINDS.indexOf(b.spec));
  return { sheets, errors };
}

/** A sheet's kind: named by the sheet, or the one asked for, or (auto) the kind whose columns its header names best. */
function pickKind(raw: RawSheet, kind: string, format: DecodedFile['format']): KindSpec | undefined {
  const named = format === 'xlsx' ? kindOfSheetName(raw.name) : undefined;
  if (named) return named;
  if (kind !== 'auto') return kindSpec(kind);
  let best: { spec?: KindSpec; score: number } = { score: 0 };
  for (const spec of KINDS) {
    const { score, columns } = findHeader(spec, raw);
    const complete = spec.columns.every((c) => !c.required || columns.includes(c));
    const s = complete ? score + spec.columns.filter((c) => c.required).length / 100 : 0;
    if (s > best.score) best = { spec, score: s };
  }
  return best.spec;
}

/** One row in the order rows are written: by kind, a row that waits for a later kind right after that kind. */
export interface Planned {
  spec: KindSpec;
  row: Row;
  rank: number;
}

export function writeOrder(plan: FilePlan): Planned[] {
  const rankOf = (spec: KindSpec, row: Row) => {
    const after = spec.after?.(row.values);
    return after ? KINDS.findIndex((k) => k.kind === after) + 0.5 : KINDS.indexOf(spec) + (spec.step?.(row.values) ?? 0) / 10;
  };
  const list = plan.sheets.flatMap((s) => s.rows.map((row) => ({ spec: s.spec, row, rank: rankOf(s.spec, row) })));
  // The rows of one document (a BOM, a routing, an order) follow each other, where its first row is.
  const groupOf = (p: Planned) => {
    const g = p.spec.group?.(p.row.values);
    return g === undefined ? undefined : `${p.spec.kind}|${g}`;
  };
  const first = new Map<string, number>();
  list.forEach((p, i) => {
    const g = groupOf(p);
    if (g !== undefined && !first.has(g)) first.set(g, i);
  });
  const at = new Map(list.map((p, i) => [p, [first.get(groupOf(p) ?? '') ?? i, i]]));
  return list.sort((a, b) => a.rank - b.rank || at.get(a)![0] - at.get(b)![0] || at.get(a)![1] - at.get(b)![1]);
}

/** The chunk that starts at `start`: up to CHUNK_ROWS rows of one kind and rank. */
export function chunkAt(order: Planned[], start: number): Planned[] {
  const same = (i: number) => order[i].rank === order[start].rank && order[i].spec === order[start].spec;
  const groupOf = (i: number) => order[i].spec.group?.(order[i].row.values);
  let end = start;
  while (end < order.length && end - start < CHUNK_ROWS && same(end)) end++;
  // A document's rows stay together: the chunk runs on to the end of the group it stopped in.
  while (end < order.length && same(end) && groupOf(end) !== undefined && groupOf(end) === groupOf(end - 1)) end++;
  return order.slice(start, end);
}

/** Thrown to roll a trial back. */
class TrialOver extends Error {}

export interface TrialResult {
  errors: RowError[];
  /** Rows whose natural key the tenant already holds: a re-run leaves them as they are. */
  unchanged: number;
}

/**
 * The second half of validation: every valid row written through its module's service inside one
 * transaction that is then rolled back, so the services' own rules (a unit that does not convert,
 * a USCC already taken, a serial already in stock) are reported for every row, and nothing stays.
 */
export async function trialWrite(db: Database, ctx: Omit<WriteContext, 'trial' | 'errors' | 'jobId'>, plan: FilePlan): Promise<TrialResult> {
  const result: TrialResult = { errors: [], unchanged: 0 };
  await db.transaction({ tenantId: ctx.tenantId }, async (tx) => {
    const wctx: WriteContext = { ...ctx, jobId: '', trial: true, errors: result.errors };
    const order = writeOrder(plan);
    for (let i = 0; i < order.length;) {
      const chunk = chunkAt(order, i);
      const { spec } = chunk[0];
      const rows = chunk.map((c) => c.row);
      const present = await spec.present(tx, ctx.tenantId, rows);
      const absent = rows.filter((r) => !present.has(spec.key(r.values)));
      result.unchanged += rows.length - absent.length;
      await spec.write(tx, wctx, absent);
      i += chunk.length;
    }
    throw new TrialOver();
  }).catch((err) => {
    if (!(err instanceof TrialOver)) throw err;
  });
  return result;
}
