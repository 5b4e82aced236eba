import { PassThrough, Readable } from 'node:stream';
import { Type } from '@sinclair/typebox';
import type { AppContext, MesApp } from '../../app.js';
import { actorId } from '../../platform/auth.js';
import { MesProblem, notFound } from '../../platform/errors.js';
import { CURSOR, decodeCursor, pageOf } from '../../platform/pagination.js';
import { mutate, principalOf, read } from '../../platform/request.js';
import { IdParams, PageQuery, problems } from '../../platform/schemas.js';
import { tenantBySlug } from '../tenants/service.js';
import * as repo from './repo.js';
import {
  BackupDrillPageSchema, BackupDrillSchema, BackupStream, BackupStreamBody, CreateBackupBody, CreateBackupDrillBody, TenantRestoreQuery, TenantRestoreSchema,
} from './schema.js';
import { auditAction, completeDrill, newDrillId, restoreTenantFromStream, streamBackup } from './service.js';
import { BACKUP_STREAM_TYPE } from './stream.js';

/** Backups (S1-8.4) and tenant restores (S1-8.2), for platform admins; docs/backup.md. */
export function backupRoutes(app: MesApp, { db, config }: AppContext): void {
  for (const s of [TenantRestoreSchema, BackupDrillSchema, BackupDrillPageSchema]) app.addSchema(s);
  const tags = ['backups'];
  // The body of a tenant restore is read as it arrives, never buffered: it may be gigabytes.
  app.addContentTypeParser(BACKUP_STREAM_TYPE, (_req, payload, done) => done(null, payload));

  app.post('/v1/backups', {
    config: { permission: 'backups:read', platform: true },
    schema: {
      operationId: 'createBackup', tags, summary: 'Take a backup of the instance or of one tenant (one consistent snapshot, streamed)',
      body: CreateBackupBody, response: { 200: BackupStream, ...problems(404) },
    },
  }, async (req, reply) => {
    const p = principalOf(req);
    const tenant = req.body.tenant ? await read(db, req, (tx) => tenantBySlug(tx, req.body.tenant!)) : undefined;
    const includeSecrets = req.body.includeSecrets === true;
    await auditAction(db, {
      tenantId: p.tenantId, actorType: p.via, actorId: actorId(p), action: 'createBackup', resource: tenant ? `tenant/${tenant.id}` : 'instance',
      outcome: 'success', statusCode: 200, requestId: req.id, traceId: req.traceId, details: { includeSecrets, ...(tenant ? { tenant: tenant.slug } : {}) },
    });
    const out = new PassThrough();
    void streamBackup(db, out, { tenantId: tenant?.id, includeSecrets, compressionLevel: req.body.compressionLevel }, req.log);
    return reply.code(200).type(BACKUP_STREAM_TYPE).send(out);
  });

  app.post('/v1/tenant-restores', {
    config: { permission: 'backups:write', platform: true },
    schema: {
      operationId: 'restoreTenant', tags,
      summary: `Restore one tenant from a backup stream (${BACKUP_STREAM_TYPE}, what mes backup restore --tenant sends): it keeps its id; refused if this instance has it`,
      querystring: TenantRestoreQuery, body: BackupStreamBody, response: { 201: Type.Ref(TenantRestoreSchema), ...problems(409, 415, 422) },
    },
  }, async (req, reply) => {
    if (!(req.body instanceof Readable)) throw new MesProblem(415, 'UNSUPPORTED_MEDIA_TYPE', `send the tenant's backup as ${BACKUP_STREAM_TYPE} (mes backup restore --tenant does)`);
    const p = principalOf(req);
    const report = await restoreTenantFromStream(db, req.body, {
      as: req.query.as,
      audit: { tenantId: p.tenantId, actorType: p.via, actorId: actorId(p), action: 'restoreTenant', statusCode: 201, requestId: req.id, traceId: req.traceId },
    });
    reply.code(201);
    return report;
  });

  app.post('/v1/backup-drills', {
    config: { permission: 'backups:write', platform: true },
    schema: {
      operationId: 'startBackupDrill', tags,
      summary: 'Start a drill: back up, restore into a scratch database, check, start the server on it; measures RTO and RPO. Poll GET /v1/backup-drills/{id}',
      body: CreateBackupDrillBody, response: { 202: Type.Ref(BackupDrillSchema), ...problems(404) },
    },
  }, async (req, reply) => {
    const p = principalOf(req);
    const tenant = req.body.tenant ? await read(db, req, (tx) => tenantBySlug(tx, req.body.tenant!)) : undefined;
    const scope = tenant ? { kind: 'tenant' as const, tenant: tenant.slug } : { kind: 'instance' as const };
    const drill = await mutate(db, req, reply, (tx) => repo.insertDrill(tx, { id: newDrillId(), scope, requestedBy: actorId(p) }), {
      status: 202, resource: (d) => `backup-drill/${d.id}`, details: () => scope,
    });
    // A replayed request answers with the drill it started; it starts no second one.
    if (reply.getHeader('idempotent-replayed') !== 'true') void completeDrill(db, drill, { tenantId: tenant?.id, scratchUrl: config.backupScratchUrl }, req.log);
    return drill;
  });

  app.get('/v1/backup-drills', {
    config: { permission: 'backups:read', platform: true },
    schema: { operationId: 'listBackupDrills', tags, summary: 'Drills the server ran, newest first', querystring: PageQuery, response: { 200: Type.Ref(BackupDrillPageSchema), ...problems() } },
  }, async (req) => {
    const limit = req.query.limit ?? 50;
    const after = decodeCursor(req.query.cursor, CURSOR.createdAtId);
    const rows = await read(db, req, (tx) => repo.listDrills(tx, limit, after));
    return pageOf(rows, limit, (d) => [d.startedAt, d.id], (d) => d);
  });

  app.get('/v1/backup-drills/:id', {
    config: { permission: 'backups:read', platform: true },
    schema: { operationId: 'getBackupDrill', tags, summary: 'A drill: running, passed (with RTO, RPO and every check) or failed (with the code)', params: IdParams, response: { 200: Type.Ref(BackupDrillSchema), ...problems(404) } },
  }, async (req) => {
    const drill = await read(db, req, (tx) => repo.findDrill(tx, req.params.id));
    if (!drill) throw notFound('backup drill', req.params.id);
    return drill;
  });
}
