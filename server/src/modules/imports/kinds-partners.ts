import { Type } from '@sinclair/typebox';
import * as masterdataRepo from '../masterdata/repo.js';
import { createPartner, partnerIdsByCode } from '../partners/service.js';
import { CreatePartnerBody } from '../partners/schema.js';
import { putSupplierMaterial } from '../purchasing/service.js';
import { listSupplierMaterials } from '../purchasing/repo.js';
import { PutSupplierMaterialBody } from '../purchasing/schema.js';
import { defined } from './kinds-masterdata.js';
import { distinct, eachRow, refError, refuse, str } from './rows.js';
import type { Column, KindSpec } from './spec.js';

const SETTLEMENT: Column = {
  field: 'settlementMethod', en: 'Settlement', zh: '结算方式', type: 'enum', example: 'transfer',
  values: { cash: ['现金'], transfer: ['转账', '银行转账', '电汇'], acceptance_bill: ['承兑', '承兑汇票', '银行承兑'], credit: ['赊销', '信用', '月结'] },
};

function partnerKind(kind: 'customer' | 'supplier'): KindSpec {
  const zh = kind === 'customer' ? '客户' : '供应商';
  const spec: KindSpec = {
    kind: `${kind}s`, en: kind === 'customer' ? 'Customers' : 'Suppliers', zh, permission: kind === 'customer' ? 'sales:write' : 'purchasing:write',
    columns: [
      { field: 'code', en: `${kind === 'customer' ? 'Customer' : 'Supplier'} code`, zh: `${zh}编码`, aliases: [`${zh}代码`, '编码', 'code'], type: 'text', required: true, example: kind === 'customer' ? 'C-001' : 'S-001' },
      { field: 'name', en: `${kind === 'customer' ? 'Customer' : 'Supplier'} name`, zh: `${zh}名称`, aliases: ['名称', '单位名称', 'name'], type: 'text', required: true, example: '苏州精工机械有限公司' },
      { field: 'address', en: 'Address', zh: '地址', aliases: ['联系地址'], type: 'text', example: '江苏省苏州市工业园区星湖街 1 号' },
      { field: 'taxNumber', en: 'Tax number', zh: '税号', aliases: ['纳税人识别号'], type: 'text', example: '' },
      { field: 'uscc', en: 'USCC', zh: '统一社会信用代码', aliases: ['信用代码', '社会信用代码'], type: 'text', example: '91320594MA1MXXXX0L' },
      SETTLEMENT,
      { field: 'settlementDays', en: 'Payment days', zh: '账期天数', aliases: ['账期', '付款天数'], type: 'integer', example: '30' },
      { field: 'overDeliveryTolerance', en: 'Over-delivery %', zh: '超交比例', aliases: ['允许超交'], type: 'decimal', example: '5' },
    ],
    body: CreatePartnerBody,
    fieldOfPath: { 'settlement/method': 'settlementMethod', 'settlement/days': 'settlementDays', settlement: 'settlementMethod' },
    input: (v) => defined({
      code: v.code, name: v.name, address: v.address, taxNumber: v.taxNumber, uscc: v.uscc, overDeliveryTolerance: v.overDeliveryTolerance,
      settlement: v.settlementMethod !== undefined || v.settlementDays !== undefined ? { method: v.settlementMethod ?? 'transfer', days: v.settlementDays ?? 0 } : undefined,
    }),
    key: (v) => str(v.code),
    async present(tx, tenantId, rows) {
      return new Set((await partnerIdsByCode(tx, tenantId, kind, distinct(rows, 'code'))).keys());
    },
    async write(tx, ctx, rows) {
      await eachRow(tx, ctx, spec, rows, async (r) => {
        await createPartner(tx, ctx.tenantId, kind, spec.input(r.values) as Parameters<typeof createPartner>[3]);
      });
    },
  };
  return spec;
}

export const customers = partnerKind('customer');
export const suppliers = partnerKind('supplier');

export const supplierMaterials: KindSpec = {
  kind: 'supplier-materials', en: 'Supplier materials', zh: '供应商物料', permission: 'purchasing:write',
  columns: [
    { field: 'supplierCode', en: 'Supplier code', zh: '供应商编码', aliases: ['供应商'], type: 'text', required: true, example: 'S-001' },
    { field: 'materialCode', en: 'Material code', zh: '物料编码', aliases: ['料号', '物料代码'], type: 'text', required: true, example: 'M-1001' },
    { field: 'supplierMaterialCode', en: "Supplier's material code", zh: '供应商料号', type: 'text', example: 'SKF-6204' },
    { field: 'price', en: 'Price', zh: '单价', aliases: ['采购单价', '含税单价'], type: 'decimal', example: '3.50' },
    { field: 'leadTimeDays', en: 'Lead time days', zh: '采购提前期', aliases: ['提前期', '交货天数'], type: 'integer', example: '7' },
    { field: 'preferred', en: 'Preferred', zh: '首选供应商', aliases: ['首选'], type: 'boolean', example: 'Y' },
  ],
  body: Type.Omit(PutSupplierMaterialBody, ['supplierId', 'materialId']),
  input: (v) => defined({ supplierMaterialCode: v.supplierMaterialCode, price: v.price, leadTimeDays: v.leadTimeDays, preferred: v.preferred }),
  key: (v) => `${str(v.supplierCode)}|${str(v.materialCode)}`,
  async present(tx, tenantId, rows) {
    const sup = await partnerIdsByCode(tx, tenantId, 'supplier', distinct(rows, 'supplierCode'));
    const keys = new Set<string>();
    for (const id of sup.values()) for (const l of await listSupplierMaterials(tx, tenantId, { supplierId: id })) keys.add(`${l.supplierCode}|${l.materialCode}`);
    return keys;
  },
  async write(tx, ctx, rows) {
    const sup = await partnerIdsByCode(tx, ctx.tenantId, 'supplier', distinct(rows, 'supplierCode'));
    const mats = new Map((await masterdataRepo.findMaterials(tx, ctx.tenantId, [], distinct(rows, 'materialCode'))).map((m) => [m.code, m.id]));
    await eachRow(tx, ctx, supplierMaterials, rows, async (r) => {
      const supplierId = sup.get(str(r.values.supplierCode));
      const materialId = mats.get(str(r.values.materialCode));
      const errors = [
        ...(supplierId ? [] : [refError(supplierMaterials, r, 'supplierCode', 'UNKNOWN_SUPPLIER', `no supplier ${str(r.values.supplierCode)}`)]),
        ...(materialId ? [] : [refError(supplierMaterials, r, 'materialCode', 'UNKNOWN_MATERIAL', `no material ${str(r.values.materialCode)}`)]),
      ];
      if (errors.length) return refuse(ctx, errors);
      await putSupplierMaterial(tx, ctx.tenantId, { ...supplierMaterials.input(r.values), supplierId: supplierId!, materialId: materialId! });
    });
  },
};
