import { randomBytes } from 'node:crypto';
import Fastify, { type FastifyContextConfig, type FastifyError, type FastifySchema, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import swagger from '@fastify/swagger';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { ServerConfig } from './config.js';
import { appendAudit } from './platform/audit.js';
import { MAX_URL_LENGTH, clientErrorHandler, uriTooLong } from './platform/client-errors.js';
import { Authenticator, actorId, requirePermission } from './platform/auth.js';
import { DatabaseUnavailableError, openDatabase, type Database } from './platform/db.js';
import { TenantFreeze } from './platform/freeze.js';
import { Diagnostics } from './platform/diagnostics.js';
import { MesProblem, fieldErrorsFromAjv, problemBody, problemFromDatabase } from './platform/errors.js';
import { createMetrics, type Metrics } from './platform/metrics.js';
import { migrate } from './platform/migrations.js';
import { LoginThrottle } from './platform/login-throttle.js';
import { TenantRateLimiter } from './platform/rate-limit.js';
import { traceFrom } from './platform/tracing.js';
import { registerSchemas, withPipelineContract } from './platform/schemas.js';
import { lazySchemaCompilers } from './platform/validation.js';
import { frozenCutoverId } from './modules/cutovers/repo.js';
import { registerModules } from './modules/index.js';
import { registerWebConsole, type WebConsole } from './web.js';

export type MesApp = FastifyInstance<any, any, any, any, TypeBoxTypeProvider>;

/** Everything a module's routes need, built once per server. */
export interface AppContext {
  config: ServerConfig;
  db: Database;
  auth: Authenticator;
  limiter: TenantRateLimiter;
  loginThrottle: LoginThrottle;
  diagnostics: Diagnostics;
  metrics: Metrics;
  /** Which tenants a go-live cutover holds frozen (423 TENANT_FROZEN on their writes). */
  freeze: TenantFreeze;
  /** draining: readiness is false, requests are still served. closing: new requests are refused. */
  lifecycle: { draining: boolean; closing: boolean };
}

export interface BuiltApp {
  app: MesApp;
  ctx: AppContext;
  /** Compiles every route's validators and serializers now (they compile on first use); returns the count. */
  compileSchemas(): number;
  close(): Promise<void>;
}

/** Opens the database, migrates it, and builds the HTTP app. Does not listen. */
export interface BuildOptions {
  /** An already open database (tests, tools); the app then leaves it open on close. */
  db?: Database;
  /** Where JSON log lines go; stdout by default. `mes up --json` sends them to stderr. */
  logStream?: NodeJS.WritableStream;
}

export async function buildApp(config: ServerConfig, opts: BuildOptions = {}): Promise<BuiltApp> {
  const db = opts.db ?? (await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir, poolSize: config.dbPoolSize }));
  await migrate(db);
  const jwtSecret = await loadJwtSecret(db);
  const ctx: AppContext = {
    config,
    db,
    auth: new Authenticator(db, jwtSecret, { keyCacheTtlMs: config.keyCacheTtlMs, tokenTtlSeconds: config.tokenTtlSeconds }),
    limiter: new TenantRateLimiter(db, config.planTtlMs),
    loginThrottle: new LoginThrottle(),
    diagnostics: new Diagnostics(db, config.dataDir),
    metrics: createMetrics(db),
    freeze: new TenantFreeze((tenantId) => db.transaction({ tenantId, readOnly: true }, (tx) => frozenCutoverId(tx, tenantId)), config.planTtlMs),
    lifecycle: { draining: false, closing: false },
  };

  const compilers = lazySchemaCompilers();
  const app: MesApp = Fastify({
    logger: { level: config.logLevel, redact: ['req.headers.authorization', 'req.headers.cookie'], ...(opts.logStream ? { stream: opts.logStream } : {}) },
    bodyLimit: config.bodyLimitBytes,
    // A slow client (a body trickling in, or never finishing) is answered 408 and disconnected
    // after requestTimeoutMs; Node checks its connections at a quarter of that. Node only enforces
    // the request timeout when the headers timeout is not longer.
    requestTimeout: config.requestTimeoutMs,
    trustProxy: config.trustProxy === 'true' ? true : config.trustProxy ?? false,
    http: {
      requestTimeout: config.requestTimeoutMs,
      headersTimeout: Math.min(60_000, config.requestTimeoutMs),
      connectionsCheckingInterval: Math.max(50, Math.min(30_000, Math.floor(config.requestTimeoutMs / 4))),
    },
    clientErrorHandler,
    // The router's own refusals (a bad URL encoding, a path parameter over 100 characters) as problems too.
    frameworkErrors: (error, req, reply) => {
      const problem = error.code === 'FST_ERR_MAX_PARAM_LENGTH' ? uriTooLong() : new MesProblem(400, 'MALFORMED_URL', 'the request URL is not validly percent-encoded');
      joinTrace(req, reply);
      return sendProblem(req, reply, problem);
    },
    genReqId: () => randomBytes(8).toString('hex'),
    // Refusals while closing are ours (problem+json with a code), not Fastify's plain 503.
    return503OnClosing: false,
    schemaController: { compilersFactory: { buildSerializer: compilers.serializerFactory } },
  }).withTypeProvider<TypeBoxTypeProvider>();
  app.setValidatorCompiler(compilers.validatorCompiler);

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'mes reference MES API', version: config.version, description: 'Cloud manufacturing-execution system (S1) reference service.' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'API key (mes_…) or login token' } } },
      security: [{ bearer: [] }],
    },
    refResolver: { buildLocalReference: (json, _base, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`) },
    transform: ({ schema, url, route }) => ({ schema: withAccessExtensions(withContract(schema, route), route.config), url }),
  });
  registerSchemas(app);
  const web = config.webDir ? await registerWebConsole(app, config.webDir) : undefined;
  installPipeline(app, ctx, web);
  registerModules(app, ctx);
  app.get('/openapi.json', { schema: { hide: true }, config: { public: true } }, async () => app.swagger());

  return {
    app,
    ctx,
    compileSchemas: compilers.compileAll,
    async close() {
      Object.assign(ctx.lifecycle, { draining: true, closing: true });
      await app.close();
      ctx.diagnostics.stop();
      if (!opts.db) await db.close();
    },
  };
}

/**
 * The one place the spec learns what each operation needs, from the same route config the
 * pipeline enforces: `x-mes-permission` (the permission), `x-mes-public: true` (no credentials),
 * `x-mes-platform: true` (platform-wide visibility, a platform permission), `x-mes-one-of-query`
 * (optional query parameters of which at least one must be given, else 422). Conformance suites
 * generate their isolation and permission checks from these (docs/api.md).
 */
function withAccessExtensions(schema: FastifySchema, config: FastifyContextConfig | undefined): FastifySchema {
  if (!schema) return schema;
  const extensions: Record<string, unknown> = {};
  if (config?.public) extensions['x-mes-public'] = true;
  if (config?.permission) extensions['x-mes-permission'] = config.permission;
  if (config?.platform) extensions['x-mes-platform'] = true;
  if (config?.oneOfQuery) extensions['x-mes-one-of-query'] = config.oneOfQuery;
  return { ...schema, ...extensions };
}

function withContract(schema: FastifySchema, route: { method: string | string[]; config?: FastifyContextConfig }): FastifySchema {
  if (!schema || schema.hide) return schema;
  const method = [route.method].flat()[0];
  return withPipelineContract(schema as Record<string, unknown>, method, {
    public: route.config?.public === true,
    login: schema.operationId === 'login',
    body: schema.body !== undefined,
  }) as FastifySchema;
}

/** The HS256 key for login tokens, shared by every replica through the database. */
async function loadJwtSecret(db: Database): Promise<Uint8Array> {
  const value = await db.asOwner(async (sql) => {
    await sql.query(`INSERT INTO platform_settings (key, value) VALUES ('jwt_secret', $1) ON CONFLICT DO NOTHING`, [randomBytes(32).toString('base64url')]);
    return (await sql.query<{ value: string }>(`SELECT value FROM platform_settings WHERE key = 'jwt_secret'`)).rows[0].value;
  });
  return Buffer.from(value, 'base64url');
}

/** Each admitted request's plan slot, given back when its response ends. */
const releases = new WeakMap<FastifyRequest, () => void>();

/**
 * Gives the request's concurrent-request slot back before its response ends: for a response that
 * lasts hours (an event stream), which the plan's concurrency limit is not about.
 */
export function releaseAdmission(req: FastifyRequest): void {
  releases.get(req)?.();
}

function installPipeline(app: MesApp, ctx: AppContext, web: WebConsole | undefined): void {
  app.decorateRequest('traceId', '');
  app.decorateRequest('principal', undefined);
  const started = new WeakMap<FastifyRequest, bigint>();

  app.addHook('onRequest', async (req, reply) => {
    started.set(req, process.hrtime.bigint());
    // A request ends when its response closes: sent, or the client gone (aborted, socket closed,
    // timed out). Only then are its plan slot and its place in the in-flight gauge given back.
    const slot: { release?: () => void; ended: boolean } = { ended: false };
    ctx.metrics.inFlight.inc();
    reply.raw.once('close', () => {
      slot.ended = true;
      slot.release?.();
      ctx.metrics.inFlight.dec();
    });
    joinTrace(req, reply);
    if (req.url.length > MAX_URL_LENGTH) throw uriTooLong();
    const config = req.routeOptions.config;
    if (ctx.lifecycle.closing && !config.public) {
      throw new MesProblem(503, 'SHUTTING_DOWN', 'this replica is shutting down; retry, and the balancer will route to another', { headers: { 'retry-after': '1' } });
    }
    if (config.public || !req.routeOptions.url) return;
    req.principal = await ctx.auth.authenticate(req.headers.authorization);
    if (config.permission) requirePermission(req.principal, config.permission);
    await ctx.freeze.admit(req, req.principal.tenantId);
    try {
      const admitted = await ctx.limiter.admit(req.principal.tenantId);
      // Given back once: by an event stream early (releaseAdmission), or when the response closes.
      let given = false;
      const release = () => {
        if (given) return;
        given = true;
        admitted();
      };
      if (slot.ended) release();
      else {
        slot.release = release;
        releases.set(req, release);
      }
    } catch (err) {
      if (err instanceof MesProblem) ctx.metrics.rejections.inc({ code: err.code });
      throw err;
    }
  });

  // A POST without a body is validated as {}: optional bodies need no special case, and a missing
  // required body is answered with every missing field rather than "body must be object".
  app.addHook('preValidation', async (req) => {
    if (req.body === undefined && req.method === 'POST' && req.routeOptions.schema?.body) req.body = {};
  });

  // While draining, every response closes its connection: server.close() only reaps connections
  // idle at that moment, so a keep-alive client whose request was in flight would otherwise hold
  // the listener open past the shutdown bound.
  app.addHook('onSend', async (_req, reply, payload) => {
    if (ctx.lifecycle.draining) reply.header('connection', 'close');
    return payload;
  });

  app.addHook('onResponse', async (req, reply) => {
    const t0 = started.get(req);
    if (t0 !== undefined) {
      const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
      ctx.metrics.httpDuration.observe({ method: req.method, route: req.routeOptions.url ?? 'unmatched', status: String(reply.statusCode) }, seconds);
    }
  });

  app.setNotFoundHandler(async (req, reply) => {
    if (web?.serveDeepLink(req, reply)) return reply;
    return sendProblem(req, reply, new MesProblem(404, 'ROUTE_NOT_FOUND', `no route ${req.method} ${req.url.split('?')[0]}; the API is described at /openapi.json`));
  });

  app.setErrorHandler(async (error: FastifyError, req, reply) => {
    const problem = toProblem(error);
    // An outage fails every request (and health check) the same way: a line each, no stack.
    if (problem.code.startsWith('DATABASE_')) req.log.warn({ code: problem.code, reason: error.message }, 'request failed: the database could not serve it');
    else if (problem.status >= 500) req.log.error({ err: loggableError(error), code: problem.code }, 'request failed');
    else req.log.info({ code: problem.code, status: problem.status }, 'request refused');
    await auditFailure(ctx, req, problem);
    return sendProblem(req, reply, problem);
  });
}

/** The request joins the caller's trace (W3C traceparent) or starts one; the response says which. */
function joinTrace(req: FastifyRequest, reply: FastifyReply): void {
  const trace = traceFrom(req.headers.traceparent);
  req.traceId = trace.traceId;
  req.log = req.log.child({ traceId: trace.traceId });
  // The access log line ("request completed") is written through reply.log: give it the trace id too.
  reply.log = req.log;
  reply.header('traceparent', trace.traceparent);
  reply.header('x-request-id', req.id);
}

/**
 * What of an error may reach the log: never its other properties, which for database errors can
 * carry the statement's parameters (a response being stored, a password hash).
 */
function loggableError(error: Error & { code?: string }) {
  return { type: error.name, message: error.message, code: error.code, stack: error.stack };
}

function sendProblem(req: FastifyRequest, reply: FastifyReply, problem: MesProblem) {
  for (const [name, value] of Object.entries(problem.extras.headers ?? {})) reply.header(name, value);
  return reply
    .code(problem.status)
    .type('application/problem+json')
    .send(JSON.stringify(problemBody(problem, req.url.split('?')[0], req.traceId)));
}

/** Every failure becomes a problem with a code: bad input is a 4xx, never a 500. */
export function toProblem(error: FastifyError & { validationContext?: string }): MesProblem {
  if (error instanceof MesProblem) return error;
  if (error instanceof DatabaseUnavailableError) return databaseProblem(error);
  if (error.validation) {
    const errors = fieldErrorsFromAjv(error.validation as never, error.validationContext ?? 'body');
    return new MesProblem(400, 'VALIDATION_FAILED', `${errors.length} field${errors.length === 1 ? '' : 's'} failed validation: ${errors.map((e) => e.field).join(', ')}`, { errors });
  }
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new MesProblem(400, 'MALFORMED_JSON', `the request body is not valid JSON: ${error.message}`);
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new MesProblem(413, 'BODY_TOO_LARGE', 'the request body exceeds the server limit (MES_BODY_LIMIT_BYTES)');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new MesProblem(415, 'UNSUPPORTED_MEDIA_TYPE', 'send the body as application/json');
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new MesProblem(400, 'BAD_CONTENT_LENGTH', 'Content-Length does not match the body');
  }
  if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
    return new MesProblem(error.statusCode, 'BAD_REQUEST', error.message);
  }
  return problemFromDatabase(error as never) ?? new MesProblem(500, 'INTERNAL_ERROR', 'an unexpected error occurred; report the traceId to the operator');
}

/**
 * The database cannot serve right now (down, restarting, or every pooled connection held): 503
 * with a code clients switch on and Retry-After, never a 500. The detail points operators at the
 * diagnostics check that says more; the cause (addresses, SQLSTATEs) stays in the log.
 */
function databaseProblem(error: DatabaseUnavailableError): MesProblem {
  const detail = {
    DATABASE_POOL_EXHAUSTED: 'every database connection of this replica is busy; retry shortly (operators: the databasePool check of GET /v1/diagnostics)',
    DATABASE_TOO_MANY_CONNECTIONS: 'the database refused a new connection because its connection limit (max_connections) is reached; retry shortly (operators: the databaseConnections check of GET /v1/diagnostics)',
    DATABASE_UNAVAILABLE: 'the database is unreachable; retry shortly (operators: the database check of GET /v1/diagnostics)',
  }[error.code];
  return new MesProblem(503, error.code, detail, { headers: { 'retry-after': '2' } });
}

/**
 * Refused and failed state changes are audited too, in their own transaction. Plan-limit refusals
 * (429) are not: a write per throttled request would let a flooding tenant load the very database
 * its limit protects. They are counted in mes_tenant_limit_rejections_total instead.
 */
async function auditFailure(ctx: AppContext, req: FastifyRequest, problem: MesProblem): Promise<void> {
  const p = req.principal;
  const reads = req.method === 'GET' || req.routeOptions.config?.readOnly === true;
  if (!p || (reads && problem.status !== 403) || problem.status === 429 || problem.code.startsWith('DATABASE_')) return;
  try {
    await ctx.db.transaction({ tenantId: p.tenantId }, (tx) =>
      appendAudit(tx, {
        tenantId: p.tenantId,
        actorType: p.via,
        actorId: actorId(p),
        action: req.routeOptions.schema?.operationId ?? `${req.method} ${req.routeOptions.url ?? req.url}`,
        resource: req.url.split('?')[0],
        outcome: problem.status === 403 ? 'denied' : problem.status >= 500 ? 'error' : 'rejected',
        statusCode: problem.status,
        requestId: req.id,
        traceId: req.traceId,
        details: { code: problem.code },
      }),
    );
  } catch (err) {
    req.log.error({ err }, 'could not write the audit record of a failed request');
  }
}
