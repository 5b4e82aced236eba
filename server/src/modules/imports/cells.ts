/**
 * What legacy spreadsheets really hold, made plain: full-width digits and letters (Chinese input
 * methods), trailing and non-breaking blanks, dates as Excel serial numbers or as text in any of
 * the usual spellings, numbers with thousands separators, yes/no in English or Chinese.
 */

/** Full-width ASCII (U+FF01–FF5E) to half-width, the ideographic and non-breaking spaces to a space. */
export function halfWidth(s: string): string {
  return s.replace(/[\uff01-\uff5e]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).replace(/[\u3000\u00a0]/g, ' ');
}

/** A cell's text: half-width, without leading or trailing blanks; '' when empty. */
export function cellText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v === 'object') {
    const o = v as { text?: unknown; result?: unknown; richText?: { text: string }[] };
    if (o.richText) return cellText(o.richText.map((r) => r.text).join(''));
    if (o.result !== undefined) return cellText(o.result);
    if (o.text !== undefined) return cellText(o.text);
    return '';
  }
  return halfWidth(String(v)).trim();
}

/** A decimal as a plain string ("1,234.50" → "1234.50"), or undefined when it is not one. */
export function parseDecimal(v: unknown): string | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : undefined;
  const s = cellText(v).replace(/,/g, '').replace(/\s+/g, '');
  return /^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(s) ? s.replace(/^\+/, '').replace(/\.$/, '') : undefined;
}

export function parseInteger(v: unknown): number | undefined {
  const d = parseDecimal(v);
  if (d === undefined || !/^-?\d+(\.0*)?$/.test(d)) return undefined;
  const n = Number(d.split('.')[0]);
  return Number.isSafeInteger(n) ? n : undefined;
}

const EXCEL_EPOCH = Date.UTC(1899, 11, 30);

function isoDate(y: number, m: number, d: number): string | undefined {
  const t = new Date(Date.UTC(y, m - 1, d));
  if (t.getUTCFullYear() !== y || t.getUTCMonth() !== m - 1 || t.getUTCDate() !== d || y < 1900 || y > 2999) return undefined;
  return t.toISOString().slice(0, 10);
}

/**
 * A date as YYYY-MM-DD: a spreadsheet date, an Excel serial (45321, also as text), or text as
 * 2024-01-31, 2024/1/31, 2024.1.31, 20240131 or 2024年1月31日.
 */
export function parseDate(v: unknown): string | undefined {
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? undefined : v.toISOString().slice(0, 10);
  const s = cellText(v);
  if (typeof v === 'number' || /^\d{4,5}(\.\d+)?$/.test(s)) {
    const serial = Math.floor(Number(s));
    if (serial < 1 || serial > 400_000) return undefined;
    return new Date(EXCEL_EPOCH + serial * 86_400_000).toISOString().slice(0, 10);
  }
  const m = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[ T].*)?$/.exec(s) ?? /^(\d{4})(\d{2})(\d{2})$/.exec(s);
  return m ? isoDate(Number(m[1]), Number(m[2]), Number(m[3])) : undefined;
}

/**
 * A clock time as HH:MM: a spreadsheet time (a Date on 1899-12-30, or a fraction of a day), or
 * text as 8:00, 08:00, 08:00:00 or 8点30.
 */
export function parseTime(v: unknown): string | undefined {
  let minutes: number | undefined;
  if (v instanceof Date) minutes = Number.isNaN(v.getTime()) ? undefined : v.getUTCHours() * 60 + v.getUTCMinutes() + Math.round(v.getUTCSeconds() / 60);
  else if (typeof v === 'number') minutes = v >= 0 && v < 1 ? Math.round(v * 1440) : undefined;
  else {
    const m = /^(\d{1,2})(?::|点|时)(\d{2})?(?::\d{2})?分?$/.exec(cellText(v));
    if (m && Number(m[1]) < 24 && Number(m[2] ?? 0) < 60) minutes = Number(m[1]) * 60 + Number(m[2] ?? 0);
  }
  if (minutes === undefined || minutes >= 1440) return undefined;
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

const TRUE = new Set(['true', 'yes', 'y', '1', '是', '对', '√', 'x']);
const FALSE = new Set(['false', 'no', 'n', '0', '否', '不', '×']);

export function parseBoolean(v: unknown): boolean | undefined {
  if (typeof v === 'boolean') return v;
  const s = cellText(v).toLowerCase();
  return TRUE.has(s) ? true : FALSE.has(s) ? false : undefined;
}

/** A header as compared: half-width, lower case, without blanks, a required mark (*) or a note in brackets. */
export function headerKey(v: unknown): string {
  return cellText(v).toLowerCase().replace(/[(（[【].*?[)）\]】]/g, '').replace(/[*\s_:：]/g, '');
}
