import type { Material, MesClient, Warehouse } from '@mes/sdk';
import { CommandFailure } from './base-command.js';

/** The material with exactly this code, or a MATERIAL_NOT_FOUND failure (exit 1). */
export async function materialByCode(client: MesClient, code: string): Promise<Material> {
  const { items } = await client.materials.list({ q: code, limit: 500 });
  const material = items.find((m) => m.code === code);
  if (!material) throw new CommandFailure(`no material with code ${code}; \`mes materials list --q ${code}\` shows similar ones`, { code: 'MATERIAL_NOT_FOUND' });
  return material;
}

/** The warehouse with exactly this code, or a WAREHOUSE_NOT_FOUND failure (exit 1). */
export async function warehouseByCode(client: MesClient, code: string): Promise<Warehouse> {
  const { items } = await client.warehouses.list();
  const warehouse = items.find((w) => w.code === code);
  if (!warehouse) {
    const known = items.map((w) => w.code).join(', ') || 'none';
    throw new CommandFailure(`no warehouse with code ${code} (the tenant has: ${known})`, { code: 'WAREHOUSE_NOT_FOUND' });
  }
  return warehouse;
}
