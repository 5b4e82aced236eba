/**
 * The import kinds added after the first round (S1-7.3-a: import master data), through the real
 * server: plant calendars (weekly shifts, holidays, make-up days), BOM line alternates, equipment
 * points, alarm rules and inspection plans. A good workbook imports through the owning services, a re-run changes
 * nothing, a workbook with mistakes reports every one in one pass and writes nothing.
 */
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTenant, startTestServer, type TestServer } from './harness.js';
import { finished, upload } from './imports-util.js';
import { listAll } from './util.js';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
}, 60_000);
afterAll(() => t?.stop());

type Cell = string | number | Date | null;
async function workbook(sheets: Record<string, Cell[][]>): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  for (const [name, rows] of Object.entries(sheets)) wb.addWorksheet(name).addRows(rows);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

const get = async (key: string, path: string) => (await t.call('GET', path, undefined, { authorization: `Bearer ${key}` })).body;
/** A time of day as Excel stores a time cell: a date on 1899-12-30. */
const excelTime = (h: number, m: number) => new Date(Date.UTC(1899, 11, 30, h, m));

const CAL_HEAD = ['日历编码', '日历名称', '星期', '日期', '说明', '班次', '开始时间', '结束时间', '休息分钟'];
const GOOD_CALENDARS: Cell[][] = [
  CAL_HEAD,
  ['CAL-2S', '两班制', '周一', null, null, '白班', '08:00', '16:00', 30],
  ['CAL-2S', '两班制', '周一', null, null, '夜班', '20:00', '04:00', 30],
  ['CAL-2S', '两班制', 2, null, null, '白班', excelTime(8, 0), excelTime(16, 0), 30],
  ['CAL-2S', '两班制', 'Wednesday', null, null, '白班', '8:00', '16:00', null],
  ['CAL-2S', '两班制', null, '2025-10-01', '国庆节', null, null, null, null],
  ['CAL-2S', '两班制', null, '2025/9/28', '调休上班', '白班', '8点', '16:00', 30],
  ['CAL-OFF', '办公日历', '周五', null, null, null, '09:00', '18:00', 60],
];

const MASTER: Record<string, Cell[][]> = {
  计量单位: [['单位编码', '单位名称', '小数位数'], ['PCS', '个', 0]],
  物料: [['物料编码', '物料名称', '基本单位', '物料类别'], ['P-2001', '电机总成', 'PCS', 'finished'], ['M-1001', '轴承', 'PCS', 'parts'], ['M-1002', '端盖', 'PCS', 'parts'], ['M-1003', '轴承(国产)', 'PCS', 'parts'], ['M-1004', '轴承(进口)', 'PCS', 'parts']],
};

const GOOD: Record<string, Cell[][]> = {
  ...MASTER,
  工作日历: GOOD_CALENDARS,
  // The plant names a calendar of the same file: calendars are written first.
  工厂模型: [['层级', '编码', '名称', '上级编码', '日历编码'], ['工厂', 'PLANT-SZ', '苏州工厂', null, 'CAL-2S']],
  // M-1001's line has two alternates, each on a row repeating the line; M-1002's has none.
  物料清单: [
    ['父项编码', 'BOM类型', '子项编码', '单位用量', '工序号', '替代料编码', '替代用量', '替代单位', '替代优先级'],
    ['P-2001', '制造', 'M-1001', 2, 10, null, null, null, null],
    ['P-2001', '制造', 'M-1002', 1, 10, null, null, null, null],
    ['P-2001', '制造', 'M-1001', 2, 10, 'M-1004', 2, 'PCS', 2],
    ['P-2001', '制造', 'M-1001', 2, 10, 'M-1003', 3, null, 1],
  ],
};

describe('import jobs: calendars, BOM alternates, equipment points, alarm rules, inspection plans', () => {
  it('S1-7.3-a S1-7.1: calendars (weekly shifts, a holiday, a make-up day; times as text and Excel times) and BOM lines with alternates import through their services; a re-run changes nothing', async () => {
    const { key } = await createTenant(t, 'imp-kinds-good');
    const file = await workbook(GOOD);
    const res = await upload(t.url, key, file, { fileName: 'kinds.xlsx' });
    expect(res.status).toBe(201);
    expect(res.body.sheets.map((s: any) => [s.sheet, s.kind, s.rows])).toEqual([
      ['计量单位', 'units', 1], ['物料', 'materials', 5], ['工作日历', 'calendars', 7], ['工厂模型', 'plant-model', 1], ['物料清单', 'boms', 4],
    ]);
    const job = await finished(t.url, key, res.body.id);
    expect(job).toMatchObject({ status: 'done', totalRows: 18, writtenRows: 18, unchangedRows: 0, errors: [] });

    const cals = await listAll(t, key, '/v1/calendars');
    expect(cals.map((c: any) => [c.code, c.name]).sort()).toEqual([['CAL-2S', '两班制'], ['CAL-OFF', '办公日历']]);
    const cal = await get(key, `/v1/calendars/${cals.find((c: any) => c.code === 'CAL-2S').id}`);
    const shifts = (list: any[]) => list.map((s: any) => [s.name, s.start, s.end, s.breakMinutes, s.minutes]);
    expect(cal.weekly.map((d: any) => [d.weekday, shifts(d.shifts)])).toEqual([
      [1, [['白班', '08:00', '16:00', 30, 450], ['夜班', '20:00', '04:00', 30, 450]]],
      [2, [['白班', '08:00', '16:00', 30, 450]]],
      [3, [['白班', '08:00', '16:00', 0, 480]]],
      [4, []], [5, []], [6, []], [7, []],
    ]);
    expect(cal.exceptions.map((e: any) => [e.date, e.reason, shifts(e.shifts)])).toEqual([
      ['2025-09-28', '调休上班', [['白班', '08:00', '16:00', 30, 450]]],
      ['2025-10-01', '国庆节', []],
    ]);
    const office = await get(key, `/v1/calendars/${cals.find((c: any) => c.code === 'CAL-OFF').id}`);
    expect(office.weekly.find((d: any) => d.weekday === 5).shifts.map((s: any) => s.minutes)).toEqual([480]);
    expect((await listAll(t, key, '/v1/plants')).map((p: any) => [p.code, p.calendarCode])).toEqual([['PLANT-SZ', 'CAL-2S']]);

    const boms = await listAll(t, key, '/v1/boms');
    expect(boms.map((b: any) => [b.materialCode, b.type, b.lineCount])).toEqual([['P-2001', 'manufacturing', 2]]);
    const bom = await get(key, `/v1/boms/${boms[0].id}`);
    expect(bom.lines.map((l: any) => [l.lineNo, l.componentCode, l.quantity, l.alternates.map((a: any) => [a.priority, a.materialCode, a.quantity, a.unit])])).toEqual([
      [10, 'M-1001', '2', [[1, 'M-1003', '3', 'PCS'], [2, 'M-1004', '2', 'PCS']]],
      [20, 'M-1002', '1', []],
    ]);

    const again = await finished(t.url, key, (await upload(t.url, key, file, { fileName: 'kinds.xlsx' })).body.id);
    expect(again).toMatchObject({ status: 'done', totalRows: 18, writtenRows: 0, unchangedRows: 18, errors: [] });
    expect(await listAll(t, key, '/v1/calendars')).toHaveLength(2);
    expect(await listAll(t, key, '/v1/boms')).toHaveLength(1);
    expect((await get(key, `/v1/calendars/${cal.id}`)).version).toBe(cal.version);
  });

  it('S1-7.3-a S1-7.1: every mistake in calendars and BOM alternates is reported in one pass (sheet, row, column, value, code) and nothing is written', async () => {
    const { key } = await createTenant(t, 'imp-kinds-bad');
    const file = await workbook({
      ...MASTER,
      工作日历: [
        CAL_HEAD,
        ['CAL-A', '日历A', '周一', null, null, '白班', '08:00', '16:00', 0],
        ['CAL-A', '日历A', '周一', null, null, '中班', '15:00', '23:00', 0],
        ['CAL-A', '日历A', '周八', null, null, '白班', '08:00', '16:00', 0],
        ['CAL-A', '日历A', '周二', null, null, '白班', '25:00', '16:00', 0],
        ['CAL-A', '日历A', '周三', null, null, '白班', '08:00', '09:00', 90],
        ['CAL-A', '日历A', '周四', '2025-10-01', null, '白班', '08:00', '16:00', 0],
        ['CAL-A', '日历A', '周一', null, null, '白班', '08:00', '16:00', 0],
        ['CAL B', '日历B', null, '2025-10-01', '国庆节', null, null, null, null],
      ],
      物料清单: [
        ['父项编码', 'BOM类型', '子项编码', '单位用量', '工序号', '替代料编码', '替代用量', '替代优先级'],
        ['P-2001', '制造', 'M-1001', 2, 10, null, null, null],
        ['P-2001', '制造', 'M-1001', 2, 10, 'M-NONE', 2, 1],
        ['P-2001', '制造', 'M-1001', 2, 10, 'M-1001', 2, 2],
        ['P-2001', '制造', 'M-1001', 2, 10, 'M-1003', null, 3],
        ['P-2001', '制造', 'M-1001', 2, 10, 'M-1004', 1, 100],
        ['P-2001', '制造', 'M-1001', 2, 10, 'M-NONE', 1, 4],
      ],
    });
    const job = (await upload(t.url, key, file, { fileName: 'mistakes.xlsx' })).body;
    expect(job.status).toBe('invalid');
    const errors = job.errors.map((e: any) => [e.sheet, e.row, e.column, e.value, e.code]);
    expect(errors).toEqual(expect.arrayContaining([
      ['工作日历', 3, '开始时间 Start', '15:00', 'SHIFTS_OVERLAP'],
      ['工作日历', 4, '星期 Weekday', '周八', 'INVALID_VALUE'],
      ['工作日历', 5, '开始时间 Start', '25:00', 'INVALID_TIME'],
      ['工作日历', 6, '休息分钟 Break minutes', '90', 'BREAK_TOO_LONG'],
      ['工作日历', 7, '日期 Date', '2025-10-01', 'INVALID_VALUE'],
      ['工作日历', 8, '日历编码 Calendar code', 'CAL-A', 'DUPLICATE_KEY'],
      ['工作日历', 9, '日历编码 Calendar code', 'CAL B', 'INVALID_FORMAT'],
      ['物料清单', 3, '替代料编码 Alternate code', 'M-NONE', 'UNKNOWN_MATERIAL'],
      ['物料清单', 4, '替代料编码 Alternate code', 'M-1001', 'DUPLICATE_ALTERNATE'],
      ['物料清单', 5, '替代用量 Alternate quantity per', '', 'INVALID_FORMAT'],
      ['物料清单', 6, '替代优先级 Alternate priority', '100', 'OUT_OF_RANGE'],
      ['物料清单', 7, '父项编码 Product code', 'P-2001', 'DUPLICATE_KEY'],
    ]));
    expect(errors).toHaveLength(12);
    for (const path of ['/v1/units', '/v1/materials', '/v1/calendars', '/v1/boms']) expect(await listAll(t, key, path), path).toEqual([]);
  });

  it('S1-7.3-a S1-7.1: equipment points and alarm rules are added to the machines through the equipment service; every mistake is reported in one pass; a re-run changes nothing', async () => {
    const { key } = await createTenant(t, 'imp-kinds-eqp');
    const auth = { authorization: `Bearer ${key}` };
    const post = async (path: string, body: unknown) => {
      const r = await t.call('POST', path, body, auth);
      expect(r.status, JSON.stringify(r.body)).toBe(201);
    };
    await post('/v1/calendars', { code: 'CAL', name: '日历', shifts: [{ weekday: 1, start: '08:00', end: '17:00' }] });
    await post('/v1/plants', { code: 'PLANT', name: '工厂', calendarCode: 'CAL' });
    await post('/v1/workshops', { code: 'WS', name: '车间', plantCode: 'PLANT' });
    // CNC-01 already has one point (from its gateway's configuration): the file's are added to it.
    await post('/v1/equipment', { code: 'CNC-01', name: '数控车床', workshopId: (await listAll(t, key, '/v1/workshops'))[0].id, points: [{ point: 'count', type: 'number' }], countPoint: 'count' });
    const points: Cell[][] = [
      ['设备编码', '点位编码', '数据类型', '单位', '下限', '上限', '可写'],
      ['CNC-01', 'spindle.temp', '数值', '℃', 10, 80, 'N'],
      ['CNC-01', 'door.open', '开关量', null, null, null, null],
      ['CNC-01', 'speed.set', 'number', 'rpm', null, null, '是'],
    ];
    const rules: Cell[][] = [
      ['设备编码', '报警编码', '点位编码', '规则类型', '上限', '下限', '回差', '故障值', '窗口秒数', '每分钟最大变化', '报警等级'],
      ['CNC-01', 'SPINDLE_HOT', 'spindle.temp', '阈值', 85, null, 2, null, null, null, '重要'],
      ['CNC-01', 'DOOR_OPEN', 'door.open', '故障', null, null, null, '是', null, null, '提示'],
      ['CNC-01', 'TEMP_RISE', 'spindle.temp', '趋势', null, null, null, null, 60, 5, 'minor'],
    ];
    const bad = (await upload(t.url, key, await workbook({
      设备点位: [...points, ['CNC-01', 'count', '数值', null, null, null, null], ['CNC-01', 'flag', '文本', null, 1, null, null], ['CNC-99', 'x', '数值', null, null, null, null], ['CNC-01', 'hot', '数值', null, 50, 40, null]],
      报警规则: [...rules, ['CNC-01', 'BAD_POINT', 'nope', '阈值', 1, null, null, null, null, null, '重要'], ['CNC-01', 'NO_LIMIT', 'spindle.temp', '阈值', null, null, null, null, null, null, '重要'],
        ['CNC-01', 'lower', 'spindle.temp', '阈值', 1, null, null, null, null, null, '重要'], ['CNC-01', 'DOOR_2', 'door.open', '故障', null, null, null, '半开', null, null, '很严重']],
    }), { fileName: 'bad.xlsx' })).body;
    expect(bad.status).toBe('invalid');
    // Row 5 (count) is a point CNC-01 has: left as it is. The good points are there for the rules.
    const errors = bad.errors.map((e: any) => [e.sheet, e.row, e.column, e.value, e.code]);
    expect(errors).toHaveLength(7);
    expect(errors).toEqual(expect.arrayContaining([
      ['设备点位', 6, '下限 Min', '1', 'NOT_NUMERIC'],
      ['设备点位', 7, '设备编码 Equipment code', 'CNC-99', 'UNKNOWN_EQUIPMENT'],
      ['设备点位', 8, '上限 Max', '40', 'BELOW_MIN'],
      ['报警规则', 5, '点位编码 Point', 'nope', 'UNKNOWN_POINT'],
      ['报警规则', 6, '上限 High', '', 'REQUIRED'],
      ['报警规则', 7, '报警编码 Alarm code', 'lower', 'INVALID_FORMAT'],
      ['报警规则', 8, '报警等级 Grade', '很严重', 'INVALID_VALUE'],
    ]));
    const untouched = await get(key, `/v1/equipment/${(await listAll(t, key, '/v1/equipment'))[0].id}`);
    expect([untouched.version, untouched.points.length, untouched.alarmRules.length]).toEqual([1, 1, 0]);

    const file = await workbook({ 设备点位: points, 报警规则: rules });
    const job = await finished(t.url, key, (await upload(t.url, key, file, { fileName: 'points.xlsx' })).body.id);
    expect(job).toMatchObject({ status: 'done', totalRows: 6, writtenRows: 6, unchangedRows: 0, errors: [] });
    const cnc = await get(key, `/v1/equipment/${untouched.id}`);
    expect(cnc.points.map((p: any) => [p.point, p.type, p.unit, p.min, p.max, p.writable]).sort()).toEqual([
      ['count', 'number', null, null, null, false], ['door.open', 'boolean', null, null, null, false], ['speed.set', 'number', 'rpm', null, null, true],
      ['spindle.temp', 'number', '℃', 10, 80, false],
    ]);
    expect(cnc.alarmRules.map((r: any) => [r.code, r.point, r.kind, r.high, r.hysteresis, r.value, r.windowSeconds, r.maxPerMinute, r.grade]).sort()).toEqual([
      ['DOOR_OPEN', 'door.open', 'fault', null, 0, true, null, null, 'warning'],
      ['SPINDLE_HOT', 'spindle.temp', 'threshold', 85, 2, null, null, null, 'major'],
      ['TEMP_RISE', 'spindle.temp', 'trend', null, 0, null, 60, 5, 'minor'],
    ]);
    expect(cnc.countPoint).toBe('count');

    const again = await finished(t.url, key, (await upload(t.url, key, file, { fileName: 'points.xlsx' })).body.id);
    expect(again).toMatchObject({ status: 'done', totalRows: 6, writtenRows: 0, unchangedRows: 6, errors: [] });
    expect((await get(key, `/v1/equipment/${untouched.id}`)).version).toBe(cnc.version);
  });

  it('S1-7.3-a S1-7.1: inspection plans name their standard by code (one of the same file too) and are created through the quality service; every mistake is reported in one pass; a re-run changes nothing', async () => {
    const { key } = await createTenant(t, 'imp-kinds-plans');
    const standards: Cell[][] = [
      ['检验标准编码', '检验标准名称', '物料编码', '检验项目编码', '检验项目', '项目类型', '标准值', '下限', '上限', '单位', '小数位数'],
      ['QS-M1001', '轴承来料检验', 'M-1001', 'OD', '外径', '定量', 47, 46.98, 47.02, 'mm', 2],
      ['QS-M1001', '轴承来料检验', 'M-1001', 'LOOK', '外观', '定性', null, null, null, null, null],
    ];
    const head = ['检验方案编码', '检验方案名称', '检验类型', '检验标准编码', '检验项目编码', '抽样方式', '样本量', '允收数', '接收质量限', '检验水平', '巡检间隔小时', '工序号'];
    const plans: Cell[][] = [
      head,
      ['QP-IQC', '轴承来料抽检', '来料检验', 'QS-M1001', 'OD、LOOK', 'AQL抽样', null, null, 0.65, 'ii', null, null],
      ['QP-FIX', '轴承固定抽样', 'IQC', 'QS-M1001', null, '固定抽样', 13, 1, null, null, null, null],
      ['QP-PAT', '外径巡检', '巡检', 'QS-M1001', 'OD', '全检', null, null, null, null, 2, 10],
    ];
    const file = (rows: Cell[][]) => workbook({ ...MASTER, 检验标准: standards, 检验方案: rows });
    const bad = (await upload(t.url, key, await file([
      ...plans,
      ['QP-X1', '无标准', '来料检验', 'QS-NONE', null, '全检', null, null, null, null, null, null],
      ['QP-X2', '无项目', '来料检验', 'QS-M1001', 'OD,BORE', '全检', null, null, null, null, null, null],
      ['QP-X3', '缺样本量', '成品检验', 'QS-M1001', null, '固定抽样', null, null, null, null, null, null],
      ['QP-X4', '来料工序', '来料检验', 'QS-M1001', null, '全检', null, null, null, null, null, 10],
      ['QP-X5', '错AQL', '来料检验', 'QS-M1001', null, 'AQL抽样', null, null, 0.7, null, null, null],
      ['QP-IQC', '重复', '来料检验', 'QS-M1001', null, '全检', null, null, null, null, null, null],
    ]), { fileName: 'plans-bad.xlsx' })).body;
    expect(bad.status).toBe('invalid');
    const errors = bad.errors.map((e: any) => [e.sheet, e.row, e.column, e.value, e.code]);
    expect(errors).toEqual(expect.arrayContaining([
      ['检验方案', 5, '检验标准编码 Standard code', 'QS-NONE', 'UNKNOWN_STANDARD'],
      ['检验方案', 6, '检验项目编码 Item codes', 'OD,BORE', 'UNKNOWN_ITEM'],
      ['检验方案', 7, '样本量 Sample size', '', 'REQUIRED'],
      ['检验方案', 8, '工序号 Operation', '10', 'NOT_AN_OPERATION_PLAN'],
      ['检验方案', 9, '接收质量限 AQL', '0.7', 'INVALID_VALUE'],
      ['检验方案', 10, '检验方案编码 Plan code', 'QP-IQC', 'DUPLICATE_KEY'],
    ]));
    expect(errors).toHaveLength(6);
    expect(await listAll(t, key, '/v1/quality-plans')).toEqual([]);
    expect(await listAll(t, key, '/v1/quality-standards')).toEqual([]);

    const good = await file(plans);
    const job = await finished(t.url, key, (await upload(t.url, key, good, { fileName: 'plans.xlsx' })).body.id);
    expect(job).toMatchObject({ status: 'done', totalRows: 11, writtenRows: 11, unchangedRows: 0, errors: [] });
    const saved = await listAll(t, key, '/v1/quality-plans');
    expect(saved.map((p: any) => [p.code, p.inspectionType, p.standardCode, p.itemCodes, p.sampling, p.sampleSize, p.acceptNumber, p.aql, p.inspectionLevel, p.everyHours, p.operationSeq])).toEqual([
      ['QP-FIX', 'incoming', 'QS-M1001', [], 'fixed', 13, 1, null, null, null, null],
      ['QP-IQC', 'incoming', 'QS-M1001', ['OD', 'LOOK'], 'aql', null, null, '0.65', 'II', null, null],
      ['QP-PAT', 'patrol', 'QS-M1001', ['OD'], 'full', null, null, null, null, '2', 10],
    ]);
    const again = await finished(t.url, key, (await upload(t.url, key, good, { fileName: 'plans.xlsx' })).body.id);
    expect(again).toMatchObject({ status: 'done', totalRows: 11, writtenRows: 0, unchangedRows: 11, errors: [] });
    expect(await listAll(t, key, '/v1/quality-plans')).toHaveLength(3);
  });

  it('S1-7.3-a S1-7.1: templates of the new kinds carry both headers and drop-down lists; the calendar template as written imports', async () => {
    const { key } = await createTenant(t, 'imp-kinds-templates');
    const template = async (kind: string) => {
      const res = await fetch(`${t.url}/v1/imports/template?kind=${kind}&format=xlsx`, { headers: { authorization: `Bearer ${key}` } });
      expect(res.status, kind).toBe(200);
      const buf = Buffer.from(await res.arrayBuffer());
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(buf);
      return { buf, ws: wb.worksheets[0] };
    };
    const cal = await template('calendars');
    expect([cal.ws.name, cal.ws.getCell('A1').value, cal.ws.getCell('G1').value]).toEqual(['工作日历', '日历编码 Calendar code *', '开始时间 Start']);
    expect(cal.ws.getCell('C2').dataValidation).toMatchObject({ type: 'list', formulae: ['"1,2,3,4,5,6,7"'] });
    expect((await template('equipment-points')).ws.getCell('C2').dataValidation).toMatchObject({ formulae: ['"number,boolean,string"'] });
    expect((await template('alarm-rules')).ws.getCell('K2').dataValidation).toMatchObject({ formulae: ['"critical,major,minor,warning"'] });
    const plans = (await template('inspection-plans')).ws;
    expect([plans.name, plans.getCell('F2').dataValidation.formulae]).toEqual(['检验方案', ['"full,fixed,aql"']]);
    const boms = (await template('boms')).ws;
    expect(boms.getRow(1).values).toEqual(expect.arrayContaining(['替代料编码 Alternate code', '替代用量 Alternate quantity per', '替代优先级 Alternate priority']));

    const job = await finished(t.url, key, (await upload(t.url, key, cal.buf, { fileName: 'calendars.xlsx' })).body.id);
    expect(job).toMatchObject({ status: 'done', writtenRows: 1, sheets: [{ sheet: '工作日历', kind: 'calendars', rows: 1 }] });
    const [saved] = await listAll(t, key, '/v1/calendars');
    const c = await get(key, `/v1/calendars/${saved.id}`);
    expect([c.code, c.name, c.weekly[0].shifts.map((s: any) => [s.name, s.start, s.end, s.minutes])]).toEqual(['CAL-STD', '标准日历', [['白班', '08:00', '17:00', 480]]]);
  });
});
