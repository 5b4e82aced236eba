import { Type } from '@sinclair/typebox';
import { AQLS, LEVELS } from '../quality/sampling.js';
import * as masterdataRepo from '../masterdata/repo.js';
import {
  CreateDefectCodeBody, CreatePlanBody, CreateStandardBody, StandardItemInput, type CreateDefectCodeInput, type CreatePlanInput, type CreateStandardInput,
} from '../quality/schema.js';
import { createDefectCode, createPlan, createStandard, existingDefectCodes, existingPlans, existingStandards, standardIdsByCode } from '../quality/standards.js';
import { eachDocument, presentGroups } from './documents.js';
import { defined } from './kinds-masterdata.js';
import { RowsRefused, distinct, eachRow, refError, refuse, str } from './rows.js';
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

const PlanRow = Type.Object(
  { ...Type.Omit(CreatePlanBody, ['standardId']).properties, standardCode: Type.String({ pattern: '^[A-Za-z0-9_.-]{1,64}$', description: 'Standard code' }) },
  { additionalProperties: false },
);
/** The items a plan inspects, as one cell: `OD, LOOK` (commas, Chinese commas, semicolons or 、). */
const itemList = (v: unknown) => (v === undefined ? undefined : str(v).split(/[,，;；、\s]+/).filter(Boolean));
const planInput = (v: Record<string, unknown>) => defined({
  code: v.code, name: v.name, inspectionType: v.inspectionType, standardCode: v.standardCode, itemCodes: itemList(v.itemCodes), sampling: v.sampling, sampleSize: v.sampleSize,
  acceptNumber: v.acceptNumber, aql: v.aql, inspectionLevel: v.inspectionLevel, everyHours: v.everyHours, everyPieces: v.everyPieces, operationSeq: v.operationSeq,
});

/**
 * Inspection plans (S1-5.4.5-a, -b): a row per plan naming its standard by code, its type, which
 * items (all when empty), its sampling (full, a fixed sample with an accept number, or AQL with
 * an inspection level), a patrol's interval and the operation it covers. Created through the
 * quality service, which checks the items are the standard's and the sampling fits the type; a
 * plan code the tenant has is left as it is.
 */
export const inspectionPlans: KindSpec = {
  kind: 'inspection-plans', en: 'Inspection plans', zh: '检验方案', permission: 'quality:write',
  columns: [
    { field: 'code', en: 'Plan code', zh: '检验方案编码', aliases: ['方案编码', '检验计划编码'], type: 'text', required: true, example: 'QP-IQC-M1001' },
    { field: 'name', en: 'Plan name', zh: '检验方案名称', aliases: ['方案名称', '检验计划名称'], type: 'text', required: true, example: '轴承来料抽检' },
    {
      field: 'inspectionType', en: 'Inspection type', zh: '检验类型', aliases: ['检验类别'], type: 'enum', required: true, example: 'incoming',
      values: { incoming: ['来料检验', '来料', '进货检验', 'IQC'], first_article: ['首件检验', '首检', '首件'], in_process: ['过程检验', '工序检验', 'IPQC'], patrol: ['巡检', '巡回检验'], final: ['成品检验', '终检', '最终检验', 'FQC', 'OQC'] },
    },
    { field: 'standardCode', en: 'Standard code', zh: '检验标准编码', aliases: ['标准编码', '检验标准'], type: 'text', required: true, example: 'QS-M1001' },
    { field: 'itemCodes', en: 'Item codes', zh: '检验项目编码', aliases: ['检验项目', '项目编码'], type: 'text', example: 'OD,LOOK' },
    {
      field: 'sampling', en: 'Sampling', zh: '抽样方式', aliases: ['抽样方案', '检验方式'], type: 'enum', required: true, example: 'aql',
      values: { full: ['全检', '100%'], fixed: ['固定抽样', '定量抽样', '固定样本'], aql: ['AQL抽样', '按AQL', 'GB/T 2828.1', 'GB2828'] },
    },
    { field: 'sampleSize', en: 'Sample size', zh: '样本量', aliases: ['抽样数量', '抽检数'], type: 'integer', example: '' },
    { field: 'acceptNumber', en: 'Accept number', zh: '允收数', aliases: ['接收数', 'Ac'], type: 'integer', example: '' },
    { field: 'aql', en: 'AQL', zh: '接收质量限', aliases: ['AQL值'], type: 'enum', example: '0.65', values: Object.fromEntries(AQLS.map((a) => [a, [String(Number(a))]])) },
    { field: 'inspectionLevel', en: 'Inspection level', zh: '检验水平', aliases: ['检查水平'], type: 'enum', example: 'II', values: Object.fromEntries(LEVELS.map((l) => [l, [l]])) },
    { field: 'everyHours', en: 'Every hours', zh: '巡检间隔小时', aliases: ['间隔小时'], type: 'decimal', example: '' },
    { field: 'everyPieces', en: 'Every pieces', zh: '巡检间隔件数', aliases: ['间隔件数'], type: 'integer', example: '' },
    { field: 'operationSeq', en: 'Operation', zh: '工序号', aliases: ['工序'], type: 'integer', example: '' },
  ],
  body: PlanRow,
  fieldOfPath: { standardId: 'standardCode' },
  input: planInput,
  key: (v) => str(v.code),
  present: (tx, tenantId, rows) => existingPlans(tx, tenantId, distinct(rows, 'code')),
  async write(tx, ctx, rows) {
    const standards = await standardIdsByCode(tx, ctx.tenantId, distinct(rows, 'standardCode'));
    await eachRow(tx, ctx, inspectionPlans, rows, async (r) => {
      const { standardCode, ...rest } = planInput(r.values);
      const standardId = standards.get(str(standardCode));
      if (!standardId) return refuse(ctx, [refError(inspectionPlans, r, 'standardCode', 'UNKNOWN_STANDARD', `no inspection standard ${str(standardCode)}`)]);
      await createPlan(tx, ctx.tenantId, { ...rest, standardId } as CreatePlanInput);
    });
  },
};
