/**
 * The coding-rule engine (S1-5.4.3-d, -f, -h): one engine numbers material variant codes,
 * batches, serials and documents.
 *
 * A pattern is literal text and tokens: {yyyy} {yy} {mm} {dd} {seq:N} {material} {feature:CODE}.
 * The sequence restarts at 1 per reset period (never, yearly, monthly, daily), and per rendered
 * prefix when the pattern names a material or a feature, so TSHIRT-RED-001 and TSHIRT-BLUE-001
 * each count from 1. Dates are calendar dates in UTC.
 *
 * Numbers are taken by one upsert whose row lock serialises concurrent takers of the same
 * sequence, inside the caller's transaction: a rolled-back caller gives its number back.
 */
import type { Sql } from '../../platform/db.js';
import { conflict, fieldError, notFound, unprocessable, type FieldError } from '../../platform/errors.js';

export type ResetPeriod = 'never' | 'yearly' | 'monthly' | 'daily';
export const RESET_PERIODS: readonly ResetPeriod[] = ['never', 'yearly', 'monthly', 'daily'];

/** What a pattern's tokens are filled from. */
export interface CodingContext {
  /** The business date; now by default. Its UTC calendar date is used. */
  date?: Date;
  /** For {material}: a material code. */
  material?: string;
  /** For {feature:CODE}: feature code to value code, e.g. { COLOR: 'RED' }. */
  features?: Record<string, string>;
}

export interface CodingRuleDefaults {
  pattern: string;
  reset: ResetPeriod;
  description?: string;
}

export interface CodingRule {
  code: string;
  pattern: string;
  reset: ResetPeriod;
  description: string;
  createdAt: string;
}

export type PatternToken =
  | { kind: 'literal'; text: string }
  | { kind: 'yyyy' | 'yy' | 'mm' | 'dd' | 'material' }
  | { kind: 'seq'; width: number }
  | { kind: 'feature'; code: string };

export const SEQ_MAX_WIDTH = 12;
const FEATURE_CODE = /^[A-Z0-9_-]{1,32}$/;
const SIMPLE_TOKENS = new Set(['yyyy', 'yy', 'mm', 'dd', 'material']);
const TOKEN_HELP = '{yyyy} {yy} {mm} {dd} {seq:N} {material} {feature:CODE}';

/** Splits a pattern into literal text and tokens; every problem at once as 422 INVALID_PATTERN (field `pattern`). */
export function parsePattern(pattern: string): PatternToken[] {
  const tokens: PatternToken[] = [];
  const errors: FieldError[] = [];
  const bad = (code: string, message: string) => errors.push(fieldError('pattern', code, message));
  let literal = '';
  let seqCount = 0;
  const flush = () => {
    if (literal) tokens.push({ kind: 'literal', text: literal });
    literal = '';
  };
  if (pattern.length === 0) bad('EMPTY', 'the pattern is empty');
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i];
    if (ch === '}') {
      bad('MALFORMED_TOKEN', `a "}" at position ${i + 1} closes no token`);
      continue;
    }
    if (ch !== '{') {
      literal += ch;
      continue;
    }
    const end = pattern.indexOf('}', i + 1);
    const nextOpen = pattern.indexOf('{', i + 1);
    if (end < 0 || (nextOpen >= 0 && nextOpen < end)) {
      bad('MALFORMED_TOKEN', `the "{" at position ${i + 1} is not closed by "}"`);
      continue;
    }
    const inner = pattern.slice(i + 1, end);
    i = end;
    flush();
    if (SIMPLE_TOKENS.has(inner)) {
      tokens.push({ kind: inner as 'yyyy' | 'yy' | 'mm' | 'dd' | 'material' });
    } else if (inner === 'seq' || inner.startsWith('seq:')) {
      const m = /^seq:(\d{1,3})$/.exec(inner);
      if (!m) {
        bad('MALFORMED_TOKEN', `{${inner}} must be {seq:N} with N the number of digits, 1 to ${SEQ_MAX_WIDTH}`);
        continue;
      }
      const width = Number(m[1]);
      if (width < 1 || width > SEQ_MAX_WIDTH) {
        bad('SEQ_WIDTH_OUT_OF_RANGE', `{${inner}}: the number of digits must be 1 to ${SEQ_MAX_WIDTH}`);
        continue;
      }
      if (++seqCount === 2) bad('MULTIPLE_SEQ', 'a pattern may hold at most one {seq:N}');
      tokens.push({ kind: 'seq', width });
    } else if (inner === 'feature' || inner.startsWith('feature:')) {
      const code = inner.slice('feature:'.length);
      if (!inner.startsWith('feature:') || !FEATURE_CODE.test(code)) {
        bad('MALFORMED_TOKEN', `{${inner}} must be {feature:CODE} with CODE 1 to 32 of A-Z 0-9 _ -`);
        continue;
      }
      tokens.push({ kind: 'feature', code });
    } else {
      bad('UNKNOWN_TOKEN', `{${inner}} is not a token; known tokens: ${TOKEN_HELP}`);
    }
  }
  flush();
  if (errors.length) {
    throw unprocessable('INVALID_PATTERN', `the pattern ${JSON.stringify(pattern)} is not valid: ${errors.map((e) => e.message).join('; ')}`, errors);
  }
  return tokens;
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');

function dateOf(ctx: CodingContext): Date {
  const date = ctx.date ?? new Date();
  if (Number.isNaN(date.getTime())) {
    throw unprocessable('CODING_CONTEXT_MISSING', 'the date to number by is not a valid date', [fieldError('date', 'INVALID_DATE', 'is not a valid date')]);
  }
  return date;
}

/** 422 CODING_CONTEXT_MISSING naming every token the context cannot fill. */
function checkContext(tokens: PatternToken[], ctx: CodingContext): void {
  const errors: FieldError[] = [];
  for (const t of tokens) {
    if (t.kind === 'material' && !ctx.material) errors.push(fieldError('material', 'REQUIRED', 'the pattern has {material}: give a material code'));
    if (t.kind === 'feature' && !ctx.features?.[t.code]) {
      errors.push(fieldError(`features.${t.code}`, 'REQUIRED', `the pattern has {feature:${t.code}}: give a value code for feature ${t.code}`));
    }
  }
  if (errors.length) {
    const names = tokens.filter((t) => (t.kind === 'material' && !ctx.material) || (t.kind === 'feature' && !ctx.features?.[t.code]));
    throw unprocessable('CODING_CONTEXT_MISSING', `nothing to fill ${names.map(tokenText).join(', ')} with`, errors);
  }
}

function tokenText(t: PatternToken): string {
  switch (t.kind) {
    case 'literal':
      return t.text;
    case 'seq':
      return `{seq:${t.width}}`;
    case 'feature':
      return `{feature:${t.code}}`;
    default:
      return `{${t.kind}}`;
  }
}

function renderTokens(tokens: PatternToken[], seq: number, ctx: CodingContext, date: Date): string {
  return tokens
    .map((t) => {
      switch (t.kind) {
        case 'literal':
          return t.text;
        case 'yyyy':
          return pad(date.getUTCFullYear(), 4);
        case 'yy':
          return pad(date.getUTCFullYear() % 100, 2);
        case 'mm':
          return pad(date.getUTCMonth() + 1, 2);
        case 'dd':
          return pad(date.getUTCDate(), 2);
        case 'material':
          return ctx.material!;
        case 'feature':
          return ctx.features![t.code];
        case 'seq': {
          const text = pad(seq, t.width);
          if (text.length > t.width) {
            throw conflict('SEQUENCE_EXHAUSTED', `the sequence has passed ${'9'.repeat(t.width)}, the largest number {seq:${t.width}} can hold; widen the rule's {seq:N}`);
          }
          return text;
        }
      }
    })
    .join('');
}

/**
 * Renders a pattern with the given sequence number (pure; the date defaults to now). Throws 422
 * INVALID_PATTERN, 422 CODING_CONTEXT_MISSING, or 409 SEQUENCE_EXHAUSTED when seq has more
 * digits than {seq:N} allows.
 */
export function renderPattern(pattern: string, seq: number, ctx: CodingContext = {}): string {
  const tokens = parsePattern(pattern);
  checkContext(tokens, ctx);
  return renderTokens(tokens, seq, ctx, dateOf(ctx));
}

/** '-', '2026', '2026-11' or '2026-11-21': the period a number is counted in. */
export function periodKey(reset: ResetPeriod, date: Date): string {
  const y = pad(date.getUTCFullYear(), 4);
  const m = pad(date.getUTCMonth() + 1, 2);
  const d = pad(date.getUTCDate(), 2);
  return reset === 'yearly' ? y : reset === 'monthly' ? `${y}-${m}` : reset === 'daily' ? `${y}-${m}-${d}` : '-';
}

/** The coding_sequences.period a number is counted in: the period, and the prefix when the pattern names a material or feature. */
function sequenceKey(tokens: PatternToken[], reset: ResetPeriod, ctx: CodingContext, date: Date): string {
  const period = periodKey(reset, date);
  if (!tokens.some((t) => t.kind === 'material' || t.kind === 'feature')) return period;
  const seqAt = tokens.findIndex((t) => t.kind === 'seq');
  return `${period}|${renderTokens(tokens.slice(0, seqAt), 0, ctx, date)}`;
}

interface RuleRow {
  code: string;
  pattern: string;
  reset: ResetPeriod;
  description: string;
  created_at: Date;
}

const RULE_COLUMNS = 'code, pattern, reset, description, created_at';

const toRule = (r: RuleRow): CodingRule => ({
  code: r.code,
  pattern: r.pattern,
  reset: r.reset,
  description: r.description,
  createdAt: r.created_at.toISOString(),
});

export async function findRule(tx: Sql, tenantId: string, code: string): Promise<CodingRule | undefined> {
  const { rows } = await tx.query<RuleRow>(`SELECT ${RULE_COLUMNS} FROM coding_rules WHERE tenant_id = $1 AND code = $2`, [tenantId, code]);
  return rows[0] && toRule(rows[0]);
}

/** Rules ordered by code; limit+1 rows so the caller can tell whether there is a next page. */
export async function listRules(tx: Sql, tenantId: string, limit: number, after?: string): Promise<CodingRule[]> {
  const { rows } = await tx.query<RuleRow>(
    `SELECT ${RULE_COLUMNS} FROM coding_rules WHERE tenant_id = $1 AND ($2::text IS NULL OR code > $2) ORDER BY code LIMIT $3`,
    [tenantId, after ?? null, limit + 1],
  );
  return rows.map(toRule);
}

/** Creates or replaces a rule. Its sequences are kept: numbers already taken are not handed out again. */
export async function putRule(tx: Sql, tenantId: string, code: string, input: { pattern: string; reset?: ResetPeriod; description?: string }): Promise<CodingRule> {
  parsePattern(input.pattern);
  const { rows } = await tx.query<RuleRow>(
    `INSERT INTO coding_rules (tenant_id, code, pattern, reset, description) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (tenant_id, code) DO UPDATE SET pattern = excluded.pattern, reset = excluded.reset, description = excluded.description
     RETURNING ${RULE_COLUMNS}`,
    [tenantId, code, input.pattern, input.reset ?? 'never', input.description ?? ''],
  );
  return toRule(rows[0]);
}

async function ruleOrDefault(tx: Sql, tenantId: string, ruleCode: string, fallback?: CodingRuleDefaults): Promise<CodingRule> {
  const rule = await findRule(tx, tenantId, ruleCode);
  if (rule) return rule;
  if (!fallback) {
    throw unprocessable('UNKNOWN_CODING_RULE', `no coding rule ${ruleCode}; define it with PUT /v1/coding-rules/${ruleCode}`, [
      fieldError('rule', 'UNKNOWN_CODING_RULE', `no coding rule ${ruleCode}`),
    ]);
  }
  parsePattern(fallback.pattern);
  await tx.query(
    `INSERT INTO coding_rules (tenant_id, code, pattern, reset, description) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (tenant_id, code) DO NOTHING`,
    [tenantId, ruleCode, fallback.pattern, fallback.reset, fallback.description ?? ''],
  );
  return (await findRule(tx, tenantId, ruleCode))!;
}

/**
 * Takes the next code of a rule, inside the caller's transaction. When the rule does not exist
 * and a fallback is given, the rule is created with it (a tenant's sensible default, editable
 * later); without one: 422 UNKNOWN_CODING_RULE. A token the context cannot fill: 422
 * CODING_CONTEXT_MISSING. A sequence past its N digits: 409 SEQUENCE_EXHAUSTED. A pattern
 * without {seq:N} renders without taking a number.
 */
export async function nextCode(
  tx: Sql,
  tenantId: string,
  ruleCode: string,
  ctx: CodingContext = {},
  fallback?: CodingRuleDefaults,
): Promise<string> {
  return (await codeTaker(tx, tenantId, ruleCode, ctx, fallback))();
}

/**
 * nextCode in two steps: reads (or creates) the rule now, and returns the function that takes
 * the number in one statement. A caller that must hold the sequence's row lock briefly reads the
 * rule early and takes the number in the same write as its other locking statements.
 */
export async function codeTaker(
  tx: Sql,
  tenantId: string,
  ruleCode: string,
  ctx: CodingContext = {},
  fallback?: CodingRuleDefaults,
): Promise<() => Promise<string>> {
  const rule = await ruleOrDefault(tx, tenantId, ruleCode, fallback);
  const tokens = parsePattern(rule.pattern);
  checkContext(tokens, ctx);
  const date = dateOf(ctx);
  if (!tokens.some((t) => t.kind === 'seq')) return async () => renderTokens(tokens, 0, ctx, date);
  return async () => {
    // One statement: the upsert's row lock makes concurrent takers wait for each other.
    const { rows } = await tx.query<{ last_value: string }>(
      `INSERT INTO coding_sequences (tenant_id, rule_code, period, last_value) VALUES ($1, $2, $3, 1)
       ON CONFLICT (tenant_id, rule_code, period) DO UPDATE SET last_value = coding_sequences.last_value + 1
       RETURNING last_value::text AS last_value`,
      [tenantId, rule.code, sequenceKey(tokens, rule.reset, ctx, date)],
    );
    return renderTokens(tokens, Number(rows[0].last_value), ctx, date);
  };
}

/** The code nextCode would give now, without taking it. A rule that does not exist: 404. */
export async function previewCode(tx: Sql, tenantId: string, ruleCode: string, ctx: CodingContext = {}): Promise<string> {
  const rule = await findRule(tx, tenantId, ruleCode);
  if (!rule) throw notFound('coding rule', ruleCode);
  const tokens = parsePattern(rule.pattern);
  checkContext(tokens, ctx);
  const date = dateOf(ctx);
  if (!tokens.some((t) => t.kind === 'seq')) return renderTokens(tokens, 0, ctx, date);
  const { rows } = await tx.query<{ last_value: string }>(
    'SELECT last_value::text AS last_value FROM coding_sequences WHERE tenant_id = $1 AND rule_code = $2 AND period = $3',
    [tenantId, rule.code, sequenceKey(tokens, rule.reset, ctx, date)],
  );
  return renderTokens(tokens, Number(rows[0]?.last_value ?? 0) + 1, ctx, date);
}
