/**
 * A backup is verified only by restoring it (pgBackRest's `verify` checks files; this goes on to
 * prove they make a working MES): files and signature, then a restore into a scratch database,
 * then the restored copy against the manifest (rows and content of every table), every tenant's
 * audit chain, every ledger balance against its movements, every foreign key, and finally the real
 * server started on the copy answering /readyz. Recovery time (RTO) is the restore plus the start.
 */
import { chainHead, verifyChain } from '../../platform/audit.js';
import { canonicalJson } from '../../platform/canonical-json.js';
import type { Database } from '../../platform/db.js';
import { balancesOffLedger, ledgerTotals } from '../inventory/integrity.js';
import type { BackupSetReader } from './backup-set.js';
import { storedName } from './backup-set.js';
import { BULK_SESSION_SETTINGS, dumpDatabase } from './dump.js';
import { BackupError } from './errors.js';
import { quoteIdent as q, readSchema } from './introspect.js';
import type { BackupManifest } from './manifest.js';
import { restoreInstance, type RestoreProgress } from './restore.js';

export interface CheckReport {
  content: { tables: number; rows: number };
  auditChains: { tenants: number; records: number };
  ledger: { tenants: number; movements: number; balances: number };
  foreignKeys: { checked: number };
  readiness?: { status: number; ms: number };
}

export interface VerifyReport {
  backupId: string;
  verified: boolean;
  /** When the restore began: the moment of the simulated loss, for the RPO. */
  restoreStartedAt: string;
  timings: { filesMs: number; restoreMs: number; checksMs: number; readyMs: number };
  /** Recovery time: restore plus the server's start until /readyz answers 200. */
  rtoMs: number;
  /** Age of the newest data at the simulated loss: the restore's start minus the snapshot. */
  rpoMs: number;
  checks: CheckReport;
  migratedForward: string[];
}

export interface VerifyOptions {
  onProgress?(message: string): void;
  /**
   * Starts the real server on the scratch database and returns the status of GET /readyz and
   * how long it took; the caller decides how (in process, or `node server/dist/main.js`).
   */
  readiness(scratch: Database): Promise<{ status: number; ms: number }>;
  /**
   * The caller has run reader.checkFiles() already, taking this long: before it paid for a scratch
   * database, so that a damaged backup is refused without one. The files are not hashed twice.
   */
  filesCheckedMs?: number;
}

/** Verifies an opened backup by restoring it into `scratch`, an empty database the caller throws away. */
export async function verifyBackup(reader: BackupSetReader, scratch: Database, opts: VerifyOptions): Promise<VerifyReport> {
  const say = opts.onProgress ?? (() => {});
  const m = reader.manifest;
  let t = performance.now();
  if (opts.filesCheckedMs === undefined) {
    say(`checking ${Object.keys(m.files).length} files against the manifest`);
    await reader.checkFiles();
  }
  const filesMs = opts.filesCheckedMs ?? performance.now() - t;

  const restoreStartedAt = new Date().toISOString();
  t = performance.now();
  const restored = await restoreInstance(scratch, reader, { migrateForward: false, onProgress: (p) => say(describe(p)) });
  const restoreMs = performance.now() - t;

  t = performance.now();
  say('checking the restored copy: content, audit chains, ledger, foreign keys');
  const checks = await checkRestored(scratch, m);
  const checksMs = performance.now() - t;

  say('starting the server on the restored copy');
  const ready = await opts.readiness(scratch);
  if (ready.status !== 200) throw new BackupError('BACKUP_SERVER_NOT_READY', `the server started on the restored copy answered /readyz with ${ready.status}`);
  checks.readiness = ready;
  return {
    backupId: m.id,
    verified: true,
    restoreStartedAt,
    timings: { filesMs: Math.round(filesMs), restoreMs: Math.round(restoreMs), checksMs: Math.round(checksMs), readyMs: ready.ms },
    rtoMs: Math.round(restoreMs + ready.ms),
    rpoMs: Date.parse(restoreStartedAt) - Date.parse(m.snapshotAt),
    checks,
    migratedForward: restored.migratedForward,
  };
}

function describe(p: RestoreProgress): string {
  if (p.phase === 'table') return `restored ${p.table} (${p.index}/${p.total}, ${p.rows} rows)`;
  return { schema: 'building the backup\'s schema', constraints: 'rebuilding keys, indexes and foreign keys', sequences: 'setting sequences', forward: 'migrating forward' }[p.phase];
}

/** The restored copy against the manifest; the first failure is thrown as a BackupError. */
export async function checkRestored(db: Database, m: BackupManifest): Promise<CheckReport> {
  const again = await dumpDatabase(db, { tenantId: m.scope.kind === 'tenant' ? m.scope.tenantId : undefined, includeSecrets: m.secrets === 'included', digestOnly: true }, { data: async () => {} });
  for (const entry of m.tables) {
    const file = storedName(m, entry.file);
    const now = again.tables.find((t) => t.name === entry.name);
    if (!now || now.rows !== entry.rows) {
      throw new BackupError('BACKUP_ROW_COUNT_MISMATCH', `${entry.name} has ${now?.rows ?? 'no'} rows after the restore, the manifest says ${entry.rows} (${file})`, file, { table: entry.name });
    }
    if (now.sha256 !== entry.sha256) throw new BackupError('BACKUP_CONTENT_MISMATCH', `${entry.name} after the restore does not hash to the manifest's ${entry.sha256.slice(0, 12)} (${file})`, file, { table: entry.name });
  }
  let records = 0;
  let movements = 0;
  let balances = 0;
  for (const tenant of m.tenants) {
    await db.transaction({ tenantId: tenant.id }, async (tx) => {
      const chain = await verifyChain(tx, tenant.id);
      const head = await chainHead(tx, tenant.id);
      if (!chain.intact || head.seq !== tenant.audit.headSeq || head.hash !== tenant.audit.headHash) {
        throw new BackupError('BACKUP_AUDIT_CHAIN_BROKEN', `the audit chain of tenant ${tenant.slug} does not verify after the restore (${chain.firstBad ? `record ${chain.firstBad.seq} ${chain.firstBad.problem}` : `head ${head.seq}, expected ${tenant.audit.headSeq}`})`, undefined, { tenant: tenant.slug, chain });
      }
      records += chain.checked;
      const off = await balancesOffLedger(tx, tenant.id);
      const totals = await ledgerTotals(tx, tenant.id);
      if (off > 0 || canonicalJson(totals) !== canonicalJson(tenant.ledger)) {
        throw new BackupError('BACKUP_LEDGER_MISMATCH', `the ledger of tenant ${tenant.slug} after the restore: ${off} balances differ from their movements; totals ${JSON.stringify(totals)}, manifest ${JSON.stringify(tenant.ledger)}`, undefined, { tenant: tenant.slug, off, totals });
      }
      movements += totals.movements;
      balances += totals.balances;
    });
  }
  const checked = await checkForeignKeys(db);
  return {
    content: { tables: m.tables.length, rows: m.tables.reduce((n, t) => n + t.rows, 0) },
    auditChains: { tenants: m.tenants.length, records },
    ledger: { tenants: m.tenants.length, movements, balances },
    foreignKeys: { checked },
  };
}

/** Every foreign key, checked by a query of its own (the restore validated them as it added them). */
async function checkForeignKeys(db: Database): Promise<number> {
  return db.bulk({}, async (s) => {
    await s.query(`${BULK_SESSION_SETTINGS}; SET LOCAL row_security = off`);
    const { foreignKeys } = await readSchema(s);
    for (const fk of foreignKeys) {
      const { rows } = await s.query<{ n: string }>(
        `SELECT count(*) AS n FROM ${q(fk.table)} c
          WHERE ${fk.columns.map((col) => `c.${q(col)} IS NOT NULL`).join(' AND ')}
            AND NOT EXISTS (SELECT 1 FROM ${q(fk.references)} p WHERE ${fk.columns.map((col, i) => `p.${q(fk.referencedColumns[i])} = c.${q(col)}`).join(' AND ')})`,
      );
      if (Number(rows[0].n) > 0) throw new BackupError('BACKUP_FOREIGN_KEY_VIOLATION', `${rows[0].n} rows of ${fk.table} break foreign key ${fk.name}`, undefined, { constraint: fk.name });
    }
    return foreignKeys.length;
  });
}

/**
 * The real server (migrations, routes, health) built on the restored database in this process,
 * listening on a free loopback port; the status of its GET /readyz and the time from start to it.
 */
export async function readinessInProcess(db: Database): Promise<{ status: number; ms: number }> {
  const t0 = performance.now();
  // Imported here: the app imports this module (through its routes).
  const [{ buildApp }, { loadConfig }] = await Promise.all([import('../../app.js'), import('../../config.js')]);
  const built = await buildApp(loadConfig({ port: 0, logLevel: 'silent' }, {}), { db });
  try {
    await built.app.listen({ host: '127.0.0.1', port: 0 });
    const address = built.app.server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const res = await fetch(`http://127.0.0.1:${port}/readyz`);
    await res.arrayBuffer();
    return { status: res.status, ms: Math.round(performance.now() - t0) };
  } finally {
    await built.close();
  }
}
