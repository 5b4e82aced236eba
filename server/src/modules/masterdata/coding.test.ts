/**
 * The coding-rule engine and feature resolution, below HTTP: pattern parsing and rendering are
 * pure; nextCode (defaults, context, exhaustion) and resolveFeatureValues run against a real
 * database (PGlite, or a fresh PostgreSQL database when MES_TEST_DATABASE_URL is set).
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase } from '../../../test/harness.js';
import type { Database, Sql } from '../../platform/db.js';
import { MesProblem } from '../../platform/errors.js';
import { nextCode, parsePattern, periodKey, previewCode, putRule, renderPattern } from './coding.js';
import { createFeature, resolveFeatureValues, updateFeature } from './features.js';

/** The problem fn throws, for assertions on its status, code and fields. */
async function problemOf(fn: () => unknown): Promise<MesProblem> {
  try {
    await fn();
  } catch (err) {
    if (err instanceof MesProblem) return err;
    throw err;
  }
  throw new Error('expected a problem, got none');
}
const fieldsOf = (p: MesProblem) => (p.extras.errors ?? []).map((e) => `${e.field}:${e.code}`);

const NOV_21 = new Date('2026-11-21T10:00:00Z');

describe('parsePattern', () => {
  it('S1-5.4.3-d: splits literal text and every token kind', () => {
    expect(parsePattern('B{yyyy}{yy}-{mm}/{dd}.{seq:4}:{material}_{feature:COLOR}')).toEqual([
      { kind: 'literal', text: 'B' },
      { kind: 'yyyy' },
      { kind: 'yy' },
      { kind: 'literal', text: '-' },
      { kind: 'mm' },
      { kind: 'literal', text: '/' },
      { kind: 'dd' },
      { kind: 'literal', text: '.' },
      { kind: 'seq', width: 4 },
      { kind: 'literal', text: ':' },
      { kind: 'material' },
      { kind: 'literal', text: '_' },
      { kind: 'feature', code: 'COLOR' },
    ]);
    expect(parsePattern('PLAIN')).toEqual([{ kind: 'literal', text: 'PLAIN' }]);
    expect(parsePattern('{seq:1}')).toEqual([{ kind: 'seq', width: 1 }]);
    expect(parsePattern('{seq:12}')).toEqual([{ kind: 'seq', width: 12 }]);
  });

  it.each([
    ['{foo}', 'UNKNOWN_TOKEN'],
    ['{YYYY}', 'UNKNOWN_TOKEN'],
    ['A{seq:3', 'MALFORMED_TOKEN'],
    ['A}B', 'MALFORMED_TOKEN'],
    ['{seq}', 'MALFORMED_TOKEN'],
    ['{seq:}', 'MALFORMED_TOKEN'],
    ['{seq:x}', 'MALFORMED_TOKEN'],
    ['{feature:}', 'MALFORMED_TOKEN'],
    ['{feature:color}', 'MALFORMED_TOKEN'],
    ['{feature}', 'MALFORMED_TOKEN'],
    ['{seq:0}', 'SEQ_WIDTH_OUT_OF_RANGE'],
    ['{seq:13}', 'SEQ_WIDTH_OUT_OF_RANGE'],
    ['{seq:2}-{seq:3}', 'MULTIPLE_SEQ'],
    ['', 'EMPTY'],
  ])('S1-5.4.3-f: %j is refused with 422 INVALID_PATTERN (%s on field pattern)', async (pattern, code) => {
    const p = await problemOf(() => parsePattern(pattern));
    expect(p.status).toBe(422);
    expect(p.code).toBe('INVALID_PATTERN');
    expect(fieldsOf(p)).toContain(`pattern:${code}`);
  });

  it('S1-5.4.3-f: reports every problem of a pattern at once', async () => {
    const p = await problemOf(() => parsePattern('{nope}{seq:1}{seq:99}{seq:2}'));
    expect(fieldsOf(p)).toEqual(['pattern:UNKNOWN_TOKEN', 'pattern:SEQ_WIDTH_OUT_OF_RANGE', 'pattern:MULTIPLE_SEQ']);
  });
});

describe('renderPattern', () => {
  it('S1-5.4.3-f: fills date tokens from the UTC date and pads the sequence to N digits', () => {
    expect(renderPattern('B{yyyy}{mm}{dd}-{seq:4}', 7, { date: NOV_21 })).toBe('B20261121-0007');
    expect(renderPattern('{yy}{mm}{dd}{seq:1}', 9, { date: new Date('2031-02-03T23:59:59Z') })).toBe('3102039');
    expect(renderPattern('X{seq:6}', 123456, { date: NOV_21 })).toBe('X123456');
    expect(renderPattern('{seq:12}', 1)).toBe('000000000001');
  });

  it('S1-5.4.3-d: fills {material} and {feature:CODE} from the context', () => {
    expect(renderPattern('{material}-{feature:COLOR}-{feature:SIZE}-{seq:3}', 12, { material: 'TSHIRT', features: { COLOR: 'RED', SIZE: 'XL' } })).toBe(
      'TSHIRT-RED-XL-012',
    );
  });

  it('S1-5.4.3-h: a number wider than {seq:N} is 409 SEQUENCE_EXHAUSTED', async () => {
    const p = await problemOf(() => renderPattern('S{seq:2}', 100));
    expect(p.status).toBe(409);
    expect(p.code).toBe('SEQUENCE_EXHAUSTED');
  });

  it('S1-5.4.3-d: a token the context cannot fill is 422 CODING_CONTEXT_MISSING naming each', async () => {
    const p = await problemOf(() => renderPattern('{material}-{feature:COLOR}-{feature:SIZE}', 1, { features: { SIZE: 'XL' } }));
    expect(p.status).toBe(422);
    expect(p.code).toBe('CODING_CONTEXT_MISSING');
    expect(p.message).toContain('{material}');
    expect(p.message).toContain('{feature:COLOR}');
    expect(fieldsOf(p)).toEqual(['material:REQUIRED', 'features.COLOR:REQUIRED']);
  });

  it('S1-5.4.3-f: period keys per reset', () => {
    expect(periodKey('never', NOV_21)).toBe('-');
    expect(periodKey('yearly', NOV_21)).toBe('2026');
    expect(periodKey('monthly', NOV_21)).toBe('2026-11');
    expect(periodKey('daily', NOV_21)).toBe('2026-11-21');
  });
});

describe('against a database', () => {
  const A = randomUUID();
  const B = randomUUID();
  let db: Database;
  let closeDb: (() => Promise<void>) | undefined;
  const inA = <T>(fn: (tx: Sql) => Promise<T>) => db.transaction({ tenantId: A }, fn);

  beforeAll(async () => {
    ({ db, close: closeDb } = await openTestDatabase());
    await db.asOwner(async (sql) => {
      for (const [id, slug] of [[A, 'coding-a'], [B, 'coding-b']]) {
        await sql.query(`INSERT INTO tenants (id, slug, name, plan_code) VALUES ($1, $2, $2, 'unlimited')`, [id, slug]);
      }
    });
    await inA(async (tx) => {
      await createFeature(tx, A, { code: 'COLOR', name: 'Colour', values: [{ code: 'RED', name: 'Red' }, { code: 'BLUE', name: 'Blue' }] });
      await createFeature(tx, A, { code: 'SIZE', name: 'Size', values: [{ code: 'S', name: 'Small' }, { code: 'XL', name: 'Extra large' }] });
    });
  });

  afterAll(async () => {
    await closeDb?.();
  });

  it('S1-5.4.3-f: nextCode creates a missing rule from the fallback, then numbers by it', async () => {
    const fallback = { pattern: 'SD{yyyy}{mm}{dd}-{seq:4}', reset: 'daily' as const, description: 'Stock documents' };
    const codes = await inA(async (tx) => [
      await nextCode(tx, A, 'stock_document', { date: NOV_21 }, fallback),
      await nextCode(tx, A, 'stock_document', { date: NOV_21 }, fallback),
      await nextCode(tx, A, 'stock_document', { date: new Date('2026-11-22T00:00:00Z') }, fallback),
    ]);
    expect(codes).toEqual(['SD20261121-0001', 'SD20261121-0002', 'SD20261122-0001']);
    const rule = await inA((tx) => tx.query('SELECT pattern, reset, description FROM coding_rules WHERE tenant_id = $1 AND code = $2', [A, 'stock_document']));
    expect(rule.rows).toEqual([{ pattern: fallback.pattern, reset: 'daily', description: 'Stock documents' }]);
    // The stored rule wins over a different fallback.
    expect(await inA((tx) => nextCode(tx, A, 'stock_document', { date: NOV_21 }, { pattern: 'OTHER{seq:2}', reset: 'never' }))).toBe('SD20261121-0003');
  });

  it('S1-5.4.3-f: concurrent first takes of a missing rule create it once and number 1..20', async () => {
    const fallback = { pattern: 'R{seq:3}', reset: 'never' as const };
    const codes = await Promise.all(Array.from({ length: 20 }, () => inA((tx) => nextCode(tx, A, 'race_default', {}, fallback))));
    expect([...codes].sort()).toEqual(Array.from({ length: 20 }, (_, i) => `R${String(i + 1).padStart(3, '0')}`));
  });

  it('S1-5.4.3-f: nextCode without a rule or a fallback is 422 UNKNOWN_CODING_RULE', async () => {
    const p = await problemOf(() => inA((tx) => nextCode(tx, A, 'no_such_rule')));
    expect(p.status).toBe(422);
    expect(p.code).toBe('UNKNOWN_CODING_RULE');
  });

  it('S1-5.4.3-f: a missing context value is refused before a number is taken', async () => {
    await inA((tx) => putRule(tx, A, 'batch_by_material', { pattern: '{material}-{seq:3}' }));
    const p = await problemOf(() => inA((tx) => nextCode(tx, A, 'batch_by_material')));
    expect(p.code).toBe('CODING_CONTEXT_MISSING');
    expect(fieldsOf(p)).toEqual(['material:REQUIRED']);
    expect(await inA((tx) => nextCode(tx, A, 'batch_by_material', { material: 'M1' }))).toBe('M1-001');
  });

  it('S1-5.4.3-h: an exhausted sequence is 409 and the rolled-back transaction keeps the counter at 9', async () => {
    await inA((tx) => putRule(tx, A, 'tiny', { pattern: 'T{seq:1}' }));
    for (let i = 1; i <= 9; i++) expect(await inA((tx) => nextCode(tx, A, 'tiny'))).toBe(`T${i}`);
    const p = await problemOf(() => inA((tx) => nextCode(tx, A, 'tiny')));
    expect(p.status).toBe(409);
    expect(p.code).toBe('SEQUENCE_EXHAUSTED');
    const seq = await inA((tx) => tx.query<{ v: string }>(`SELECT last_value::text AS v FROM coding_sequences WHERE tenant_id = $1 AND rule_code = 'tiny'`, [A]));
    expect(seq.rows).toEqual([{ v: '9' }]);
  });

  it('S1-5.4.3-d: variant codes count per rendered prefix; a pattern without {seq} takes no number', async () => {
    await inA(async (tx) => {
      await putRule(tx, A, 'variant', { pattern: '{material}-{feature:COLOR}-{seq:3}' });
      await putRule(tx, A, 'variant_plain', { pattern: '{material}-{feature:COLOR}' });
    });
    const codes = await inA(async (tx) => [
      await nextCode(tx, A, 'variant', { material: 'TSHIRT', features: { COLOR: 'RED' } }),
      await nextCode(tx, A, 'variant', { material: 'TSHIRT', features: { COLOR: 'BLUE' } }),
      await nextCode(tx, A, 'variant', { material: 'TSHIRT', features: { COLOR: 'RED' } }),
      await previewCode(tx, A, 'variant', { material: 'TSHIRT', features: { COLOR: 'BLUE' } }),
      await nextCode(tx, A, 'variant_plain', { material: 'MUG', features: { COLOR: 'RED' } }),
    ]);
    expect(codes).toEqual(['TSHIRT-RED-001', 'TSHIRT-BLUE-001', 'TSHIRT-RED-002', 'TSHIRT-BLUE-002', 'MUG-RED']);
    const periods = await inA((tx) => tx.query<{ period: string }>(`SELECT period FROM coding_sequences WHERE tenant_id = $1 AND rule_code LIKE 'variant%' ORDER BY period`, [A]));
    expect(periods.rows.map((r) => r.period)).toEqual(['-|TSHIRT-BLUE-', '-|TSHIRT-RED-']);
  });

  it('S1-5.3.2-a: tenant B does not see tenant A\'s rules, sequences or features', async () => {
    const p = await problemOf(() => db.transaction({ tenantId: B }, (tx) => nextCode(tx, B, 'tiny')));
    expect(p.code).toBe('UNKNOWN_CODING_RULE');
    const p2 = await problemOf(() => db.transaction({ tenantId: B }, (tx) => resolveFeatureValues(tx, B, ['COLOR'], { COLOR: 'RED' })));
    expect(fieldsOf(p2)).toEqual(['featureValues.COLOR:UNKNOWN_FEATURE']);
    // B's own rule of the same name counts from 1.
    await db.transaction({ tenantId: B }, (tx) => putRule(tx, B, 'tiny', { pattern: 'T{seq:1}' }));
    expect(await db.transaction({ tenantId: B }, (tx) => nextCode(tx, B, 'tiny'))).toBe('T1');
  });

  describe('resolveFeatureValues', () => {
    it('S1-5.4.3-d: returns the normalised map for a valid set of values', async () => {
      expect(await inA((tx) => resolveFeatureValues(tx, A, ['COLOR', 'SIZE'], { SIZE: 'XL', COLOR: 'RED' }))).toEqual({ COLOR: 'RED', SIZE: 'XL' });
      expect(await inA((tx) => resolveFeatureValues(tx, A, ['COLOR'], { color: ' blue ' }))).toEqual({ COLOR: 'BLUE' });
      expect(await inA((tx) => resolveFeatureValues(tx, A, [], {}))).toEqual({});
    });

    it('S1-5.4.3-d: collects every problem into one 422 VARIANT_FEATURES_INVALID', async () => {
      const p = await problemOf(() => inA((tx) => resolveFeatureValues(tx, A, ['COLOR', 'SIZE', 'MATERIAL'], { COLOR: 'GREEN', WEIGHT: '5' })));
      expect(p.status).toBe(422);
      expect(p.code).toBe('VARIANT_FEATURES_INVALID');
      expect(fieldsOf(p).sort()).toEqual([
        'featureValues.COLOR:UNKNOWN_VALUE',
        'featureValues.MATERIAL:UNKNOWN_FEATURE',
        'featureValues.SIZE:REQUIRED',
        'featureValues.WEIGHT:NOT_A_VARIANT_FEATURE',
      ]);
    });

    it('S1-5.4.3-d: a feature value carried by a variant cannot be removed (409 FEATURE_VALUE_IN_USE)', async () => {
      await db.asOwner(async (sql) => {
        await sql.query(`INSERT INTO units (tenant_id, code, name, decimals) VALUES ($1, 'PCS', 'Pieces', 0)`, [A]);
        await sql.query(
          `INSERT INTO materials (tenant_id, code, name, base_unit, feature_values) VALUES ($1, 'TSHIRT-RED', 'T-shirt red', 'PCS', '{"COLOR":"RED","SIZE":"XL"}')`,
          [A],
        );
      });
      const color = await inA((tx) => tx.query<{ id: string }>(`SELECT id FROM features WHERE tenant_id = $1 AND code = 'COLOR'`, [A]));
      const id = color.rows[0].id;
      const p = await problemOf(() => inA((tx) => updateFeature(tx, A, id, { values: [{ code: 'BLUE', name: 'Blue' }] })));
      expect(p.status).toBe(409);
      expect(p.code).toBe('FEATURE_VALUE_IN_USE');
      expect(p.extras.values).toEqual(['RED']);
      // Removing an unused value and renaming are fine.
      const updated = await inA((tx) => updateFeature(tx, A, id, { name: 'Color', values: [{ code: 'RED', name: 'Red' }, { code: 'GREEN', name: 'Green' }] }));
      expect(updated).toMatchObject({ code: 'COLOR', name: 'Color', values: [{ code: 'RED', name: 'Red' }, { code: 'GREEN', name: 'Green' }] });
      // Tenant B's identically named feature is not blocked by A's variant.
      const bFeature = await db.transaction({ tenantId: B }, (tx) => createFeature(tx, B, { code: 'COLOR', name: 'Colour', values: [{ code: 'RED', name: 'Red' }] }));
      const bUpdated = await db.transaction({ tenantId: B }, (tx) => updateFeature(tx, B, bFeature.id, { values: [{ code: 'BLUE', name: 'Blue' }] }));
      expect(bUpdated.values).toEqual([{ code: 'BLUE', name: 'Blue' }]);
    });
  });
});
