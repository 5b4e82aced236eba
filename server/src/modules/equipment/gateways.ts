/**
 * Gateway management (S1-4.2.3, S1-5.3.8-a): registration with an Ed25519 public key, key
 * rotation, the versioned device map, heartbeats, and commands to devices (S1-5.2.4) with their
 * results. The signed side (what the gateway calls) authenticates with signing.ts.
 */
import { createHash, createPublicKey } from 'node:crypto';
import { appendAudit } from '../../platform/audit.js';
import type { Sql } from '../../platform/db.js';
import { conflict, fieldError, notFound, unprocessable } from '../../platform/errors.js';
import { recordEvent } from '../../platform/outbox.js';
import * as plant from '../plant/service.js';
import * as repo from './gateway-repo.js';
import type { CommandResults, Gateway, GatewayConfig, GatewaySummary, HeartbeatAnswer, RegisterGatewayInput, UpdateGatewayInput } from './gateway-schema.js';
import { getEquipment } from './master.js';
import type { DeviceCommand } from './schema.js';
import type { SignedGateway } from './signing.js';

/** The key as SPKI PEM and its fingerprint; anything but an Ed25519 public key is refused. */
function parsePublicKey(pem: string, field: string): { pem: string; fingerprint: string } {
  try {
    const key = createPublicKey(pem);
    if (key.asymmetricKeyType === 'ed25519') {
      const der = key.export({ type: 'spki', format: 'der' });
      return { pem: key.export({ type: 'spki', format: 'pem' }).toString(), fingerprint: createHash('sha256').update(der).digest('hex') };
    }
  } catch {
    // not a key: refused below
  }
  throw unprocessable('PUBLIC_KEY_INVALID', 'the public key must be an Ed25519 public key in SPKI PEM', [fieldError(field, 'NOT_ED25519', 'is not an Ed25519 public key (PEM)')]);
}

async function gatewayRow(tx: Sql, tenantId: string, id: string) {
  const row = await repo.findGatewayRow(tx, tenantId, { id });
  if (!row) throw notFound('gateway', id);
  return row;
}

export async function getGateway(tx: Sql, tenantId: string, id: string): Promise<Gateway> {
  return repo.gatewayDetail(tx, tenantId, await gatewayRow(tx, tenantId, id));
}

export const listGateways = (tx: Sql, tenantId: string, q: { limit: number; after?: string }): Promise<GatewaySummary[]> => repo.listGateways(tx, tenantId, q);

export async function registerGateway(tx: Sql, tenantId: string, input: RegisterGatewayInput): Promise<Gateway> {
  const key = parsePublicKey(input.publicKey, 'publicKey');
  if (input.siteId && !(await plant.findPlants(tx, tenantId, [input.siteId])).length) {
    throw unprocessable('GATEWAY_INVALID', 'the gateway cannot be registered as given', [fieldError('siteId', 'UNKNOWN_PLANT', `no plant ${input.siteId}`)]);
  }
  if (await repo.findGatewayRow(tx, tenantId, { code: input.code })) {
    throw conflict('GATEWAY_CODE_TAKEN', `gateway ${input.code} already exists`, { errors: [fieldError('code', 'TAKEN', 'is already in use')] });
  }
  const id = await repo.insertGateway(tx, tenantId, { code: input.code, name: input.name, siteId: input.siteId ?? null });
  await repo.insertKey(tx, tenantId, id, key.pem, key.fingerprint);
  recordEvent(tx, { tenantId, type: 'gateway.registered', aggregateType: 'gateway', aggregateId: id, payload: { id, code: input.code, fingerprint: key.fingerprint } });
  return getGateway(tx, tenantId, id);
}

/** Rename, block or unblock a gateway (optimistic concurrency on version). */
export async function updateGateway(tx: Sql, tenantId: string, id: string, input: UpdateGatewayInput): Promise<Gateway> {
  const current = await gatewayRow(tx, tenantId, id);
  if (!(await repo.updateGateway(tx, tenantId, id, input.version, { name: input.name, status: input.status }))) {
    throw conflict('VERSION_CONFLICT', `gateway ${current.code} is at version ${current.version}, not ${input.version}`, { currentVersion: current.version });
  }
  const updated = await getGateway(tx, tenantId, id);
  if (input.status && input.status !== current.status) {
    recordEvent(tx, { tenantId, type: `gateway.${input.status === 'blocked' ? 'blocked' : 'unblocked'}`, aggregateType: 'gateway', aggregateId: id, payload: { id, code: current.code } });
  }
  return updated;
}

/** Key rotation: the new key is valid at once, next to the old one until that is revoked. */
export async function addKey(tx: Sql, tenantId: string, id: string, publicKey: string): Promise<Gateway> {
  await gatewayRow(tx, tenantId, id);
  const key = parsePublicKey(publicKey, 'publicKey');
  if (!(await repo.insertKey(tx, tenantId, id, key.pem, key.fingerprint))) {
    throw conflict('KEY_ALREADY_REGISTERED', `the key ${key.fingerprint.slice(0, 16)}… is already registered for this gateway`);
  }
  await repo.touchGateway(tx, tenantId, id);
  return getGateway(tx, tenantId, id);
}

export async function revokeKey(tx: Sql, tenantId: string, id: string, keyId: string): Promise<Gateway> {
  await gatewayRow(tx, tenantId, id);
  const outcome = await repo.revokeKey(tx, tenantId, id, keyId);
  if (outcome === 'missing') throw notFound('gateway key', keyId);
  if (outcome === 'already') throw conflict('KEY_REVOKED', `key ${keyId} is already revoked`);
  await repo.touchGateway(tx, tenantId, id);
  return getGateway(tx, tenantId, id);
}

/** A new version of the device map, stored as given; the gateway pulls it after its next heartbeat or batch. */
export async function putConfig(tx: Sql, tenantId: string, id: string, devices: Record<string, unknown>[]): Promise<GatewayConfig> {
  await repo.findGatewayRow(tx, tenantId, { id }, true).then((r) => {
    if (!r) throw notFound('gateway', id);
  });
  const seen = new Set<string>();
  const errors = devices.flatMap((d, i) => {
    const code = String(d.device);
    if (seen.has(code)) return [fieldError(`devices[${i}].device`, 'DUPLICATE_DEVICE', `${code} is listed twice`)];
    seen.add(code);
    return [];
  });
  if (errors.length) throw unprocessable('GATEWAY_CONFIG_INVALID', 'the device map cannot be saved as given', errors);
  const version = (await repo.configVersion(tx, tenantId, id)) + 1;
  await repo.insertConfig(tx, tenantId, id, version, devices);
  return { version, devices };
}

export async function getConfig(tx: Sql, tenantId: string, id: string): Promise<GatewayConfig> {
  await gatewayRow(tx, tenantId, id);
  return repo.latestConfig(tx, tenantId, id);
}

/** A setpoint for a writable point, queued for the machine's gateway (S1-5.2.4). */
export async function issueCommand(tx: Sql, tenantId: string, equipmentId: string, input: { point: string; value: number | boolean | string }, issuedBy: string): Promise<DeviceCommand> {
  const equipment = await getEquipment(tx, tenantId, equipmentId);
  const point = equipment.points.find((p) => p.point === input.point);
  const errors = [];
  if (!equipment.gatewayId) errors.push(fieldError('point', 'NO_GATEWAY', `equipment ${equipment.code} has no gateway to send commands through`));
  if (!point) errors.push(fieldError('point', 'UNKNOWN_POINT', `${input.point} is not a point of ${equipment.code}`));
  else if (!point.writable) errors.push(fieldError('point', 'NOT_WRITABLE', `${input.point} does not take commands`));
  else if (typeof input.value !== point.type) errors.push(fieldError('value', 'WRONG_TYPE', `${input.point} is a ${point.type} point`));
  if (errors.length) throw unprocessable('COMMAND_INVALID', 'the command cannot be sent as given; nothing was queued', errors);
  const id = await repo.insertCommand(tx, tenantId, { equipmentId, gatewayId: equipment.gatewayId!, point: input.point, value: input.value, issuedBy });
  return (await repo.findCommand(tx, tenantId, id))!;
}

export async function getCommand(tx: Sql, tenantId: string, id: string): Promise<DeviceCommand> {
  const found = await repo.findCommand(tx, tenantId, id);
  if (!found) throw notFound('device command', id);
  return found;
}

// ---------------------------------------------------------------- the gateway's own calls

export async function heartbeat(tx: Sql, gw: SignedGateway, status: Record<string, unknown>): Promise<HeartbeatAnswer> {
  await repo.recordHeartbeat(tx, gw.tenantId, gw.id, status);
  const commands = await repo.deliverCommands(tx, gw.tenantId, gw.id);
  return {
    configVersion: await repo.configVersion(tx, gw.tenantId, gw.id),
    commands: commands.map((c) => ({ id: c.id, device: c.device, point: c.point, value: c.value, issuedAt: c.issuedAt })),
  };
}

export const pulledConfig = (tx: Sql, gw: SignedGateway): Promise<GatewayConfig> => repo.latestConfig(tx, gw.tenantId, gw.id);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Results of commands: each recorded once and audited; unknown ids and repeats are ignored. */
export async function commandResults(tx: Sql, gw: SignedGateway, body: CommandResults, trace: { requestId: string; traceId: string }): Promise<{ recorded: number }> {
  let recorded = 0;
  for (const r of body.results) {
    if (!UUID.test(r.id)) continue;
    const done = await repo.completeCommand(tx, gw.tenantId, gw.id, r.id, r.ok, r.ok ? null : (r.error ?? 'failed').slice(0, 500));
    if (!done) continue;
    recorded++;
    await appendAudit(tx, {
      tenantId: gw.tenantId, actorType: 'system', actorId: `gateway:${gw.code}`, action: 'reportCommandResult', resource: `device-command/${done.id}`,
      outcome: 'success', statusCode: 200, requestId: trace.requestId, traceId: trace.traceId,
      details: { equipmentId: done.equipmentId, point: done.point, value: done.value, ok: r.ok, ...(done.error ? { error: done.error } : {}) },
    });
    recordEvent(tx, { tenantId: gw.tenantId, type: `device_command.${r.ok ? 'done' : 'failed'}`, aggregateType: 'device_command', aggregateId: done.id, payload: { id: done.id, equipmentId: done.equipmentId, point: done.point, error: done.error } });
  }
  return { recorded };
}

/** How many gateways of the tenant are active (go-live readiness, S1-7.2). */
export const countActiveGateways = (tx: Sql, tenantId: string) => repo.countActiveGateways(tx, tenantId);
