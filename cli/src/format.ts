import { Errors } from '@oclif/core';

export interface Column<R> {
  header: string;
  get: (row: R) => string;
}

/** A plain-text table: a header, a rule, one line per row; columns padded to their widest cell. */
export function table<R>(rows: R[], columns: Column<R>[]): string {
  const cells = rows.map((r) => columns.map((c) => oneLine(c.get(r))));
  const widths = columns.map((c, i) => Math.max(c.header.length, ...cells.map((row) => row[i].length)));
  const line = (values: string[]) => values.map((v, i) => (i === values.length - 1 ? v : v.padEnd(widths[i]))).join('  ').trimEnd();
  return [line(columns.map((c) => c.header.toUpperCase())), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n');
}

const oneLine = (v: string) => String(v ?? '').replace(/\s+/g, ' ');

/** `2025-01-02T03:04:05.678Z` -> `2025-01-02 03:04 UTC`; empty for null. */
export function shortDate(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

const UNITS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 };

/** Parses `90m`, `12h`, `30d` or `2w` into milliseconds; anything else is a usage error. */
export function parseDuration(input: string): number {
  const m = /^\s*(\d+)\s*([mhdw])\s*$/i.exec(input);
  const ms = m ? Number(m[1]) * UNITS[m[2].toLowerCase()] : NaN;
  if (!m || !Number.isSafeInteger(ms) || ms <= 0) {
    throw new Errors.CLIError(`expected a duration such as 90m, 12h, 30d or 2w (minutes, hours, days, weeks), got "${input}"`);
  }
  return ms;
}

/** A database URL fit to print: the password replaced by ***. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return url;
  }
}
