import { Type, type Static } from '@sinclair/typebox';
import type { AppContext, MesApp } from '../../app.js';
import { notFound } from '../../platform/errors.js';
import { CURSOR, decodeCursor, pageOf } from '../../platform/pagination.js';
import { mutate, principalOf, read } from '../../platform/request.js';
import { Page, PageQuery, Timestamp, problems } from '../../platform/schemas.js';
import { findRule, listRules, nextCode, previewCode, putRule, type CodingContext } from './coding.js';

const Reset = Type.Union([Type.Literal('never'), Type.Literal('yearly'), Type.Literal('monthly'), Type.Literal('daily')], {
  description: 'When the sequence restarts at 1',
});

export const CodingRuleSchema = Type.Object(
  {
    code: Type.String({ description: 'The rule name, e.g. batch, serial, stock_document' }),
    pattern: Type.String({ description: 'Literal text and tokens {yyyy} {yy} {mm} {dd} {seq:N} {material} {feature:CODE}' }),
    reset: Reset,
    description: Type.String(),
    createdAt: Timestamp(),
  },
  { $id: 'CodingRule' },
);
export const CodingRuleListSchema = Page(Type.Ref(CodingRuleSchema), 'CodingRuleList');
export const CodePreviewSchema = Type.Object({ code: Type.String({ description: 'The rendered code' }) }, { $id: 'CodePreview' });

export const RuleParams = Type.Object(
  { code: Type.String({ pattern: '^[A-Za-z0-9_.-]{1,64}$', description: 'Rule name: 1 to 64 of A-Z a-z 0-9 _ . -' }) },
  { additionalProperties: false },
);

export const PutCodingRuleBody = Type.Object(
  {
    pattern: Type.String({ minLength: 1, maxLength: 200, description: 'Literal text and tokens {yyyy} {yy} {mm} {dd} {seq:N} (N 1..12, at most one) {material} {feature:CODE}' }),
    reset: Type.Optional(Reset),
    description: Type.Optional(Type.String({ maxLength: 500 })),
  },
  { additionalProperties: false },
);

export const CodeContextBody = Type.Object(
  {
    date: Type.Optional(Type.String({ format: 'date', description: 'The business date (YYYY-MM-DD, UTC); today by default' })),
    material: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'Fills {material}' })),
    features: Type.Optional(
      Type.Record(Type.String({ pattern: '^[A-Z0-9_-]{1,32}$' }), Type.String({ minLength: 1, maxLength: 32 }), {
        maxProperties: 32,
        description: 'Feature code to value code; fills {feature:CODE}',
      }),
    ),
  },
  { additionalProperties: false },
);
type CodeContextInput = Static<typeof CodeContextBody>;

/** The context body is optional: without one (validated as {}) the defaults apply. */
const contextOf = (body: CodeContextInput | undefined): CodingContext => ({
  date: body?.date ? new Date(`${body.date}T00:00:00Z`) : undefined,
  material: body?.material,
  features: body?.features,
});

export function codingRuleRoutes(app: MesApp, { db }: AppContext): void {
  for (const s of [CodingRuleSchema, CodingRuleListSchema, CodePreviewSchema]) app.addSchema(s);
  const tags = ['masterdata'];

  app.get('/v1/coding-rules', {
    config: { permission: 'masterdata:read' },
    schema: {
      operationId: 'listCodingRules', tags, summary: 'List coding rules, by code', querystring: PageQuery,
      response: { 200: Type.Ref(CodingRuleListSchema), ...problems() },
    },
  }, async (req) => {
    const limit = req.query.limit ?? 50;
    const after = decodeCursor(req.query.cursor, CURSOR.code);
    const rows = await read(db, req, (tx) => listRules(tx, principalOf(req).tenantId, limit, after?.[0]));
    return pageOf(rows, limit, (r) => [r.code], (r) => r);
  });

  app.get('/v1/coding-rules/:code', {
    config: { permission: 'masterdata:read' },
    schema: {
      operationId: 'getCodingRule', tags, summary: 'Get a coding rule', params: RuleParams,
      response: { 200: Type.Ref(CodingRuleSchema), ...problems(404) },
    },
  }, async (req) => {
    const rule = await read(db, req, (tx) => findRule(tx, principalOf(req).tenantId, req.params.code));
    if (!rule) throw notFound('coding rule', req.params.code);
    return rule;
  });

  app.put('/v1/coding-rules/:code', {
    config: { permission: 'masterdata:write' },
    schema: {
      operationId: 'putCodingRule', tags,
      summary: 'Create or replace a coding rule; numbers already taken are kept (S1-5.4.3-d, -f, -h)',
      params: RuleParams, body: PutCodingRuleBody,
      response: { 200: Type.Ref(CodingRuleSchema), ...problems(422) },
    },
  }, async (req, reply) =>
    mutate(db, req, reply, (tx) => putRule(tx, principalOf(req).tenantId, req.params.code, req.body), {
      resource: (r) => `coding-rule/${r.code}`,
      details: (r) => ({ pattern: r.pattern, reset: r.reset }),
    }));

  app.post('/v1/coding-rules/:code/next', {
    config: { permission: 'masterdata:write' },
    schema: {
      operationId: 'nextCode', tags, summary: 'Take the next code of a rule (consumes a number)',
      params: RuleParams, body: CodeContextBody,
      response: { 200: Type.Ref(CodePreviewSchema), ...problems(404, 409, 422) },
    },
  }, async (req, reply) =>
    mutate(db, req, reply, async (tx) => {
      const tenantId = principalOf(req).tenantId;
      if (!(await findRule(tx, tenantId, req.params.code))) throw notFound('coding rule', req.params.code);
      return { code: await nextCode(tx, tenantId, req.params.code, contextOf(req.body)) };
    }, { resource: () => `coding-rule/${req.params.code}`, details: (r) => ({ code: r.code }) }));

  app.post('/v1/coding-rules/:code/preview', {
    config: { permission: 'masterdata:read' },
    schema: {
      operationId: 'previewCode', tags, summary: 'The code the next take would give, without consuming it',
      params: RuleParams, body: CodeContextBody,
      response: { 200: Type.Ref(CodePreviewSchema), ...problems(404, 409, 422) },
    },
  }, async (req) => ({
    code: await read(db, req, (tx) => previewCode(tx, principalOf(req).tenantId, req.params.code, contextOf(req.body))),
  }));
}
