/**
 * Unit conversion below HTTP (S1-5.4.3-e): exact factors, multi-hop paths in both directions,
 * material-specific conversions over global ones, the target unit's rounding rule, and the entered
 * unit's decimals. Runs against a real database (PGlite, or a fresh PostgreSQL database when
 * MES_TEST_DATABASE_URL is set) with units and conversions written as the app writes them.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase } from '../../../test/harness.js';
import type { Database } from '../../platform/db.js';
import type { FieldError } from '../../platform/errors.js';
import { formatQty } from '../../platform/quantity.js';
import { UnitConverter } from './units.js';

const T = randomUUID();
let db: Database;
let closeDb: (() => Promise<void>) | undefined;
let special: string;
let plain: string;

beforeAll(async () => {
  ({ db, close: closeDb } = await openTestDatabase());
  await db.asOwner((sql) => sql.query(`INSERT INTO tenants (id, slug, name, plan_code) VALUES ($1, 'units', 'Units', 'unlimited')`, [T]));
  await db.transaction({ tenantId: T }, async (tx) => {
    const unit = (code: string, decimals: number, rounding = 'half_up') =>
      tx.query('INSERT INTO units (tenant_id, code, name, decimals, rounding) VALUES ($1, $2, $2, $3, $4)', [T, code, decimals, rounding]);
    await unit('PCS', 0);
    await unit('PACK', 3);
    await unit('BOX', 4);
    await unit('PALLET', 0);
    await unit('KG', 3);
    await unit('G', 0);
    await unit('KG_UP', 2, 'up');
    await unit('KG_DOWN', 2, 'down');
    await unit('KG_EVEN', 0, 'half_even');
    await unit('KG_HALF', 0, 'half_up');
    await unit('LOOSE', 6);
    await unit('CASE_DOWN', 3, 'down');
    const conv = (from: string, to: string, factor: string, materialId: string | null = null) =>
      tx.query('INSERT INTO unit_conversions (tenant_id, material_id, from_unit, to_unit, factor) VALUES ($1, $2, $3, $4, $5)', [T, materialId, from, to, factor]);
    // 1 BOX = 4 PACK, 1 PACK = 3 PCS: a box is 12 pieces, a piece is 1/3 of a pack.
    await conv('BOX', 'PACK', '4');
    await conv('PACK', 'PCS', '3');
    await conv('PALLET', 'BOX', '50');
    await conv('KG', 'G', '1000');
    await conv('CASE_DOWN', 'PCS', '3');
    for (const k of ['KG_UP', 'KG_DOWN', 'KG_EVEN', 'KG_HALF']) await conv('LOOSE', k, '1');
    const material = async (code: string) =>
      (await tx.query<{ id: string }>(`INSERT INTO materials (tenant_id, code, name, base_unit) VALUES ($1, $2, $2, 'PCS') RETURNING id`, [T, code])).rows[0].id;
    special = await material('SPECIAL');
    plain = await material('PLAIN');
    // This material's packs hold 5 pieces, not 3.
    await conv('PACK', 'PCS', '5', special);
  });
});

afterAll(async () => {
  await closeDb?.();
});

async function convert(materialId: string | null, quantity: string, from: string, to: string) {
  const errors: FieldError[] = [];
  const result = await db.transaction({ tenantId: T }, async (tx) => (await UnitConverter.load(tx, T)).convert(materialId, quantity, from, to, 'lines[0]', errors));
  return { result: result && { quantity: formatQty(result.quantity), exact: formatQty(result.exact) }, errors: errors.map((e) => `${e.field}:${e.code}`) };
}

describe('UnitConverter (S1-5.4.3-e)', () => {
  it('S1-5.4.3-e: BOX -> PACK -> PCS over two hops: 2 BOX are exactly 24 PCS; 1.25 BOX are 15 PCS', async () => {
    expect(await convert(null, '2', 'BOX', 'PCS')).toEqual({ result: { quantity: '24', exact: '24' }, errors: [] });
    expect(await convert(null, '1.25', 'BOX', 'PCS')).toEqual({ result: { quantity: '15', exact: '15' }, errors: [] });
    expect(await convert(null, '1', 'PALLET', 'PCS')).toEqual({ result: { quantity: '600', exact: '600' }, errors: [] });
  });

  it('S1-5.4.3-e: the reverse direction is exact: 12 PCS are exactly 1 BOX, 3 PCS exactly 1 PACK, 600 PCS exactly 1 PALLET', async () => {
    expect(await convert(null, '12', 'PCS', 'BOX')).toEqual({ result: { quantity: '1', exact: '1' }, errors: [] });
    expect(await convert(null, '3', 'PCS', 'PACK')).toEqual({ result: { quantity: '1', exact: '1' }, errors: [] });
    expect(await convert(null, '600', 'PCS', 'PALLET')).toEqual({ result: { quantity: '1', exact: '1' }, errors: [] });
    expect(await convert(null, '1500', 'G', 'KG')).toEqual({ result: { quantity: '1.5', exact: '1.5' }, errors: [] });
    // Rounding down must not turn a whole case into 0.999: the exact value is 1, not 0.999… from multiplying by 1/3.
    expect(await convert(null, '3', 'PCS', 'CASE_DOWN')).toEqual({ result: { quantity: '1', exact: '1' }, errors: [] });
    expect(await convert(null, '36', 'PCS', 'BOX')).toEqual({ result: { quantity: '3', exact: '3' }, errors: [] });
  });

  it('S1-5.4.3-e: a 1/3 factor rounds only at the target unit: 1 PCS is 0.333 PACK (3 decimals), 2 PCS 0.667, 1 PCS 0.0833 BOX', async () => {
    const one = await convert(null, '1', 'PCS', 'PACK');
    expect(one.result!.quantity).toBe('0.333');
    expect(one.result!.exact).toMatch(/^0\.3{30,}$/);
    expect((await convert(null, '2', 'PCS', 'PACK')).result!.quantity).toBe('0.667');
    expect((await convert(null, '1', 'PCS', 'BOX')).result!.quantity).toBe('0.0833');
    // Thirds added back up are whole again: 0.333… PACK × 3 is never 0.999.
    expect((await convert(null, '0.999', 'PACK', 'PCS')).result!.quantity).toBe('3');
  });

  it('S1-5.4.3-e: a material-specific conversion wins over the global one for that material only', async () => {
    expect((await convert(special, '1', 'PACK', 'PCS')).result!.quantity).toBe('5');
    expect((await convert(special, '2', 'BOX', 'PCS')).result!.quantity).toBe('40');
    expect((await convert(special, '10', 'PCS', 'PACK')).result).toEqual({ quantity: '2', exact: '2' });
    expect((await convert(plain, '1', 'PACK', 'PCS')).result!.quantity).toBe('3');
    expect((await convert(null, '1', 'PACK', 'PCS')).result!.quantity).toBe('3');
  });

  it('S1-5.4.3-e: each target rounding rule applies at its half boundary', async () => {
    const to = async (unit: string, q: string) => (await convert(null, q, 'LOOSE', unit)).result!.quantity;
    expect(await to('KG_HALF', '2.5')).toBe('3');
    expect(await to('KG_HALF', '2.499999')).toBe('2');
    expect(await to('KG_EVEN', '2.5')).toBe('2');
    expect(await to('KG_EVEN', '3.5')).toBe('4');
    expect(await to('KG_EVEN', '2.500001')).toBe('3');
    expect(await to('KG_UP', '1.000001')).toBe('1.01');
    expect(await to('KG_UP', '1.005')).toBe('1.01');
    expect(await to('KG_DOWN', '1.009999')).toBe('1');
    expect(await to('KG_DOWN', '1.005')).toBe('1');
  });

  it('S1-5.4.3-e: a whole-number unit refuses fractions; a unit refuses more decimals than it declares', async () => {
    expect(await convert(null, '1.5', 'PCS', 'PACK')).toEqual({ result: undefined, errors: ['lines[0].quantity:FRACTION_NOT_ALLOWED'] });
    expect(await convert(null, '1.0', 'PCS', 'PACK')).toEqual({ result: { quantity: '0.333', exact: expect.stringMatching(/^0\.3+$/) }, errors: [] });
    expect(await convert(null, '0.0001', 'KG', 'G')).toEqual({ result: undefined, errors: ['lines[0].quantity:TOO_MANY_DECIMALS'] });
    expect(await convert(null, '0.001', 'KG', 'G')).toEqual({ result: { quantity: '1', exact: '1' }, errors: [] });
  });

  it('S1-5.4.3-e: unknown units and units without a path are field errors, not exceptions', async () => {
    expect((await convert(null, '1', 'NOPE', 'PCS')).errors).toEqual(['lines[0].unit:UNKNOWN_UNIT']);
    expect((await convert(null, '1', 'PCS', 'NOPE')).errors).toEqual(['lines[0].unit:UNKNOWN_UNIT']);
    expect((await convert(null, '1', 'KG', 'PCS')).errors).toEqual(['lines[0].unit:UNIT_NOT_CONVERTIBLE']);
  });

  it('S1-5.4.3-e: 10,000 conversions of 0.1 KG to G summed give exactly 1,000,000 G; in KG exactly 1000', async () => {
    const converter = await db.transaction({ tenantId: T }, (tx) => UnitConverter.load(tx, T));
    const errors: FieldError[] = [];
    let grams = converter.convert(null, '0', 'KG', 'G', '', errors)!.quantity;
    let kilos = converter.convert(null, '0', 'G', 'KG', '', errors)!.quantity;
    for (let i = 0; i < 10_000; i++) {
      grams = grams.plus(converter.convert(null, '0.1', 'KG', 'G', '', errors)!.quantity);
      kilos = kilos.plus(converter.convert(null, '100', 'G', 'KG', '', errors)!.quantity);
    }
    expect(errors).toEqual([]);
    expect(formatQty(grams)).toBe('1000000');
    expect(formatQty(kilos)).toBe('1000');
  });
});
