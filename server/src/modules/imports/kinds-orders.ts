import { MesProblem, type FieldError } from '../../platform/errors.js';
import { partnerIdsByCode } from '../partners/service.js';
import * as purchasing from '../purchasing/service.js';
import { OrderLineInput as PurchaseLineInput } from '../purchasing/schema.js';
import * as sales from '../sales/service.js';
import { OrderLineInput as SalesLineInput } from '../sales/schema.js';
import { actorId, requirePermission } from '../../platform/auth.js';
import type { Sql } from '../../platform/db.js';
import { defined } from './kinds-masterdata.js';
import * as repo from './repo.js';
import { RowsRefused, distinct, refError, rowErrors, str, trialProblem } from './rows.js';
import type { Column, KindSpec, Row, RowError, WriteContext } from './spec.js';

const STATUS: Column = { field: 'status', en: 'Status', zh: '单据状态', aliases: ['状态', '审核状态'], type: 'enum', example: 'approved', values: { draft: ['草稿', '未审核'], approved: ['已审核', '审核'] } };
const LEGACY_NO = (zh: string): Column => ({ field: 'legacyNo', en: 'Legacy order number', zh, aliases: ['单号', '订单号', '原单号'], type: 'text', required: true, example: 'XS-2024-0131' });

const whoOf = (ctx: WriteContext) => ({ tenantId: ctx.tenantId, userId: ctx.principal.userId, actor: actorId(ctx.principal), principal: ctx.principal });

/** The rows of each legacy order number, in file order. */
function byOrder(rows: Row[]): [string, Row[]][] {
  const groups = new Map<string, Row[]>();
  for (const r of rows) (groups.get(str(r.values.legacyNo)) ?? groups.set(str(r.values.legacyNo), []).get(str(r.values.legacyNo))!).push(r);
  return [...groups];
}

/**
 * One document per legacy order number through its module's service (a trial: each in a
 * savepoint, every refusal reported), approved when the rows say so, and the legacy number
 * recorded with the document it became.
 */
async function eachOrder(tx: Sql, ctx: WriteContext, spec: KindSpec, rows: Row[], create: (lines: Row[]) => Promise<string>): Promise<void> {
  for (const [legacyNo, lines] of byOrder(rows)) {
    if (ctx.trial) await tx.query('SAVEPOINT import_order');
    try {
      const id = await create(lines);
      if (!ctx.trial) await repo.recordDocument(tx, ctx.tenantId, spec.kind, legacyNo, id, ctx.jobId);
      if (ctx.trial) await tx.query('RELEASE SAVEPOINT import_order');
    } catch (err) {
      if (ctx.trial) await tx.query('ROLLBACK TO SAVEPOINT import_order');
      const problem = ctx.trial ? trialProblem(err) : err instanceof MesProblem ? err : undefined;
      if (!problem && !(err instanceof RowsRefused)) throw err;
      const errors: RowError[] = err instanceof RowsRefused ? err.errors : orderErrors(spec, lines, problem!);
      if (!ctx.trial) throw new RowsRefused(errors);
      ctx.errors.push(...errors);
    }
  }
}

/** A document's refusal as its rows' errors: a line's (`lines[2].quantity`) on its row, the header's on the first row. */
function orderErrors(spec: KindSpec, lines: Row[], err: MesProblem): RowError[] {
  const fields = (err.extras?.errors as FieldError[] | undefined) ?? [];
  if (fields.length === 0) return rowErrors(spec, lines[0], err, []);
  return fields.flatMap((f) => rowErrors(spec, lines[Number(/^lines\[(\d+)\]/.exec(f.field)?.[1] ?? 0)] ?? lines[0], err, [f]));
}

async function present(tx: Sql, tenantId: string, kind: string, rows: Row[], key: (v: Record<string, unknown>) => string): Promise<Set<string>> {
  const done = await repo.documentsByLegacyNo(tx, tenantId, kind, distinct(rows, 'legacyNo'));
  return new Set(rows.filter((r) => done.has(str(r.values.legacyNo))).map((r) => key(r.values)));
}

const lineKey = (v: Record<string, unknown>) => [v.legacyNo, v.materialCode, v.unit, v.deliveryDate].map(str).join('|');

/** Open sales orders (S1-7.3-a, back-fill open documents): one row per line, grouped by the legacy order number. */
export const salesOrders: KindSpec = {
  kind: 'sales-orders', en: 'Open sales orders', zh: '未结销售订单', permission: 'sales:write',
  columns: [
    LEGACY_NO('原销售订单号'),
    { field: 'customerCode', en: 'Customer code', zh: '客户编码', aliases: ['客户'], type: 'text', required: true, example: 'C-001' },
    { field: 'orderDate', en: 'Order date', zh: '订单日期', aliases: ['下单日期'], type: 'date', example: '2024-12-20' },
    { field: 'materialCode', en: 'Material code', zh: '物料编码', aliases: ['料号'], type: 'text', required: true, example: 'M-1001' },
    { field: 'quantity', en: 'Open quantity', zh: '未交数量', aliases: ['数量', '订单数量'], type: 'decimal', required: true, example: '100' },
    { field: 'unit', en: 'Unit', zh: '单位', type: 'text', example: 'PCS' },
    { field: 'price', en: 'Price', zh: '单价', aliases: ['不含税单价'], type: 'decimal', required: true, example: '12.50' },
    { field: 'taxRate', en: 'Tax rate %', zh: '税率', type: 'decimal', example: '13' },
    { field: 'deliveryDate', en: 'Delivery date', zh: '交货日期', aliases: ['交期'], type: 'date', required: true, example: '2025-01-15' },
    { field: 'remark', en: 'Remark', zh: '备注', type: 'text', example: '' },
    STATUS,
  ],
  body: SalesLineInput,
  fieldOfPath: { customerId: 'customerCode', materialId: 'materialCode' },
  input: (v) => defined({ materialCode: v.materialCode, quantity: v.quantity, unit: v.unit, price: v.price, taxRate: v.taxRate, deliveryDate: v.deliveryDate }),
  key: lineKey,
  group: (v) => str(v.legacyNo),
  present: (tx, tenantId, rows) => present(tx, tenantId, 'sales-orders', rows, lineKey),
  async write(tx, ctx, rows) {
    const who = whoOf(ctx);
    await eachOrder(tx, ctx, salesOrders, rows, async (lines) => {
      const head = lines[0].values;
      const order = await sales.createOrder(tx, who, defined({
        customerCode: head.customerCode, orderDate: head.orderDate, remark: head.remark, lines: lines.map((l) => salesOrders.input(l.values)),
      }) as unknown as Parameters<typeof sales.createOrder>[2]);
      if (lines.some((l) => l.values.status === 'approved')) {
        // Approving is its own permission, as on POST /v1/sales-orders/{id}/approve.
        requirePermission(ctx.principal, 'sales:approve');
        await sales.approveOrder(tx, who, order.id, { version: order.version });
      }
      return order.id;
    });
  },
};

const purchaseKey = (v: Record<string, unknown>) => [v.legacyNo, v.materialCode, v.unit, v.neededBy].map(str).join('|');

/** Open purchase orders (S1-7.3-a, back-fill open documents): one row per line, grouped by the legacy order number. */
export const purchaseOrders: KindSpec = {
  kind: 'purchase-orders', en: 'Open purchase orders', zh: '未结采购订单', permission: 'purchasing:write',
  columns: [
    LEGACY_NO('原采购订单号'),
    { field: 'supplierCode', en: 'Supplier code', zh: '供应商编码', aliases: ['供应商'], type: 'text', required: true, example: 'S-001' },
    { field: 'materialCode', en: 'Material code', zh: '物料编码', aliases: ['料号'], type: 'text', required: true, example: 'M-1001' },
    { field: 'quantity', en: 'Open quantity', zh: '未到数量', aliases: ['数量', '订单数量'], type: 'decimal', required: true, example: '500' },
    { field: 'unit', en: 'Unit', zh: '单位', type: 'text', example: 'PCS' },
    { field: 'price', en: 'Price', zh: '单价', type: 'decimal', example: '3.50' },
    { field: 'taxRate', en: 'Tax rate %', zh: '税率', type: 'decimal', example: '13' },
    { field: 'neededBy', en: 'Needed by', zh: '需求日期', aliases: ['到货日期', '交期'], type: 'date', example: '2025-01-10' },
    { field: 'remarks', en: 'Remarks', zh: '备注', type: 'text', example: '' },
    STATUS,
  ],
  body: PurchaseLineInput,
  fieldOfPath: { supplierId: 'supplierCode', materialId: 'materialCode' },
  input: (v) => defined({ materialCode: v.materialCode, quantity: v.quantity, unit: v.unit, price: v.price, taxRate: v.taxRate, neededBy: v.neededBy }),
  key: purchaseKey,
  group: (v) => str(v.legacyNo),
  present: (tx, tenantId, rows) => present(tx, tenantId, 'purchase-orders', rows, purchaseKey),
  async write(tx, ctx, rows) {
    const who = whoOf(ctx);
    const suppliers = await partnerIdsByCode(tx, ctx.tenantId, 'supplier', distinct(rows, 'supplierCode'));
    await eachOrder(tx, ctx, purchaseOrders, rows, async (lines) => {
      const head = lines[0].values;
      const supplierId = suppliers.get(str(head.supplierCode));
      if (!supplierId) throw new RowsRefused([refError(purchaseOrders, lines[0], 'supplierCode', 'UNKNOWN_SUPPLIER', `no supplier ${str(head.supplierCode)}`)]);
      const order = await purchasing.createOrder(tx, who, defined({
        supplierId, remarks: head.remarks, lines: lines.map((l) => purchaseOrders.input(l.values)),
      }) as unknown as Parameters<typeof purchasing.createOrder>[2]);
      if (lines.some((l) => l.values.status === 'approved')) {
        requirePermission(ctx.principal, 'purchasing:approve');
        await purchasing.approveOrder(tx, who, order.id, order.version);
      }
      return order.id;
    });
  },
};
