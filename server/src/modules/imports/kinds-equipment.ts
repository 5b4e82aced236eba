import type { Sql } from '../../platform/db.js';
import { equipmentByCodes, pointInput, ruleInput, updateEquipment } from '../equipment/master.js';
import { AlarmRuleInput, PointInput, type Equipment, type UpdateEquipmentInput } from '../equipment/schema.js';
import { parseBoolean, parseDecimal } from './cells.js';
import { eachDocument, locating, type Locate } from './documents.js';
import { defined } from './kinds-masterdata.js';
import { RowsRefused, distinct, refError, str } from './rows.js';
import type { Column, KindSpec, Row, WriteContext } from './spec.js';

const num = (v: unknown) => (v === undefined ? undefined : Number(v));
const EQUIPMENT: Column = { field: 'equipmentCode', en: 'Equipment code', zh: '设备编码', aliases: ['设备编号', '设备代码'], type: 'text', required: true, example: 'CNC-01' };
const machineOf = (v: Record<string, unknown>) => str(v.equipmentCode);

type List = 'points' | 'alarmRules';

/** The keys (machine and point or rule code) the tenant's machines already have. */
async function presentIn(tx: Sql, tenantId: string, rows: Row[], list: List): Promise<Set<string>> {
  const machines = await equipmentByCodes(tx, tenantId, distinct(rows, 'equipmentCode'));
  const keys = new Set<string>();
  for (const [code, m] of machines) for (const x of m[list]) keys.add(`${code}|${list === 'points' ? (x as { point: string }).point : (x as { code: string }).code}`);
  return keys;
}

/**
 * Adds a file's points (or rules) to each machine's own through the equipment service, which takes
 * the list whole: the machine's present ones first, the file's after them, so a service error at
 * `points[n]` is the file row n − present. Every machine is found by code in one query per chunk.
 */
async function addToMachines(tx: Sql, ctx: WriteContext, spec: KindSpec, rows: Row[], list: List, toInput: (r: Row, m: Equipment) => Record<string, unknown>): Promise<void> {
  const machines = await equipmentByCodes(tx, ctx.tenantId, distinct(rows, 'equipmentCode'));
  await eachDocument(tx, ctx, spec, rows, { lines: list }, async (lines) => {
    const machine = machines.get(machineOf(lines[0].values));
    if (!machine) throw new RowsRefused(lines.map((l) => refError(spec, l, 'equipmentCode', 'UNKNOWN_EQUIPMENT', `no equipment ${machineOf(l.values)}`)));
    const present = list === 'points' ? machine.points.map(pointInput) : machine.alarmRules.map(ruleInput);
    const add = async (added: Row[]) => {
      const locate: Locate = (field) => {
        const m = new RegExp(`^${list}\\[(\\d+)\\]\\.?(\\w*)$`).exec(field);
        const row = m ? added[Number(m[1]) - present.length] : undefined;
        return row ? { row, field: m![2] } : undefined;
      };
      const whole = [...present, ...added.map((l) => toInput(l, machine))];
      await locating(spec, added[0], locate, () => updateEquipment(tx, ctx.tenantId, machine.id, { version: machine.version, [list]: whole } as UpdateEquipmentInput));
    };
    if (ctx.trial) await trialWithoutRefused(tx, ctx, lines, add);
    else await add(lines);
  });
}

/**
 * A trial of a machine's rows: the rows refused are reported and the others tried again, so the
 * alarm rules of the same file see the good points as they will for real (the service refuses a
 * machine's list whole).
 */
async function trialWithoutRefused(tx: Sql, ctx: WriteContext, lines: Row[], add: (rows: Row[]) => Promise<void>): Promise<void> {
  const at = (r: { sheet: string; row: number }) => `${r.sheet}|${r.row}`;
  for (let rest = lines; rest.length > 0;) {
    await tx.query('SAVEPOINT import_machine');
    try {
      await add(rest);
      await tx.query('RELEASE SAVEPOINT import_machine');
      return;
    } catch (err) {
      await tx.query('ROLLBACK TO SAVEPOINT import_machine');
      if (!(err instanceof RowsRefused)) throw err;
      ctx.errors.push(...err.errors);
      const refused = new Set(err.errors.map(at));
      const next = rest.filter((r) => !refused.has(at(r)));
      if (next.length === rest.length) return;
      rest = next;
    }
  }
}

const pointRow = (v: Record<string, unknown>) => defined({ point: v.point, type: v.type, unit: v.unit, min: num(v.min), max: num(v.max), writable: v.writable });

/**
 * Equipment points (S1-5.4.6-a, the data points a machine's gateway sends): a row per point with
 * its machine's code, data type, unit, running standard (min, max) and whether it takes commands.
 * Added to the machine's points through the equipment service; a point the machine has is left as it is.
 */
export const equipmentPoints: KindSpec = {
  kind: 'equipment-points', en: 'Equipment points', zh: '设备点位', permission: 'equipment:write',
  columns: [
    EQUIPMENT,
    { field: 'point', en: 'Point', zh: '点位编码', aliases: ['点位', '采集点', '数据点'], type: 'text', required: true, example: 'spindle.temp' },
    { field: 'type', en: 'Data type', zh: '数据类型', aliases: ['类型'], type: 'enum', required: true, example: 'number', values: { number: ['数值', '数字', '模拟量'], boolean: ['布尔', '开关量', '开关'], string: ['文本', '字符串', '字符'] } },
    { field: 'unit', en: 'Unit', zh: '单位', aliases: ['工程单位'], type: 'text', example: '℃' },
    { field: 'min', en: 'Min', zh: '下限', aliases: ['最小值', '正常下限'], type: 'decimal', example: '10' },
    { field: 'max', en: 'Max', zh: '上限', aliases: ['最大值', '正常上限'], type: 'decimal', example: '80' },
    { field: 'writable', en: 'Writable', zh: '可写', aliases: ['可下发', '可控'], type: 'boolean', example: 'N' },
  ],
  body: PointInput,
  input: pointRow,
  key: (v) => `${machineOf(v)}|${str(v.point)}`,
  group: machineOf,
  present: (tx, tenantId, rows) => presentIn(tx, tenantId, rows, 'points'),
  write: (tx, ctx, rows) => addToMachines(tx, ctx, equipmentPoints, rows, 'points', (r) => pointRow(r.values)),
};

/** A fault value as its point's type: a number point's 1 is 1, a boolean point's 是 is true. */
function faultValue(v: unknown, type: string | undefined): unknown {
  if (v === undefined) return undefined;
  const s = str(v);
  if (type === 'number') return parseDecimal(s) === undefined ? s : Number(parseDecimal(s));
  if (type === 'boolean') return parseBoolean(s) ?? s;
  return s;
}

const ruleRow = (v: Record<string, unknown>) => defined({
  code: v.code, point: v.point, kind: v.kind, high: num(v.high), low: num(v.low), hysteresis: num(v.hysteresis), value: v.value === undefined ? undefined : str(v.value),
  windowSeconds: v.windowSeconds, maxPerMinute: num(v.maxPerMinute), grade: v.grade,
});

/**
 * Alarm rules (S1-5.4.6-d): a row per rule with its machine's code and point: a threshold (above
 * 上限, below 下限, with 回差), a trend (change per minute over a window) or a fault (the point
 * has 故障值), and its grade. Added to the machine's rules through the equipment service, which
 * checks the point is the machine's and of the right type; a rule code the machine has is left as it is.
 */
export const alarmRules: KindSpec = {
  kind: 'alarm-rules', en: 'Alarm rules', zh: '报警规则', permission: 'equipment:write',
  columns: [
    EQUIPMENT,
    { field: 'code', en: 'Alarm code', zh: '报警编码', aliases: ['报警代码', '规则编码'], type: 'text', required: true, example: 'SPINDLE_HOT' },
    { field: 'point', en: 'Point', zh: '点位编码', aliases: ['点位', '采集点'], type: 'text', required: true, example: 'spindle.temp' },
    { field: 'kind', en: 'Rule kind', zh: '规则类型', aliases: ['报警类型'], type: 'enum', required: true, example: 'threshold', values: { threshold: ['阈值', '超限'], trend: ['趋势', '变化率'], fault: ['故障', '状态'] } },
    { field: 'high', en: 'High', zh: '上限', aliases: ['高限', '报警上限'], type: 'decimal', example: '80' },
    { field: 'low', en: 'Low', zh: '下限', aliases: ['低限', '报警下限'], type: 'decimal', example: '' },
    { field: 'hysteresis', en: 'Hysteresis', zh: '回差', aliases: ['死区'], type: 'decimal', example: '2' },
    { field: 'value', en: 'Fault value', zh: '故障值', aliases: ['报警值'], type: 'text', example: '' },
    { field: 'windowSeconds', en: 'Window seconds', zh: '窗口秒数', aliases: ['时间窗口'], type: 'integer', example: '' },
    { field: 'maxPerMinute', en: 'Max change per minute', zh: '每分钟最大变化', aliases: ['变化率上限'], type: 'decimal', example: '' },
    { field: 'grade', en: 'Grade', zh: '报警等级', aliases: ['等级', '级别'], type: 'enum', required: true, example: 'major', values: { critical: ['紧急', '致命'], major: ['重要', '严重'], minor: ['一般', '次要'], warning: ['提示', '预警'] } },
  ],
  body: AlarmRuleInput,
  input: ruleRow,
  key: (v) => `${machineOf(v)}|${str(v.code)}`,
  group: machineOf,
  present: (tx, tenantId, rows) => presentIn(tx, tenantId, rows, 'alarmRules'),
  write: (tx, ctx, rows) => addToMachines(tx, ctx, alarmRules, rows, 'alarmRules', (r, m) => defined({
    ...ruleRow(r.values), value: faultValue(r.values.value, m.points.find((p) => p.point === str(r.values.point))?.type),
  })),
};
