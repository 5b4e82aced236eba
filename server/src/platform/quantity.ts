import { Decimal } from 'decimal.js';

/**
 * Exact quantities (DESIGN: no floats for quantity or money). On the wire a quantity is a decimal
 * string ("12.500"); in SQL numeric; in code a Decimal with enough precision that conversion
 * factors never round before a unit's declared rule does.
 */
export const Qty = Decimal.clone({ precision: 60, rounding: Decimal.ROUND_HALF_UP, toExpNeg: -40, toExpPos: 40 });
export type Qty = Decimal;

/** The wire format: optional minus, digits, optional fraction. No exponents, no spaces. */
export const QUANTITY_PATTERN = '^-?(0|[1-9][0-9]{0,17})(\\.[0-9]{1,10})?$';
const QUANTITY = new RegExp(QUANTITY_PATTERN);

export function isQuantity(text: string): boolean {
  return QUANTITY.test(text);
}

export function qty(value: string | number | Decimal): Decimal {
  return new Qty(value);
}

export type Rounding = 'half_up' | 'half_even' | 'up' | 'down';

const MODES: Record<Rounding, Decimal.Rounding> = {
  half_up: Decimal.ROUND_HALF_UP,
  half_even: Decimal.ROUND_HALF_EVEN,
  up: Decimal.ROUND_UP,
  down: Decimal.ROUND_DOWN,
};

export function roundTo(value: Decimal, decimals: number, rounding: Rounding): Decimal {
  return value.toDecimalPlaces(decimals, MODES[rounding]);
}

/** Canonical text: fixed notation, no trailing zeros beyond what the value needs. */
export function formatQty(value: Decimal): string {
  return value.toFixed();
}
