/**
 * The equipment master (S1-5.4.6-a): a machine's identity (manufacturer, model, serial, build
 * date), its place in the plant model (checked through the plant service), its points with units
 * and running standards, alarm rules, available time and target output.
 */
import type { Sql } from '../../platform/db.js';
import { conflict, fieldError, notFound, unprocessable, type FieldError } from '../../platform/errors.js';
import { recordEvent } from '../../platform/outbox.js';
import * as plant from '../plant/service.js';
import * as gateways from './gateway-repo.js';
import * as repo from './repo.js';
import type { EquipmentColumns } from './repo.js';
import type { AlarmRule, CreateEquipmentInput, Equipment, EquipmentPoint, EquipmentSummary, UpdateEquipmentInput } from './schema.js';

type PointInput = NonNullable<CreateEquipmentInput['points']>[number];
type RuleInput = NonNullable<CreateEquipmentInput['alarmRules']>[number];

export async function getEquipment(tx: Sql, tenantId: string, id: string): Promise<Equipment> {
  const found = await repo.findEquipment(tx, tenantId, id);
  if (!found) throw notFound('equipment', id);
  return found;
}

export const listEquipment = (tx: Sql, tenantId: string, q: { limit: number; after?: string; workshopId?: string; status?: string }): Promise<EquipmentSummary[]> =>
  repo.listEquipment(tx, tenantId, q);

/** Which of these equipment codes exist, in one query. */
export const existingEquipment = async (tx: Sql, tenantId: string, codes: string[]) => new Set((await repo.findEquipmentByCodes(tx, tenantId, codes)).keys());

interface Location { workshopId: string; lineId: string | null; workCentreId: string | null; stationId: string | null }

/** The location must be one path down the plant model: the line in the workshop, the work centre in both, the station in the work centre. */
async function checkLocation(tx: Sql, tenantId: string, loc: Location, errors: FieldError[]): Promise<void> {
  const [workshop] = await plant.findWorkshops(tx, tenantId, [loc.workshopId]);
  if (!workshop) errors.push(fieldError('workshopId', 'UNKNOWN_WORKSHOP', `no workshop ${loc.workshopId}`));
  if (loc.lineId) {
    const [line] = await plant.findLines(tx, tenantId, [loc.lineId]);
    if (!line) errors.push(fieldError('lineId', 'UNKNOWN_LINE', `no production line ${loc.lineId}`));
    else if (line.workshopId !== loc.workshopId) errors.push(fieldError('lineId', 'NOT_IN_WORKSHOP', `line ${line.code} is in workshop ${line.workshopCode}`));
  }
  if (loc.workCentreId) {
    const [centre] = await plant.findWorkCentres(tx, tenantId, [loc.workCentreId], []);
    if (!centre) errors.push(fieldError('workCentreId', 'UNKNOWN_WORK_CENTRE', `no work centre ${loc.workCentreId}`));
    else {
      if (centre.workshopId !== loc.workshopId) errors.push(fieldError('workCentreId', 'NOT_IN_WORKSHOP', `work centre ${centre.code} is in workshop ${centre.workshopCode}`));
      if (loc.lineId && centre.lineId !== loc.lineId) errors.push(fieldError('workCentreId', 'NOT_ON_LINE', `work centre ${centre.code} is not on that line`));
    }
  }
  if (loc.stationId) {
    const [station] = await plant.findStations(tx, tenantId, [loc.stationId]);
    if (!station) errors.push(fieldError('stationId', 'UNKNOWN_STATION', `no station ${loc.stationId}`));
    else if (station.workCentreId !== loc.workCentreId) errors.push(fieldError('stationId', 'NOT_IN_WORK_CENTRE', `station ${station.code} belongs to work centre ${station.workCentreCode}; give that workCentreId`));
  }
}

function checkPoints(points: PointInput[], errors: FieldError[]): EquipmentPoint[] {
  const seen = new Set<string>();
  return points.map((p, i) => {
    if (seen.has(p.point)) errors.push(fieldError(`points[${i}].point`, 'DUPLICATE_POINT', `${p.point} is listed twice`));
    seen.add(p.point);
    if (p.type !== 'number' && (p.min !== undefined || p.max !== undefined)) errors.push(fieldError(`points[${i}].min`, 'NOT_NUMERIC', 'running standards apply to number points only'));
    if (p.min !== undefined && p.max !== undefined && p.min > p.max) errors.push(fieldError(`points[${i}].max`, 'BELOW_MIN', 'max must not be below min'));
    return { point: p.point, type: p.type, unit: p.unit ?? null, min: p.min ?? null, max: p.max ?? null, writable: p.writable ?? false };
  });
}

function checkRules(rules: RuleInput[], points: EquipmentPoint[], errors: FieldError[]): AlarmRule[] {
  const byPoint = new Map(points.map((p) => [p.point, p]));
  const seen = new Set<string>();
  return rules.map((r, i) => {
    const at = `alarmRules[${i}]`;
    if (seen.has(r.code)) errors.push(fieldError(`${at}.code`, 'DUPLICATE_RULE', `${r.code} is listed twice`));
    seen.add(r.code);
    const point = byPoint.get(r.point);
    if (!point) errors.push(fieldError(`${at}.point`, 'UNKNOWN_POINT', `${r.point} is not a point of this equipment`));
    if (r.kind === 'threshold' || r.kind === 'trend') {
      if (r.kind === 'threshold' && r.high === undefined && r.low === undefined) errors.push(fieldError(`${at}.high`, 'REQUIRED', 'a threshold rule needs high or low'));
      if (r.kind === 'trend' && r.windowSeconds === undefined) errors.push(fieldError(`${at}.windowSeconds`, 'REQUIRED', 'a trend rule needs windowSeconds'));
      if (r.kind === 'trend' && r.maxPerMinute === undefined) errors.push(fieldError(`${at}.maxPerMinute`, 'REQUIRED', 'a trend rule needs maxPerMinute'));
      if (point && point.type !== 'number') errors.push(fieldError(`${at}.point`, 'NOT_NUMERIC', `a ${r.kind} rule needs a number point`));
    } else {
      if (r.value === undefined) errors.push(fieldError(`${at}.value`, 'REQUIRED', 'a fault rule needs the value that means the fault'));
      else if (point && typeof r.value !== point.type) errors.push(fieldError(`${at}.value`, 'WRONG_TYPE', `${r.point} is a ${point.type} point`));
    }
    return {
      code: r.code, point: r.point, kind: r.kind, high: r.high ?? null, low: r.low ?? null, hysteresis: r.hysteresis ?? 0, value: r.value ?? null,
      windowSeconds: r.windowSeconds ?? null, maxPerMinute: r.maxPerMinute ?? null, grade: r.grade,
    };
  });
}

async function checkGateway(tx: Sql, tenantId: string, gatewayId: string | null | undefined, errors: FieldError[]): Promise<void> {
  if (gatewayId && !(await gateways.findGatewayRow(tx, tenantId, { id: gatewayId }))) errors.push(fieldError('gatewayId', 'UNKNOWN_GATEWAY', `no gateway ${gatewayId}`));
}

function checkSpecialPoints(points: EquipmentPoint[], special: { countPoint?: string | null; energyPoint?: string | null }, errors: FieldError[]): void {
  for (const [field, point] of Object.entries(special)) {
    if (point && points.find((p) => p.point === point)?.type !== 'number') errors.push(fieldError(field, 'UNKNOWN_POINT', `${point} must be a number point of this equipment`));
  }
}

export async function createEquipment(tx: Sql, tenantId: string, input: CreateEquipmentInput): Promise<Equipment> {
  const errors: FieldError[] = [];
  await checkLocation(tx, tenantId, { workshopId: input.workshopId, lineId: input.lineId ?? null, workCentreId: input.workCentreId ?? null, stationId: input.stationId ?? null }, errors);
  const points = checkPoints(input.points ?? [], errors);
  const rules = checkRules(input.alarmRules ?? [], points, errors);
  checkSpecialPoints(points, { countPoint: input.countPoint, energyPoint: input.energyPoint }, errors);
  await checkGateway(tx, tenantId, input.gatewayId, errors);
  if (await repo.findEquipmentId(tx, tenantId, input.code)) {
    throw conflict('EQUIPMENT_CODE_TAKEN', `equipment ${input.code} already exists`, { errors: [fieldError('code', 'TAKEN', 'is already in use')] });
  }
  if (errors.length) throw unprocessable('EQUIPMENT_INVALID', 'the equipment cannot be saved as given; nothing was saved', errors);
  const id = await repo.insertEquipment(tx, tenantId, {
    code: input.code, name: input.name, manufacturer: input.manufacturer ?? '', model: input.model ?? '', serial_no: input.serialNo ?? '', build_date: input.buildDate ?? null,
    workshop_id: input.workshopId, line_id: input.lineId ?? null, work_centre_id: input.workCentreId ?? null, station_id: input.stationId ?? null,
    gateway_id: input.gatewayId ?? null, available_minutes: input.availableMinutesPerDay ?? null, target_output_per_hour: input.targetOutputPerHour ?? null,
    count_point: input.countPoint ?? null, energy_point: input.energyPoint ?? null, state_point: input.statePoint ?? 'state',
  });
  await repo.replacePoints(tx, tenantId, id, points);
  await repo.replaceRules(tx, tenantId, id, rules);
  const created = await getEquipment(tx, tenantId, id);
  recordEvent(tx, { tenantId, type: 'equipment.created', aggregateType: 'equipment', aggregateId: id, payload: { id, code: created.code, version: created.version } });
  return created;
}

/** Only the fields given change; points and alarm rules, when given, are replaced as a whole. */
export async function updateEquipment(tx: Sql, tenantId: string, id: string, input: UpdateEquipmentInput): Promise<Equipment> {
  const current = await getEquipment(tx, tenantId, id);
  const errors: FieldError[] = [];
  const touchesLocation = ['workshopId', 'lineId', 'workCentreId', 'stationId'].some((k) => k in input);
  if (touchesLocation) {
    await checkLocation(tx, tenantId, {
      workshopId: input.workshopId ?? current.workshopId, lineId: input.lineId !== undefined ? input.lineId : current.lineId,
      workCentreId: input.workCentreId !== undefined ? input.workCentreId : current.workCentreId, stationId: input.stationId !== undefined ? input.stationId : current.stationId,
    }, errors);
  }
  const points = input.points ? checkPoints(input.points, errors) : current.points;
  const rules = input.alarmRules ? checkRules(input.alarmRules, points, errors) : input.points ? checkRules(current.alarmRules.map(ruleInput), points, errors) : current.alarmRules;
  checkSpecialPoints(points, {
    countPoint: input.countPoint !== undefined ? input.countPoint : current.countPoint, energyPoint: input.energyPoint !== undefined ? input.energyPoint : current.energyPoint,
  }, errors);
  await checkGateway(tx, tenantId, input.gatewayId, errors);
  if (errors.length) throw unprocessable('EQUIPMENT_INVALID', 'the equipment cannot be changed as given; nothing was changed', errors);
  const set: EquipmentColumns = Object.fromEntries(Object.entries({
    name: input.name, manufacturer: input.manufacturer, model: input.model, serial_no: input.serialNo, build_date: input.buildDate, workshop_id: input.workshopId,
    line_id: input.lineId, work_centre_id: input.workCentreId, station_id: input.stationId, gateway_id: input.gatewayId, available_minutes: input.availableMinutesPerDay,
    target_output_per_hour: input.targetOutputPerHour, count_point: input.countPoint, energy_point: input.energyPoint, state_point: input.statePoint, status: input.status,
  }).filter(([, v]) => v !== undefined));
  if (!(await repo.updateEquipment(tx, tenantId, id, input.version, set))) {
    throw conflict('VERSION_CONFLICT', `equipment ${current.code} is at version ${current.version}, not ${input.version}`, { currentVersion: current.version });
  }
  if (input.points) await repo.replacePoints(tx, tenantId, id, points);
  if (input.points || input.alarmRules) await repo.replaceRules(tx, tenantId, id, rules);
  const updated = await getEquipment(tx, tenantId, id);
  recordEvent(tx, { tenantId, type: 'equipment.changed', aggregateType: 'equipment', aggregateId: id, payload: { id, code: updated.code, version: updated.version } });
  return updated;
}

/** A stored rule as the input that keeps it (a rule list given whole, as an import adding rules gives it). */
export const ruleInput = (r: AlarmRule): RuleInput => ({
  code: r.code, point: r.point, kind: r.kind, grade: r.grade, hysteresis: r.hysteresis,
  ...(r.high !== null ? { high: r.high } : {}), ...(r.low !== null ? { low: r.low } : {}), ...(r.value !== null ? { value: r.value } : {}),
  ...(r.windowSeconds !== null ? { windowSeconds: r.windowSeconds } : {}), ...(r.maxPerMinute !== null ? { maxPerMinute: r.maxPerMinute } : {}),
});

/** A stored point as the input that keeps it. */
export const pointInput = (p: EquipmentPoint): PointInput => ({
  point: p.point, type: p.type, writable: p.writable, ...(p.unit !== null ? { unit: p.unit } : {}), ...(p.min !== null ? { min: p.min } : {}), ...(p.max !== null ? { max: p.max } : {}),
});

/** Machines by code with their points and alarm rules, in one query (imports). */
export const equipmentByCodes = (tx: Sql, tenantId: string, codes: string[]): Promise<Map<string, Equipment>> => repo.findEquipmentByCodes(tx, tenantId, codes);

/** How many machines the tenant has registered (go-live readiness, S1-7.2). */
export const countEquipment = (tx: Sql, tenantId: string) => repo.countEquipment(tx, tenantId);
