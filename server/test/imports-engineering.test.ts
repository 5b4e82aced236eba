/**
 * Importing the kinds whose modules came later (S1-7.3-a: import master data): the plant model,
 * equipment, routings, BOMs, defect codes and inspection standards, through the real server. A
 * good workbook of all of them, a re-run that changes nothing, a workbook with mistakes in every
 * one reported in one pass with nothing written, templates and auto detection.
 */
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTenant, startTestServer, type TestServer } from './harness.js';
import { finished, upload } from './imports-util.js';
import { listAll } from './util.js';
import { budget } from '../../vitest.shared.js';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
}, budget(60_000));
afterAll(() => t?.stop());

type Cell = string | number | null;
async function workbook(sheets: Record<string, Cell[][]>): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  for (const [name, rows] of Object.entries(sheets)) wb.addWorksheet(name).addRows(rows);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

const get = async (key: string, path: string) => (await t.call('GET', path, undefined, { authorization: `Bearer ${key}` })).body;

/** A tenant with the calendar a plant needs (calendars are not imported). */
async function tenant(slug: string) {
  const { key } = await createTenant(t, slug);
  const cal = await t.call('POST', '/v1/calendars', { code: 'CAL-STD', name: '标准日历', shifts: [1, 2, 3, 4, 5].map((weekday) => ({ weekday, start: '08:00', end: '17:00', breakMinutes: 60 })) }, { authorization: `Bearer ${key}` });
  expect(cal.status).toBe(201);
  return key;
}

const MASTER: Record<string, Cell[][]> = {
  计量单位: [['单位编码', '单位名称', '小数位数'], ['PCS', '个', 0]],
  物料: [['物料编码', '物料名称', '基本单位', '物料类别'], ['P-2001', '电机总成', 'PCS', 'finished'], ['M-1001', '轴承', 'PCS', 'parts'], ['M-1002', '端盖', 'PCS', 'parts'], ['S-3001', '转子组件', 'PCS', 'semi']],
};

const GOOD: Record<string, Cell[][]> = {
  ...MASTER,
  // Children before their parents on purpose: the import writes a level at a time.
  工厂模型: [
    ['层级', '编码', '名称', '上级编码', '日历编码', '产能单位', '并行数'],
    ['工位', 'ST-01', '装配工位 1', 'WC-ASM', null, null, null],
    ['工作中心', 'WC-ASM', '装配中心', 'LINE-A', null, '人工工时', 4],
    ['工作中心', 'WC-CNC', '数控中心', 'WS-MCH', null, '机器工时', 2],
    ['产线', 'LINE-A', '装配线 A', 'WS-ASM', null, null, null],
    ['车间', 'WS-ASM', '装配车间', 'PLANT-SZ', null, null, null],
    ['车间', 'WS-MCH', '机加车间', 'PLANT-SZ', null, null, null],
    ['工厂', 'PLANT-SZ', '苏州工厂', null, 'CAL-STD', null, null],
  ],
  设备: [
    ['设备编码', '设备名称', '车间编码', '工作中心编码', '制造商', '型号', '出厂日期', '日计划时间', '理论产能'],
    ['CNC-01', '数控车床 1 号', 'WS-MCH', 'WC-CNC', '沈阳机床', 'CAK6150', '2019-06-30', 960, 60],
    ['ASM-01', '装配台', 'WS-ASM', 'WC-ASM', null, null, null, null, null],
  ],
  工艺路线: [
    ['工艺路线编码', '工艺路线名称', '工序号', '工序名称', '工作中心编码', '准备时间', '加工时间', '检验点', '检验内容', '状态'],
    ['RT-2001', '电机装配', 10, '车削', 'WC-CNC', 30, 2.5, 'N', null, '已发布'],
    ['RT-2001', null, 20, '装配', 'WC-ASM', 0, 5, 'Y', '检查轴承游隙', '已发布'],
    ['RT-3001', '转子加工', 10, '车削', 'WC-CNC', 15, 1.2, null, null, '草稿'],
  ],
  // The manufacturing BOM of P-2001 has its rows apart: they still make one BOM.
  物料清单: [
    ['父项编码', 'BOM类型', '子项编码', '单位用量', '损耗率', '工序号', '状态'],
    ['P-2001', '制造', 'S-3001', 1, null, 20, '已发布'],
    ['S-3001', '制造', 'M-1001', 2, null, 10, null],
    ['P-2001', '制造', 'M-1002', 2, 1.5, 20, '已发布'],
    ['P-2001', '工程', 'S-3001', 1, null, null, null],
  ],
  缺陷代码: [['缺陷代码', '缺陷名称', '严重程度'], ['D-SCRATCH', '划伤', '轻微'], ['D-CRACK', '裂纹', '致命']],
  检验标准: [
    ['检验标准编码', '检验标准名称', '物料编码', '物料类别', '检验项目编码', '检验项目', '项目类型', '标准值', '下限', '上限', '单位', '小数位数', '缺陷代码', '检验方法'],
    ['QS-M1001', '轴承来料检验', 'M-1001', null, 'OD', '外径', '定量', 47, 46.98, 47.02, 'mm', 2, null, '千分尺'],
    ['QS-M1001', '轴承来料检验', 'M-1001', null, 'LOOK', '外观', '定性', null, null, null, null, null, 'D-SCRATCH', '目视'],
    ['QS-FIN', '成品检验', null, 'finished', 'NOISE', '噪声', '定量', null, null, 65, 'dB', 1, null, '声级计'],
  ],
};

describe('import jobs: plant model, equipment, routings, BOMs, quality standards', () => {
  it('S1-7.3-a: a workbook of the plant model, equipment, routings, BOMs, defect codes and inspection standards imports through their services, in dependency order; a re-run changes nothing', async () => {
    const key = await tenant('imp-eng-good');
    const file = await workbook(GOOD);
    const dry = (await upload(t.url, key, file, { fileName: 'engineering.xlsx', dryRun: true })).body;
    expect(dry).toMatchObject({ status: 'validated', errors: [], totalRows: 26 });
    expect(await listAll(t, key, '/v1/plants')).toEqual([]);

    const res = await upload(t.url, key, file, { fileName: 'engineering.xlsx' });
    expect(res.status).toBe(201);
    expect(res.body.sheets.map((s: any) => [s.sheet, s.kind, s.rows])).toEqual([
      ['计量单位', 'units', 1], ['物料', 'materials', 4], ['工厂模型', 'plant-model', 7], ['设备', 'equipment', 2], ['工艺路线', 'routings', 3], ['物料清单', 'boms', 4],
      ['缺陷代码', 'defect-codes', 2], ['检验标准', 'inspection-standards', 3],
    ]);
    const job = await finished(t.url, key, res.body.id);
    expect(job).toMatchObject({ status: 'done', totalRows: 26, writtenRows: 26, unchangedRows: 0, errors: [] });

    // The plant model, parents found by code whatever the order of the rows.
    const plants = await listAll(t, key, '/v1/plants');
    expect(plants.map((p: any) => [p.code, p.calendarCode])).toEqual([['PLANT-SZ', 'CAL-STD']]);
    const tree = await get(key, `/v1/plants/${plants[0].id}`);
    const shape = tree.workshops.map((w: any) => [w.code, w.lines.map((l: any) => l.code), w.workCentres.map((c: any) => [c.code, c.capacityUnit, c.parallelCount, c.lineId !== null, c.stations.map((s: any) => s.code)])]);
    expect(shape.sort()).toEqual([
      ['WS-ASM', ['LINE-A'], [['WC-ASM', 'labour_hours', 4, true, ['ST-01']]]],
      ['WS-MCH', [], [['WC-CNC', 'machine_hours', 2, false, []]]],
    ]);

    const machines = await listAll(t, key, '/v1/equipment');
    expect(machines.map((e: any) => [e.code, e.workshopCode]).sort()).toEqual([['ASM-01', 'WS-ASM'], ['CNC-01', 'WS-MCH']]);
    const cnc = await get(key, `/v1/equipment/${machines.find((e: any) => e.code === 'CNC-01').id}`);
    expect(cnc).toMatchObject({ name: '数控车床 1 号', manufacturer: '沈阳机床', model: 'CAK6150', buildDate: '2019-06-30', availableMinutesPerDay: 960, targetOutputPerHour: 60 });

    const routings = await listAll(t, key, '/v1/routings');
    expect(routings.map((r: any) => [r.code, r.name, r.revision, r.status, r.operationCount]).sort()).toEqual([['RT-2001', '电机装配', 1, 'released', 2], ['RT-3001', '转子加工', 1, 'draft', 1]]);
    const rt = await get(key, `/v1/routings/${routings.find((r: any) => r.code === 'RT-2001').id}`);
    expect(rt.operations.map((o: any) => [o.seq, o.name, o.workCentreCode, o.setupMinutes, o.runMinutes, o.inspectionPoint, o.inspectionText])).toEqual([
      [10, '车削', 'WC-CNC', '30', '2.5', false, ''],
      [20, '装配', 'WC-ASM', '0', '5', true, '检查轴承游隙'],
    ]);

    const boms = await listAll(t, key, '/v1/boms');
    expect(boms.map((b: any) => [b.materialCode, b.type, b.revision, b.status, b.lineCount]).sort()).toEqual([
      ['P-2001', 'engineering', 1, 'draft', 1], ['P-2001', 'manufacturing', 1, 'released', 2], ['S-3001', 'manufacturing', 1, 'draft', 1],
    ]);
    const mbom = await get(key, `/v1/boms/${boms.find((b: any) => b.materialCode === 'P-2001' && b.type === 'manufacturing').id}`);
    expect(mbom.lines.map((l: any) => [l.lineNo, l.componentCode, l.quantity, l.scrapRate, l.operationSeq])).toEqual([[10, 'S-3001', '1', '0', 20], [20, 'M-1002', '2', '1.5', 20]]);

    expect((await listAll(t, key, '/v1/quality-defect-codes')).map((d: any) => [d.code, d.severity]).sort()).toEqual([['D-CRACK', 'critical'], ['D-SCRATCH', 'minor']]);
    const standards = await listAll(t, key, '/v1/quality-standards');
    expect(standards.map((s: any) => [s.code, s.materialCode, s.materialCategory, s.items.map((i: any) => [i.code, i.kind, i.nominal, i.lowerLimit, i.upperLimit, i.unit, i.decimals, i.defectCode])])).toEqual([
      ['QS-FIN', null, 'finished', [['NOISE', 'quantitative', null, null, '65', 'dB', 1, null]]],
      ['QS-M1001', 'M-1001', null, [['OD', 'quantitative', '47', '46.98', '47.02', 'mm', 2, null], ['LOOK', 'qualitative', null, null, null, null, null, 'D-SCRATCH']]],
    ]);

    // S1-7.3-a: the same file again changes nothing: every row is already there.
    const again = await finished(t.url, key, (await upload(t.url, key, file, { fileName: 'engineering.xlsx' })).body.id);
    expect(again).toMatchObject({ status: 'done', totalRows: 26, writtenRows: 0, unchangedRows: 26, errors: [] });
    expect(await listAll(t, key, '/v1/boms')).toHaveLength(3);
    expect(await listAll(t, key, '/v1/routings')).toHaveLength(2);
    expect(await listAll(t, key, '/v1/work-centres')).toHaveLength(2);
    expect(await listAll(t, key, '/v1/equipment')).toHaveLength(2);
    expect(await listAll(t, key, '/v1/quality-standards')).toHaveLength(2);
  });

  it('S1-7.3-a: mistakes in every one of these kinds are reported in one pass (sheet, row, column, value, code) and nothing is written', async () => {
    const key = await tenant('imp-eng-mistakes');
    const file = await workbook({
      ...MASTER,
      工厂模型: [
        ['层级', '编码', '名称', '上级编码', '日历编码'],
        ['工厂', 'PLANT-SZ', '苏州工厂', null, 'CAL-STD'],
        ['工厂', 'PLANT-2', '二厂', 'PLANT-SZ', 'CAL-STD'],
        ['车间', 'WS-ASM', '装配车间', 'PLANT-SZ', null],
        ['车间', 'WS-X', '无主车间', 'PLANT-NONE', null],
        ['仓库', 'WH-1', '仓库', 'PLANT-SZ', null],
        ['工作中心', 'WC-ASM', '装配中心', 'WS-ASM', null],
        ['工位', 'ST-9', '工位', 'WC-ASM', 'CAL-STD'],
      ],
      设备: [
        ['设备编码', '设备名称', '车间编码', '日计划时间'],
        ['CNC-09', '数控车床', 'WS-NONE', 480],
        ['CNC-10', '数控车床', 'WS-ASM', 2000],
      ],
      工艺路线: [
        ['工艺路线编码', '工艺路线名称', '工序号', '工序名称', '工作中心编码', '加工时间', '检验点'],
        ['RT-9', '路线九', 10, '车削', 'WC-NONE', 2, null],
        ['RT-9', null, 20, '装配', 'WC-ASM', 'abc', null],
        ['RT 8', '路线八', 10, '装配', 'WC-ASM', 1, null],
        ['RT-7', '路线七', 10, '装配', 'WC-ASM', 1, 'Y'],
      ],
      物料清单: [
        ['父项编码', 'BOM类型', '子项编码', '单位用量'],
        ['P-2001', '制造', 'M-NONE', 1],
        ['P-2001', '制造', 'M-1001', 0],
        ['P-NONE', '制造', 'M-1001', 1],
        ['P-2001', '工程', 'S-3001', 1],
        ['S-3001', '工程', 'P-2001', 1],
      ],
      缺陷代码: [['缺陷代码', '缺陷名称', '严重程度'], ['D-SCRATCH', '划伤', '很严重'], ['D-CRACK', '裂纹', '致命'], ['D-CRACK', '裂纹', '致命']],
      检验标准: [
        ['检验标准编码', '检验标准名称', '物料编码', '检验项目编码', '检验项目', '项目类型', '下限', '上限', '单位', '小数位数', '缺陷代码'],
        ['QS-1', '标准一', 'M-1001', 'OD', '外径', '定量', 47.1, 46.9, 'mm', 1, null],
        ['QS-1', '标准一', 'M-1001', 'ID', '内径', '定量', 20, 21, null, 0, null],
        ['QS-1', '标准一', 'M-1001', 'LOOK', '外观', '定性', null, null, null, null, 'D-NONE'],
        ['QS-2', '标准二', 'M-NONE', 'LOOK', '外观', '定性', null, null, null, null, null],
      ],
    });
    const job = (await upload(t.url, key, file, { fileName: 'mistakes.xlsx' })).body;
    expect(job.status).toBe('invalid');
    const errors = job.errors.map((e: any) => [e.sheet, e.row, e.column, e.value, e.code]);
    expect(errors).toEqual(expect.arrayContaining([
      ['工厂模型', 3, '上级编码 Parent code', 'PLANT-SZ', 'INVALID_VALUE'],
      ['工厂模型', 5, '上级编码 Parent code', 'PLANT-NONE', 'UNKNOWN_PLANT'],
      ['工厂模型', 6, '层级 Level', '仓库', 'INVALID_VALUE'],
      ['工厂模型', 8, '日历编码 Calendar code', 'CAL-STD', 'INVALID_VALUE'],
      ['设备', 2, '车间编码 Workshop code', 'WS-NONE', 'UNKNOWN_WORKSHOP'],
      ['设备', 3, '日计划时间 Available minutes per day', '2000', 'OUT_OF_RANGE'],
      ['工艺路线', 2, '工作中心编码 Work centre code', 'WC-NONE', 'UNKNOWN_WORK_CENTRE'],
      ['工艺路线', 3, '加工时间 Run minutes', 'abc', 'INVALID_NUMBER'],
      ['工艺路线', 4, '工艺路线编码 Routing code', 'RT 8', 'INVALID_FORMAT'],
      ['工艺路线', 5, '检验内容 What to inspect', '', 'INSPECTION_UNDEFINED'],
      ['物料清单', 2, '子项编码 Component code', 'M-NONE', 'UNKNOWN_MATERIAL'],
      ['物料清单', 3, '单位用量 Quantity per', '0', 'NOT_POSITIVE'],
      ['物料清单', 4, '父项编码 Product code', 'P-NONE', 'UNKNOWN_MATERIAL'],
      ['物料清单', 6, '子项编码 Component code', 'P-2001', 'BOM_CYCLE'],
      ['缺陷代码', 2, '严重程度 Severity', '很严重', 'INVALID_VALUE'],
      ['缺陷代码', 4, '缺陷代码 Defect code', 'D-CRACK', 'DUPLICATE_KEY'],
      ['检验标准', 2, '上限 Upper limit', '46.9', 'BELOW_LOWER_LIMIT'],
      ['检验标准', 3, '单位 Unit', '', 'REQUIRED'],
      ['检验标准', 4, '缺陷代码 Defect code', 'D-NONE', 'UNKNOWN_DEFECT_CODE'],
      ['检验标准', 5, '物料编码 Material code', 'M-NONE', 'UNKNOWN_MATERIAL'],
    ]));
    expect(errors).toHaveLength(20);
    // Nothing was written, not even the good rows.
    for (const path of ['/v1/units', '/v1/plants', '/v1/workshops', '/v1/equipment', '/v1/routings', '/v1/boms', '/v1/quality-defect-codes', '/v1/quality-standards']) {
      expect(await listAll(t, key, path), path).toEqual([]);
    }
  });

  it('S1-7.3-a: templates of the new kinds carry both headers and drop-down lists; a CSV is recognised by its headers (auto); releasing through an import needs production:approve', async () => {
    const key = await tenant('imp-eng-template');
    const res = await fetch(`${t.url}/v1/imports/template?kind=routings&format=xlsx`, { headers: { authorization: `Bearer ${key}` } });
    expect(res.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await res.arrayBuffer());
    const ws = wb.getWorksheet('工艺路线')!;
    expect(ws.getRow(1).getCell(1).value).toBe('工艺路线编码 Routing code *');
    expect(ws.getCell('O2').dataValidation).toMatchObject({ type: 'list', formulae: ['"draft,released"'] });
    const plant = await fetch(`${t.url}/v1/imports/template?kind=plant-model&format=xlsx`, { headers: { authorization: `Bearer ${key}` } });
    const pwb = new ExcelJS.Workbook();
    await pwb.xlsx.load(await plant.arrayBuffer());
    expect(pwb.getWorksheet('工厂模型')!.getCell('A2').dataValidation).toMatchObject({ type: 'list', formulae: ['"plant,workshop,line,work_centre,station"'] });

    // A filled CSV template, kind auto: its headers say defect codes.
    const csv = Buffer.from(await (await fetch(`${t.url}/v1/imports/template?kind=defect-codes&format=csv`, { headers: { authorization: `Bearer ${key}` } })).arrayBuffer());
    const job = await finished(t.url, key, (await upload(t.url, key, csv, { kind: 'auto', fileName: 'defects.csv' })).body.id);
    expect(job).toMatchObject({ status: 'done', writtenRows: 1, sheets: [{ kind: 'defect-codes', rows: 1 }] });
    expect((await listAll(t, key, '/v1/quality-defect-codes')).map((d: any) => [d.code, d.name, d.severity])).toEqual([['D-SCRATCH', '划伤', 'minor']]);

    // Released rows are released as the release route does it: with production:approve.
    await finished(t.url, key, (await upload(t.url, key, await workbook({ 工厂模型: GOOD.工厂模型 }), { fileName: 'plant.xlsx' })).body.id);
    const clerk = (await t.call('POST', '/v1/api-keys', { name: 'clerk', permissions: ['imports:write', 'imports:read', 'production:write'] }, { authorization: `Bearer ${key}` })).body.key;
    const refused = (await upload(t.url, clerk, await workbook({ 工艺路线: GOOD.工艺路线 }), { fileName: 'routings.xlsx' })).body;
    expect(refused.errors.map((e: any) => [e.row, e.code])).toEqual([[2, 'PERMISSION_DENIED']]);
    expect(await listAll(t, key, '/v1/routings')).toEqual([]);
  });
});
