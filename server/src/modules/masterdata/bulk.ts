import type { Sql } from '../../platform/db.js';
import { fieldError, unprocessable, type FieldError } from '../../platform/errors.js';
import { routingExists } from '../production/routings.js';
import * as repo from './repo.js';
import type { CreateMaterialInput } from './schema.js';
import { materialRow, unitProblems } from './service.js';
import { UnitConverter } from './units.js';

/**
 * Many new materials at once (an import chunk, S1-7.3-a): the rules of createMaterial for every
 * one, checked against the units, features, coding rules and routings loaded once, then one
 * INSERT. Any problem refuses all of them with every problem named (`[3].baseUnit`), nothing written.
 */
export async function createMaterials(tx: Sql, tenantId: string, inputs: CreateMaterialInput[]): Promise<number> {
  if (inputs.length === 0) return 0;
  const errors: FieldError[] = [];
  const distinct = (f: (i: CreateMaterialInput) => (string | null | undefined)[]) => [...new Set(inputs.flatMap(f).filter((v): v is string => !!v))];
  const [units, taken, features, rules] = await Promise.all([
    UnitConverter.load(tx, tenantId),
    repo.takenMaterialCodes(tx, tenantId, inputs.map((i) => i.code)),
    tx.query<{ code: string }>('SELECT code FROM features WHERE tenant_id = $1 AND code = ANY($2::text[])', [tenantId, distinct((i) => i.variantFeatures ?? [])]),
    tx.query<{ code: string }>('SELECT code FROM coding_rules WHERE tenant_id = $1 AND code = ANY($2::text[])', [tenantId, distinct((i) => [i.variantRule])]),
  ]);
  const knownFeatures = new Set(features.rows.map((r) => r.code));
  const knownRules = new Set(rules.rows.map((r) => r.code));
  const routings = new Map<string, boolean>();
  for (const code of distinct((i) => [i.defaultRouting])) routings.set(code, await routingExists(tx, tenantId, code));
  const seen = new Set<string>();
  for (const [i, input] of inputs.entries()) {
    const at = `[${i}].`;
    unitProblems(units, input, at, errors);
    if (input.trackExpiry && (input.tracking ?? 'none') === 'none') errors.push(fieldError(`${at}trackExpiry`, 'NEEDS_BATCHES', 'expiry is tracked per batch: set tracking to batch or serial'));
    (input.variantFeatures ?? []).forEach((f, j) => knownFeatures.has(f) || errors.push(fieldError(`${at}variantFeatures[${j}]`, 'UNKNOWN_FEATURE', `no feature ${f}`)));
    if (input.variantRule && !knownRules.has(input.variantRule)) errors.push(fieldError(`${at}variantRule`, 'UNKNOWN_CODING_RULE', `no coding rule ${input.variantRule}`));
    if (input.defaultRouting && !routings.get(input.defaultRouting)) errors.push(fieldError(`${at}defaultRouting`, 'UNKNOWN_ROUTING', `no routing ${input.defaultRouting}; create it first (POST /v1/routings)`));
    if (taken.has(input.code) || seen.has(input.code)) errors.push(fieldError(`${at}code`, 'TAKEN', `material ${input.code} already exists`));
    seen.add(input.code);
  }
  if (errors.length) throw unprocessable('MATERIAL_INVALID', 'the materials cannot be created as asked; none was created', errors);
  await repo.insertMaterials(tx, tenantId, inputs.map(materialRow));
  return inputs.length;
}
