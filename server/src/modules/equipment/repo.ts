/** The equipment master tables: equipment, its points and alarm rules. Only the equipment module's repos touch its tables. */
import type { Sql } from '../../platform/db.js';
import type { AlarmRule, Equipment, EquipmentPoint, EquipmentSummary } from './schema.js';

interface EquipmentRow {
  id: string; code: string; name: string; manufacturer: string; model: string; serial_no: string; build_date: string | null;
  workshop_id: string; workshop_code: string; line_id: string | null; work_centre_id: string | null; station_id: string | null; gateway_id: string | null;
  available_minutes: number | null; target_output_per_hour: string | null; count_point: string | null; energy_point: string | null; state_point: string;
  status: 'active' | 'retired'; version: number; created_at: Date; updated_at: Date;
}

const SELECT = `SELECT e.id, e.code, e.name, e.manufacturer, e.model, e.serial_no, e.build_date::text, e.workshop_id, w.code AS workshop_code, e.line_id,
    e.work_centre_id, e.station_id, e.gateway_id, e.available_minutes, e.target_output_per_hour::text, e.count_point, e.energy_point, e.state_point, e.status, e.version,
    e.created_at, e.updated_at
  FROM equipment e JOIN workshops w ON w.tenant_id = e.tenant_id AND w.id = e.workshop_id`;

export interface EquipmentColumns {
  code?: string; name?: string; manufacturer?: string; model?: string; serial_no?: string; build_date?: string | null; workshop_id?: string;
  line_id?: string | null; work_centre_id?: string | null; station_id?: string | null; gateway_id?: string | null; available_minutes?: number | null;
  target_output_per_hour?: number | null; count_point?: string | null; energy_point?: string | null; state_point?: string; status?: string;
}

export async function insertEquipment(tx: Sql, tenantId: string, c: EquipmentColumns): Promise<string> {
  const cols = Object.keys(c);
  const { rows } = await tx.query<{ id: string }>(
    `INSERT INTO equipment (tenant_id, ${cols.join(', ')}) VALUES ($1, ${cols.map((_, i) => `$${i + 2}`).join(', ')}) RETURNING id`,
    [tenantId, ...Object.values(c)],
  );
  return rows[0].id;
}

/** Optimistic update of the given columns; false when the version moved on. */
export async function updateEquipment(tx: Sql, tenantId: string, id: string, version: number, c: EquipmentColumns): Promise<boolean> {
  const cols = Object.keys(c);
  const { rowCount } = await tx.query(
    `UPDATE equipment SET ${cols.map((k, i) => `${k} = $${i + 4}`).concat('version = version + 1', 'updated_at = now()').join(', ')}
      WHERE tenant_id = $1 AND id = $2 AND version = $3`,
    [tenantId, id, version, ...Object.values(c)],
  );
  return rowCount === 1;
}

export async function replacePoints(tx: Sql, tenantId: string, equipmentId: string, points: EquipmentPoint[]): Promise<void> {
  await tx.query('DELETE FROM equipment_points WHERE tenant_id = $1 AND equipment_id = $2', [tenantId, equipmentId]);
  if (!points.length) return;
  await tx.query(
    `INSERT INTO equipment_points (tenant_id, equipment_id, point, data_type, unit, std_min, std_max, writable)
     SELECT $1, $2, p, t, u, mn, mx, w FROM unnest($3::text[], $4::text[], $5::text[], $6::float8[], $7::float8[], $8::bool[]) AS x(p, t, u, mn, mx, w)`,
    [tenantId, equipmentId, points.map((p) => p.point), points.map((p) => p.type), points.map((p) => p.unit), points.map((p) => p.min), points.map((p) => p.max), points.map((p) => p.writable)],
  );
}

export async function replaceRules(tx: Sql, tenantId: string, equipmentId: string, rules: AlarmRule[]): Promise<void> {
  await tx.query('DELETE FROM equipment_alarm_rules WHERE tenant_id = $1 AND equipment_id = $2', [tenantId, equipmentId]);
  if (!rules.length) return;
  await tx.query(
    `INSERT INTO equipment_alarm_rules (tenant_id, equipment_id, code, point, kind, high, low, hysteresis, fault_value, window_seconds, max_per_minute, grade)
     SELECT $1, $2, c, p, k, h, l, hy, v, w, m, g
       FROM unnest($3::text[], $4::text[], $5::text[], $6::float8[], $7::float8[], $8::float8[], $9::jsonb[], $10::int[], $11::float8[], $12::text[]) AS x(c, p, k, h, l, hy, v, w, m, g)`,
    [tenantId, equipmentId, rules.map((r) => r.code), rules.map((r) => r.point), rules.map((r) => r.kind), rules.map((r) => r.high), rules.map((r) => r.low),
      rules.map((r) => r.hysteresis), rules.map((r) => (r.value === null ? null : JSON.stringify(r.value))), rules.map((r) => r.windowSeconds),
      rules.map((r) => r.maxPerMinute), rules.map((r) => r.grade)],
  );
}

interface PointRow { equipment_id: string; point: string; data_type: 'number' | 'boolean' | 'string'; unit: string | null; std_min: number | null; std_max: number | null; writable: boolean }
interface RuleRow {
  equipment_id: string; code: string; point: string; kind: AlarmRule['kind']; high: number | null; low: number | null; hysteresis: number;
  fault_value: number | boolean | string | null; window_seconds: number | null; max_per_minute: number | null; grade: AlarmRule['grade'];
}

const toPoint = (r: PointRow): EquipmentPoint => ({ point: r.point, type: r.data_type, unit: r.unit, min: r.std_min, max: r.std_max, writable: r.writable });
const toRule = (r: RuleRow): AlarmRule => ({
  code: r.code, point: r.point, kind: r.kind, high: r.high, low: r.low, hysteresis: r.hysteresis, value: r.fault_value,
  windowSeconds: r.window_seconds, maxPerMinute: r.max_per_minute, grade: r.grade,
});

async function pointsAndRules(tx: Sql, tenantId: string, ids: string[]) {
  const points = (await tx.query<PointRow>(
    'SELECT equipment_id, point, data_type, unit, std_min, std_max, writable FROM equipment_points WHERE tenant_id = $1 AND equipment_id = ANY($2::uuid[]) ORDER BY point',
    [tenantId, ids],
  )).rows;
  const rules = (await tx.query<RuleRow>(
    'SELECT equipment_id, code, point, kind, high, low, hysteresis, fault_value, window_seconds, max_per_minute, grade FROM equipment_alarm_rules WHERE tenant_id = $1 AND equipment_id = ANY($2::uuid[]) ORDER BY code',
    [tenantId, ids],
  )).rows;
  return { points, rules };
}

function toEquipment(r: EquipmentRow, points: PointRow[], rules: RuleRow[]): Equipment {
  return {
    id: r.id, code: r.code, name: r.name, manufacturer: r.manufacturer, model: r.model, serialNo: r.serial_no, buildDate: r.build_date,
    workshopId: r.workshop_id, workshopCode: r.workshop_code, lineId: r.line_id, workCentreId: r.work_centre_id, stationId: r.station_id, gatewayId: r.gateway_id,
    availableMinutesPerDay: r.available_minutes, targetOutputPerHour: r.target_output_per_hour === null ? null : Number(r.target_output_per_hour),
    countPoint: r.count_point, energyPoint: r.energy_point, statePoint: r.state_point, status: r.status,
    points: points.filter((p) => p.equipment_id === r.id).map(toPoint), alarmRules: rules.filter((x) => x.equipment_id === r.id).map(toRule),
    version: r.version, createdAt: r.created_at.toISOString(), updatedAt: r.updated_at.toISOString(),
  };
}

export async function findEquipment(tx: Sql, tenantId: string, id: string): Promise<Equipment | undefined> {
  const { rows } = await tx.query<EquipmentRow>(`${SELECT} WHERE e.tenant_id = $1 AND e.id = $2`, [tenantId, id]);
  if (!rows[0]) return undefined;
  const { points, rules } = await pointsAndRules(tx, tenantId, [id]);
  return toEquipment(rows[0], points, rules);
}

export async function findEquipmentId(tx: Sql, tenantId: string, code: string): Promise<string | undefined> {
  return (await tx.query<{ id: string }>('SELECT id FROM equipment WHERE tenant_id = $1 AND code = $2', [tenantId, code])).rows[0]?.id;
}

/** Equipment by code, with points and rules, in three queries (what an upload batch needs). */
export async function findEquipmentByCodes(tx: Sql, tenantId: string, codes: string[]): Promise<Map<string, Equipment>> {
  const { rows } = await tx.query<EquipmentRow>(`${SELECT} WHERE e.tenant_id = $1 AND e.code = ANY($2::text[])`, [tenantId, codes]);
  const { points, rules } = await pointsAndRules(tx, tenantId, rows.map((r) => r.id));
  return new Map(rows.map((r) => [r.code, toEquipment(r, points, rules)]));
}

export async function listEquipment(tx: Sql, tenantId: string, q: { limit: number; after?: string; workshopId?: string; status?: string }): Promise<EquipmentSummary[]> {
  const { rows } = await tx.query<EquipmentRow>(
    `${SELECT} WHERE e.tenant_id = $1 AND ($2::text IS NULL OR e.code > $2) AND ($3::uuid IS NULL OR e.workshop_id = $3) AND ($4::text IS NULL OR e.status = $4)
      ORDER BY e.code LIMIT $5`,
    [tenantId, q.after ?? null, q.workshopId ?? null, q.status ?? null, q.limit + 1],
  );
  return rows.map((r) => ({ id: r.id, code: r.code, name: r.name, workshopId: r.workshop_id, workshopCode: r.workshop_code, gatewayId: r.gateway_id, status: r.status, version: r.version }));
}

/** Active machines of a workshop and/or work centre (all when neither is given), by code, with their place: what fleet reports cover. */
export async function fleet(tx: Sql, tenantId: string, q: { workshopId?: string; workCentreId?: string }) {
  const { rows } = await tx.query<{ id: string; code: string; name: string; workshop_id: string; work_centre_id: string | null }>(
    `SELECT id, code, name, workshop_id, work_centre_id FROM equipment
      WHERE tenant_id = $1 AND status = 'active' AND ($2::uuid IS NULL OR workshop_id = $2) AND ($3::uuid IS NULL OR work_centre_id = $3)
      ORDER BY code LIMIT $4`,
    [tenantId, q.workshopId ?? null, q.workCentreId ?? null, FLEET_MAX + 1],
  );
  return rows.map((r) => ({ id: r.id, code: r.code, name: r.name, workshopId: r.workshop_id, workCentreId: r.work_centre_id }));
}

/** At most this many machines in one fleet report; a larger plant asks per workshop or work centre. */
export const FLEET_MAX = 5000;

export async function countEquipment(tx: Sql, tenantId: string): Promise<number> {
  const { rows } = await tx.query<{ n: number }>('SELECT count(*)::int AS n FROM equipment WHERE tenant_id = $1', [tenantId]);
  return rows[0].n;
}
