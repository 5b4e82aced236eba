import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { Page, Timestamp, Uuid } from '../../platform/schemas.js';
import { DeviceCode } from './schema.js';

const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const Lit = <T extends string>(...v: T[]) => Type.Union(v.map((x) => Type.Literal(x)));
const PublicKey = Type.String({ minLength: 40, maxLength: 1000, description: 'Ed25519 public key, SPKI PEM (-----BEGIN PUBLIC KEY-----)' });

// ---------------------------------------------------------------- gateways (S1-4.2.3)

export const RegisterGatewayBody = Type.Object(
  {
    code: DeviceCode('Gateway code, unique in the tenant; the x-mes-gateway header is <tenant id>.<code>'),
    name: Type.String({ minLength: 1, maxLength: 200 }),
    siteId: Type.Optional(Uuid('The plant the gateway serves')),
    publicKey: PublicKey,
  },
  { additionalProperties: false },
);
export type RegisterGatewayInput = Static<typeof RegisterGatewayBody>;
export const UpdateGatewayBody = Type.Object(
  {
    version: Type.Integer({ minimum: 1 }),
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    status: Type.Optional(Lit('active', 'blocked')),
  },
  { additionalProperties: false, description: 'A blocked gateway is refused (GATEWAY_UNKNOWN) until it is active again' },
);
export type UpdateGatewayInput = Static<typeof UpdateGatewayBody>;
export const AddKeyBody = Type.Object({ publicKey: PublicKey }, { additionalProperties: false });
export const KeyParams = Type.Object({ id: Uuid(), keyId: Uuid() });

const KeySchema = Type.Object({ id: Uuid(), fingerprint: Type.String({ description: 'sha256 of the key (SPKI DER), hex' }), createdAt: Timestamp(), revokedAt: Nullable(Timestamp()) });
export const GatewaySchema = Type.Object(
  {
    id: Uuid(), code: Type.String(), name: Type.String(), siteId: Nullable(Uuid()), status: Lit('active', 'blocked'),
    highestSeq: Type.Integer({ description: 'The highest record seq stored from this gateway' }),
    configVersion: Type.Integer({ description: 'Newest device map version; 0: none' }),
    lastHeartbeatAt: Nullable(Timestamp()),
    lastStatus: Nullable(Type.Record(Type.String(), Type.Unknown(), { description: 'The status the gateway posted with its last heartbeat' })),
    keys: Type.Array(KeySchema),
    rejections: Type.Array(Type.Object({ device: Type.String(), code: Type.String(), count: Type.Integer(), lastSeq: Type.Integer(), lastAt: Timestamp() }), {
      description: 'Records refused, counted per device and reason',
    }),
    version: Type.Integer(), createdAt: Timestamp(),
  },
  { $id: 'Gateway' },
);
export type Gateway = Static<typeof GatewaySchema>;
export const GatewaySummarySchema = Type.Object(
  { id: Uuid(), code: Type.String(), name: Type.String(), status: Lit('active', 'blocked'), highestSeq: Type.Integer(), lastHeartbeatAt: Nullable(Timestamp()) },
  { $id: 'GatewaySummary' },
);
export type GatewaySummary = Static<typeof GatewaySummarySchema>;
export const GatewayPageSchema = Page(Type.Ref(GatewaySummarySchema), 'GatewayPage');

const DeviceEntry = Type.Object(
  { device: DeviceCode('Equipment code'), protocol: Type.String({ maxLength: 50 }) },
  { additionalProperties: true, description: 'One device of the gateway; every field besides device is passed to the gateway as given (docs/edge.md)' },
);
export const GatewayConfigBody = Type.Object({ devices: Type.Array(DeviceEntry, { maxItems: 1000 }) }, { additionalProperties: false });
export const GatewayConfigSchema = Type.Object(
  { version: Type.Integer({ description: '0: no device map yet' }), devices: Type.Array(Type.Record(Type.String(), Type.Unknown())) },
  { $id: 'GatewayConfig' },
);
export type GatewayConfig = Static<typeof GatewayConfigSchema>;

// ---------------------------------------------------------------- the signed gateway routes (wire contract)

export const TelemetryRecordSchema = Type.Object(
  {
    device: Type.String({ description: 'Equipment code' }),
    point: Type.String({ description: 'Point code of that equipment' }),
    ts: Type.String({ pattern: '^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z$', description: 'RFC 3339 UTC with milliseconds' }),
    value: Type.Union([Type.Number(), Type.Boolean(), Type.String()]),
    quality: Lit('good', 'uncertain', 'bad'),
    unit: Type.Optional(Type.String()),
    seq: Type.Integer({ minimum: 1, description: 'Per gateway, strictly increasing' }),
  },
  { $id: 'TelemetryRecord', description: 'The unified data format (S1-5.3.8-b): one reading of one point of one device' },
);
export type TelemetryRecord = Static<typeof TelemetryRecordSchema>;
export const TelemetryBatchSchema = Type.Object(
  { batchSeq: Type.Integer({ minimum: 1 }), records: Type.Array(Type.Ref(TelemetryRecordSchema), { maxItems: 5000, description: 'In seq order' }) },
  { $id: 'TelemetryBatch' },
);
export const BatchAnswerSchema = Type.Object(
  {
    accepted: Type.Integer(), duplicates: Type.Integer(), rejected: Type.Integer(),
    highestSeq: Type.Integer({ description: 'Highest seq stored from this gateway (this batch or before)' }),
    rejections: Type.Array(Type.Object({ device: Type.String(), point: Type.String(), seq: Type.Integer(), code: Type.String() }), { description: 'The first 100 rejected records' }),
    configVersion: Type.Integer(),
  },
  { $id: 'TelemetryBatchAnswer' },
);
export type BatchAnswer = Static<typeof BatchAnswerSchema>;

export const HeartbeatBody = Type.Object({ status: Type.Record(Type.String(), Type.Unknown()), sentAt: Timestamp() }, { $id: 'GatewayHeartbeat' });
export const HeartbeatAnswerSchema = Type.Object(
  {
    configVersion: Type.Integer(),
    commands: Type.Array(Type.Object({ id: Uuid(), device: Type.String(), point: Type.String(), value: Type.Union([Type.Number(), Type.Boolean(), Type.String()]), issuedAt: Timestamp() })),
  },
  { $id: 'GatewayHeartbeatAnswer' },
);
export type HeartbeatAnswer = Static<typeof HeartbeatAnswerSchema>;
export const CommandResultsBody = Type.Object(
  { results: Type.Array(Type.Object({ id: Type.String(), ok: Type.Boolean(), error: Type.Optional(Type.String()), at: Timestamp() }), { maxItems: 1000 }) },
  { $id: 'GatewayCommandResults' },
);
export type CommandResults = Static<typeof CommandResultsBody>;
export const CommandResultsAnswerSchema = Type.Object({ recorded: Type.Integer() }, { $id: 'GatewayCommandResultsAnswer' });
