import { Type } from '@sinclair/typebox';
import { requirePermission } from '../../platform/auth.js';
import * as masterdataRepo from '../masterdata/repo.js';
import { BomLineInput, CreateBomBody, type BomType, type CreateBomInput } from '../production/bom-schema.js';
import { createBom, existingBoms, releaseBom } from '../production/boms.js';
import { whoOf } from '../production/common.js';
import { CreateRoutingBody, OperationInput, type CreateRoutingInput } from '../production/routing-schema.js';
import { createRouting, existingRoutings, releaseRouting } from '../production/routings.js';
import { eachDocument, locating, presentGroups, type Locate } from './documents.js';
import { defined } from './kinds-masterdata.js';
import { distinct, str } from './rows.js';
import type { Column, KindSpec, Row } from './spec.js';

const EFFECTIVE: Column[] = [
  { field: 'effectiveFrom', en: 'Effective from', zh: '生效日期', aliases: ['启用日期'], type: 'date', example: '2025-01-01' },
  { field: 'effectiveTo', en: 'Effective to', zh: '失效日期', aliases: ['停用日期'], type: 'date', example: '' },
];
/** Released rows are released through the module's own approval (production:approve), as on its release route. */
const STATUS: Column = {
  field: 'status', en: 'Status', zh: '状态', aliases: ['版本状态', '审核状态'], type: 'enum', example: 'released',
  values: { draft: ['草稿', '未审核', '未发布'], released: ['已发布', '发布', '已审核', '生效', '已生效'] },
};
const released = (lines: Row[]) => lines.some((l) => l.values.status === 'released');

const bomType = (v: Record<string, unknown>) => str(v.bomType || 'manufacturing') as BomType;
const bomGroup = (v: Record<string, unknown>) => `${str(v.productCode)}|${bomType(v)}`;

const hasAlternate = (v: Record<string, unknown>) => [v.alternateCode, v.alternateQuantity, v.alternateUnit, v.alternatePriority].some((x) => x !== undefined);
const alternateOf = (v: Record<string, unknown>) => defined({ materialCode: v.alternateCode, quantity: v.alternateQuantity, unit: v.alternateUnit, priority: v.alternatePriority });
/** A BOM line: its component at its operation; the rows of one line differ only in their alternate. */
const lineOf = (v: Record<string, unknown>) => `${str(v.componentCode)}|${str(v.operationSeq)}`;
const ALTERNATE_FIELD: Record<string, string> = { materialCode: 'alternateCode', materialId: 'alternateCode', quantity: 'alternateQuantity', unit: 'alternateUnit', priority: 'alternatePriority' };
const ALTERNATE_PATH = Object.fromEntries(Object.entries(ALTERNATE_FIELD).map(([k, v]) => [`alternates/0/${k}`, v]));
const LINE_FIELD: Record<string, string> = { materialCode: 'componentCode', materialId: 'componentCode' };
const BOM_HEADER_FIELD: Record<string, string> = { materialCode: 'productCode', materialId: 'productCode', type: 'bomType' };

/** A BOM's rows as its lines, in file order: the first row of a line gives its usage, each row with an alternate adds it. */
function bomLines(rows: Row[]): Row[][] {
  const lines = new Map<string, Row[]>();
  for (const r of rows) (lines.get(lineOf(r.values)) ?? lines.set(lineOf(r.values), []).get(lineOf(r.values))!).push(r);
  return [...lines.values()];
}

function lineInput(rows: Row[]): Record<string, unknown> {
  const alternates = rows.filter((r) => hasAlternate(r.values)).map((r) => alternateOf(r.values));
  return defined({ ...boms.input(rows[0].values), alternates: alternates.length ? alternates : undefined });
}

/** The row of a BOM's field error: `lines[i]` is the i-th line's first row, `lines[i].alternates[j]` the row of its j-th alternate. */
function locateBomField(first: Row, lines: Row[][]): Locate {
  return (field) => {
    const m = /^lines\[(\d+)\](?:\.alternates\[(\d+)\])?\.?(\w*)$/.exec(field);
    const line = m ? lines[Number(m[1])] : undefined;
    if (!m || !line) return { row: first, field: BOM_HEADER_FIELD[field] ?? field };
    if (m[2] === undefined) return { row: line[0], field: LINE_FIELD[m[3]] ?? m[3] };
    const row = line.filter((r) => hasAlternate(r.values))[Number(m[2])] ?? line[0];
    return { row, field: ALTERNATE_FIELD[m[3]] ?? 'alternateCode' };
  };
}

/**
 * BOMs (S1-5.4.4-b): one row per component line, the product and BOM type repeated on each; the
 * rows of a product and type become one draft revision through the production service, released
 * when the rows say so. A line's alternates (替代料) are rows repeating the line with the
 * alternate's code, usage, unit and priority filled. A product that already has a BOM of the type
 * is left as it is.
 */
export const boms: KindSpec = {
  kind: 'boms', en: 'BOMs', zh: '物料清单', permission: 'production:write',
  columns: [
    { field: 'productCode', en: 'Product code', zh: '父项编码', aliases: ['产品编码', '父件编码', '母件编码', '成品编码'], type: 'text', required: true, example: 'P-2001' },
    {
      field: 'bomType', en: 'BOM type', zh: 'BOM类型', aliases: ['清单类型'], type: 'enum', example: 'manufacturing',
      values: { engineering: ['工程', 'EBOM', '工程BOM'], process: ['工艺', 'PBOM', '工艺BOM'], manufacturing: ['制造', 'MBOM', '制造BOM', '生产'], sales: ['销售', 'SBOM', '销售BOM'] },
    },
    ...EFFECTIVE,
    { field: 'componentCode', en: 'Component code', zh: '子项编码', aliases: ['子件编码', '组件编码', '材料编码'], type: 'text', required: true, example: 'M-1001' },
    { field: 'quantity', en: 'Quantity per', zh: '单位用量', aliases: ['用量', '数量'], type: 'decimal', required: true, example: '2' },
    { field: 'unit', en: 'Unit', zh: '单位', aliases: ['用量单位'], type: 'text', example: 'PCS' },
    { field: 'scrapRate', en: 'Scrap %', zh: '损耗率', aliases: ['损耗', '损耗率%'], type: 'decimal', example: '1.5' },
    { field: 'operationSeq', en: 'Operation', zh: '工序号', aliases: ['工序', '投料工序'], type: 'integer', example: '10' },
    { field: 'optional', en: 'Optional', zh: '可选件', aliases: ['可选'], type: 'boolean', example: 'N' },
    { field: 'phantom', en: 'Phantom', zh: '虚拟件', aliases: ['虚拟'], type: 'boolean', example: 'N' },
    { field: 'position', en: 'Position', zh: '位号', aliases: ['位置号'], type: 'text', example: '' },
    { field: 'remark', en: 'Remark', zh: '备注', type: 'text', example: '' },
    { field: 'alternateCode', en: 'Alternate code', zh: '替代料编码', aliases: ['替代料', '替代物料编码', '替代件编码'], type: 'text', example: '' },
    { field: 'alternateQuantity', en: 'Alternate quantity per', zh: '替代用量', aliases: ['替代料用量'], type: 'decimal', example: '' },
    { field: 'alternateUnit', en: 'Alternate unit', zh: '替代单位', aliases: ['替代料单位'], type: 'text', example: '' },
    { field: 'alternatePriority', en: 'Alternate priority', zh: '替代优先级', aliases: ['替代顺序', '优先级'], type: 'integer', example: '' },
    STATUS,
  ],
  body: BomLineInput,
  fieldOfPath: { materialCode: 'componentCode', materialId: 'componentCode', ...ALTERNATE_PATH },
  input: (v) => defined({
    materialCode: v.componentCode, quantity: v.quantity, unit: v.unit, scrapRate: v.scrapRate, operationSeq: v.operationSeq, optional: v.optional, phantom: v.phantom,
    position: v.position, remark: v.remark, alternates: hasAlternate(v) ? [alternateOf(v)] : undefined,
  }),
  header: {
    body: Type.Pick(CreateBomBody, ['materialCode', 'type', 'effectiveFrom', 'effectiveTo']),
    input: (v) => defined({ materialCode: v.productCode, type: bomType(v), effectiveFrom: v.effectiveFrom, effectiveTo: v.effectiveTo }),
    fieldOfPath: { materialCode: 'productCode', type: 'bomType' },
  },
  key: (v) => [bomGroup(v), lineOf(v), str(v.alternateCode)].join('|'),
  group: bomGroup,
  async present(tx, tenantId, rows) {
    const products = new Map((await masterdataRepo.findMaterials(tx, tenantId, [], distinct(rows, 'productCode'))).map((m) => [m.code, m.id]));
    const held = await existingBoms(tx, tenantId, [...products.values()]);
    return presentGroups(boms, rows, (_, first) => held.has(`${products.get(str(first.values.productCode))}|${bomType(first.values)}`));
  },
  async write(tx, ctx, rows) {
    const who = whoOf(ctx.principal);
    const fields = {
      lines: 'lines', header: { materialCode: 'productCode', materialId: 'productCode', type: 'bomType' }, line: { materialCode: 'componentCode', materialId: 'componentCode' },
    };
    await eachDocument(tx, ctx, boms, rows, fields, async (rowsOfBom) => {
      const head = boms.header!.input(rowsOfBom[0].values);
      const lines = bomLines(rowsOfBom);
      const input = { ...head, lines: lines.map(lineInput) } as unknown as CreateBomInput;
      const bom = await locating(boms, rowsOfBom[0], locateBomField(rowsOfBom[0], lines), () => createBom(tx, who, input));
      if (released(rowsOfBom)) {
        requirePermission(ctx.principal, 'production:approve');
        await releaseBom(tx, who, bom.id, bom.version);
      }
    });
  },
};

/**
 * Routings (S1-5.4.4-c): one row per operation, the routing's code (and name) repeated; the rows
 * of a code become one draft revision through the production service, work centres by code,
 * released when the rows say so. A routing code the tenant already has is left as it is.
 */
export const routings: KindSpec = {
  kind: 'routings', en: 'Routings', zh: '工艺路线', permission: 'production:write',
  columns: [
    { field: 'routingCode', en: 'Routing code', zh: '工艺路线编码', aliases: ['工艺路线', '路线编码'], type: 'text', required: true, example: 'RT-2001' },
    { field: 'routingName', en: 'Routing name', zh: '工艺路线名称', aliases: ['路线名称'], type: 'text', example: '电机装配' },
    ...EFFECTIVE,
    { field: 'seq', en: 'Operation', zh: '工序号', aliases: ['工序', '序号'], type: 'integer', required: true, example: '10' },
    { field: 'name', en: 'Operation name', zh: '工序名称', type: 'text', required: true, example: '装配' },
    { field: 'description', en: 'Description', zh: '工序说明', aliases: ['工序描述', '作业内容'], type: 'text', example: '' },
    { field: 'workCentreCode', en: 'Work centre code', zh: '工作中心编码', aliases: ['工作中心'], type: 'text', required: true, example: 'WC-ASM' },
    { field: 'setupMinutes', en: 'Setup minutes', zh: '准备时间', aliases: ['准备工时', '调整时间'], type: 'decimal', example: '30' },
    { field: 'runMinutes', en: 'Run minutes', zh: '加工时间', aliases: ['单件工时', '标准工时', '加工工时'], type: 'decimal', required: true, example: '2.5' },
    { field: 'queueMinutes', en: 'Queue minutes', zh: '排队时间', aliases: ['等待时间'], type: 'decimal', example: '0' },
    { field: 'moveMinutes', en: 'Move minutes', zh: '转运时间', aliases: ['搬运时间'], type: 'decimal', example: '0' },
    { field: 'inspectionPoint', en: 'Inspection point', zh: '检验点', aliases: ['是否检验'], type: 'boolean', example: 'N' },
    { field: 'inspectionText', en: 'What to inspect', zh: '检验内容', aliases: ['检验要求'], type: 'text', example: '' },
    STATUS,
  ],
  body: OperationInput,
  input: (v) => defined({
    seq: v.seq, name: v.name, description: v.description, workCentreCode: v.workCentreCode, setupMinutes: v.setupMinutes, runMinutes: v.runMinutes,
    queueMinutes: v.queueMinutes, moveMinutes: v.moveMinutes, inspectionPoint: v.inspectionPoint, inspectionText: v.inspectionText,
  }),
  header: {
    body: Type.Pick(CreateRoutingBody, ['code', 'name', 'effectiveFrom', 'effectiveTo']),
    input: (v) => defined({ code: v.routingCode, name: v.routingName, effectiveFrom: v.effectiveFrom, effectiveTo: v.effectiveTo }),
    fieldOfPath: { code: 'routingCode', name: 'routingName' },
  },
  key: (v) => `${str(v.routingCode)}|${str(v.seq)}`,
  group: (v) => str(v.routingCode),
  async present(tx, tenantId, rows) {
    const held = await existingRoutings(tx, tenantId, distinct(rows, 'routingCode'));
    return presentGroups(routings, rows, (code) => held.has(code));
  },
  async write(tx, ctx, rows) {
    const who = whoOf(ctx.principal);
    const fields = { lines: 'operations', header: { code: 'routingCode', name: 'routingName' }, line: { workCentreId: 'workCentreCode' } };
    await eachDocument(tx, ctx, routings, rows, fields, async (lines) => {
      const head = routings.header!.input(lines[0].values);
      const routing = await createRouting(tx, who, { ...head, operations: lines.map((l) => routings.input(l.values)) } as unknown as CreateRoutingInput);
      if (released(lines)) {
        requirePermission(ctx.principal, 'production:approve');
        await releaseRouting(tx, who, routing.id, routing.version);
      }
    });
  },
};
