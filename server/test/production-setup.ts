/**
 * A small fan plant for the production tests, made through the API: units, a calendar, a plant
 * with a workshop, a line and work centres, and the materials of a fan down to four levels.
 */
import { call, createTenant, type TestServer } from './harness.js';

export type Api = (method: string, path: string, body?: unknown, headers?: Record<string, string>) => Promise<{ status: number; body: any; headers: Headers }>;

export const fieldsOf = (body: any) => (body.errors ?? []).map((e: any) => `${e.field}:${e.code}`).sort();

export async function productionTenant(t: TestServer, slug: string) {
  const tenant = await createTenant(t, slug);
  const as: Api = (method, path, body, headers) => call(t.url, tenant.key, method, path, body, headers);
  const make = async (path: string, body?: unknown) => {
    const res = await as('POST', path, body);
    if (res.status !== 201 && res.status !== 200) throw new Error(`${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };
  for (const u of [{ code: 'PCS', name: 'Pieces', decimals: 0 }, { code: 'KG', name: 'Kilogram', decimals: 3 }, { code: 'G', name: 'Gram', decimals: 1 }, { code: 'BOX', name: 'Box', decimals: 0 }]) {
    await make('/v1/units', u);
  }
  await make('/v1/unit-conversions', { fromUnit: 'KG', toUnit: 'G', factor: '1000' });
  await make('/v1/unit-conversions', { fromUnit: 'BOX', toUnit: 'PCS', factor: '12' });
  const weekdays = [1, 2, 3, 4, 5].map((weekday) => ({ weekday, name: 'Day', start: '08:00', end: '17:00', breakMinutes: 60 }));
  const calendar = await make('/v1/calendars', { code: 'CAL-STD', name: 'Standard', shifts: weekdays });
  const plant = await make('/v1/plants', { code: 'P1', name: 'Fan plant', calendarId: calendar.id });
  const workshop = await make('/v1/workshops', { code: 'WS-ASSY', name: 'Assembly', plantId: plant.id });
  const line = await make('/v1/production-lines', { code: 'L1', name: 'Line 1', workshopCode: 'WS-ASSY' });
  const wc = {
    press: await make('/v1/work-centres', { code: 'WC-PRESS', name: 'Press', workshopCode: 'WS-ASSY', capacityUnit: 'machine_hours', parallelCount: 2 }),
    assy: await make('/v1/work-centres', { code: 'WC-ASSY', name: 'Assembly', lineCode: 'L1', capacityUnit: 'labour_hours', parallelCount: 4 }),
    assy2: await make('/v1/work-centres', { code: 'WC-ASSY2', name: 'Assembly 2', lineCode: 'L1', capacityUnit: 'labour_hours' }),
  };
  const material = async (code: string, extra: Record<string, unknown> = {}) => (await make('/v1/materials', { code, name: code, baseUnit: 'PCS', ...extra })).id as string;
  const m = {
    fan: await material('FAN-A'),
    motor: await material('MOTOR-1'),
    stator: await material('STATOR'),
    lamination: await material('LAMINATION'),
    steel: await material('STEEL', { baseUnit: 'KG' }),
    wire: await material('WIRE', { baseUnit: 'KG', productionUnit: 'G', issueType: 'backflush_operation' }),
    kit: await material('KIT-HW'),
    screw: await material('SCREW', { issueType: 'backflush_receipt', includeInKitting: false }),
    washer: await material('WASHER', { issueType: 'backflush_receipt' }),
    blade: await material('BLADE'),
    bladeB: await material('BLADE-B'),
  };
  return { ...tenant, as, make, calendar, plant, workshop, line, wc, m };
}

/** The fan's manufacturing structure: FAN-A → MOTOR-1 → STATOR → LAMINATION → STEEL, with a phantom hardware kit, scrap and an alternate. */
export async function fanBoms(T: Awaited<ReturnType<typeof productionTenant>>, effectiveFrom = '2026-01-01') {
  const release = async (bom: any) => T.make(`/v1/boms/${bom.id}/release`, { version: bom.version });
  const bom = async (materialCode: string, lines: unknown[]) => release(await T.make('/v1/boms', { materialCode, type: 'manufacturing', effectiveFrom, lines }));
  return {
    steel: await bom('LAMINATION', [{ materialCode: 'STEEL', quantity: '0.035', unit: 'KG' }]),
    stator: await bom('STATOR', [{ materialCode: 'WIRE', quantity: '250', unit: 'G', scrapRate: '2' }, { materialCode: 'LAMINATION', quantity: '24' }]),
    motor: await bom('MOTOR-1', [{ materialCode: 'STATOR', quantity: '1' }]),
    kit: await bom('KIT-HW', [{ materialCode: 'SCREW', quantity: '4' }, { materialCode: 'WASHER', quantity: '4' }]),
    fan: await bom('FAN-A', [
      { materialCode: 'MOTOR-1', quantity: '1', operationSeq: 20 },
      { materialCode: 'KIT-HW', quantity: '1', phantom: true, operationSeq: 30 },
      { materialCode: 'BLADE', quantity: '3', scrapRate: '5', operationSeq: 30, alternates: [{ materialCode: 'BLADE-B', quantity: '3' }] },
    ]),
  };
}
