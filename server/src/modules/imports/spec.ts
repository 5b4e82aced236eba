import type { TSchema } from '@sinclair/typebox';
import type { Principal } from '../../platform/auth.js';
import type { Sql } from '../../platform/db.js';
import { cellText, headerKey, parseBoolean, parseDate, parseDecimal, parseInteger, parseTime } from './cells.js';

export type ColumnType = 'text' | 'decimal' | 'integer' | 'date' | 'time' | 'boolean' | 'enum';

/** One column of a kind: the field it fills, its headers in English and Chinese, its type. */
export interface Column {
  field: string;
  en: string;
  zh: string;
  /** Other headers legacy exports use for it. */
  aliases?: string[];
  type: ColumnType;
  required?: boolean;
  /** enum: each value with the spellings accepted for it (the value itself always is). */
  values?: Record<string, string[]>;
  example: string;
}

/** One error of a file, where the user finds it: sheet, row (1-based, as the spreadsheet shows), column header. */
export interface RowError {
  sheet: string;
  row: number;
  column: string;
  value: string;
  code: string;
  message: string;
}

/** A data row of a sheet with its values by field, typed. */
export interface Row {
  sheet: string;
  row: number;
  values: Record<string, unknown>;
}

/** How a chunk is written: for real, or as a trial inside a transaction that is rolled back. */
export interface WriteContext {
  tenantId: string;
  actor: string;
  userId: string | null;
  /** Who uploaded (or resumed) the job: the documents a job creates are theirs. */
  principal: Principal;
  /** The job, for what it records (legacy numbers); empty in a trial. */
  jobId: string;
  /** A trial collects every row's refusals in errors; a real write throws at the first. */
  trial: boolean;
  errors: RowError[];
}

/**
 * One kind of import, declared: its columns, the owning module's request schema each row must
 * satisfy, the natural key of a row, which keys the tenant already holds (one query per chunk) and
 * how a chunk is written through the owning module's service.
 */
export interface KindSpec {
  kind: string;
  en: string;
  zh: string;
  /** The permission the caller needs, as for the module's own create route. */
  permission: string;
  columns: Column[];
  /** The owning module's request body schema, which the row's input must satisfy. */
  body: TSchema;
  /** A row whose request schema depends on the row (a plant-model row: its level's). */
  bodyOf?(values: Record<string, unknown>): TSchema;
  /** The service input of a row (what the body schema checks). */
  input(values: Record<string, unknown>): Record<string, unknown>;
  /** A document's header fields each of its rows repeats (a routing's code and name), checked against the header's schema too. */
  header?: { body: TSchema; input(values: Record<string, unknown>): Record<string, unknown>; fieldOfPath?: Record<string, string> };
  /** Fields of the input that do not share their column's name (`settlement/days` → settlementDays). */
  fieldOfPath?: Record<string, string>;
  key(values: Record<string, unknown>): string;
  /** Rows of one document (a legacy order number): never split between chunks. */
  group?(values: Record<string, unknown>): string;
  /** Rows of one kind written in steps (a plant before its workshops): the step of a row, 0 first; a chunk never mixes steps. */
  step?(values: Record<string, unknown>): number;
  /** A row that must wait for a later kind (a material's own conversion waits for the material) names that kind. */
  after?(values: Record<string, unknown>): string | undefined;
  present(tx: Sql, tenantId: string, rows: Row[]): Promise<Set<string>>;
  write(tx: Sql, ctx: WriteContext, rows: Row[]): Promise<void>;
}

export const columnHeader = (c: Column) => `${c.zh} ${c.en}`;

/** Headers a column answers to, as compared. */
export function headerKeys(c: Column): string[] {
  return [c.en, c.zh, c.field, columnHeader(c), ...(c.aliases ?? [])].map(headerKey);
}

/** Which column each position of a header row holds (undefined: not one of this kind's). */
export function mapHeader(spec: KindSpec, header: unknown[]): (Column | undefined)[] {
  const byKey = new Map<string, Column>();
  for (const c of spec.columns) for (const k of headerKeys(c)) byKey.set(k, c);
  return header.map((h) => byKey.get(headerKey(h)));
}

const TYPE_MESSAGE: Record<ColumnType, string> = {
  text: '',
  decimal: 'is not a number',
  integer: 'is not a whole number',
  date: 'is not a date (2024-01-31, 2024/1/31, 2024年1月31日 or an Excel date)',
  time: 'is not a time of day (08:00, 8:00, 8点30 or an Excel time)',
  boolean: 'is not yes or no (Y/N, 是/否, true/false, 1/0)',
  enum: 'is not one of the allowed values',
};
const TYPE_CODE: Record<ColumnType, string> = {
  text: '', decimal: 'INVALID_NUMBER', integer: 'INVALID_INTEGER', date: 'INVALID_DATE', time: 'INVALID_TIME', boolean: 'INVALID_BOOLEAN', enum: 'INVALID_VALUE',
};

/** A cell as its column's type: the value, undefined when empty, or the error. */
export function coerce(c: Column, raw: unknown): { value?: unknown; error?: { code: string; message: string } } {
  const text = cellText(raw);
  if (text === '') return c.required ? { error: { code: 'REQUIRED', message: `${c.en} is required` } } : {};
  let value: unknown;
  switch (c.type) {
    case 'text': value = text; break;
    case 'decimal': value = parseDecimal(raw); break;
    case 'integer': value = parseInteger(raw); break;
    case 'date': value = parseDate(raw); break;
    case 'time': value = parseTime(raw); break;
    case 'boolean': value = parseBoolean(raw); break;
    case 'enum': {
      const t = text.toLowerCase();
      value = Object.entries(c.values ?? {}).find(([v, spellings]) => v === t || spellings.some((s) => s.toLowerCase() === t))?.[0];
      break;
    }
  }
  if (value === undefined) {
    const allowed = c.type === 'enum' ? `: ${Object.entries(c.values ?? {}).map(([v, s]) => [v, ...s].join('/')).join(', ')}` : '';
    return { error: { code: TYPE_CODE[c.type], message: `${c.en} ${TYPE_MESSAGE[c.type]}${allowed}` } };
  }
  return { value };
}

/** The spellings of an enum column as a drop-down list offers them. */
export const enumChoices = (c: Column) => Object.keys(c.values ?? {});
