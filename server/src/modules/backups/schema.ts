import { Type, type Static } from '@sinclair/typebox';
import { Page, Timestamp, Uuid } from '../../platform/schemas.js';
import { SLUG_PATTERN } from '../tenants/schema.js';
import { BACKUP_STREAM_TYPE } from './stream.js';

const Slug = (description: string) => Type.String({ pattern: SLUG_PATTERN, description });

export const CreateBackupBody = Type.Object(
  {
    tenant: Type.Optional(Slug('The slug of the one tenant to back up; omit for the whole instance')),
    includeSecrets: Type.Optional(Type.Boolean({
      description: 'Include secret columns (API key and password hashes, the login-token secret) as they are: only for a backup the caller encrypts. ' +
        'Default false: they are written as a redaction marker, and keys and passwords do not work after a restore',
    })),
    compressionLevel: Type.Optional(Type.Integer({ minimum: 1, maximum: 9, default: 3, description: 'gzip level: 1 fastest, 9 smallest' })),
  },
  { additionalProperties: false },
);
export type CreateBackupInput = Static<typeof CreateBackupBody>;

export const BackupStream = {
  description: `The backup as a stream of frames (${BACKUP_STREAM_TYPE}): each table's gzip-compressed COPY text, then the manifest. See docs/backup.md; \`mes backup create\` reads it.`,
  content: { [BACKUP_STREAM_TYPE]: { schema: { type: 'string', format: 'binary' } } },
};

/** The request body of a tenant restore: read as a stream, so the schema constrains nothing. */
export const BackupStreamBody = {
  content: { [BACKUP_STREAM_TYPE]: { schema: { description: 'One tenant\'s backup as a backup stream: the tenant-narrowed manifest first, then each table\'s frames' } } },
};

export const TenantRestoreQuery = Type.Object({
  as: Type.Optional(Slug('The slug the tenant gets in this instance; default: its own')),
});

export const TenantRestoreSchema = Type.Object(
  {
    tenantId: Uuid('The tenant keeps its id: its audit chain is bound to it'),
    slug: Type.String(),
    tables: Type.Integer(),
    rows: Type.Integer(),
    renumbered: Type.Array(Type.String(), { description: 'Tables whose identity column was numbered afresh because this instance had used the values' }),
    platformAdminsDemoted: Type.Integer({ description: 'Users of the tenant whose platform-admin flag was cleared' }),
    recoveryKey: Type.Optional(Type.String({ description: 'A new API key of the tenant\'s admin, shown once: the backup had no secrets, so its keys and passwords do not work' })),
  },
  { $id: 'TenantRestore' },
);

export const CreateBackupDrillBody = Type.Object(
  { tenant: Type.Optional(Slug('Drill one tenant\'s backup; omit for the whole instance')) },
  { additionalProperties: false },
);

const Problemish = Type.Object({ code: Type.String(), message: Type.String(), file: Type.Optional(Type.String()) });

export const BackupDrillSchema = Type.Object(
  {
    id: Uuid(),
    status: Type.Union([Type.Literal('running'), Type.Literal('passed'), Type.Literal('failed')]),
    scope: Type.Object({ kind: Type.Union([Type.Literal('instance'), Type.Literal('tenant')]), tenant: Type.Optional(Type.String()) }),
    requestedBy: Type.String(),
    startedAt: Timestamp(),
    finishedAt: Type.Union([Timestamp(), Type.Null()]),
    rtoMs: Type.Union([Type.Integer(), Type.Null()], { description: 'Recovery time: the restore into the scratch database plus the server\'s start until /readyz answered 200' }),
    rpoMs: Type.Union([Type.Integer(), Type.Null()], { description: 'Age of the newest data at the simulated loss: the restore\'s start minus the backup\'s snapshot' }),
    result: Type.Union([Type.Object({}, { additionalProperties: true }), Type.Null()], { description: 'Backup size and timings, the verification\'s checks, the tenants and their audit-chain heads' }),
    error: Type.Union([Problemish, Type.Null()]),
  },
  { $id: 'BackupDrill' },
);
export type BackupDrill = Static<typeof BackupDrillSchema>;
export const BackupDrillPageSchema = Page(Type.Ref(BackupDrillSchema), 'BackupDrillPage');
