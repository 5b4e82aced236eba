/**
 * Features (S1-5.4.3-d): the attributes that distinguish a template material's variants, such as
 * COLOR with the values RED and BLUE. A variant carries one value code per feature of its template.
 */
import type { Sql } from '../../platform/db.js';
import { conflict, fieldError, notFound, unprocessable, type FieldError } from '../../platform/errors.js';

export interface FeatureValue {
  code: string;
  name: string;
}

export interface Feature {
  id: string;
  code: string;
  name: string;
  values: FeatureValue[];
  createdAt: string;
}

interface FeatureRow {
  id: string;
  code: string;
  name: string;
  values: FeatureValue[];
  created_at: Date;
}

const FEATURE_COLUMNS = 'id, code, name, "values", created_at';

const toFeature = (r: FeatureRow): Feature => ({
  id: r.id,
  code: r.code,
  name: r.name,
  values: r.values.map((v) => ({ code: v.code, name: v.name })),
  createdAt: r.created_at.toISOString(),
});

export async function findFeature(tx: Sql, tenantId: string, id: string): Promise<Feature | undefined> {
  const { rows } = await tx.query<FeatureRow>(`SELECT ${FEATURE_COLUMNS} FROM features WHERE tenant_id = $1 AND id = $2`, [tenantId, id]);
  return rows[0] && toFeature(rows[0]);
}

/** Features ordered by code; limit+1 rows so the caller can tell whether there is a next page. */
export async function listFeatures(tx: Sql, tenantId: string, limit: number, after?: string): Promise<Feature[]> {
  const { rows } = await tx.query<FeatureRow>(
    `SELECT ${FEATURE_COLUMNS} FROM features WHERE tenant_id = $1 AND ($2::text IS NULL OR code > $2) ORDER BY code LIMIT $3`,
    [tenantId, after ?? null, limit + 1],
  );
  return rows.map(toFeature);
}

/** 422 DUPLICATE_VALUE (field values[i].code) for every value code seen before in the list. */
function checkValues(values: FeatureValue[]): void {
  const seen = new Map<string, number>();
  const errors: FieldError[] = [];
  values.forEach((v, i) => {
    const first = seen.get(v.code);
    if (first !== undefined) errors.push(fieldError(`values[${i}].code`, 'DUPLICATE', `${v.code} is already values[${first}]`));
    else seen.set(v.code, i);
  });
  if (errors.length) throw unprocessable('DUPLICATE_VALUE', 'value codes must be unique within a feature', errors);
}

export async function createFeature(tx: Sql, tenantId: string, input: { code: string; name: string; values: FeatureValue[] }): Promise<Feature> {
  checkValues(input.values);
  const { rows } = await tx.query<FeatureRow>(
    `INSERT INTO features (tenant_id, code, name, "values") VALUES ($1, $2, $3, $4::jsonb)
     ON CONFLICT (tenant_id, code) DO NOTHING RETURNING ${FEATURE_COLUMNS}`,
    [tenantId, input.code, input.name, JSON.stringify(input.values.map((v) => ({ code: v.code, name: v.name })))],
  );
  if (!rows[0]) {
    throw conflict('FEATURE_CODE_TAKEN', `a feature ${input.code} already exists`, { errors: [fieldError('code', 'TAKEN', 'is already in use')] });
  }
  return toFeature(rows[0]);
}

/**
 * Renames a feature or replaces its values (last write wins). A value some variant carries
 * cannot be removed: 409 FEATURE_VALUE_IN_USE naming it. The feature's row is locked first, and
 * resolveFeatureValues share-locks it, so a removal and a new variant using the value serialise.
 */
export async function updateFeature(tx: Sql, tenantId: string, id: string, input: { name?: string; values?: FeatureValue[] }): Promise<Feature> {
  const { rows } = await tx.query<FeatureRow>(`SELECT ${FEATURE_COLUMNS} FROM features WHERE tenant_id = $1 AND id = $2 FOR UPDATE`, [tenantId, id]);
  if (!rows[0]) throw notFound('feature', id);
  const current = toFeature(rows[0]);
  if (input.values) {
    checkValues(input.values);
    const kept = new Set(input.values.map((v) => v.code));
    const removed = current.values.map((v) => v.code).filter((c) => !kept.has(c));
    if (removed.length) {
      const used = await tx.query<{ value: string; n: number }>(
        `SELECT feature_values ->> $2 AS value, count(*)::int AS n FROM materials
          WHERE tenant_id = $1 AND feature_values ->> $2 = ANY($3::text[]) GROUP BY 1 ORDER BY 1`,
        [tenantId, current.code, removed],
      );
      if (used.rows.length) {
        const values = used.rows.map((r) => r.value);
        throw conflict(
          'FEATURE_VALUE_IN_USE',
          `${current.code} ${values.length === 1 ? 'value' : 'values'} ${values.join(', ')} ${values.length === 1 ? 'is' : 'are'} carried by variants (${used.rows.map((r) => `${r.value}: ${r.n}`).join(', ')}) and cannot be removed`,
          { values, errors: [fieldError('values', 'VALUE_IN_USE', `keep ${values.join(', ')}: variants carry ${values.length === 1 ? 'it' : 'them'}`)] },
        );
      }
    }
  }
  const { rows: updated } = await tx.query<FeatureRow>(
    `UPDATE features SET name = coalesce($3, name), "values" = coalesce($4::jsonb, "values") WHERE tenant_id = $1 AND id = $2 RETURNING ${FEATURE_COLUMNS}`,
    [tenantId, id, input.name ?? null, input.values ? JSON.stringify(input.values.map((v) => ({ code: v.code, name: v.name }))) : null],
  );
  return toFeature(updated[0]);
}

/**
 * Checks a variant's feature values against its template's features: every required feature
 * exists, has exactly one value, and that value is one of the feature's; no feature outside
 * `required` is given. Keys and values are matched ignoring case and surrounding spaces.
 * Every problem at once as 422 VARIANT_FEATURES_INVALID with fields featureValues.<CODE>.
 * Returns the normalised map (the features' own codes, in the order of `required`). The features
 * are share-locked until the transaction ends, so a value cannot be removed meanwhile.
 */
export async function resolveFeatureValues(tx: Sql, tenantId: string, required: string[], given: Record<string, string>): Promise<Record<string, string>> {
  const norm = (s: string) => s.trim().toUpperCase();
  const wanted = [...new Set(required.map(norm))];
  const { rows } = wanted.length
    ? await tx.query<{ code: string; values: FeatureValue[] }>(
        `SELECT code, "values" FROM features WHERE tenant_id = $1 AND code = ANY($2::text[]) ORDER BY code FOR SHARE`,
        [tenantId, wanted],
      )
    : { rows: [] };
  const features = new Map(rows.map((r) => [r.code, r.values]));
  const errors: FieldError[] = [];
  const field = (code: string) => `featureValues.${code}`;

  // The given map by normalised feature code, remembering the key the caller used.
  const byCode = new Map<string, { key: string; value: string }>();
  for (const [key, value] of Object.entries(given)) {
    const code = norm(key);
    if (byCode.has(code)) {
      errors.push(fieldError(field(key), 'DUPLICATE_FEATURE', `${key} is given twice (as ${byCode.get(code)!.key} too)`));
      continue;
    }
    byCode.set(code, { key, value });
    if (!wanted.includes(code)) {
      errors.push(fieldError(field(key), 'NOT_A_VARIANT_FEATURE', `${key} is not a variant feature of this template; its features: ${wanted.join(', ') || 'none'}`));
    }
  }

  const result: Record<string, string> = {};
  for (const code of wanted) {
    const values = features.get(code);
    const entry = byCode.get(code);
    if (!values) {
      errors.push(fieldError(field(entry?.key ?? code), 'UNKNOWN_FEATURE', `there is no feature ${code}`));
      continue;
    }
    if (!entry) {
      errors.push(fieldError(field(code), 'REQUIRED', `give a value of ${code}: one of ${values.map((v) => v.code).join(', ')}`));
      continue;
    }
    const match = values.find((v) => v.code === norm(entry.value));
    if (!match) {
      errors.push(fieldError(field(entry.key), 'UNKNOWN_VALUE', `${entry.value} is not a value of ${code}; its values: ${values.map((v) => v.code).join(', ')}`));
      continue;
    }
    result[code] = match.code;
  }
  if (errors.length) {
    throw unprocessable('VARIANT_FEATURES_INVALID', `the feature values do not fit the template: ${errors.map((e) => e.field).join(', ')}`, errors);
  }
  return result;
}
