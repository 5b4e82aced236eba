import { Type, type Static } from '@sinclair/typebox';
import { Page, Timestamp, Uuid } from '../../platform/schemas.js';
import { STEPS } from './steps.js';

const Json = Type.Union([Type.Object({}, { additionalProperties: true }), Type.Null()]);
const NullableTimestamp = Type.Union([Timestamp(), Type.Null()]);

export const CutoverStepSchema = Type.Object(
  {
    seq: Type.Integer(),
    key: Type.String(),
    state: Type.Union(['pending', 'running', 'passed', 'failed', 'warning', 'not_applicable'].map((s) => Type.Literal(s))),
    actor: Type.Union([Type.String(), Type.Null()], { description: 'Who ran it (user or API key)' }),
    startedAt: NullableTimestamp,
    finishedAt: NullableTimestamp,
    durationMs: Type.Union([Type.Integer(), Type.Null()]),
    runner: Type.Union([Type.String(), Type.Null()], { description: 'The server process running (or that last ran) the step: host:pid' }),
    heartbeatAt: Type.Union([Timestamp(), Type.Null()], { description: 'While running, renewed every third of the lease; a running step whose heartbeat is older than the lease was abandoned (its process died) and may be run again or rolled back' }),
    result: Json,
  },
  { $id: 'CutoverStep' },
);
export type CutoverStep = Static<typeof CutoverStepSchema>;

export const CutoverSchema = Type.Object(
  {
    id: Uuid(),
    status: Type.Union(['planned', 'running', 'failed', 'completed', 'rolled_back'].map((s) => Type.Literal(s)), {
      description: 'planned → running → completed; a failed step leaves it failed (resume the step, or roll back) → rolled_back',
    }),
    frozen: Type.Boolean({ description: 'The tenant\'s writes are refused with 423 TENANT_FROZEN, except the cutover\'s own' }),
    note: Type.Union([Type.String(), Type.Null()]),
    plannedBy: Type.String(),
    backup: Type.Union([Type.Object({}, { additionalProperties: true }), Type.Null()], { description: 'The backup point: id, snapshot time, tables, rows, bytes' }),
    reconciliation: Json,
    rollback: Json,
    goLiveAt: NullableTimestamp,
    createdAt: Timestamp(),
    updatedAt: Timestamp(),
    finishedAt: NullableTimestamp,
    steps: Type.Array(Type.Ref(CutoverStepSchema), { description: `The ordered steps of S1-7.3-a: ${STEPS.map((s) => s.key).join(', ')}` }),
    checks: Type.Array(Type.Ref(CutoverStepSchema), { description: 'The readiness checks of S1-7.2 that software can make; they inform, they do not block' }),
  },
  { $id: 'Cutover' },
);
export type Cutover = Static<typeof CutoverSchema>;
export const CutoverPageSchema = Page(Type.Omit(CutoverSchema, ['steps', 'checks']), 'CutoverPage');

export const PlanCutoverBody = Type.Object({ note: Type.Optional(Type.String({ maxLength: 2000 })) }, { additionalProperties: false });

/** The step by its key; an unknown key is 404 after the cutover's own lookup (so a foreign id is always 404 first). */
export const StepParams = Type.Object({ id: Uuid(), step: Type.String({ maxLength: 100, description: `One of ${STEPS.map((s) => s.key).join(', ')}` }) });

const Difference = Type.Object(
  { check: Type.String({ maxLength: 100 }), key: Type.String({ maxLength: 500 }), expected: Type.String({ maxLength: 100 }), actual: Type.String({ maxLength: 100 }) },
  { additionalProperties: false },
);

export const RunStepBody = Type.Object(
  {
    jobs: Type.Optional(Type.Array(Uuid(), { maxItems: 1000, description: 'Import steps: the import jobs the client ran for this step (each must be done and name this cutover)' })),
    differences: Type.Optional(Type.Array(Difference, { maxItems: 100_000, description: 'reconcile: every difference the client found against the control totals; none passes the step' })),
    checked: Type.Optional(Type.Object({}, { additionalProperties: true, description: 'reconcile: what was compared (counts, stock lines, order lines)' })),
  },
  { additionalProperties: false },
);
export type RunStepInput = Static<typeof RunStepBody>;

const Check = Type.Object({ key: Type.String(), ok: Type.Boolean(), detail: Type.String() });

export const CutoverSummarySchema = Type.Object(
  {
    cutoverId: Uuid(),
    status: Type.String(),
    goLiveAt: NullableTimestamp,
    generatedAt: Timestamp(),
    ok: Type.Boolean({ description: 'Every verification holds' }),
    writes: Type.Object({
      total: Type.Integer(), failed: Type.Integer(), rejected: Type.Integer(), denied: Type.Integer(),
      errorRate: Type.Number({ description: 'Writes that failed with a server error, as a share of all writes since go-live (audit chain)' }),
    }),
    latency: Type.Object({
      scope: Type.String({ description: 'What the figures cover: this replica\'s requests since it started, every tenant' }),
      requests: Type.Integer(), p50Ms: Type.Union([Type.Number(), Type.Null()]), p95Ms: Type.Union([Type.Number(), Type.Null()]), serverErrors: Type.Integer(),
    }),
    ledger: Type.Object({
      movements: Type.Integer(), balances: Type.Integer(), movementSum: Type.String(), balanceSum: Type.String(),
      balancesOffLedger: Type.Integer({ description: 'Balances that are not the sum of their movements: must be 0' }), ok: Type.Boolean(),
    }),
    reconciliation: Json,
    reports: Type.Array(Check, { description: 'Reports rendered as the caller' }),
    checks: Type.Array(Type.Ref(CutoverStepSchema)),
    steps: Type.Array(Type.Ref(CutoverStepSchema)),
  },
  { $id: 'CutoverSummary' },
);
export type CutoverSummary = Static<typeof CutoverSummarySchema>;
