import { openingKeyOf, openingStockPresent, postOpeningStock } from '../inventory/opening.js';
import { StockLineInput } from '../inventory/schema.js';
import { defined } from './kinds-masterdata.js';
import { inBulk, str } from './rows.js';
import type { KindSpec } from './spec.js';

const keyOf = (v: Record<string, unknown>) => ({
  materialCode: str(v.materialCode), warehouseCode: str(v.warehouseCode), binCode: str(v.binCode), batchNo: str(v.batchNo), serialNo: str(v.serialNo),
});

/**
 * Opening stock (S1-7.3-a, initialise inventory): one posted other-in document per chunk through
 * the inventory service, with batches, serials and expiry dates as the lines name them.
 */
export const openingStock: KindSpec = {
  kind: 'opening-stock', en: 'Opening stock', zh: '期初库存', permission: 'inventory:post',
  columns: [
    { field: 'materialCode', en: 'Material code', zh: '物料编码', aliases: ['料号', '物料代码'], type: 'text', required: true, example: 'M-1001' },
    { field: 'warehouseCode', en: 'Warehouse code', zh: '仓库编码', aliases: ['仓库', '仓库代码'], type: 'text', required: true, example: 'WH-RAW' },
    { field: 'binCode', en: 'Bin code', zh: '库位编码', aliases: ['库位', '货位'], type: 'text', example: 'A-01-01' },
    { field: 'quantity', en: 'Quantity', zh: '数量', aliases: ['库存数量', '期初数量', '结存数量'], type: 'decimal', required: true, example: '120' },
    { field: 'unit', en: 'Unit', zh: '单位', aliases: ['计量单位'], type: 'text', example: 'PCS' },
    { field: 'batchNo', en: 'Batch', zh: '批号', aliases: ['批次', '批次号'], type: 'text', example: 'B20240101' },
    { field: 'serialNo', en: 'Serial', zh: '序列号', aliases: ['序号', 'SN'], type: 'text', example: '' },
    { field: 'productionDate', en: 'Production date', zh: '生产日期', type: 'date', example: '2024-01-01' },
    { field: 'expiryDate', en: 'Expiry date', zh: '有效期至', aliases: ['失效日期', '到期日'], type: 'date', example: '2025-12-31' },
    { field: 'supplierBatch', en: 'Supplier batch', zh: '供应商批号', type: 'text', example: '' },
  ],
  body: StockLineInput,
  fieldOfPath: { materialId: 'materialCode', warehouseId: 'warehouseCode', binId: 'binCode' },
  input: (v) => defined({
    materialCode: v.materialCode, warehouseCode: v.warehouseCode, binCode: v.binCode, quantity: v.quantity, unit: v.unit, batchNo: v.batchNo,
    serialNo: v.serialNo, productionDate: v.productionDate, expiryDate: v.expiryDate, supplierBatch: v.supplierBatch,
  }),
  key: (v) => openingKeyOf(keyOf(v)),
  async present(tx, tenantId, rows) {
    return openingStockPresent(tx, tenantId, rows.map((r) => keyOf(r.values)));
  },
  async write(tx, ctx, rows) {
    await inBulk(tx, ctx, openingStock, rows, (rs) => postOpeningStock(tx, ctx.tenantId, ctx.actor, rs.map((r) => openingStock.input(r.values) as StockLineInput)));
  },
};

