import { Type } from '@sinclair/typebox';
import * as masterdata from '../masterdata/service.js';
import * as masterdataRepo from '../masterdata/repo.js';
import { CreateBinBody, CreateConversionBody, CreateMaterialBody, CreateUnitBody, CreateWarehouseBody } from '../masterdata/schema.js';
import { createMaterials } from '../masterdata/bulk.js';
import type { CreateMaterialInput } from '../masterdata/schema.js';
import { distinct, eachRow, inBulk, refError, refuse, str } from './rows.js';
import type { Column, KindSpec } from './spec.js';

/** Drops empty fields, so the service applies its defaults. */
export const defined = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== ''));

const ROUNDING: Column = {
  field: 'rounding', en: 'Rounding', zh: '舍入方式', type: 'enum', example: 'half_up',
  values: { half_up: ['四舍五入'], half_even: ['银行家舍入', '四舍六入'], up: ['进位', '向上'], down: ['舍去', '向下'] },
};

export const units: KindSpec = {
  kind: 'units', en: 'Units', zh: '计量单位', permission: 'masterdata:write',
  columns: [
    { field: 'code', en: 'Unit code', zh: '单位编码', aliases: ['code', '编码', '单位'], type: 'text', required: true, example: 'PCS' },
    { field: 'name', en: 'Unit name', zh: '单位名称', aliases: ['name', '名称'], type: 'text', required: true, example: '个' },
    { field: 'decimals', en: 'Decimals', zh: '小数位数', aliases: ['精度'], type: 'integer', required: true, example: '0' },
    ROUNDING,
  ],
  body: CreateUnitBody,
  input: (v) => defined({ code: v.code, name: v.name, decimals: v.decimals, rounding: v.rounding }),
  key: (v) => str(v.code),
  async present(tx, tenantId) {
    return new Set((await masterdataRepo.listUnits(tx, tenantId)).map((u) => u.code));
  },
  async write(tx, ctx, rows) {
    await eachRow(tx, ctx, units, rows, async (r) => {
      await masterdata.createUnit(tx, ctx.tenantId, units.input(r.values) as Parameters<typeof masterdata.createUnit>[2]);
    });
  },
};

export const conversions: KindSpec = {
  kind: 'conversions', en: 'Unit conversions', zh: '单位换算', permission: 'masterdata:write',
  columns: [
    { field: 'materialCode', en: 'Material code', zh: '物料编码', aliases: ['物料代码', '料号'], type: 'text', example: '' },
    { field: 'fromUnit', en: 'From unit', zh: '源单位', aliases: ['从单位', '换算单位'], type: 'text', required: true, example: 'BOX' },
    { field: 'toUnit', en: 'To unit', zh: '目标单位', aliases: ['到单位', '基本单位'], type: 'text', required: true, example: 'PCS' },
    { field: 'factor', en: 'Factor', zh: '换算系数', aliases: ['换算率', '系数'], type: 'decimal', required: true, example: '12' },
  ],
  body: Type.Omit(CreateConversionBody, ['materialId']),
  input: (v) => defined({ fromUnit: v.fromUnit, toUnit: v.toUnit, factor: v.factor }),
  key: (v) => [str(v.materialCode), ...[str(v.fromUnit), str(v.toUnit)].sort()].join('|'),
  // Global conversions come before materials (whose units must convert); a material's own after it.
  after: (v) => (v.materialCode ? 'materials' : undefined),
  async present(tx, tenantId) {
    const all = await masterdataRepo.listConversions(tx, tenantId);
    const ids = [...new Set(all.flatMap((c) => (c.materialId ? [c.materialId] : [])))];
    const codes = new Map((await masterdataRepo.findMaterials(tx, tenantId, ids, [])).map((m) => [m.id, m.code]));
    return new Set(all.map((c) => [c.materialId ? codes.get(c.materialId) : '', ...[c.fromUnit, c.toUnit].sort()].join('|')));
  },
  async write(tx, ctx, rows) {
    const materials = new Map((await masterdataRepo.findMaterials(tx, ctx.tenantId, [], distinct(rows, 'materialCode'))).map((m) => [m.code, m.id]));
    await eachRow(tx, ctx, conversions, rows, async (r) => {
      const code = str(r.values.materialCode);
      if (code && !materials.has(code)) return refuse(ctx, [refError(conversions, r, 'materialCode', 'UNKNOWN_MATERIAL', `no material ${code}`)]);
      await masterdata.createConversion(tx, ctx.tenantId, { ...(conversions.input(r.values) as { fromUnit: string; toUnit: string; factor: string }), materialId: materials.get(code) });
    });
  },
};

const unitColumn = (field: string, en: string, zh: string, required = false): Column => ({ field, en, zh, type: 'text', required, example: required ? 'PCS' : '' });

export const materials: KindSpec = {
  kind: 'materials', en: 'Materials', zh: '物料', permission: 'masterdata:write',
  columns: [
    { field: 'code', en: 'Material code', zh: '物料编码', aliases: ['物料代码', '料号', '编码', 'code'], type: 'text', required: true, example: 'M-1001' },
    { field: 'name', en: 'Material name', zh: '物料名称', aliases: ['名称', '品名', 'name'], type: 'text', required: true, example: '轴承 6204' },
    { field: 'specification', en: 'Specification', zh: '规格型号', aliases: ['规格', '型号'], type: 'text', example: '20x47x14' },
    { field: 'category', en: 'Category', zh: '物料类别', aliases: ['类别', '分类'], type: 'text', example: 'parts' },
    unitColumn('baseUnit', 'Base unit', '基本单位', true),
    unitColumn('purchaseUnit', 'Purchase unit', '采购单位'),
    unitColumn('salesUnit', 'Sales unit', '销售单位'),
    unitColumn('stockUnit', 'Stock unit', '库存单位'),
    unitColumn('productionUnit', 'Production unit', '生产单位'),
    { field: 'tracking', en: 'Tracking', zh: '追溯方式', aliases: ['批次管理', '管理方式'], type: 'enum', example: 'batch', values: { none: ['无', '不管理'], batch: ['批次', '批号'], serial: ['序列号', '序号'] } },
    { field: 'trackExpiry', en: 'Track expiry', zh: '保质期管理', aliases: ['效期管理'], type: 'boolean', example: 'N' },
  ],
  body: CreateMaterialBody,
  input: (v) => defined({
    code: v.code, name: v.name, specification: v.specification, category: v.category, baseUnit: v.baseUnit, purchaseUnit: v.purchaseUnit,
    salesUnit: v.salesUnit, stockUnit: v.stockUnit, productionUnit: v.productionUnit, tracking: v.tracking, trackExpiry: v.trackExpiry,
  }),
  key: (v) => str(v.code),
  async present(tx, tenantId, rows) {
    return new Set((await masterdataRepo.findMaterials(tx, tenantId, [], distinct(rows, 'code'))).map((m) => m.code));
  },
  async write(tx, ctx, rows) {
    await inBulk(tx, ctx, materials, rows, (rs) => createMaterials(tx, ctx.tenantId, rs.map((r) => materials.input(r.values) as CreateMaterialInput)));
  },
};

export const warehouses: KindSpec = {
  kind: 'warehouses', en: 'Warehouses', zh: '仓库', permission: 'masterdata:write',
  columns: [
    { field: 'code', en: 'Warehouse code', zh: '仓库编码', aliases: ['仓库代码', '编码', 'code'], type: 'text', required: true, example: 'WH-RAW' },
    { field: 'name', en: 'Warehouse name', zh: '仓库名称', aliases: ['名称', 'name'], type: 'text', required: true, example: '原材料仓' },
    { field: 'kind', en: 'Warehouse kind', zh: '仓库类型', type: 'enum', example: 'normal', values: { normal: ['普通', '普通仓'], quarantine: ['待检', '隔离', '待检仓'], wip: ['线边', '在制', '线边仓'] } },
    { field: 'allowNegative', en: 'Allow negative', zh: '允许负库存', type: 'boolean', example: 'N' },
  ],
  body: CreateWarehouseBody,
  input: (v) => defined({ code: v.code, name: v.name, kind: v.kind, allowNegative: v.allowNegative }),
  key: (v) => str(v.code),
  async present(tx, tenantId) {
    return new Set((await masterdataRepo.listWarehouses(tx, tenantId)).map((w) => w.code));
  },
  async write(tx, ctx, rows) {
    await eachRow(tx, ctx, warehouses, rows, async (r) => {
      await masterdata.createWarehouse(tx, ctx.tenantId, warehouses.input(r.values) as Parameters<typeof masterdata.createWarehouse>[2]);
    });
  },
};

export const bins: KindSpec = {
  kind: 'bins', en: 'Bins', zh: '库位', permission: 'masterdata:write',
  columns: [
    { field: 'warehouseCode', en: 'Warehouse code', zh: '仓库编码', aliases: ['仓库', '仓库代码'], type: 'text', required: true, example: 'WH-RAW' },
    { field: 'code', en: 'Bin code', zh: '库位编码', aliases: ['库位', '货位', '储位编码'], type: 'text', required: true, example: 'A-01-01' },
    { field: 'name', en: 'Bin name', zh: '库位名称', aliases: ['货位名称'], type: 'text', example: 'A区1排1层' },
  ],
  body: CreateBinBody,
  input: (v) => defined({ code: v.code, name: v.name }),
  key: (v) => `${str(v.warehouseCode)}|${str(v.code)}`,
  async present(tx, tenantId, rows) {
    const wanted = new Set(distinct(rows, 'warehouseCode'));
    const keys = new Set<string>();
    for (const w of (await masterdataRepo.listWarehouses(tx, tenantId)).filter((x) => wanted.has(x.code))) {
      for (const b of await masterdataRepo.listBins(tx, tenantId, w.id)) keys.add(`${w.code}|${b.code}`);
    }
    return keys;
  },
  async write(tx, ctx, rows) {
    const byCode = new Map((await masterdataRepo.listWarehouses(tx, ctx.tenantId)).map((w) => [w.code, w.id]));
    await eachRow(tx, ctx, bins, rows, async (r) => {
      const wh = byCode.get(str(r.values.warehouseCode));
      if (!wh) return refuse(ctx, [refError(bins, r, 'warehouseCode', 'UNKNOWN_WAREHOUSE', `no warehouse ${str(r.values.warehouseCode)}`)]);
      await masterdata.createBin(tx, ctx.tenantId, wh, bins.input(r.values) as { code: string; name?: string });
    });
  },
};
