import type { Sql } from '../../platform/db.js';
import { fieldError, type FieldError } from '../../platform/errors.js';
import { qty, roundTo, type Qty, type Rounding } from '../../platform/quantity.js';

interface UnitRow {
  code: string;
  decimals: number;
  rounding: Rounding;
}

interface Edge {
  to: string;
  factor: Qty;
  /** Walked against its declared direction: divide by factor (exact), not multiply by 1/factor (rounded). */
  inverse: boolean;
  materialSpecific: boolean;
}

export interface Converted {
  /** In the target unit, rounded by its declared rule. */
  quantity: Qty;
  /** Before rounding. */
  exact: Qty;
}

/**
 * Unit conversion for one tenant within one transaction (S1-5.4.3-e). Loaded once, then used
 * for every line of a document, so a 10,000-line count costs two queries, not 20,000.
 *
 * Conversions form a graph: 1 from = factor to, usable in both directions; a material's own
 * conversions win over global ones for the same pair. A quantity entered in a unit must respect
 * that unit's decimals (a whole-number unit refuses fractions); the converted result is rounded
 * to the target unit's decimals with the target unit's declared rule.
 */
export class UnitConverter {
  private constructor(
    private readonly units: Map<string, UnitRow>,
    private readonly edges: { global: Map<string, Edge[]>; byMaterial: Map<string, Map<string, Edge[]>> },
  ) {}

  static async load(tx: Sql, tenantId: string): Promise<UnitConverter> {
    const units = await tx.query<UnitRow>('SELECT code, decimals, rounding FROM units WHERE tenant_id = $1', [tenantId]);
    const conv = await tx.query<{ material_id: string | null; from_unit: string; to_unit: string; factor: string }>(
      'SELECT material_id, from_unit, to_unit, factor::text FROM unit_conversions WHERE tenant_id = $1',
      [tenantId],
    );
    const global = new Map<string, Edge[]>();
    const byMaterial = new Map<string, Map<string, Edge[]>>();
    const add = (graph: Map<string, Edge[]>, from: string, edge: Edge) => graph.set(from, [...(graph.get(from) ?? []), edge]);
    for (const c of conv.rows) {
      const specific = c.material_id !== null;
      const graph = specific ? (byMaterial.get(c.material_id!) ?? byMaterial.set(c.material_id!, new Map()).get(c.material_id!)!) : global;
      const factor = qty(c.factor);
      add(graph, c.from_unit, { to: c.to_unit, factor, inverse: false, materialSpecific: specific });
      add(graph, c.to_unit, { to: c.from_unit, factor, inverse: true, materialSpecific: specific });
    }
    return new UnitConverter(new Map(units.rows.map((u) => [u.code, u])), { global, byMaterial });
  }

  unit(code: string): UnitRow | undefined {
    return this.units.get(code);
  }

  /** The exact factor from one unit to another for a material, or undefined when none converts. */
  factor(materialId: string | null, from: string, to: string): Qty | undefined {
    const r = this.ratio(materialId, from, to);
    return r && r.num.div(r.den);
  }

  /** The factor as numerator / denominator, so that a reverse hop divides once at the end: 3 PCS -> PACK is 3/3 = 1, not 0.999… */
  private ratio(materialId: string | null, from: string, to: string): { num: Qty; den: Qty } | undefined {
    if (from === to) return { num: qty(1), den: qty(1) };
    // Breadth-first over the conversion graph: the fewest hops, material-specific edges first.
    const seen = new Set([from]);
    let frontier: { unit: string; num: Qty; den: Qty }[] = [{ unit: from, num: qty(1), den: qty(1) }];
    while (frontier.length) {
      const next: typeof frontier = [];
      for (const { unit, num, den } of frontier) {
        for (const e of this.neighbours(materialId, unit)) {
          if (seen.has(e.to)) continue;
          const f = e.inverse ? { num, den: den.mul(e.factor) } : { num: num.mul(e.factor), den };
          if (e.to === to) return f;
          seen.add(e.to);
          next.push({ unit: e.to, ...f });
        }
      }
      frontier = next;
    }
    return undefined;
  }

  private neighbours(materialId: string | null, unit: string): Edge[] {
    const own = (materialId && this.edges.byMaterial.get(materialId)?.get(unit)) || [];
    const ownTargets = new Set(own.map((e) => e.to));
    return [...own, ...(this.edges.global.get(unit) ?? []).filter((e) => !ownTargets.has(e.to))];
  }

  /**
   * Converts an entered quantity, collecting problems as field errors instead of throwing, so a
   * long document reports every bad line at once. Returns undefined when it added an error.
   */
  convert(
    materialId: string | null,
    quantity: string,
    from: string,
    to: string,
    field: string,
    errors: FieldError[],
  ): Converted | undefined {
    const at = (part: string) => (field ? `${field}.${part}` : part);
    const source = this.units.get(from);
    const target = this.units.get(to);
    if (!source) {
      errors.push(fieldError(at('unit'), 'UNKNOWN_UNIT', `no unit ${from}`));
      return undefined;
    }
    if (!target) {
      errors.push(fieldError(at('unit'), 'UNKNOWN_UNIT', `no unit ${to}`));
      return undefined;
    }
    const entered = qty(quantity);
    if (entered.decimalPlaces() > source.decimals) {
      errors.push(
        source.decimals === 0
          ? fieldError(at('quantity'), 'FRACTION_NOT_ALLOWED', `${from} is a whole-number unit; ${quantity} is not a whole number`)
          : fieldError(at('quantity'), 'TOO_MANY_DECIMALS', `${from} allows ${source.decimals} decimals; ${quantity} has ${entered.decimalPlaces()}`),
      );
      return undefined;
    }
    const factor = this.ratio(materialId, from, to);
    if (!factor) {
      errors.push(fieldError(at('unit'), 'UNIT_NOT_CONVERTIBLE', `no conversion from ${from} to ${to}${materialId ? ' for this material' : ''}`));
      return undefined;
    }
    const exact = entered.mul(factor.num).div(factor.den);
    return { exact, quantity: roundTo(exact, target.decimals, target.rounding) };
  }

  /**
   * The one conversion rule for what is entered against a material: the quantity converts exactly
   * to the material's base unit, or it is refused with INEXACT_CONVERSION (the base unit cannot
   * hold the exact result). Nothing is rounded silently.
   */
  toBase(material: { id: string; baseUnit: string }, quantity: string, unit: string, field: string, errors: FieldError[]): Qty | undefined {
    const converted = this.convert(material.id, quantity, unit, material.baseUnit, field, errors);
    if (!converted) return undefined;
    if (!converted.exact.eq(converted.quantity)) {
      errors.push(fieldError(field ? `${field}.quantity` : 'quantity', 'INEXACT_CONVERSION',
        `${quantity} ${unit} is ${converted.exact.toFixed()} ${material.baseUnit}, more decimals than ${material.baseUnit} allows`));
      return undefined;
    }
    return converted.quantity;
  }
}
