/**
 * The equipment namespace against a real server over real HTTP: a machine in the plant model, a
 * gateway registered with its Ed25519 key and a device map, a signed batch uploaded the way a
 * gateway does (not through the SDK), then status, state history, indicators, intact rate, capacity, alarms and a command.
 */
import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MesClient, MesError } from '../src/index.js';
import { createTenant, startTestServer, type TestServer } from './support/server.js';

let t: TestServer;
let mes: MesClient;
let tenantId: string;

beforeAll(async () => {
  t = await startTestServer();
  const tenant = await createTenant(t, 'sdk-equipment');
  tenantId = tenant.id;
  mes = new MesClient({ baseUrl: t.url, apiKey: tenant.key });
});
afterAll(async () => {
  await t?.stop();
});

describe('equipment', () => {
  it('S1-5.4.6-a S1-5.4.6-b S1-5.4.6-d S1-5.4.6-f S1-4.2.3: from a registered machine and gateway to status, intact rate, capacity, alarms and a command through the SDK', async () => {
    const calendar = await mes.plant.calendars.create({ code: 'CAL', name: 'Days', shifts: [{ weekday: 1, start: '08:00', end: '12:00' }] });
    const plant = await mes.plant.plants.create({ code: 'P', name: 'Plant', calendarId: calendar.id });
    const ws = await mes.plant.workshops.create({ code: 'WS', name: 'Shop', plantId: plant.id });
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const gw = await mes.equipment.gateways.register({ code: 'gw-1', name: 'Hall gateway', siteId: plant.id, publicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString() });
    expect(gw.keys).toHaveLength(1);
    const machine = await mes.equipment.create({
      code: 'OVEN-1', name: 'Oven', workshopId: ws.id, gatewayId: gw.id,
      points: [{ point: 'state', type: 'string' }, { point: 'temp', type: 'number', unit: 'degC', max: 250 }, { point: 'setpoint', type: 'number', writable: true }],
      alarmRules: [{ code: 'OVERHEAT', point: 'temp', kind: 'threshold', high: 260, grade: 'critical' }],
    });
    expect((await mes.equipment.gateways.putConfig(gw.id, { devices: [{ device: 'OVEN-1', protocol: 'mqtt' }] })).version).toBe(1);

    const at = Date.now() - 120_000;
    const body = Buffer.from(JSON.stringify({ batchSeq: 1, records: [
      { device: 'OVEN-1', point: 'state', ts: new Date(at).toISOString(), value: 'run', quality: 'good', seq: 1 },
      { device: 'OVEN-1', point: 'temp', ts: new Date(at + 1000).toISOString(), value: 270, quality: 'good', seq: 2 },
    ] }));
    const header = `${tenantId}.gw-1`;
    const timestamp = new Date().toISOString();
    const signature = sign(null, Buffer.from(`mes-telemetry-v1\n${header}\n${timestamp}\n${createHash('sha256').update(body).digest('hex')}`), privateKey).toString('base64url');
    const res = await fetch(`${t.url}/v1/telemetry/batches`, { method: 'POST', body, headers: { 'content-type': 'application/json', 'x-mes-gateway': header, 'x-mes-timestamp': timestamp, 'x-mes-signature': `ed25519=${signature}` } });
    expect(await res.json()).toMatchObject({ accepted: 2, duplicates: 0, rejected: 0, highestSeq: 2, configVersion: 1 });

    const status = await mes.equipment.status(machine.id);
    expect(status).toMatchObject({ state: 'run', outOfStandard: 1, activeAlarms: 1 });
    const states = await mes.equipment.states(machine.id, { from: new Date(at).toISOString(), to: new Date(at + 60_000).toISOString() });
    expect(states.seconds.run).toBe(60);
    const indicators = await mes.equipment.indicators(machine.id, { from: new Date(at).toISOString(), to: new Date(at + 60_000).toISOString() });
    expect(indicators).toMatchObject({ availability: 1, failures: 0, output: null });
    const alarms = [];
    for await (const a of mes.equipment.alarms.iterate({ active: true })) alarms.push(a);
    expect(alarms.map((a) => [a.code, a.grade, a.status])).toEqual([['OVERHEAT', 'critical', 'open']]);
    expect((await mes.equipment.alarms.acknowledge(alarms[0].id, { note: 'door opened' })).status).toBe('acknowledged');
    const cmd = await mes.equipment.command(machine.id, { point: 'setpoint', value: 180 });
    expect((await mes.equipment.commands.get(cmd.id)).status).toBe('queued');
    const err = await mes.equipment.command(machine.id, { point: 'temp', value: 1 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MesError);
    expect((err as MesError).code).toBe('COMMAND_INVALID');
    expect((await mes.equipment.list()).items.map((e) => e.code)).toEqual(['OVEN-1']);
    const intact = await mes.equipment.intactRate({ from: new Date(at).toISOString(), to: new Date(at + 60_000).toISOString() });
    expect(intact.fleet).toEqual({ machines: 1, intactSeconds: 60, calendarSeconds: 60, intactRate: 1, intactAtEnd: 1, intactRateAtEnd: 1 });
    const day = new Date().toISOString().slice(0, 10);
    const capacity = await mes.equipment.capacity({ from: day, to: day, workshopId: ws.id });
    expect(capacity.machines.map((m) => [m.code, m.missing])).toEqual([['OVEN-1', 'NO_WORK_CENTRE']]);
    expect(capacity.totals).toEqual({ machines: 0, availableHours: 0, runHours: 0, utilisation: null });
    expect((await mes.equipment.gateways.get(gw.id)).highestSeq).toBe(2);
  });
});
