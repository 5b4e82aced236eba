import type { Sql } from '../../platform/db.js';
import { conflict, fieldError, notFound, unprocessable, type FieldError } from '../../platform/errors.js';
import { formatQty, qty } from '../../platform/quantity.js';
import { nextCode } from './coding.js';
import { routingExists } from '../production/routings.js';
import { resolveFeatureValues } from './features.js';
import * as repo from './repo.js';
import type { CreateMaterialInput, CreateVariantInput, Material, UpdateMaterialInput, Unit, UnitConversion, Warehouse } from './schema.js';
import { UnitConverter } from './units.js';

async function exists(tx: Sql, sql: string, params: unknown[]): Promise<boolean> {
  return (await tx.query(sql, params)).rows.length > 0;
}

export async function createUnit(tx: Sql, tenantId: string, input: Omit<Unit, 'rounding'> & { rounding?: Unit['rounding'] }): Promise<Unit> {
  if (await exists(tx, 'SELECT 1 FROM units WHERE tenant_id = $1 AND code = $2', [tenantId, input.code])) {
    throw conflict('UNIT_CODE_TAKEN', `unit ${input.code} already exists`, { errors: [fieldError('code', 'TAKEN', 'is already in use')] });
  }
  const unit: Unit = { ...input, rounding: input.rounding ?? 'half_up' };
  await repo.insertUnit(tx, tenantId, unit);
  return unit;
}

export async function createConversion(tx: Sql, tenantId: string, input: Omit<UnitConversion, 'id' | 'materialId'> & { materialId?: string }): Promise<UnitConversion> {
  const units = await UnitConverter.load(tx, tenantId);
  const errors: FieldError[] = [];
  if (!units.unit(input.fromUnit)) errors.push(fieldError('fromUnit', 'UNKNOWN_UNIT', `no unit ${input.fromUnit}`));
  if (!units.unit(input.toUnit)) errors.push(fieldError('toUnit', 'UNKNOWN_UNIT', `no unit ${input.toUnit}`));
  if (input.fromUnit === input.toUnit) errors.push(fieldError('toUnit', 'SAME_UNIT', 'a unit converts to itself by 1 already'));
  if (qty(input.factor).isZero()) errors.push(fieldError('factor', 'NOT_POSITIVE', 'must be greater than 0'));
  if (input.materialId && !(await repo.findMaterial(tx, tenantId, input.materialId))) errors.push(fieldError('materialId', 'UNKNOWN_MATERIAL', `no material ${input.materialId}`));
  if (errors.length) throw unprocessable('CONVERSION_INVALID', 'the conversion cannot be created as asked', errors);
  const conversion = { materialId: input.materialId ?? null, fromUnit: input.fromUnit, toUnit: input.toUnit, factor: formatQty(qty(input.factor)) };
  if (await exists(tx, 'SELECT 1 FROM unit_conversions WHERE tenant_id = $1 AND material_id IS NOT DISTINCT FROM $2 AND ((from_unit = $3 AND to_unit = $4) OR (from_unit = $4 AND to_unit = $3))', [
    tenantId, conversion.materialId, conversion.fromUnit, conversion.toUnit,
  ])) {
    throw conflict('CONVERSION_EXISTS', `a conversion between ${input.fromUnit} and ${input.toUnit} already exists${input.materialId ? ' for this material' : ''}`);
  }
  return { id: await repo.insertConversion(tx, tenantId, conversion), ...conversion };
}

/** Checks that every unit a material names exists, reporting all missing ones. */
async function checkMaterialUnits(tx: Sql, tenantId: string, input: CreateMaterialInput, errors: FieldError[]): Promise<void> {
  unitProblems(await UnitConverter.load(tx, tenantId), input, '', errors);
}

/** The unit rules of a new material against loaded units; field names start with prefix (`[3].` for the fourth of many). */
export function unitProblems(units: UnitConverter, input: CreateMaterialInput, prefix: string, errors: FieldError[]): void {
  for (const field of ['baseUnit', 'purchaseUnit', 'salesUnit', 'stockUnit', 'productionUnit'] as const) {
    const code = input[field];
    if (code && !units.unit(code)) errors.push(fieldError(`${prefix}${field}`, 'UNKNOWN_UNIT', `no unit ${code}`));
  }
  // Every operating unit must convert to the base unit, or stock could not be posted in it.
  for (const field of ['purchaseUnit', 'salesUnit', 'stockUnit', 'productionUnit'] as const) {
    const code = input[field];
    if (code && units.unit(code) && units.unit(input.baseUnit) && !units.factor(null, code, input.baseUnit)) {
      errors.push(fieldError(`${prefix}${field}`, 'UNIT_NOT_CONVERTIBLE', `no global conversion from ${code} to ${input.baseUnit}; add one first`));
    }
  }
}

/** A default routing names a routing that exists (S1-5.4.4-a): orders take it when they name none. */
async function checkDefaultRouting(tx: Sql, tenantId: string, code: string | null | undefined, errors: FieldError[]): Promise<void> {
  if (code && !(await routingExists(tx, tenantId, code))) errors.push(fieldError('defaultRouting', 'UNKNOWN_ROUTING', `no routing ${code}; create it first (POST /v1/routings)`));
}

export async function createMaterial(tx: Sql, tenantId: string, input: CreateMaterialInput): Promise<Material> {
  const errors: FieldError[] = [];
  await checkMaterialUnits(tx, tenantId, input, errors);
  if (input.trackExpiry && (input.tracking ?? 'none') === 'none') errors.push(fieldError('trackExpiry', 'NEEDS_BATCHES', 'expiry is tracked per batch: set tracking to batch or serial'));
  for (const [i, code] of (input.variantFeatures ?? []).entries()) {
    if (!(await exists(tx, 'SELECT 1 FROM features WHERE tenant_id = $1 AND code = $2', [tenantId, code]))) {
      errors.push(fieldError(`variantFeatures[${i}]`, 'UNKNOWN_FEATURE', `no feature ${code}`));
    }
  }
  if (input.variantRule && !(await exists(tx, 'SELECT 1 FROM coding_rules WHERE tenant_id = $1 AND code = $2', [tenantId, input.variantRule]))) {
    errors.push(fieldError('variantRule', 'UNKNOWN_CODING_RULE', `no coding rule ${input.variantRule}`));
  }
  await checkDefaultRouting(tx, tenantId, input.defaultRouting, errors);
  if (await exists(tx, 'SELECT 1 FROM materials WHERE tenant_id = $1 AND code = $2', [tenantId, input.code])) {
    throw conflict('MATERIAL_CODE_TAKEN', `material ${input.code} already exists`, { errors: [fieldError('code', 'TAKEN', 'is already in use')] });
  }
  if (errors.length) throw unprocessable('MATERIAL_INVALID', 'the material cannot be created as asked', errors);
  const id = await repo.insertMaterial(tx, tenantId, { ...materialRow(input), variantOf: null, featureValues: {} });
  return (await repo.findMaterial(tx, tenantId, id))!;
}

/**
 * A variant of a template material (S1-5.4.3-d): one value per variant feature; its code comes
 * from the template's coding rule over those values (by default TEMPLATE-VALUE-VALUE), and it
 * inherits the template's units, tracking and production parameters.
 */
export async function createVariant(tx: Sql, tenantId: string, templateId: string, input: CreateVariantInput): Promise<Material> {
  const template = await repo.findMaterial(tx, tenantId, templateId);
  if (!template) throw notFound('material', templateId);
  if (template.variantOf || template.variantFeatures.length === 0) {
    throw unprocessable('NOT_A_TEMPLATE', `material ${template.code} has no variant features; create it with variantFeatures to make variants of it`);
  }
  const values = await resolveFeatureValues(tx, tenantId, template.variantFeatures, input.featureValues);
  const taken = await tx.query<{ code: string }>(
    'SELECT code FROM materials WHERE tenant_id = $1 AND variant_of = $2 AND feature_values = $3::jsonb',
    [tenantId, template.id, JSON.stringify(values)],
  );
  if (taken.rows.length) throw conflict('VARIANT_EXISTS', `variant ${taken.rows[0].code} already has these feature values`, { existingCode: taken.rows[0].code });
  const defaultPattern = [`{material}`, ...template.variantFeatures.map((f) => `{feature:${f}}`)].join('-');
  const code = await nextCode(tx, tenantId, template.variantRule ?? `variant:${template.code}`, { material: template.code, features: values }, {
    pattern: defaultPattern,
    reset: 'never',
    description: `Variant codes of ${template.code}`,
  });
  const id = await repo.insertMaterial(tx, tenantId, {
    ...template,
    code,
    name: input.name ?? `${template.name} ${template.variantFeatures.map((f) => values[f]).join(' ')}`,
    issueType: template.production.issueType,
    includeInKitting: template.production.includeInKitting,
    defaultRouting: template.production.defaultRouting,
    variantOf: template.id,
    variantFeatures: [],
    variantRule: null,
    featureValues: values,
  });
  return (await repo.findMaterial(tx, tenantId, id))!;
}

export async function updateMaterial(tx: Sql, tenantId: string, id: string, input: UpdateMaterialInput): Promise<Material> {
  const current = await repo.findMaterial(tx, tenantId, id);
  if (!current) throw notFound('material', id);
  const errors: FieldError[] = [];
  await checkDefaultRouting(tx, tenantId, input.defaultRouting, errors);
  if (errors.length) throw unprocessable('MATERIAL_INVALID', 'the material cannot be changed as asked; nothing was changed', errors);
  if (!(await repo.updateMaterial(tx, tenantId, id, input.version, input))) {
    throw conflict('VERSION_CONFLICT', `material ${current.code} is at version ${current.version}, not ${input.version}`, { currentVersion: current.version });
  }
  return (await repo.findMaterial(tx, tenantId, id))!;
}

export async function createWarehouse(tx: Sql, tenantId: string, input: { code: string; name: string; kind?: Warehouse['kind']; allowNegative?: boolean }): Promise<Warehouse> {
  if (await exists(tx, 'SELECT 1 FROM warehouses WHERE tenant_id = $1 AND code = $2', [tenantId, input.code])) {
    throw conflict('WAREHOUSE_CODE_TAKEN', `warehouse ${input.code} already exists`, { errors: [fieldError('code', 'TAKEN', 'is already in use')] });
  }
  const id = await repo.insertWarehouse(tx, tenantId, { code: input.code, name: input.name, kind: input.kind ?? 'normal', allowNegative: input.allowNegative ?? false });
  return (await repo.findWarehouse(tx, tenantId, id))!;
}

export async function updateWarehouse(tx: Sql, tenantId: string, id: string, input: { version: number; name?: string; allowNegative?: boolean; status?: string }): Promise<Warehouse> {
  const current = await repo.findWarehouse(tx, tenantId, id);
  if (!current) throw notFound('warehouse', id);
  if (!(await repo.updateWarehouse(tx, tenantId, id, input.version, input))) {
    throw conflict('VERSION_CONFLICT', `warehouse ${current.code} is at version ${current.version}, not ${input.version}`, { currentVersion: current.version });
  }
  return (await repo.findWarehouse(tx, tenantId, id))!;
}

export async function createBin(tx: Sql, tenantId: string, warehouseId: string, input: { code: string; name?: string }) {
  if (!(await repo.findWarehouse(tx, tenantId, warehouseId))) throw notFound('warehouse', warehouseId);
  if (await exists(tx, 'SELECT 1 FROM bins WHERE tenant_id = $1 AND warehouse_id = $2 AND code = $3', [tenantId, warehouseId, input.code])) {
    throw conflict('BIN_CODE_TAKEN', `bin ${input.code} already exists in this warehouse`, { errors: [fieldError('code', 'TAKEN', 'is already in use')] });
  }
  return repo.insertBin(tx, tenantId, warehouseId, { code: input.code, name: input.name ?? '' });
}

export async function setSafetyStock(tx: Sql, tenantId: string, materialId: string, input: { warehouseId?: string; quantity: string }) {
  const material = await repo.findMaterial(tx, tenantId, materialId);
  if (!material) throw notFound('material', materialId);
  const errors: FieldError[] = [];
  if (qty(input.quantity).isNegative()) errors.push(fieldError('quantity', 'NEGATIVE', 'must be 0 or more'));
  if (input.warehouseId && !(await repo.findWarehouse(tx, tenantId, input.warehouseId))) errors.push(fieldError('warehouseId', 'UNKNOWN_WAREHOUSE', `no warehouse ${input.warehouseId}`));
  const units = await UnitConverter.load(tx, tenantId);
  units.convert(material.id, input.quantity, material.baseUnit, material.baseUnit, '', errors);
  if (errors.length) throw unprocessable('SAFETY_STOCK_INVALID', 'the safety stock cannot be set as asked', errors);
  await repo.upsertSafetyStock(tx, tenantId, materialId, input.warehouseId ?? null, formatQty(qty(input.quantity)));
  return { materialId, warehouseId: input.warehouseId ?? null, quantity: formatQty(qty(input.quantity)) };
}

/** A new material's row: every unit defaults to the base unit, every flag to its documented default. */
export function materialRow(input: CreateMaterialInput) {
  return {
    code: input.code,
    name: input.name,
    specification: input.specification ?? '',
    category: input.category ?? '',
    baseUnit: input.baseUnit,
    purchaseUnit: input.purchaseUnit ?? input.baseUnit,
    salesUnit: input.salesUnit ?? input.baseUnit,
    stockUnit: input.stockUnit ?? input.baseUnit,
    productionUnit: input.productionUnit ?? input.baseUnit,
    tracking: input.tracking ?? 'none',
    trackExpiry: input.trackExpiry ?? false,
    issueType: input.issueType ?? 'manual',
    includeInKitting: input.includeInKitting ?? true,
    defaultRouting: input.defaultRouting ?? null,
    variantFeatures: input.variantFeatures ?? [],
    variantRule: input.variantRule ?? null,
  };
}

/** How many coding rules, warehouses and bins the tenant has set up (go-live readiness, S1-7.2). */
export const countSetup = (tx: Sql, tenantId: string) => repo.countSetup(tx, tenantId);

/** The first `limit` material codes in code order (labels drawn as a readiness sample). */
export const firstMaterialCodes = (tx: Sql, tenantId: string, limit: number) => repo.firstMaterialCodes(tx, tenantId, limit);

/** A material by id (other modules read materials through here, not the repo). */
export const findMaterial = (tx: Sql, tenantId: string, id: string) => repo.findMaterial(tx, tenantId, id);

/** A warehouse by id. */
export const findWarehouse = (tx: Sql, tenantId: string, id: string) => repo.findWarehouse(tx, tenantId, id);
