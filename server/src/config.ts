import path from 'node:path';

export interface ServerConfig {
  /** postgres://… for PostgreSQL, memory:// for a throwaway PGlite; unset: PGlite in dataDir. */
  databaseUrl?: string;
  dataDir: string;
  host: string;
  port: number;
  logLevel: string;
  bodyLimitBytes: number;
  /** The largest process drawing an upload may carry (its own limit: drawings are not JSON). */
  drawingMaxBytes: number;
  dbPoolSize: number;
  /** How long SIGTERM waits for in-flight requests before the process exits anyway. */
  shutdownTimeoutMs: number;
  /** Readiness is false for this long before the listener closes, so balancers stop routing first. */
  shutdownDelayMs: number;
  /** How long a client may take to send a whole request (headers and body); then 408 and the connection closes. */
  requestTimeoutMs: number;
  /**
   * Which proxies' X-Forwarded-For to believe for the client's address (login throttling, logs):
   * unset: none, the socket's peer is the client; `true`, or addresses/CIDRs separated by commas.
   */
  trustProxy?: string;
  tokenTtlSeconds: number;
  keyCacheTtlMs: number;
  planTtlMs: number;
  /** A running cutover step whose heartbeat is older than this was abandoned by a dead process (MES_CUTOVER_STEP_LEASE_MS, default 60 s). */
  cutoverStepLeaseMs: number;
  /**
   * A PostgreSQL server (postgres://… of a user that may create databases) on which backup drills
   * create and drop their scratch database; unset: a PGlite scratch in a temporary directory.
   */
  backupScratchUrl?: string;
  /** How often a tenant with open event streams has its outbox head read. */
  eventStreamPollMs: number;
  /** Heartbeat comments on event streams; credentials are re-checked at each. */
  eventStreamHeartbeatMs: number;
  /** The built web console (web/dist) served at `/`; unset: no console, the API alone. */
  webDir?: string;
  /** Raw telemetry readings are kept this many days (whole months dropped after it; the rollups stay); older readings are refused. */
  telemetryRetentionDays: number;
  /** smtp(s)://[user:pass@]host:port of the mail server that alarm e-mails go through; unset: no e-mail (alarms still reach screens). */
  smtpUrl?: string;
  /** The From of alarm e-mails. */
  mailFrom: string;
  version: string;
}

export const SERVER_VERSION = '0.1.0';

const int = (v: string | undefined, fallback: number, name: string): number => {
  if (v === undefined || v === '') return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a whole number, got "${v}"`);
  return n;
};

/** Defaults, overridden by MES_* environment variables, overridden by explicit options. */
export function loadConfig(overrides: Partial<ServerConfig> = {}, env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const fromEnv: ServerConfig = {
    databaseUrl: env.MES_DATABASE_URL || undefined,
    dataDir: path.resolve(env.MES_DATA_DIR || '.mes'),
    host: env.MES_HOST || '127.0.0.1',
    port: int(env.MES_PORT, 8080, 'MES_PORT'),
    logLevel: env.MES_LOG_LEVEL || 'info',
    bodyLimitBytes: int(env.MES_BODY_LIMIT_BYTES, 1024 * 1024, 'MES_BODY_LIMIT_BYTES'),
    drawingMaxBytes: int(env.MES_DRAWING_MAX_BYTES, 20 * 1024 * 1024, 'MES_DRAWING_MAX_BYTES'),
    dbPoolSize: int(env.MES_DB_POOL_SIZE, 20, 'MES_DB_POOL_SIZE'),
    shutdownTimeoutMs: int(env.MES_SHUTDOWN_TIMEOUT_MS, 10_000, 'MES_SHUTDOWN_TIMEOUT_MS'),
    shutdownDelayMs: int(env.MES_SHUTDOWN_DELAY_MS, 0, 'MES_SHUTDOWN_DELAY_MS'),
    requestTimeoutMs: int(env.MES_REQUEST_TIMEOUT_MS, 30_000, 'MES_REQUEST_TIMEOUT_MS'),
    trustProxy: env.MES_TRUST_PROXY || undefined,
    tokenTtlSeconds: int(env.MES_TOKEN_TTL_SECONDS, 900, 'MES_TOKEN_TTL_SECONDS'),
    keyCacheTtlMs: int(env.MES_KEY_CACHE_TTL_MS, 5000, 'MES_KEY_CACHE_TTL_MS'),
    planTtlMs: int(env.MES_PLAN_TTL_MS, 2000, 'MES_PLAN_TTL_MS'),
    cutoverStepLeaseMs: Math.max(1000, int(env.MES_CUTOVER_STEP_LEASE_MS, 60_000, 'MES_CUTOVER_STEP_LEASE_MS')),
    backupScratchUrl: env.MES_BACKUP_SCRATCH_URL || undefined,
    eventStreamPollMs: Math.max(50, int(env.MES_EVENT_STREAM_POLL_MS, 500, 'MES_EVENT_STREAM_POLL_MS')),
    eventStreamHeartbeatMs: Math.max(100, int(env.MES_EVENT_STREAM_HEARTBEAT_MS, 15_000, 'MES_EVENT_STREAM_HEARTBEAT_MS')),
    webDir: env.MES_WEB_DIR || undefined,
    telemetryRetentionDays: Math.min(400, Math.max(1, int(env.MES_TELEMETRY_RETENTION_DAYS, 400, 'MES_TELEMETRY_RETENTION_DAYS'))),
    smtpUrl: env.MES_SMTP_URL || undefined,
    mailFrom: env.MES_MAIL_FROM || 'MES <mes@localhost>',
    version: SERVER_VERSION,
  };
  const merged = { ...fromEnv, ...Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined)) };
  return { ...merged, dataDir: path.resolve(merged.dataDir), ...(merged.webDir ? { webDir: path.resolve(merged.webDir) } : {}) };
}
