/**
 * The reconcile step's control totals for engineering and plant master data (S1-7.3-a): routings,
 * BOMs, the plant model per level and equipment, counted through the API on a real server after a
 * real import, and a planted difference reported for each kind.
 */
import ExcelJS from 'exceljs';
import { MesClient } from '@mes/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTenant, startTestServer, type TestServer } from '../../server/test/harness.js';
import { finished, upload } from '../../server/test/imports-util.js';
import { reconcile } from '../src/cutover/reconcile.js';
import { budget } from '../../vitest.shared.js';

let t: TestServer;
let client: MesClient;

type Cell = string | number | null;
const SHEETS: Record<string, Cell[][]> = {
  计量单位: [['单位编码', '单位名称', '小数位数'], ['PCS', '个', 0]],
  物料: [['物料编码', '物料名称', '基本单位', '物料类别'], ['P-2001', '电机总成', 'PCS', 'finished'], ['M-1001', '轴承', 'PCS', 'parts'], ['S-3001', '转子组件', 'PCS', 'semi']],
  工厂模型: [
    ['层级', '编码', '名称', '上级编码', '日历编码', '产能单位', '并行数'],
    ['工厂', 'PLANT-SZ', '苏州工厂', null, 'CAL-STD', null, null],
    ['车间', 'WS-ASM', '装配车间', 'PLANT-SZ', null, null, null],
    ['车间', 'WS-MCH', '机加车间', 'PLANT-SZ', null, null, null],
    ['产线', 'LINE-A', '装配线 A', 'WS-ASM', null, null, null],
    ['工作中心', 'WC-ASM', '装配中心', 'LINE-A', null, '人工工时', 4],
    ['工作中心', 'WC-CNC', '数控中心', 'WS-MCH', null, '机器工时', 2],
    ['工位', 'ST-01', '装配工位 1', 'WC-ASM', null, null, null],
  ],
  设备: [['设备编码', '设备名称', '车间编码', '工作中心编码'], ['CNC-01', '数控车床 1 号', 'WS-MCH', 'WC-CNC'], ['ASM-01', '装配台', 'WS-ASM', 'WC-ASM']],
  工艺路线: [
    ['工艺路线编码', '工艺路线名称', '工序号', '工序名称', '工作中心编码', '准备时间', '加工时间', '状态'],
    ['RT-2001', '电机装配', 10, '车削', 'WC-CNC', 30, 2.5, '草稿'],
    ['RT-2001', null, 20, '装配', 'WC-ASM', 0, 5, '草稿'],
    ['RT-3001', '转子加工', 10, '车削', 'WC-CNC', 15, 1.2, '草稿'],
  ],
  物料清单: [
    ['父项编码', 'BOM类型', '子项编码', '单位用量', '状态'],
    ['P-2001', '制造', 'S-3001', 1, null],
    ['S-3001', '制造', 'M-1001', 2, null],
    ['P-2001', '工程', 'S-3001', 1, null],
  ],
};

const MATCHING = { routings: 2, boms: 3, plants: 1, workshops: 2, productionLines: 1, workCentres: 2, stations: 1, equipment: 2 };

beforeAll(async () => {
  t = await startTestServer();
  const { key } = await createTenant(t, 'reconcile-eng');
  const cal = await t.call('POST', '/v1/calendars', { code: 'CAL-STD', name: '标准日历', shifts: [1, 2, 3, 4, 5].map((weekday) => ({ weekday, start: '08:00', end: '17:00', breakMinutes: 60 })) }, { authorization: `Bearer ${key}` });
  expect(cal.status).toBe(201);
  const wb = new ExcelJS.Workbook();
  for (const [name, rows] of Object.entries(SHEETS)) wb.addWorksheet(name).addRows(rows);
  const up = await upload(t.url, key, Buffer.from(await wb.xlsx.writeBuffer()), { fileName: 'engineering.xlsx' });
  expect(up.status, JSON.stringify(up.body.errors)).toBe(201);
  expect((await finished(t.url, key, up.body.id)).status).toBe('done');
  client = new MesClient({ baseUrl: t.url, apiKey: key });
}, budget(120_000));
afterAll(async () => {
  await t?.stop();
});

describe('cutover reconcile: engineering and plant master data', () => {
  it('S1-7.3-a: routings (per code), BOMs (per product and type), the plant model per level and equipment match their control totals', async () => {
    expect(await reconcile(client, { counts: MATCHING })).toEqual([]);
  });

  it('S1-7.3-a: a planted difference in each of those control totals is reported, expected against imported', async () => {
    const planted = { routings: 3, boms: 2, plants: 1, workshops: 3, productionLines: 1, workCentres: 2, stations: 2, equipment: 1 };
    expect(await reconcile(client, { counts: planted })).toEqual([
      { check: 'count', key: 'routings', expected: '3', actual: '2' },
      { check: 'count', key: 'boms', expected: '2', actual: '3' },
      { check: 'count', key: 'workshops', expected: '3', actual: '2' },
      { check: 'count', key: 'stations', expected: '2', actual: '1' },
      { check: 'count', key: 'equipment', expected: '1', actual: '2' },
    ]);
  });
});
