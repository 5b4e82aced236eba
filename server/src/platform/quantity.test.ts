/**
 * Exact quantities (S1-5.4.3-e): the wire pattern, each rounding rule at its half boundary, the
 * canonical text, and sums that never drift the way binary floats do.
 */
import { describe, expect, it } from 'vitest';
import { formatQty, isQuantity, qty, roundTo, type Rounding } from './quantity.js';

describe('quantity wire format', () => {
  it('S1-5.4.3-e: decimal strings only: no exponent, spaces, leading zeros, bare dots or more than 10 decimals', () => {
    for (const ok of ['0', '1', '12.5', '12.500', '-3', '-0.001', '999999999999999999', '0.0000000001']) expect(isQuantity(ok), ok).toBe(true);
    for (const bad of ['', ' 1', '1 ', '1e3', '1E-2', '01', '.5', '5.', '1,5', '+1', '0x10', '1.00000000001', '1000000000000000000', 'NaN', 'Infinity']) {
      expect(isQuantity(bad), bad).toBe(false);
    }
  });

  it('S1-5.4.3-e: formatQty is fixed notation without exponent, however large or small', () => {
    expect(formatQty(qty('12.500'))).toBe('12.5');
    expect(formatQty(qty('0.0000000001'))).toBe('0.0000000001');
    expect(formatQty(qty('123456789012345678'))).toBe('123456789012345678');
    expect(formatQty(qty('1').div(qty('1e30')))).toBe(`0.${'0'.repeat(29)}1`);
    expect(formatQty(qty('-0.5'))).toBe('-0.5');
  });
});

describe('rounding rules at the half boundary (S1-5.4.3-e)', () => {
  const cases: [Rounding, string, number, string][] = [
    // half_up: a half goes away from zero.
    ['half_up', '2.5', 0, '3'], ['half_up', '-2.5', 0, '-3'], ['half_up', '2.4999999999', 0, '2'], ['half_up', '1.005', 2, '1.01'], ['half_up', '1.0049', 2, '1'],
    // half_even: a half goes to the even neighbour.
    ['half_even', '2.5', 0, '2'], ['half_even', '3.5', 0, '4'], ['half_even', '-2.5', 0, '-2'], ['half_even', '1.005', 2, '1'], ['half_even', '1.015', 2, '1.02'],
    ['half_even', '2.5000000001', 0, '3'],
    // up: away from zero whenever anything is cut off.
    ['up', '2.0000000001', 0, '3'], ['up', '2.5', 0, '3'], ['up', '-2.1', 0, '-3'], ['up', '2', 0, '2'], ['up', '1.001', 2, '1.01'],
    // down: toward zero.
    ['down', '2.9999999999', 0, '2'], ['down', '2.5', 0, '2'], ['down', '-2.9', 0, '-2'], ['down', '1.009', 2, '1'],
  ];
  for (const [mode, input, decimals, expected] of cases) {
    it(`S1-5.4.3-e: ${mode} rounds ${input} to ${decimals} decimals as ${expected}`, () => {
      expect(formatQty(roundTo(qty(input), decimals, mode))).toBe(expected);
    });
  }

  it('S1-5.4.3-e: 1.005 rounds to 1.01 (half_up), where a binary float would give 1.00', () => {
    expect((1.005).toFixed(2)).toBe('1.00'); // the float trap this type exists to avoid
    expect(formatQty(roundTo(qty('1.005'), 2, 'half_up'))).toBe('1.01');
  });
});

describe('no float drift (S1-5.4.3-e)', () => {
  it('S1-5.4.3-e: 0.1 + 0.2 is exactly 0.3', () => {
    expect(0.1 + 0.2).not.toBe(0.3);
    expect(formatQty(qty('0.1').plus(qty('0.2')))).toBe('0.3');
    expect(qty('0.1').plus('0.2').eq('0.3')).toBe(true);
  });

  it('S1-5.4.3-e: 10,000 additions of 0.1 are exactly 1000 and 10,000 of 0.001 are exactly 10', () => {
    let a = qty(0);
    let b = qty(0);
    let float = 0;
    for (let i = 0; i < 10_000; i++) {
      a = a.plus('0.1');
      b = b.plus('0.001');
      float += 0.1;
    }
    expect(float).not.toBe(1000);
    expect(formatQty(a)).toBe('1000');
    expect(formatQty(b)).toBe('10');
  });

  it('S1-5.4.3-e: alternating 0.1 in and 0.3 out, 10,000 times each, then 0.2 per step back, ends at exactly 0', () => {
    let balance = qty(0);
    for (let i = 0; i < 10_000; i++) balance = balance.plus('0.1').plus('0.2').minus('0.3');
    expect(balance.isZero()).toBe(true);
    expect(formatQty(balance)).toBe('0');
  });

  it('S1-5.4.3-e: a third times three is exactly one once rounded to the unit, and 18-digit quantities keep every digit', () => {
    const third = qty(1).div(3);
    expect(formatQty(roundTo(third.mul(3), 6, 'half_up'))).toBe('1');
    const big = qty('999999999999999999.9999999999');
    expect(formatQty(big.plus('0.0000000001'))).toBe('1000000000000000000');
    expect(formatQty(big.minus(big))).toBe('0');
  });
});
