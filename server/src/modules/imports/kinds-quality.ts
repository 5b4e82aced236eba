import { Type } from '@sinclair/typebox';
import * as masterdataRepo from '../masterdata/repo.js';
import { CreateDefectCodeBody, CreateStandardBody, StandardItemInput, type CreateDefectCodeInput, type CreateStandardInput } from '../quality/schema.js';
import { createDefectCode, createStandard, existingDefectCodes, existingStandards } from '../quality/standards.js';
import { eachDocument, presentGroups } from './documents.js';
import { defined } from './kinds-masterdata.js';
import { RowsRefused, distinct, eachRow, refError, str } from './rows.js';
import type { KindSpec } from './spec.js';

/** Defect codes (S1-5.4.5-a): what a failed qualitative item records, with its severity. */
export const defectCodes: KindSpec = {
  kind: 'defect-codes', en: 'Defect codes', zh: '缺陷代码', permission: 'quality:write',
  columns: [
    { field: 'code', en: 'Defect code', zh: '缺陷代码', aliases: ['缺陷编码', '不良代码'], type: 'text', required: true, example: 'D-SCRATCH' },
    { field: 'name', en: 'Defect name', zh: '缺陷名称', aliases: ['不良现象', '缺陷描述'], type: 'text', required: true, example: '划伤' },
    { field: 'severity', en: 'Severity', zh: '严重程度', aliases: ['缺陷等级', '等级'], type: 'enum', required: true, example: 'minor', values: { critical: ['致命', 'A'], major: ['严重', '重', 'B'], minor: ['轻微', '轻', 'C'] } },
  ],
  body: CreateDefectCodeBody,
  input: (v) => defined({ code: v.code, name: v.name, severity: v.severity }),
  key: (v) => str(v.code),
  present: (tx, tenantId, rows) => existingDefectCodes(tx, tenantId, distinct(rows, 'code')),
  async write(tx, ctx, rows) {
    await eachRow(tx, ctx, defectCodes, rows, async (r) => {
      await createDefectCode(tx, ctx.tenantId, defectCodes.input(r.values) as CreateDefectCodeInput);
    });
  },
};

/**
 * Inspection standards (S1-5.4.5-a): one row per item, the standard's code and name repeated, for
 * one material (by code) or a product class; quantitative items with nominal value, limits, unit
 * and decimals, qualitative ones with the defect code they record. The rows of a code become one
 * standard through the quality service; a code the tenant already has is left as it is.
 */
export const inspectionStandards: KindSpec = {
  kind: 'inspection-standards', en: 'Inspection standards', zh: '检验标准', permission: 'quality:write',
  columns: [
    { field: 'standardCode', en: 'Standard code', zh: '检验标准编码', aliases: ['标准编码', '检验标准'], type: 'text', required: true, example: 'QS-M1001' },
    { field: 'standardName', en: 'Standard name', zh: '检验标准名称', aliases: ['标准名称'], type: 'text', required: true, example: '轴承来料检验' },
    { field: 'materialCode', en: 'Material code', zh: '物料编码', aliases: ['料号', '物料代码'], type: 'text', example: 'M-1001' },
    { field: 'materialCategory', en: 'Material category', zh: '物料类别', aliases: ['产品类别', '类别'], type: 'text', example: '' },
    { field: 'itemCode', en: 'Item code', zh: '检验项目编码', aliases: ['项目编码'], type: 'text', required: true, example: 'OD' },
    { field: 'itemName', en: 'Item name', zh: '检验项目', aliases: ['项目名称', '检验项目名称'], type: 'text', required: true, example: '外径' },
    { field: 'kind', en: 'Item kind', zh: '项目类型', aliases: ['定量定性', '检验性质'], type: 'enum', required: true, example: 'quantitative', values: { quantitative: ['定量', '计量'], qualitative: ['定性', '计数'] } },
    { field: 'nominal', en: 'Nominal', zh: '标准值', aliases: ['名义值', '目标值'], type: 'decimal', example: '47' },
    { field: 'lowerLimit', en: 'Lower limit', zh: '下限', aliases: ['下限值', '最小值'], type: 'decimal', example: '46.98' },
    { field: 'upperLimit', en: 'Upper limit', zh: '上限', aliases: ['上限值', '最大值'], type: 'decimal', example: '47.02' },
    { field: 'unit', en: 'Unit', zh: '单位', aliases: ['计量单位'], type: 'text', example: 'mm' },
    { field: 'decimals', en: 'Decimals', zh: '小数位数', aliases: ['精度'], type: 'integer', example: '2' },
    { field: 'defectCode', en: 'Defect code', zh: '缺陷代码', aliases: ['不良代码'], type: 'text', example: '' },
    { field: 'method', en: 'Method', zh: '检验方法', type: 'text', example: '千分尺测量' },
    { field: 'instrument', en: 'Instrument', zh: '检验器具', aliases: ['量具', '检测设备'], type: 'text', example: '外径千分尺' },
  ],
  body: StandardItemInput,
  fieldOfPath: { code: 'itemCode', name: 'itemName' },
  input: (v) => defined({
    code: v.itemCode, name: v.itemName, kind: v.kind, nominal: v.nominal, lowerLimit: v.lowerLimit, upperLimit: v.upperLimit, unit: v.unit, decimals: v.decimals,
    defectCode: v.defectCode, method: v.method, instrument: v.instrument,
  }),
  header: {
    body: Type.Pick(CreateStandardBody, ['code', 'name', 'materialCategory']),
    input: (v) => defined({ code: v.standardCode, name: v.standardName, materialCategory: v.materialCategory }),
    fieldOfPath: { code: 'standardCode', name: 'standardName' },
  },
  key: (v) => `${str(v.standardCode)}|${str(v.itemCode)}`,
  group: (v) => str(v.standardCode),
  async present(tx, tenantId, rows) {
    const held = await existingStandards(tx, tenantId, distinct(rows, 'standardCode'));
    return presentGroups(inspectionStandards, rows, (code) => held.has(code));
  },
  async write(tx, ctx, rows) {
    const materials = new Map((await masterdataRepo.findMaterials(tx, ctx.tenantId, [], distinct(rows, 'materialCode'))).map((m) => [m.code, m.id]));
    const fields = { lines: 'items', header: { code: 'standardCode', name: 'standardName', materialId: 'materialCode' }, line: { code: 'itemCode', name: 'itemName' } };
    await eachDocument(tx, ctx, inspectionStandards, rows, fields, async (lines) => {
      const head = lines[0].values;
      const code = str(head.materialCode);
      if (code && !materials.has(code)) throw new RowsRefused([refError(inspectionStandards, lines[0], 'materialCode', 'UNKNOWN_MATERIAL', `no material ${code}`)]);
      await createStandard(tx, ctx.tenantId, defined({
        ...inspectionStandards.header!.input(head), materialId: materials.get(code), items: lines.map((l) => inspectionStandards.input(l.values)),
      }) as unknown as CreateStandardInput);
    });
  },
};
