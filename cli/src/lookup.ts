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

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The id of the production order with this document number (or this id), or ORDER_NOT_FOUND (exit 1). */
export async function productionOrderId(client: MesClient, ref: string): Promise<string> {
  if (UUID.test(ref)) return ref;
  const found = (await client.production.orders.list({ docNo: ref, limit: 1 })).items[0];
  if (!found) throw new CommandFailure(`no production order ${ref}`, { code: 'ORDER_NOT_FOUND' });
  return found.id;
}

/** The workshop with exactly this code, or WORKSHOP_NOT_FOUND (exit 1). */
export async function workshopByCode(client: MesClient, code: string) {
  for await (const w of client.plant.workshops.iterate({ limit: 500 })) if (w.code === code) return w;
  throw new CommandFailure(`no workshop with code ${code}`, { code: 'WORKSHOP_NOT_FOUND' });
}

/** The equipment with exactly this code (or this id), or EQUIPMENT_NOT_FOUND (exit 1). */
export async function equipmentId(client: MesClient, ref: string): Promise<string> {
  if (UUID.test(ref)) return ref;
  for await (const e of client.equipment.iterate({ limit: 500 })) if (e.code === ref) return e.id;
  throw new CommandFailure(`no equipment with code ${ref}; \`mes equipment list\` shows the tenant's machines`, { code: 'EQUIPMENT_NOT_FOUND' });
}

/** The work centre with exactly this code, or WORK_CENTRE_NOT_FOUND (exit 1). */
export async function workCentreByCode(client: MesClient, code: string) {
  for await (const w of client.plant.workCentres.iterate({ limit: 500 })) if (w.code === code) return w;
  throw new CommandFailure(`no work centre with code ${code}`, { code: 'WORK_CENTRE_NOT_FOUND' });
}
