/**
 * mes equipment list/status/alarms and mes edge register, run as a user would (the real binary in
 * a child process) against a real server, with readings uploaded through the signed ingest.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { equipmentTenant, rec, registerGateway, signedCall, type EquipmentTenant } from '../../server/test/equipment-setup.js';
import { startTestServer, type TestServer } from '../../server/test/harness.js';
import { killAll, mes, mesJson } from './helpers.js';

let t: TestServer;
let T: EquipmentTenant;
const dir = mkdtempSync(join(tmpdir(), 'mes-cli-equipment-'));
const asTenant = () => ({ url: t.url, apiKey: T.key });

beforeAll(async () => {
  t = await startTestServer();
  T = await equipmentTenant(t, 'cli-equipment');
  const gw = await registerGateway(T, 'gw-1');
  await T.make('/v1/equipment', {
    code: 'CNC-01', name: 'Lathe', workshopId: T.workshop.id, gatewayId: gw.gateway.id,
    points: [{ point: 'state', type: 'string' }, { point: 'temperature', type: 'number', unit: 'degC', min: 10, max: 60 }],
    alarmRules: [{ code: 'HOT', point: 'temperature', kind: 'threshold', high: 80, grade: 'major' }],
  });
  await T.make('/v1/equipment', { code: 'PRESS-01', name: 'Press', workshopId: T.otherWorkshop.id });
  const now = Date.now() - 60_000;
  const res = await signedCall(t.url, 'POST', '/v1/telemetry/batches', {
    batchSeq: 1, records: [rec('CNC-01', 'state', now, 'run', 1), rec('CNC-01', 'temperature', now + 1000, 85, 2)],
  }, { key: gw.privateKey, header: gw.header });
  if (res.status !== 200 || res.body.accepted !== 2) throw new Error(`ingest: ${res.status} ${JSON.stringify(res.body)}`);
});
afterAll(async () => {
  await killAll();
  await t?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('mes equipment', () => {
  it('S1-5.4.6-a: list shows code, name and workshop; --workshop narrows it; --json gives the summaries', async () => {
    const res = await mes(['equipment', 'list'], asTenant());
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/CNC-01\s+Lathe\s+WS-MACH\s+yes\s+active/);
    const json = await mesJson(['equipment', 'list', '--workshop', 'WS-PAINT'], asTenant());
    expect(json.json.map((e: any) => e.code)).toEqual(['PRESS-01']);
  });

  it('S1-5.4.6-b: status prints the state and each reading against its running standard', async () => {
    const res = await mes(['equipment', 'status', 'CNC-01'], asTenant());
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/CNC-01 Lathe: run since .*; 1 active alarm, 1 reading outside the standard/);
    expect(res.stdout).toMatch(/temperature\s+85\s+degC\s+good\s+\S+\s+10\s+60\s+high/);
    const json = await mesJson(['equipment', 'status', 'CNC-01'], asTenant());
    expect(json.json).toMatchObject({ code: 'CNC-01', state: 'run', outOfStandard: 1, activeAlarms: 1 });
    const missing = await mesJson(['equipment', 'status', 'NOPE'], asTenant());
    expect([missing.code, missing.json.error.code]).toEqual([1, 'EQUIPMENT_NOT_FOUND']);
  });

  it('S1-5.4.6-d: alarms lists grade, value and status; --active and --grade narrow it', async () => {
    const res = await mes(['equipment', 'alarms', '--active'], asTenant());
    expect(res.stdout).toMatch(/CNC-01\s+HOT\s+major\s+temperature\s+85\s+open/);
    const json = await mesJson(['equipment', 'alarms', '--equipment', 'CNC-01', '--grade', 'critical'], asTenant());
    expect(json.json).toEqual([]);
  });

  it('S1-5.4.6-f: energy per production order: a released order with no work on a machine says so; an unknown order exits 1 ORDER_NOT_FOUND', async () => {
    await T.make('/v1/units', { code: 'PCS', name: 'Pieces', decimals: 0 });
    const rt = await T.make('/v1/routings', { code: 'RT-1', name: 'One', effectiveFrom: '2026-01-01', operations: [{ seq: 10, name: 'Turn', workCentreCode: 'WC-CNC', runMinutes: '1' }] });
    await T.make(`/v1/routings/${rt.id}/release`, { version: rt.version });
    await T.make('/v1/materials', { code: 'SHAFT', name: 'Shaft', baseUnit: 'PCS', defaultRouting: 'RT-1' });
    const order = await T.make('/v1/production-orders', { materialCode: 'SHAFT', quantity: '5', plannedStart: '2026-12-01', plannedFinish: '2026-12-05' });
    const res = await mes(['equipment', 'energy', order.docNo], asTenant());
    expect(res.stdout).toContain(`${order.docNo}: no work reported on a machine yet.`);
    const json = await mesJson(['equipment', 'energy', order.docNo], asTenant());
    expect(json.json).toEqual({ orderId: order.id, docNo: order.docNo, machines: [], totals: [], reportsWithoutInterval: 0 });
    const missing = await mesJson(['equipment', 'energy', 'MO-NOPE'], asTenant());
    expect([missing.code, missing.json.error.code]).toEqual([1, 'ORDER_NOT_FOUND']);
  });

  it('S1-5.4.6-f: capacity prints calendar, run hours and utilisation per machine and work centre; --json gives the report; an unknown work centre exits 1', async () => {
    // A machine on the work centre (calendar Monday–Friday 08:00–17:00), no state yet: available hours, no run.
    await T.make('/v1/equipment', { code: 'MILL-02', name: 'Mill', workshopId: T.workshop.id, workCentreId: T.workCentre.id });
    const res = await mes(['equipment', 'capacity', '--from', '2026-11-30', '--to', '2026-12-06'], asTenant());
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/CNC-01\s+NO_WORK_CENTRE/);
    expect(res.stdout).toMatch(/MILL-02\s+WC-CNC\s+45\s+0\s+0/);
    expect(res.stdout).toContain('2026-11-30–2026-12-06: 0 of 45 hours run on 1 machine, utilisation 0');
    const json = await mesJson(['equipment', 'capacity', '--from', '2026-11-30', '--to', '2026-12-06', '--work-centre', 'WC-CNC'], asTenant());
    expect(json.json.machines.map((m: any) => [m.code, m.availableHours, m.runHours])).toEqual([['MILL-02', 45, 0]]);
    expect(json.json.workCentres).toEqual([{ workCentreId: T.workCentre.id, workCentreCode: 'WC-CNC', machines: 1, availableHours: 45, runHours: 0, utilisation: 0, calendarCapacityHours: 45 }]);
    const missing = await mesJson(['equipment', 'capacity', '--from', '2026-11-30', '--to', '2026-12-06', '--work-centre', 'WC-NOPE'], asTenant());
    expect([missing.code, missing.json.error.code]).toEqual([1, 'WORK_CENTRE_NOT_FOUND']);
  });

  it('S1-4.2.3: edge register registers the gateway with a new key and prints its gatewayId', async () => {
    const key = join(dir, 'gw-2.pem');
    const res = await mesJson(['edge', 'register', '--code', 'gw-2', '--name', 'Gateway 2', '--key-out', key], asTenant());
    expect(res.code).toBe(0);
    expect(res.json).toMatchObject({ gatewayId: `${T.id}.gw-2`, gateway: { code: 'gw-2', keys: [{ revokedAt: null }] } });
    expect(statSync(key).mode & 0o777).toBe(0o600);
  });
});
