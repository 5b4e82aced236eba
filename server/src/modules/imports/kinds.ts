import { bins, conversions, materials, units, warehouses } from './kinds-masterdata.js';
import { customers, supplierMaterials, suppliers } from './kinds-partners.js';
import { openingStock } from './kinds-stock.js';
import { purchaseOrders, salesOrders } from './kinds-orders.js';
import { boms, routings } from './kinds-engineering.js';
import { calendars } from './kinds-calendars.js';
import { alarmRules, equipmentPoints } from './kinds-equipment.js';
import { equipment, plantModel } from './kinds-plant.js';
import { defectCodes, inspectionPlans, inspectionStandards } from './kinds-quality.js';
import { headerKey } from './cells.js';
import type { KindSpec } from './spec.js';

/** Every kind, in the order a file's sheets are written: what a row refers to comes before it. */
export const KINDS: KindSpec[] = [
  units, conversions, materials, warehouses, bins, customers, suppliers, supplierMaterials, calendars, plantModel, equipment, equipmentPoints, alarmRules, routings, boms, defectCodes, inspectionStandards, inspectionPlans,
  openingStock, salesOrders, purchaseOrders,
];

export const kindSpec = (kind: string) => KINDS.find((k) => k.kind === kind);

/** The kind a sheet's name says (English or Chinese), if it says one. */
export function kindOfSheetName(name: string): KindSpec | undefined {
  const n = headerKey(name);
  return KINDS.find((k) => [k.kind, k.en, k.zh].map(headerKey).includes(n));
}
