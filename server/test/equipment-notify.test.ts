/**
 * Alarm notification by grade and type over e-mail (S1-5.4.6-d): routes per grade and rule kind,
 * level 1 told when raised, the next level after an acknowledgement timeout, acknowledgement stops
 * it, failures recorded and retried; every message a notice, audited and published. The mail
 * server is an in-process SMTP server (smtp-server) on loopback; the messages are read as received.
 */
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import nodemailer from 'nodemailer';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notifyAlarms, type Mailer } from '../src/modules/equipment/notify.js';
import type { Database } from '../src/platform/db.js';
import { startTestServer, type TestServer } from './harness.js';
import { equipmentTenant, rec, registerGateway, signedCall, type EquipmentTenant } from './equipment-setup.js';

interface Received { from: string; to: string[]; raw: string }
const MIN = 60_000;
let t: TestServer;
let db: Database;
let A: EquipmentTenant;
let gw: Awaited<ReturnType<typeof registerGateway>>;
let oven: any;
let smtp: SMTPServer;
let mailer: Mailer;
const inbox: Received[] = [];
let seq = 0;
let batchSeq = 0;
const T = Math.floor((Date.now() - 10 * MIN) / MIN) * MIN;

const ROUTES = [
  { grade: 'critical', level: 1, kinds: null, recipients: ['shift@plant.example'], ackTimeoutMinutes: 10 },
  { grade: 'critical', level: 2, kinds: null, recipients: ['maintenance-lead@plant.example', 'deputy@plant.example'], ackTimeoutMinutes: 30 },
  { grade: 'critical', level: 3, kinds: null, recipients: ['plant-manager@plant.example'], ackTimeoutMinutes: 60 },
  { grade: 'major', level: 1, kinds: ['threshold'], recipients: ['line-lead@plant.example'], ackTimeoutMinutes: 15 },
];

const send = async (rows: Array<[number, string, number | boolean]>) => {
  const res = await signedCall(t.url, 'POST', '/v1/telemetry/batches', { batchSeq: ++batchSeq, records: rows.map(([ms, point, v]) => rec('OVEN-3', point, ms, v, ++seq)) }, { key: gw.privateKey, header: gw.header });
  expect(res.status).toBe(200);
};
const alarmsBy = async () => Object.fromEntries((await A.as('GET', `/v1/equipment-alarms?equipmentId=${oven.id}`)).body.items.map((a: any) => [a.code, a]));
const subjectOf = (m: Received) => /^Subject: (.*)$/m.exec(m.raw)?.[1];

beforeAll(async () => {
  smtp = new SMTPServer({
    authOptional: true, disabledCommands: ['STARTTLS'], logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        inbox.push({ from: (session.envelope.mailFrom || { address: '' }).address, to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks).toString('utf8') });
        callback();
      });
    },
  });
  smtp.listen(0, '127.0.0.1');
  await once(smtp.server, 'listening');
  const port = (smtp.server.address() as AddressInfo).port;
  mailer = { transport: nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true }), from: 'MES <mes@plant.example>' };
  t = await startTestServer();
  db = t.server.built.ctx.db;
  A = await equipmentTenant(t, 'notify-a');
  gw = await registerGateway(A, 'gw-notify');
  oven = await A.make('/v1/equipment', {
    code: 'OVEN-3', name: 'Curing oven 3', workshopId: A.workshop.id, gatewayId: gw.gateway.id,
    points: [{ point: 'temp', type: 'number', unit: 'degC' }, { point: 'fault', type: 'boolean' }],
    alarmRules: [
      { code: 'HOT', point: 'temp', kind: 'threshold', high: 80, grade: 'major' },
      { code: 'HEATING_FAST', point: 'temp', kind: 'trend', windowSeconds: 60, maxPerMinute: 20, grade: 'major' },
      { code: 'BURNER', point: 'fault', kind: 'fault', value: true, grade: 'critical' },
    ],
  });
});
afterAll(async () => {
  await t?.stop();
  await new Promise<void>((resolve) => (smtp ? smtp.close(() => resolve()) : resolve()));
});

describe('alarm notification routes', () => {
  it('S1-5.4.6-d: routes per grade and kind are stored whole and read back; gaps, duplicates and bad addresses are 422 with every field; audited', async () => {
    const bad = await A.as('PUT', '/v1/equipment-alarm-routes', { routes: [
      { grade: 'critical', level: 1, kinds: null, recipients: ['not-an-address'], ackTimeoutMinutes: 10 },
      { grade: 'critical', level: 1, kinds: null, recipients: ['a@b.example'], ackTimeoutMinutes: 10 },
      { grade: 'major', level: 2, kinds: null, recipients: ['a@b.example'], ackTimeoutMinutes: 10 },
    ] });
    expect([bad.status, bad.body.code]).toEqual([422, 'ALARM_ROUTES_INVALID']);
    expect(bad.body.errors.map((e: any) => `${e.field}:${e.code}`)).toEqual(['routes[0].recipients[0]:INVALID_EMAIL', 'routes[1].level:DUPLICATE_LEVEL', 'routes:LEVEL_GAP']);
    expect((await A.as('GET', '/v1/equipment-alarm-routes')).body).toEqual({ routes: [] });
    const res = await A.as('PUT', '/v1/equipment-alarm-routes', { routes: ROUTES });
    expect(res.status).toBe(200);
    expect(res.body.routes).toEqual(ROUTES);
    expect((await A.as('GET', '/v1/equipment-alarm-routes')).body.routes).toEqual(ROUTES);
    const audit = (await A.as('GET', '/v1/audit?action=putEquipmentAlarmRoutes')).body.items;
    expect(audit.map((r: any) => [r.outcome, r.statusCode])).toEqual([['rejected', 422], ['success', 200]]);
  });
});

describe('alarm e-mail by grade and type, with escalation', () => {
  it('S1-5.4.6-d: a raised alarm is mailed to level 1 of its grade; a kind the grade does not route is not mailed; notices, audit and events record it', async () => {
    await send([[T, 'temp', 40], [T, 'fault', false], [T + MIN, 'temp', 90], [T + MIN, 'fault', true]]);
    const raised = await alarmsBy();
    expect(Object.keys(raised).sort()).toEqual(['BURNER', 'HEATING_FAST', 'HOT']);
    const now = new Date();
    expect(await notifyAlarms(db, mailer, now)).toEqual({ sent: 2, escalated: 0, failed: 0 });
    expect(inbox.map((m) => [m.to.join(','), subjectOf(m)]).sort()).toEqual([
      ['line-lead@plant.example', '[MES major] OVEN-3 alarm HOT'],
      ['shift@plant.example', '[MES critical] OVEN-3 alarm BURNER'],
    ]);
    expect(inbox[0].from).toBe('mes@plant.example');
    expect(inbox.find((m) => m.to[0] === 'shift@plant.example')!.raw).toContain('Curing oven 3');
    const after = await alarmsBy();
    expect([after.BURNER.notifiedLevel, after.HOT.notifiedLevel, after.HEATING_FAST.notifiedLevel]).toEqual([1, 1, 0]);
    const notices = (await A.as('GET', `/v1/equipment-alarms/${after.BURNER.id}/notices`)).body.items;
    expect(notices).toEqual([expect.objectContaining({ level: 1, channel: 'email', recipients: ['shift@plant.example'], outcome: 'sent', error: null, messageId: expect.stringMatching(/@/) })]);
    const audit = (await A.as('GET', '/v1/audit?action=notifyEquipmentAlarm')).body.items;
    expect(audit.map((r: any) => [r.resource, r.actorId, r.outcome]).sort()).toEqual([
      [`equipment-alarm/${after.BURNER.id}`, 'alarm-notifier', 'success'], [`equipment-alarm/${after.HOT.id}`, 'alarm-notifier', 'success'],
    ].sort());
    const events = (await A.as('GET', '/v1/events?type=equipment_alarm.notified')).body.items;
    expect(events.map((e: any) => e.payload.code).sort()).toEqual(['BURNER', 'HOT']);
    // A second run right away tells nobody again.
    expect(await notifyAlarms(db, mailer, now)).toEqual({ sent: 0, escalated: 0, failed: 0 });
    expect(inbox.length).toBe(2);
  });

  it('S1-5.4.6-d: unacknowledged past the level\'s timeout goes to the next level; not before; a grade without a next level stays', async () => {
    const base = (await alarmsBy()).BURNER.notifiedAt;
    const at = (minutes: number) => new Date(Date.parse(base) + minutes * MIN);
    expect(await notifyAlarms(db, mailer, at(9))).toEqual({ sent: 0, escalated: 0, failed: 0 });
    expect(await notifyAlarms(db, mailer, at(10))).toEqual({ sent: 0, escalated: 1, failed: 0 });
    const mail = inbox.at(-1)!;
    expect(mail.to).toEqual(['maintenance-lead@plant.example', 'deputy@plant.example']);
    expect(subjectOf(mail)).toBe('[MES critical] ESCALATION level 2: OVEN-3 alarm BURNER');
    const burner = (await alarmsBy()).BURNER;
    expect([burner.notifiedLevel, burner.notifiedAt]).toEqual([2, at(10).toISOString()]);
    // HOT (major) has no level 2: it stays at 1 however long it waits.
    expect((await alarmsBy()).HOT.notifiedLevel).toBe(1);
    const audit = (await A.as('GET', '/v1/audit?action=escalateEquipmentAlarm')).body.items;
    expect(audit.map((r: any) => [r.resource, r.details.level, r.details.recipients])).toEqual([[`equipment-alarm/${burner.id}`, 2, ['maintenance-lead@plant.example', 'deputy@plant.example']]]);
    expect((await A.as('GET', '/v1/events?type=equipment_alarm.escalated')).body.items.map((e: any) => e.payload.level)).toEqual([2]);
  });

  it('S1-5.4.6-d: an acknowledgement stops the escalation', async () => {
    const burner = (await alarmsBy()).BURNER;
    expect((await A.as('POST', `/v1/equipment-alarms/${burner.id}/acknowledge`, { note: 'burner reset' })).status).toBe(200);
    const sentBefore = inbox.length;
    expect(await notifyAlarms(db, mailer, new Date(Date.parse(burner.notifiedAt) + 120 * MIN))).toEqual({ sent: 0, escalated: 0, failed: 0 });
    expect(inbox.length).toBe(sentBefore);
    expect((await A.as('GET', `/v1/equipment-alarms/${burner.id}/notices`)).body.items.map((n: any) => n.level)).toEqual([1, 2]);
  });

  it('S1-5.4.6-d: a mail server that cannot be reached is a failed notice, audited as an error; the level stays and the next run sends it', async () => {
    await send([[T + 2 * MIN, 'fault', false], [T + 3 * MIN, 'fault', true]]);
    const open = (await A.as('GET', `/v1/equipment-alarms?equipmentId=${oven.id}&active=true&grade=critical`)).body.items[0];
    const dead: Mailer = { transport: nodemailer.createTransport({ host: '127.0.0.1', port: 1, secure: false, ignoreTLS: true, connectionTimeout: 2000 }), from: 'mes@plant.example' };
    expect(await notifyAlarms(db, dead)).toEqual({ sent: 0, escalated: 0, failed: 1 });
    expect((await A.as('GET', `/v1/equipment-alarms/${open.id}`)).body.notifiedLevel).toBe(0);
    const failed = (await A.as('GET', `/v1/equipment-alarms/${open.id}/notices`)).body.items;
    expect(failed).toEqual([expect.objectContaining({ level: 1, outcome: 'failed', error: expect.stringMatching(/ECONNREFUSED|connect/i), messageId: null })]);
    const audit = (await A.as('GET', '/v1/audit?action=notifyEquipmentAlarm')).body.items.filter((r: any) => r.resource === `equipment-alarm/${open.id}`);
    expect(audit.map((r: any) => r.outcome)).toEqual(['error']);
    expect(await notifyAlarms(db, mailer)).toEqual({ sent: 1, escalated: 0, failed: 0 });
    expect((await A.as('GET', `/v1/equipment-alarms/${open.id}/notices`)).body.items.map((n: any) => n.outcome)).toEqual(['failed', 'sent']);
  });

  it('S1-5.3.2-a: another tenant sees neither the routes nor the notices', async () => {
    const B = await equipmentTenant(t, 'notify-b');
    expect((await B.as('GET', '/v1/equipment-alarm-routes')).body).toEqual({ routes: [] });
    const burner = (await alarmsBy()).BURNER;
    expect((await B.as('GET', `/v1/equipment-alarms/${burner.id}/notices`)).status).toBe(404);
  });
});
