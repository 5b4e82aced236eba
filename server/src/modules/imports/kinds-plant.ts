import { Type, type TSchema } from '@sinclair/typebox';
import { CreateEquipmentBody, type CreateEquipmentInput } from '../equipment/schema.js';
import { createEquipment, existingEquipment } from '../equipment/master.js';
import * as plant from '../plant/service.js';
import type { Sql } from '../../platform/db.js';
import {
  Code, CreatePlantBody, CreateProductionLineBody, CreateStationBody, CreateWorkCentreBody, CreateWorkshopBody, type CreatePlantInput, type CreateProductionLineInput,
  type CreateStationInput, type CreateWorkCentreInput, type CreateWorkshopInput,
} from '../plant/schema.js';
import { defined } from './kinds-masterdata.js';
import { distinct, eachRow, refError, refuse, str } from './rows.js';
import type { KindSpec, Row } from './spec.js';

/** The levels of the plant model, in the order they are written: a level's parent is the one before (a work centre's: a line or a workshop). */
const LEVELS = ['plant', 'workshop', 'line', 'work_centre', 'station'] as const;
type Level = (typeof LEVELS)[number];
const levelOf = (v: Record<string, unknown>) => str(v.level) as Level;

const BODY: Record<Level, TSchema> = { plant: CreatePlantBody, workshop: CreateWorkshopBody, line: CreateProductionLineBody, work_centre: CreateWorkCentreBody, station: CreateStationBody };

/** The field of its level's request a row's parent code fills (a plant has none: a parent code there is refused). */
const PARENT_FIELD: Record<Level, string> = { plant: 'parentCode', workshop: 'plantCode', line: 'workshopCode', work_centre: 'workshopCode', station: 'workCentreCode' };

/**
 * A row as its level's create request; a column its level does not take is refused by the level's
 * schema. A work centre's parent is taken as its workshop here and sorted out against the lines
 * when written; a work centre without a capacity unit counts machine hours.
 */
function levelInput(v: Record<string, unknown>): Record<string, unknown> {
  const level = levelOf(v);
  if (!LEVELS.includes(level)) return defined({ code: v.code, name: v.name });
  return defined({
    code: v.code, name: v.name, [PARENT_FIELD[level]]: v.parentCode, calendarCode: v.calendarCode, address: v.address, timeZone: v.timeZone,
    capacityUnit: v.capacityUnit ?? (level === 'work_centre' ? 'machine_hours' : undefined), parallelCount: v.parallelCount, efficiency: v.efficiency,
  });
}

const PARENT = { plantCode: 'parentCode', workshopCode: 'parentCode', lineCode: 'parentCode', workCentreCode: 'parentCode', plantId: 'parentCode', workshopId: 'parentCode', lineId: 'parentCode', workCentreId: 'parentCode' };
const FIND: Record<Level, (tx: Sql, tenantId: string, codes: string[]) => Promise<{ code: string }[]>> = {
  plant: (tx, t, codes) => plant.findPlants(tx, t, [], codes),
  workshop: (tx, t, codes) => plant.findWorkshops(tx, t, [], codes),
  line: (tx, t, codes) => plant.findLines(tx, t, [], codes),
  work_centre: (tx, t, codes) => plant.findWorkCentres(tx, t, [], codes),
  station: (tx, t, codes) => plant.findStations(tx, t, [], codes),
};

/**
 * The plant model (sites, workshops, lines, work centres, stations) in one sheet: a row per
 * node with its level and its parent's code. Written a level at a time through the plant service
 * whatever the order of the rows, so a parent is always there before its children.
 */
export const plantModel: KindSpec = {
  kind: 'plant-model', en: 'Plant model', zh: '工厂模型', permission: 'masterdata:write',
  columns: [
    {
      field: 'level', en: 'Level', zh: '层级', aliases: ['级别', '节点类型'], type: 'enum', required: true, example: 'workshop',
      values: { plant: ['工厂', '厂区', 'site'], workshop: ['车间'], line: ['产线', '生产线', '线体', 'production line'], work_centre: ['工作中心', 'work centre', 'work center', 'workcentre'], station: ['工位', '工作站'] },
    },
    { field: 'code', en: 'Code', zh: '编码', aliases: ['代码'], type: 'text', required: true, example: 'WS-ASM' },
    { field: 'name', en: 'Name', zh: '名称', type: 'text', required: true, example: '装配车间' },
    { field: 'parentCode', en: 'Parent code', zh: '上级编码', aliases: ['上级', '所属'], type: 'text', example: 'PLANT-SZ' },
    { field: 'calendarCode', en: 'Calendar code', zh: '日历编码', aliases: ['工作日历', '日历'], type: 'text', example: '' },
    { field: 'timeZone', en: 'Time zone', zh: '时区', type: 'text', example: '' },
    { field: 'address', en: 'Address', zh: '地址', type: 'text', example: '' },
    { field: 'capacityUnit', en: 'Capacity unit', zh: '产能单位', type: 'enum', example: '', values: { machine_hours: ['机器工时', '设备工时', '机时'], labour_hours: ['人工工时', '人时', '工时'] } },
    { field: 'parallelCount', en: 'Parallel count', zh: '并行数', aliases: ['设备台数', '人数'], type: 'integer', example: '' },
    { field: 'efficiency', en: 'Efficiency %', zh: '效率', aliases: ['效率%'], type: 'decimal', example: '' },
  ],
  body: CreateWorkshopBody,
  bodyOf: (v) => BODY[levelOf(v)] ?? CreateStationBody,
  fieldOfPath: { ...PARENT, calendarId: 'calendarCode' },
  input: levelInput,
  key: (v) => `${levelOf(v)}|${str(v.code)}`,
  step: (v) => Math.max(0, LEVELS.indexOf(levelOf(v))),
  async present(tx, tenantId, rows) {
    const keys = new Set<string>();
    for (const level of LEVELS) {
      const codes = distinct(rows.filter((r) => levelOf(r.values) === level), 'code');
      if (codes.length) for (const n of await FIND[level](tx, tenantId, codes)) keys.add(`${level}|${n.code}`);
    }
    return keys;
  },
  async write(tx, ctx, rows) {
    // A work centre's parent is a line when a line has that code, else a workshop.
    const lines = new Set((await plant.findLines(tx, ctx.tenantId, [], distinct(rows.filter((r) => levelOf(r.values) === 'work_centre'), 'parentCode'))).map((l) => l.code));
    await eachRow(tx, ctx, plantModel, rows, async (r) => {
      const input = levelInput(r.values);
      const t = ctx.tenantId;
      switch (levelOf(r.values)) {
        case 'plant': return void (await plant.createPlant(tx, t, input as CreatePlantInput));
        case 'workshop': return void (await plant.createWorkshop(tx, t, input as CreateWorkshopInput));
        case 'line': return void (await plant.createLine(tx, t, input as CreateProductionLineInput));
        case 'work_centre': {
          const { workshopCode, ...rest } = input;
          const parent = lines.has(str(workshopCode)) ? { lineCode: workshopCode } : { workshopCode };
          return void (await plant.createWorkCentre(tx, t, { ...rest, ...parent } as CreateWorkCentreInput));
        }
        default: return void (await plant.createStation(tx, t, input as CreateStationInput));
      }
    });
  },
};

const CodeRef = (description: string) => Type.Optional(Code(description));
const EquipmentRow = Type.Object(
  {
    ...Type.Omit(CreateEquipmentBody, ['workshopId', 'lineId', 'workCentreId', 'stationId', 'gatewayId', 'points', 'alarmRules', 'countPoint', 'energyPoint', 'statePoint']).properties,
    workshopCode: Code('Workshop code'), lineCode: CodeRef('Line code'), workCentreCode: CodeRef('Work centre code'), stationCode: CodeRef('Station code'),
  },
  { additionalProperties: false },
);

const equipmentInput = (v: Record<string, unknown>) => defined({
  code: v.code, name: v.name, workshopCode: v.workshopCode, lineCode: v.lineCode, workCentreCode: v.workCentreCode, stationCode: v.stationCode,
  manufacturer: v.manufacturer, model: v.model, serialNo: v.serialNo, buildDate: v.buildDate, availableMinutesPerDay: v.availableMinutesPerDay,
  targetOutputPerHour: v.targetOutputPerHour === undefined ? undefined : Number(v.targetOutputPerHour),
});

/**
 * Equipment (S1-5.4.6-a): a row per machine with its identity and its place in the plant model
 * by code (workshop, and line, work centre, station where it has them), created through the
 * equipment service, which checks the place is one path down the model. Points and alarm rules
 * are not in the file: they come from the gateway's configuration.
 */
export const equipment: KindSpec = {
  kind: 'equipment', en: 'Equipment', zh: '设备', permission: 'equipment:write',
  columns: [
    { field: 'code', en: 'Equipment code', zh: '设备编码', aliases: ['设备编号', '设备代码'], type: 'text', required: true, example: 'CNC-01' },
    { field: 'name', en: 'Equipment name', zh: '设备名称', aliases: ['名称'], type: 'text', required: true, example: '数控车床 1 号' },
    { field: 'workshopCode', en: 'Workshop code', zh: '车间编码', aliases: ['车间', '所属车间'], type: 'text', required: true, example: 'WS-MCH' },
    { field: 'lineCode', en: 'Line code', zh: '产线编码', aliases: ['产线', '生产线'], type: 'text', example: '' },
    { field: 'workCentreCode', en: 'Work centre code', zh: '工作中心编码', aliases: ['工作中心'], type: 'text', example: 'WC-CNC' },
    { field: 'stationCode', en: 'Station code', zh: '工位编码', aliases: ['工位'], type: 'text', example: '' },
    { field: 'manufacturer', en: 'Manufacturer', zh: '制造商', aliases: ['生产厂家', '厂家'], type: 'text', example: '沈阳机床' },
    { field: 'model', en: 'Model', zh: '型号', aliases: ['设备型号', '规格型号'], type: 'text', example: 'CAK6150' },
    { field: 'serialNo', en: 'Serial number', zh: '出厂编号', aliases: ['序列号', '出厂序号'], type: 'text', example: 'SY2019-0042' },
    { field: 'buildDate', en: 'Build date', zh: '出厂日期', aliases: ['制造日期'], type: 'date', example: '2019-06-30' },
    { field: 'availableMinutesPerDay', en: 'Available minutes per day', zh: '日计划时间', aliases: ['计划开机时间', '日开机分钟'], type: 'integer', example: '960' },
    { field: 'targetOutputPerHour', en: 'Target output per hour', zh: '理论产能', aliases: ['小时产能', '每小时产量'], type: 'decimal', example: '60' },
  ],
  body: EquipmentRow,
  fieldOfPath: { workshopId: 'workshopCode', lineId: 'lineCode', workCentreId: 'workCentreCode', stationId: 'stationCode' },
  input: equipmentInput,
  key: (v) => str(v.code),
  async present(tx, tenantId, rows) {
    return existingEquipment(tx, tenantId, distinct(rows, 'code'));
  },
  async write(tx, ctx, rows) {
    const t = ctx.tenantId;
    const byCode = async <T extends { id: string; code: string }>(found: Promise<T[]>) => new Map((await found).map((n) => [n.code, n.id]));
    const workshops = await byCode(plant.findWorkshops(tx, t, [], distinct(rows, 'workshopCode')));
    const lines = await byCode(plant.findLines(tx, t, [], distinct(rows, 'lineCode')));
    const centres = await byCode(plant.findWorkCentres(tx, t, [], distinct(rows, 'workCentreCode')));
    const stations = await byCode(plant.findStations(tx, t, [], distinct(rows, 'stationCode')));
    const refs = [
      ['workshopCode', workshops, 'UNKNOWN_WORKSHOP', 'workshop'], ['lineCode', lines, 'UNKNOWN_LINE', 'production line'],
      ['workCentreCode', centres, 'UNKNOWN_WORK_CENTRE', 'work centre'], ['stationCode', stations, 'UNKNOWN_STATION', 'station'],
    ] as const;
    await eachRow(tx, ctx, equipment, rows, async (r: Row) => {
      const code = (field: string) => str(r.values[field]);
      const errors = refs.filter(([f, found]) => code(f) && !found.has(code(f))).map(([f, , c, what]) => refError(equipment, r, f, c, `no ${what} ${code(f)}`));
      if (errors.length) return refuse(ctx, errors);
      const { workshopCode: _w, lineCode: _l, workCentreCode: _c, stationCode: _s, ...rest } = equipmentInput(r.values);
      const id = (f: string, found: Map<string, string>) => (code(f) ? found.get(code(f)) : undefined);
      await createEquipment(tx, t, defined({
        ...rest, workshopId: id('workshopCode', workshops), lineId: id('lineCode', lines), workCentreId: id('workCentreCode', centres), stationId: id('stationCode', stations),
      }) as CreateEquipmentInput);
    });
  },
};
