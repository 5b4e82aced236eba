/**
 * The label payload (S1-5.4.3-g, S1-4.3.4): GS1-128 application identifiers, encoded and parsed.
 * Pure: no I/O. docs/barcodes.md describes the payload; service.ts resolves it against the
 * database.
 *
 * Two textual forms carry the same fields:
 * - human-readable, as printed under the bars: `(240)MAT-0001(10)B2611-01(17)271231`;
 * - raw, as a scanner transmits it: AIs concatenated, a variable-length value ended by GS
 *   (ASCII 29) or the end of the data, optionally led by a symbology identifier (`]C1`) and/or an
 *   FNC1 transmitted as GS.
 */
import { badRequest, fieldError, unprocessable } from '../../platform/errors.js';

export interface Gs1Location {
  warehouse: string;
  /** Null (or absent) when the code names a whole warehouse. */
  bin?: string | null;
}

export interface Gs1Fields {
  /** (240) additional product identification: the material code. */
  material?: string;
  /** (10) batch or lot number. */
  batch?: string;
  /** (21) serial number. */
  serial?: string;
  /** (17) expiry date, YYYY-MM-DD. */
  expiry?: string;
  /** (11) production date, YYYY-MM-DD. */
  productionDate?: string;
  /** (30) variable count, as a decimal string of up to 8 digits. */
  quantity?: string;
  /** (91) company-internal: `<warehouse code>/<bin code>`. */
  location?: Gs1Location;
  /** (92) company-internal: a document number. */
  document?: string;
}

/** The group separator: ends a variable-length value in the raw form. */
export const GS = '\x1d';

type FieldKey = 'material' | 'batch' | 'serial' | 'expiry' | 'productionDate' | 'quantity' | 'location' | 'document';

interface AiSpec {
  ai: string;
  key: FieldKey;
  /** Fixed length of the value, or undefined for a variable-length one. */
  fixed?: number;
  max: number;
  what: string;
}

/**
 * The application identifiers of the payload. The order is that of the human-readable form:
 * what the label identifies first, then its dates, quantity, location and document.
 */
export const AIS: readonly AiSpec[] = [
  { ai: '240', key: 'material', max: 30, what: 'material code' },
  { ai: '10', key: 'batch', max: 20, what: 'batch number' },
  { ai: '21', key: 'serial', max: 20, what: 'serial number' },
  { ai: '17', key: 'expiry', fixed: 6, max: 6, what: 'expiry date' },
  { ai: '11', key: 'productionDate', fixed: 6, max: 6, what: 'production date' },
  { ai: '30', key: 'quantity', max: 8, what: 'quantity' },
  { ai: '91', key: 'location', max: 90, what: 'location' },
  { ai: '92', key: 'document', max: 90, what: 'document number' },
];
const BY_AI = new Map(AIS.map((s) => [s.ai, s]));

/** GS1 character set 82: the printable characters a GS1 alphanumeric value may hold. */
const CSET82 = /^[!"%-?A-Z_a-z]*$/;
/** CSET 82 without the parentheses, which the human-readable form uses to mark an AI. */
export const LABEL_VALUE_PATTERN = '^[!"%-\'*-?A-Z_a-z]+$';
const LABEL_VALUE = new RegExp(LABEL_VALUE_PATTERN);

/** Symbology identifiers a scanner may put in front of GS1 data: GS1-128, DataMatrix, QR, DataBar. */
const SYMBOLOGY_IDS = [']C1', ']d2', ']Q3', ']e0'];

// ---------------------------------------------------------------------------------------------
// Encoding

/**
 * Both textual forms of the fields. The raw form puts the fixed-length AIs first and separates
 * the variable-length ones with GS, except the last, as GS1 recommends to keep symbols short.
 * Throws 422 BARCODE_NOT_ENCODABLE for a value the payload cannot carry.
 */
export function encodeGs1(fields: Gs1Fields, now: Date = new Date()): { humanReadable: string; raw: string } {
  const values: { spec: AiSpec; value: string }[] = [];
  const errors = [];
  for (const spec of AIS) {
    const field = fields[spec.key];
    if (field === undefined || field === null) continue;
    try {
      values.push({ spec, value: encodeValue(spec, field, now) });
    } catch (err) {
      if (!(err instanceof EncodeError)) throw err;
      errors.push(fieldError(`fields.${spec.key}`, err.code, err.message));
    }
  }
  if (errors.length) {
    throw unprocessable('BARCODE_NOT_ENCODABLE', `the label cannot carry these fields: ${errors.map((e) => `${e.field} ${e.message}`).join('; ')}`, errors);
  }
  if (!values.length) {
    throw unprocessable('BARCODE_NOT_ENCODABLE', 'the label has no fields to encode', [fieldError('fields', 'EMPTY', 'needs at least one field')]);
  }
  const humanReadable = values.map((v) => `(${v.spec.ai})${v.value}`).join('');
  const ordered = [...values.filter((v) => v.spec.fixed), ...values.filter((v) => !v.spec.fixed)];
  let raw = '';
  ordered.forEach((v, i) => {
    raw += v.spec.ai + v.value;
    if (!v.spec.fixed && i < ordered.length - 1) raw += GS;
  });
  return { humanReadable, raw };
}

class EncodeError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
  }
}

function encodeValue(spec: AiSpec, field: unknown, now: Date): string {
  if (spec.key === 'location') {
    const loc = field as Gs1Location;
    if (typeof loc?.warehouse !== 'string' || !loc.warehouse) throw new EncodeError('REQUIRED', 'needs a warehouse code');
    if (loc.warehouse.includes('/')) throw new EncodeError('BAD_CHARACTER', `warehouse code "${loc.warehouse}" contains "/", which separates it from the bin`);
    checkLabelValue(loc.warehouse, 'warehouse code');
    if (loc.bin !== undefined && loc.bin !== null) checkLabelValue(loc.bin, 'bin code');
    const value = loc.bin ? `${loc.warehouse}/${loc.bin}` : loc.warehouse;
    if (value.length > spec.max) throw new EncodeError('TOO_LONG', `(${spec.ai}) "${value}" is ${value.length} characters; at most ${spec.max}`);
    return value;
  }
  if (typeof field !== 'string') throw new EncodeError('WRONG_TYPE', 'must be a string');
  if (spec.key === 'expiry' || spec.key === 'productionDate') return encodeDate(spec, field, now);
  if (spec.key === 'quantity') {
    if (!/^\d{1,8}$/.test(field)) throw new EncodeError('BAD_QUANTITY', `(30) "${field}" must be a whole count of 1 to 8 digits`);
    return field;
  }
  checkLabelValue(field, spec.what);
  if (field.length > spec.max) throw new EncodeError('TOO_LONG', `(${spec.ai}) ${spec.what} "${field}" is ${field.length} characters; at most ${spec.max}`);
  return field;
}

function checkLabelValue(value: string, what: string): void {
  if (!value) throw new EncodeError('EMPTY', `${what} is empty`);
  if (!LABEL_VALUE.test(value)) {
    throw new EncodeError('BAD_CHARACTER', `${what} "${value}" has a character outside GS1 character set 82 (or a parenthesis, which the printed form cannot carry)`);
  }
}

function encodeDate(spec: AiSpec, iso: string, now: Date): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) throw new EncodeError('BAD_DATE', `(${spec.ai}) ${spec.what} "${iso}" is not a YYYY-MM-DD date`);
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) throw new EncodeError('BAD_DATE', `(${spec.ai}) ${spec.what} "${iso}" is not a calendar date`);
  const yy = year % 100;
  if (centuryYear(yy, now) !== year) {
    const current = now.getUTCFullYear();
    throw new EncodeError('BAD_DATE', `(${spec.ai}) ${spec.what} "${iso}" is outside the years a 2-digit GS1 year can name (${current - 49}..${current + 50})`);
  }
  return `${pad2(yy)}${m[2]}${m[3]}`;
}

// ---------------------------------------------------------------------------------------------
// Parsing

class ParseError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
  }
}

/** Is this text meant as GS1 data (rather than a bare code)? */
export function looksLikeGs1(text: string): boolean {
  const t = text.trim();
  return t.startsWith('(') || t.startsWith(']') || t.includes(GS);
}

/**
 * The fields of a code in either form. Throws 400 BARCODE_UNREADABLE (field `code`) saying what
 * was wrong: an unknown AI, a value too long, a bad date, truncated data, a character outside
 * GS1 character set 82, an AI given twice.
 *
 * `now` fixes the century of 2-digit years (tests); the GS1 rule puts YY within -49..+50 years of it.
 */
export function parseGs1(text: string, now: Date = new Date(), field = 'code'): Gs1Fields {
  try {
    const data = stripPrefix(text);
    if (!data) throw new ParseError('EMPTY', 'holds no data');
    const pairs = data.startsWith('(') ? splitHumanReadable(data) : splitRaw(data);
    const fields: Gs1Fields = {};
    const seen = new Set<string>();
    for (const { spec, value, at } of pairs) {
      if (seen.has(spec.ai)) throw new ParseError('DUPLICATE_AI', `AI (${spec.ai}) appears twice (position ${at})`);
      seen.add(spec.ai);
      assign(fields, spec, value, now);
    }
    return fields;
  } catch (err) {
    if (!(err instanceof ParseError)) throw err;
    throw badRequest('BARCODE_UNREADABLE', `the barcode is not readable: ${err.message}`, [fieldError(field, err.code, err.message)]);
  }
}

function stripPrefix(text: string): string {
  let data = text.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, '');
  const id = SYMBOLOGY_IDS.find((s) => data.startsWith(s));
  if (id) data = data.slice(id.length);
  // A leading FNC1, transmitted as GS, marks GS1 data; it carries nothing.
  while (data.startsWith(GS)) data = data.slice(1);
  return data;
}

interface Pair {
  spec: AiSpec;
  value: string;
  /** 1-based position of the AI in the data, for messages. */
  at: number;
}

function specOf(ai: string, at: number): AiSpec {
  const spec = BY_AI.get(ai);
  if (!spec) throw new ParseError('UNKNOWN_AI', `unknown application identifier (${ai}) at position ${at}; this payload uses (${AIS.map((s) => s.ai).join('), (')})`);
  return spec;
}

function splitHumanReadable(data: string): Pair[] {
  const pairs: Pair[] = [];
  let i = 0;
  while (i < data.length) {
    const m = /^\((\d{2,4})\)/.exec(data.slice(i));
    if (!m) {
      const rest = data.slice(i);
      if (/^\(\d*$/.test(rest) || /^\(\d{2,4}$/.test(rest)) throw new ParseError('TRUNCATED', `the data ends inside an application identifier at position ${i + 1}`);
      throw new ParseError('MALFORMED', `expected an application identifier "(NN)" at position ${i + 1}`);
    }
    const spec = specOf(m[1], i + 1);
    const start = i + m[0].length;
    let end = data.indexOf('(', start);
    if (end < 0) end = data.length;
    pairs.push({ spec, value: data.slice(start, end), at: i + 1 });
    i = end;
  }
  return pairs;
}

/** The length of a GS1 AI by its first two digits, so an unknown one can be named whole. */
function aiLength(data: string): number {
  const two = Number(data.slice(0, 2));
  if (two <= 22 || two === 30 || two === 37 || two >= 90) return 2;
  if ((two >= 23 && two <= 29) || (two >= 40 && two <= 49)) return 3;
  return 4;
}

function splitRaw(data: string): Pair[] {
  const pairs: Pair[] = [];
  let i = 0;
  while (i < data.length) {
    if (data[i] === GS) {
      i++; // a separator after a fixed-length value (some encoders add one): harmless
      continue;
    }
    if (!/^\d/.test(data.slice(i, i + 1))) throw new ParseError('MALFORMED', `expected an application identifier (digits) at position ${i + 1}`);
    const known = AIS.find((s) => data.startsWith(s.ai, i));
    if (!known) {
      const len = aiLength(data.slice(i));
      const ai = data.slice(i, i + len);
      if (/^\d+$/.test(ai) && ai.length < len) throw new ParseError('TRUNCATED', `the data ends inside an application identifier at position ${i + 1}`);
      throw new ParseError('UNKNOWN_AI', `unknown application identifier (${ai.replace(/[^0-9]/g, '?')}) at position ${i + 1}; this payload uses (${AIS.map((s) => s.ai).join('), (')})`);
    }
    const spec = known;
    const start = i + spec.ai.length;
    if (spec.fixed) {
      const value = data.slice(start, start + spec.fixed);
      if (value.length < spec.fixed || value.includes(GS)) {
        throw new ParseError('TRUNCATED', `(${spec.ai}) ${spec.what} is truncated: ${spec.fixed} digits expected, ${value.split(GS)[0].length} found`);
      }
      pairs.push({ spec, value, at: i + 1 });
      i = start + spec.fixed;
    } else {
      let end = data.indexOf(GS, start);
      if (end < 0) end = data.length;
      pairs.push({ spec, value: data.slice(start, end), at: i + 1 });
      i = end + 1;
    }
  }
  return pairs;
}

function assign(fields: Gs1Fields, spec: AiSpec, value: string, now: Date): void {
  if (!value) throw new ParseError(spec.fixed ? 'TRUNCATED' : 'EMPTY', `(${spec.ai}) ${spec.what} is empty`);
  if (!CSET82.test(value)) {
    throw new ParseError('BAD_CHARACTER', `(${spec.ai}) ${spec.what} has a character outside GS1 character set 82`);
  }
  if (spec.fixed && value.length !== spec.fixed) {
    if (value.length < spec.fixed) throw new ParseError('TRUNCATED', `(${spec.ai}) ${spec.what} is truncated: ${spec.fixed} digits expected, ${value.length} found`);
    throw new ParseError('TOO_LONG', `(${spec.ai}) ${spec.what} is too long: ${spec.fixed} digits expected, ${value.length} found`);
  }
  if (value.length > spec.max) throw new ParseError('TOO_LONG', `(${spec.ai}) ${spec.what} is too long: ${value.length} characters, at most ${spec.max}`);
  switch (spec.key) {
    case 'expiry':
    case 'productionDate':
      fields[spec.key] = parseDate(spec, value, now);
      return;
    case 'quantity':
      if (!/^\d+$/.test(value)) throw new ParseError('BAD_QUANTITY', `(30) quantity "${value}" is not a whole count`);
      fields.quantity = BigInt(value).toString();
      return;
    case 'location': {
      const slash = value.indexOf('/');
      const warehouse = slash < 0 ? value : value.slice(0, slash);
      const bin = slash < 0 ? '' : value.slice(slash + 1);
      if (!warehouse) throw new ParseError('EMPTY', '(91) location has no warehouse code before "/"');
      fields.location = { warehouse, bin: bin || null };
      return;
    }
    default:
      fields[spec.key] = value;
  }
}

function parseDate(spec: AiSpec, value: string, now: Date): string {
  if (!/^\d{6}$/.test(value)) throw new ParseError('BAD_DATE', `(${spec.ai}) ${spec.what} "${value}" is not YYMMDD digits`);
  const yy = Number(value.slice(0, 2));
  const month = Number(value.slice(2, 4));
  let day = Number(value.slice(4, 6));
  if (month < 1 || month > 12) throw new ParseError('BAD_DATE', `(${spec.ai}) ${spec.what} "${value}" has month ${value.slice(2, 4)}; 01 to 12 expected`);
  const year = centuryYear(yy, now);
  const last = daysInMonth(year, month);
  // GS1: day 00 means the last day of the month.
  if (day === 0) day = last;
  if (day > last) throw new ParseError('BAD_DATE', `(${spec.ai}) ${spec.what} "${value}" has day ${value.slice(4, 6)}; ${year}-${pad2(month)} has ${last} days`);
  return `${year}-${pad2(month)}-${pad2(day)}`;
}

/**
 * The GS1 century rule (General Specifications 7.12): a 2-digit year 51..99 years ahead of the
 * current one is in the previous century, one 50..99 years behind it in the next century.
 */
export function centuryYear(yy: number, now: Date): number {
  const current = now.getUTCFullYear();
  const century = current - (current % 100);
  const diff = yy - (current % 100);
  if (diff >= 51) return century - 100 + yy;
  if (diff <= -50) return century + 100 + yy;
  return century + yy;
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

const pad2 = (n: number) => String(n).padStart(2, '0');
