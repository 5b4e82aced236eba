/**
 * The recall report (S1-5.4.5-d): for a suspect batch, every batch and serial made from it (and
 * itself), and where each is now: in stock per warehouse and bin, shipped per customer and
 * delivery. The forward trace at the deepest allowed walk, one statement; exported as CSV or XLSX.
 */
import ExcelJS from 'exceljs';
import { toCsv } from '../../platform/csv.js';
import type { Sql } from '../../platform/db.js';
import * as repo from './repo.js';
import { MAX_DEPTH, type Recall, type RecallQueryInput, type RecallRowT } from './schema.js';
import { itemId, resolveRoot } from './trace.js';

export async function recall(tx: Sql, tenantId: string, q: RecallQueryInput): Promise<Recall> {
  const root = await resolveRoot(tx, tenantId, { batchNo: q.batchNo, materialCode: q.materialCode });
  const row = await repo.trace(tx, tenantId, 'forward', root, MAX_DEPTH);
  const usedIn = new Set(row.edges.map((e) => itemId(e.fromMaterialCode, e.fromBatchNo, e.fromSerialNo)));
  const rows: RecallRowT[] = [];
  const customers = new Map<string, { customerCode: string; customerName: string; deliveries: Set<string> }>();
  for (const n of row.nodes.filter((x) => x.batchNo !== null || x.serialNo !== null)) {
    const base = {
      materialCode: n.materialCode, materialName: n.materialName, batchNo: n.batchNo, serialNo: n.serialNo, baseUnit: n.baseUnit, depth: n.depth,
      finished: !usedIn.has(itemId(n.materialCode, n.batchNo, n.serialNo)),
    };
    const none = { warehouseCode: null, binCode: null, customerCode: null, customerName: null, outboundDocNo: null, deliveryPlanDocNo: null, salesOrderDocNo: null, shippedAt: null };
    for (const s of n.stock as any[]) rows.push({ ...base, ...none, status: 'in_stock', warehouseCode: s.warehouseCode, binCode: s.binCode, quantity: s.quantity });
    for (const d of n.delivered as any[]) {
      rows.push({
        ...base, ...none, status: 'shipped', customerCode: d.customerCode, customerName: d.customerName, outboundDocNo: d.outboundDocNo,
        deliveryPlanDocNo: d.deliveryPlanDocNo, salesOrderDocNo: d.salesOrderDocNo, shippedAt: d.shippedAt, quantity: d.kept,
      });
      const c = customers.get(d.customerCode) ?? { customerCode: d.customerCode, customerName: d.customerName, deliveries: new Set<string>() };
      c.deliveries.add(d.outboundDocNo);
      customers.set(d.customerCode, c);
    }
  }
  return {
    suspect: { materialCode: root.materialCode, batchNo: q.batchNo },
    truncated: row.truncated,
    affectedBatches: row.nodes.filter((x) => x.batchNo !== null || x.serialNo !== null).length,
    customers: [...customers.values()].sort((a, b) => a.customerCode.localeCompare(b.customerCode)).map((c) => ({ ...c, deliveries: [...c.deliveries].sort() })),
    rows,
  };
}

const COLUMNS: [keyof RecallRowT, string][] = [
  ['materialCode', 'Material'], ['materialName', 'Name'], ['batchNo', 'Batch'], ['serialNo', 'Serial'], ['depth', 'Steps from suspect'], ['finished', 'Finished'],
  ['status', 'Status'], ['warehouseCode', 'Warehouse'], ['binCode', 'Bin'], ['customerCode', 'Customer'], ['customerName', 'Customer name'],
  ['outboundDocNo', 'Outbound'], ['deliveryPlanDocNo', 'Delivery plan'], ['salesOrderDocNo', 'Sales order'], ['shippedAt', 'Shipped at'], ['quantity', 'Quantity'],
  ['baseUnit', 'Unit'],
];

export function recallCsv(r: Recall): string {
  return toCsv(COLUMNS.map(([k]) => k), r.rows.map((row) => COLUMNS.map(([k]) => row[k])));
}

export async function recallXlsx(r: Recall): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('Recall');
  sheet.addRow([`Recall of ${r.suspect.materialCode} batch ${r.suspect.batchNo}`]);
  sheet.addRow(COLUMNS.map(([, title]) => title));
  sheet.getRow(2).font = { bold: true };
  for (const row of r.rows) sheet.addRow(COLUMNS.map(([k]) => (k === 'quantity' ? Number(row.quantity) : row[k])));
  const customers = book.addWorksheet('Customers');
  customers.addRow(['Customer', 'Name', 'Outbounds']);
  for (const c of r.customers) customers.addRow([c.customerCode, c.customerName, c.deliveries.join(', ')]);
  return Buffer.from(await book.xlsx.writeBuffer());
}
