/**
 * Look-ups of what a barcode names. Read-only: the tables belong to masterdata and inventory.
 * Every statement filters by tenant explicitly, besides row-level security.
 */
import type { Sql } from '../../platform/db.js';

export interface MaterialRow {
  id: string;
  code: string;
  name: string;
  tracking: 'none' | 'batch' | 'serial';
}

export interface BatchRow {
  id: string;
  material_id: string;
  batch_no: string;
  expiry_date: string | null;
  production_date: string | null;
}

export interface SerialRow {
  id: string;
  material_id: string;
  serial_no: string;
  batch_id: string | null;
}

export interface CodeRow {
  id: string;
  code: string;
}

const MATERIAL = 'SELECT id, code, name, tracking FROM materials';
// Dates as text: pg would turn a date into a Date at local midnight.
const BATCH = 'SELECT id, material_id, batch_no, expiry_date::text AS expiry_date, production_date::text AS production_date FROM batches';
const SERIAL = 'SELECT id, material_id, serial_no, batch_id FROM serials';

export async function findMaterialByCode(tx: Sql, tenantId: string, code: string): Promise<MaterialRow | undefined> {
  return (await tx.query<MaterialRow>(`${MATERIAL} WHERE tenant_id = $1 AND code = $2`, [tenantId, code])).rows[0];
}

export async function findMaterialById(tx: Sql, tenantId: string, id: string): Promise<MaterialRow | undefined> {
  return (await tx.query<MaterialRow>(`${MATERIAL} WHERE tenant_id = $1 AND id = $2`, [tenantId, id])).rows[0];
}

/** Batches with this number: of one material when given, otherwise of any (at most `limit`). */
export async function findBatches(tx: Sql, tenantId: string, batchNo: string, materialId: string | null, limit = 2): Promise<BatchRow[]> {
  const { rows } = await tx.query<BatchRow>(
    `${BATCH} WHERE tenant_id = $1 AND batch_no = $2 AND ($3::uuid IS NULL OR material_id = $3::uuid) ORDER BY material_id LIMIT $4`,
    [tenantId, batchNo, materialId, limit],
  );
  return rows;
}

export async function findBatchById(tx: Sql, tenantId: string, id: string): Promise<BatchRow | undefined> {
  return (await tx.query<BatchRow>(`${BATCH} WHERE tenant_id = $1 AND id = $2`, [tenantId, id])).rows[0];
}

/** Serials with this number: of one material when given, otherwise of any (at most `limit`). */
export async function findSerials(tx: Sql, tenantId: string, serialNo: string, materialId: string | null, limit = 2): Promise<SerialRow[]> {
  const { rows } = await tx.query<SerialRow>(
    `${SERIAL} WHERE tenant_id = $1 AND serial_no = $2 AND ($3::uuid IS NULL OR material_id = $3::uuid) ORDER BY material_id LIMIT $4`,
    [tenantId, serialNo, materialId, limit],
  );
  return rows;
}

export async function findWarehouseByCode(tx: Sql, tenantId: string, code: string): Promise<CodeRow | undefined> {
  return (await tx.query<CodeRow>('SELECT id, code FROM warehouses WHERE tenant_id = $1 AND code = $2', [tenantId, code])).rows[0];
}

export async function findBinByCode(tx: Sql, tenantId: string, warehouseId: string, code: string): Promise<CodeRow | undefined> {
  return (await tx.query<CodeRow>('SELECT id, code FROM bins WHERE tenant_id = $1 AND warehouse_id = $2 AND code = $3', [tenantId, warehouseId, code])).rows[0];
}
