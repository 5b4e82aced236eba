import { Type } from '@sinclair/typebox';
import { Page, Timestamp, Uuid } from '../../platform/schemas.js';

export const AuditRecordSchema = Type.Object(
  {
    tenantId: Uuid(),
    seq: Type.Integer(),
    occurredAt: Timestamp(),
    actorType: Type.Union([Type.Literal('api_key'), Type.Literal('token'), Type.Literal('system'), Type.Literal('anonymous')], { description: 'anonymous: a failed login; actorId is the username it claimed' }),
    actorId: Type.Union([Type.String(), Type.Null()]),
    action: Type.String({ description: 'The operationId of the request' }),
    resource: Type.String(),
    outcome: Type.Union([Type.Literal('success'), Type.Literal('denied'), Type.Literal('rejected'), Type.Literal('error')]),
    statusCode: Type.Integer(),
    requestId: Type.Union([Type.String(), Type.Null()]),
    traceId: Type.Union([Type.String(), Type.Null()]),
    details: Type.Record(Type.String(), Type.Unknown()),
    prevHash: Type.String(),
    hash: Type.String(),
  },
  { $id: 'AuditRecord' },
);
export const AuditPageSchema = Page(Type.Ref(AuditRecordSchema), 'AuditPage');

export const AuditListQuery = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
  cursor: Type.Optional(Type.String({ maxLength: 200 })),
  action: Type.Optional(Type.String({ maxLength: 100 })),
  outcome: Type.Optional(Type.Union([Type.Literal('success'), Type.Literal('denied'), Type.Literal('rejected'), Type.Literal('error')])),
  actor: Type.Optional(Type.String({ maxLength: 200, description: 'Prefix of the actor id' })),
  since: Type.Optional(Timestamp()),
});

export const ChainVerdictSchema = Type.Object(
  {
    intact: Type.Boolean(),
    checked: Type.Integer({ description: 'Records verified before the first bad one' }),
    headSeq: Type.Integer({ description: 'The sequence number the chain head says it has reached' }),
    firstBad: Type.Optional(
      Type.Object({ seq: Type.Integer(), problem: Type.Union([Type.Literal('altered'), Type.Literal('missing'), Type.Literal('relinked')]) }),
    ),
  },
  { $id: 'ChainVerdict' },
);
