import { Type } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import type { AppContext, MesApp } from '../../app.js';
import { actorId } from '../../platform/auth.js';
import { CURSOR, decodeCursor, pageOf } from '../../platform/pagination.js';
import { mutate, principalOf, read } from '../../platform/request.js';
import { IdParams, PageQuery, problems } from '../../platform/schemas.js';
import { whoOf } from '../production/common.js';
import { dispose } from './dispositions.js';
import { requestDrawingRevision } from './drawing-requests.js';
import * as inspections from './inspections.js';
import * as repo from './repo.js';
import * as reports from './reports.js';
import { inspectSalesReturn } from './returns.js';
import { samplingPlan, type InspectionLevel } from './sampling.js';
import {
  ChartQuery, ControlChartSchema, LeadTimeSchema, ParetoQuery, ParetoSchema, PeriodQuery, SupplierPpmSchema, YieldSchema,
  CreateDefectCodeBody, DrawingRevisionRequestBody, CreateInspectionBody, CreatePlanBody, CreateStandardBody, DefectCodePageSchema, DefectCodeSchema, DispositionBody, FromReceiptBody,
  InspectionListQuery, InspectionListSchema, PatrolDueBody, UpdatePlanBody, UpdateStandardBody, InspectionPageSchema, InspectionSchema, InspectionSummarySchema, PlanListQuery, PlanPageSchema, PlanSchema, ResultsBody,
  ReplaceStandardItemsBody, ReviewBody, SalesReturnInspectionBody, StandardQuery, SamplingPlanQuery, SamplingPlanSchema, StandardListQuery, StandardPageSchema, StandardSchema, SwitchingQuery, SwitchingStateSchema,
} from './schema.js';
import * as standards from './standards.js';
import { patrolDue } from './triggers.js';

/** Quality (S1-5.4.5 a, b, c, e): defect codes, standards, plans and sampling, inspection orders, judgement, review and disposition. */
export function qualityRoutes(app: MesApp, ctx: AppContext): void {
  const { db } = ctx;
  for (const s of [DefectCodeSchema, DefectCodePageSchema, StandardSchema, StandardPageSchema, PlanSchema, PlanPageSchema, SamplingPlanSchema, SwitchingStateSchema,
    InspectionSummarySchema, InspectionSchema, InspectionPageSchema, InspectionListSchema, ParetoSchema, YieldSchema, SupplierPpmSchema, ControlChartSchema, LeadTimeSchema]) app.addSchema(s);
  const tags = ['quality'];
  const readPerm = { permission: 'quality:read' };
  const writePerm = { permission: 'quality:write' };
  const inspectPerm = { permission: 'quality:inspect' };
  const tenant = (req: FastifyRequest) => principalOf(req).tenantId;
  const who = (req: FastifyRequest) => actorId(principalOf(req));

  // --- Defect codes, standards, plans (S1-5.4.5-a) -------------------------------------------------

  app.get('/v1/quality-defect-codes', {
    config: readPerm,
    schema: { operationId: 'listQualityDefectCodes', tags, summary: 'Defect codes, by code', querystring: PageQuery, response: { 200: Type.Ref(DefectCodePageSchema), ...problems() } },
  }, async (req) => {
    const limit = req.query.limit ?? 50;
    const after = decodeCursor(req.query.cursor, CURSOR.code)?.[0];
    const rows = await read(db, req, (tx) => repo.listDefectCodes(tx, tenant(req), { limit, after }));
    return pageOf(rows, limit, (r) => [r.code], (r) => r);
  });

  app.post('/v1/quality-defect-codes', {
    config: writePerm,
    schema: { operationId: 'createQualityDefectCode', tags, summary: 'A defect code with its severity (critical defects make a lot scrap)', body: CreateDefectCodeBody, response: { 201: Type.Ref(DefectCodeSchema), ...problems(409, 422) } },
  }, async (req, reply) => mutate(db, req, reply, (tx) => standards.createDefectCode(tx, tenant(req), req.body), { status: 201, resource: (d) => `quality-defect-code/${d.id}`, details: (d) => ({ code: d.code }) }));

  app.get('/v1/quality-standards', {
    config: readPerm,
    schema: { operationId: 'listQualityStandards', tags, summary: 'Inspection standards with their items, by code', querystring: StandardListQuery, response: { 200: Type.Ref(StandardPageSchema), ...problems() } },
  }, async (req) => {
    const limit = req.query.limit ?? 50;
    const after = decodeCursor(req.query.cursor, CURSOR.code)?.[0];
    const rows = await read(db, req, (tx) => repo.listStandards(tx, tenant(req), { limit, after, materialId: req.query.materialId }));
    return pageOf(rows, limit, (r) => [r.code], (r) => r);
  });

  app.post('/v1/quality-standards', {
    config: writePerm,
    schema: {
      operationId: 'createQualityStandard', tags, summary: 'An inspection standard for a material or a product class: quantitative items (nominal, limits, unit, decimals) and qualitative ones (pass/fail, defect code), methods and instruments (S1-5.4.5-a)',
      body: CreateStandardBody, response: { 201: Type.Ref(StandardSchema), ...problems(409, 422) },
    },
  }, async (req, reply) => mutate(db, req, reply, (tx) => standards.createStandard(tx, tenant(req), req.body), { status: 201, resource: (s) => `quality-standard/${s.id}`, details: (s) => ({ code: s.code }) }));

  app.get('/v1/quality-standards/:id', {
    config: readPerm,
    schema: {
      operationId: 'getQualityStandard', tags, summary: 'An inspection standard with its items (the current version, or the itemsVersion asked for)',
      params: IdParams, querystring: StandardQuery, response: { 200: Type.Ref(StandardSchema), ...problems(404) },
    },
  }, async (req) => read(db, req, (tx) => standards.getStandard(tx, tenant(req), req.params.id, req.query.itemsVersion)));

  app.put('/v1/quality-standards/:id/items', {
    config: writePerm,
    schema: {
      operationId: 'replaceQualityStandardItems', tags,
      summary: 'Items added, changed or removed: the whole set becomes the next items version, with the version read; inspections started before keep theirs, plans take the new one for new inspections (S1-5.4.5-a)',
      params: IdParams, body: ReplaceStandardItemsBody, response: { 200: Type.Ref(StandardSchema), ...problems(404, 409, 422) },
    },
  }, async (req, reply) => mutate(db, req, reply, (tx) => standards.replaceItems(tx, tenant(req), req.params.id, req.body), {
    resource: (s) => `quality-standard/${s.id}`, details: (s) => ({ code: s.code, version: s.version, itemsVersion: s.itemsVersion }),
  }));

  app.patch('/v1/quality-standards/:id', {
    config: writePerm,
    schema: {
      operationId: 'updateQualityStandard', tags, summary: 'Rename or retire (reactivate) a standard, with the version read; its items stay (a new code for other items)',
      params: IdParams, body: UpdateStandardBody, response: { 200: Type.Ref(StandardSchema), ...problems(404, 409, 422) },
    },
  }, async (req, reply) => mutate(db, req, reply, (tx) => standards.updateStandard(tx, tenant(req), req.params.id, req.body), {
    resource: (s) => `quality-standard/${s.id}`, details: (s) => ({ code: s.code, version: s.version, changed: Object.keys(req.body).filter((k) => k !== 'version') }),
  }));

  app.get('/v1/quality-plans', {
    config: readPerm,
    schema: { operationId: 'listQualityPlans', tags, summary: 'Inspection plans, by code', querystring: PlanListQuery, response: { 200: Type.Ref(PlanPageSchema), ...problems() } },
  }, async (req) => {
    const limit = req.query.limit ?? 50;
    const after = decodeCursor(req.query.cursor, CURSOR.code)?.[0];
    const rows = await read(db, req, (tx) => repo.listPlans(tx, tenant(req), { limit, after, inspectionType: req.query.inspectionType }));
    return pageOf(rows, limit, (r) => [r.code], (r) => r);
  });

  app.post('/v1/quality-plans', {
    config: writePerm,
    schema: {
      operationId: 'createQualityPlan', tags, summary: 'An inspection plan per type (incoming, in-process, final, first-article, patrol every N hours or pieces): the standard\'s items and the sampling (full, fixed, AQL) (S1-5.4.5-a, -b)',
      body: CreatePlanBody, response: { 201: Type.Ref(PlanSchema), ...problems(409, 422) },
    },
  }, async (req, reply) => mutate(db, req, reply, (tx) => standards.createPlan(tx, tenant(req), req.body), { status: 201, resource: (p) => `quality-plan/${p.id}`, details: (p) => ({ code: p.code }) }));

  app.get('/v1/quality-plans/:id', {
    config: readPerm,
    schema: { operationId: 'getQualityPlan', tags, summary: 'An inspection plan', params: IdParams, response: { 200: Type.Ref(PlanSchema), ...problems(404) } },
  }, async (req) => read(db, req, (tx) => standards.getPlan(tx, tenant(req), req.params.id)));

  app.patch('/v1/quality-plans/:id', {
    config: writePerm,
    schema: {
      operationId: 'updateQualityPlan', tags, summary: 'Change a plan (name, status, sampling, interval, operation) with the version read; type, standard and items stay; open inspections keep their sample',
      params: IdParams, body: UpdatePlanBody, response: { 200: Type.Ref(PlanSchema), ...problems(404, 409, 422) },
    },
  }, async (req, reply) => mutate(db, req, reply, (tx) => standards.updatePlan(tx, tenant(req), req.params.id, req.body), {
    resource: (p) => `quality-plan/${p.id}`, details: (p) => ({ code: p.code, version: p.version, changed: Object.keys(req.body).filter((k) => k !== 'version') }),
  }));

  app.post('/v1/quality-plans/:id/patrol-due', {
    config: inspectPerm,
    schema: {
      operationId: 'runQualityPatrol', tags,
      summary: 'A patrol round of a patrol plan every N hours: one inspection order per production order in progress making a material the plan covers, per window of everyHours; asking again in the window creates nothing (S1-5.4.5-b)',
      params: IdParams, body: PatrolDueBody, response: { 200: Type.Ref(InspectionListSchema), ...problems(404, 409, 422) },
    },
  }, async (req, reply) => mutate(db, req, reply, async (tx) => {
    const due = await patrolDue(tx, tenant(req), who(req), req.params.id, req.body.at ? new Date(req.body.at) : new Date());
    const items = [];
    for (const i of due.inspections) items.push(await inspections.getInspection(tx, tenant(req), i.id));
    return { items };
  }, { resource: () => `quality-plan/${req.params.id}`, details: (r) => ({ inspections: r.items.map((i) => i.docNo) }) }));

  app.get('/v1/quality-sampling-plan', {
    config: readPerm,
    schema: {
      operationId: 'getQualitySamplingPlan', tags, summary: 'The GB/T 2828.1 single sampling plan for a lot: code letter, sample size, Ac and Re, arrows followed (S1-5.4.5-a)',
      querystring: SamplingPlanQuery, response: { 200: Type.Ref(SamplingPlanSchema), ...problems() },
    },
  }, async (req) => samplingPlan(req.query.lotSize, (req.query.level ?? 'II') as InspectionLevel, req.query.aql, req.query.severity ?? 'normal'));

  app.get('/v1/quality-switching-state', {
    config: readPerm,
    schema: {
      operationId: 'getQualitySwitchingState', tags, summary: 'Where a supplier\'s material stands under the switching rules: normal, tightened, reduced or discontinued, with the switching score',
      querystring: SwitchingQuery, response: { 200: Type.Ref(SwitchingStateSchema), ...problems() },
    },
  }, async (req) => {
    const s = await read(db, req, (tx) => repo.switchingState(tx, tenant(req), req.query.supplierId, req.query.materialId));
    return { supplierId: req.query.supplierId, materialId: req.query.materialId, ...s };
  });

  // --- Inspections (S1-5.4.5-b, -c, -e) ------------------------------------------------------------

  app.get('/v1/quality-inspections', {
    config: readPerm,
    schema: { operationId: 'listQualityInspections', tags, summary: 'Inspection orders, newest first', querystring: InspectionListQuery, response: { 200: Type.Ref(InspectionPageSchema), ...problems() } },
  }, async (req) => {
    const limit = req.query.limit ?? 50;
    const after = decodeCursor(req.query.cursor, CURSOR.createdAtId);
    const rows = await read(db, req, (tx) => repo.listInspections(tx, tenant(req), { ...req.query, limit, after }));
    return pageOf(rows, limit, (r) => [r.createdAt, r.id], (r) => r);
  });

  app.post('/v1/quality-inspections', {
    config: inspectPerm,
    schema: {
      operationId: 'createQualityInspection', tags, summary: 'An inspection order: by hand, of a purchase receipt line awaiting inspection, or of a production order; the plan fixes the sample (S1-5.4.5-b)',
      body: CreateInspectionBody, response: { 201: Type.Ref(InspectionSchema), ...problems(404, 409, 422) },
    },
  }, async (req, reply) => mutate(db, req, reply, (tx) => inspections.createInspection(tx, tenant(req), who(req), req.body), { status: 201, resource: (i) => `quality-inspection/${i.id}`, details: (i) => ({ docNo: i.docNo }) }));

  app.post('/v1/purchase-receipts/:id/quality-inspections', {
    config: inspectPerm,
    schema: {
      operationId: 'createQualityInspectionsFromReceipt', tags, summary: 'Incoming inspection orders for every line of a purchase receipt awaiting inspection, each with the incoming plan for its material',
      params: IdParams, body: FromReceiptBody, response: { 201: Type.Ref(InspectionListSchema), ...problems(404, 409, 422) },
    },
  }, async (req, reply) => mutate(db, req, reply, async (tx) => ({ items: await inspections.inspectionsFromReceipt(tx, tenant(req), who(req), req.params.id, req.body.planId) }), {
    status: 201, resource: () => `purchase-receipt/${req.params.id}`, details: (r) => ({ inspections: r.items.map((i) => i.docNo) }),
  }));

  app.post('/v1/sales-returns/:id/quality-inspections', {
    config: inspectPerm,
    schema: {
      operationId: 'inspectSalesReturn', tags,
      summary: 'A quality-caused sales return (reason failed_inspection): an inspection of the returned goods per line (a plan named, else the material\'s final plan), or the lines linked to an existing inspection (S1-5.4.5-e)',
      params: IdParams, body: SalesReturnInspectionBody, response: { 201: Type.Ref(InspectionListSchema), ...problems(404, 409, 422) },
    },
  }, async (req, reply) => mutate(db, req, reply, async (tx) => ({ items: await inspectSalesReturn(tx, tenant(req), who(req), req.params.id, req.body) }), {
    status: 201, resource: () => `sales-return/${req.params.id}`, details: (r) => ({ inspections: r.items.map((i) => i.docNo) }),
  }));

  app.post('/v1/quality-inspections/:id/drawing-revision-requests', {
    config: writePerm,
    schema: {
      operationId: 'requestDrawingRevision', tags,
      summary: 'From a defect the inspection found, request a revision of the process drawing linked to it (of the product, the plan or the operation); listed per drawing (S1-5.4.5-e)',
      params: IdParams, body: DrawingRevisionRequestBody, response: { 201: Type.Ref('DrawingRevisionRequest'), ...problems(404, 422) },
    },
  }, async (req, reply) => mutate(db, req, reply, (tx) => requestDrawingRevision(tx, whoOf(principalOf(req)), req.params.id, req.body), {
    status: 201, resource: (r) => `drawing-revision-request/${r.id}`, details: (r) => ({ inspectionId: r.inspectionId, drawingId: r.drawingId, defectCode: r.defectCode }),
  }));

  app.get('/v1/quality-inspections/:id', {
    config: readPerm,
    schema: { operationId: 'getQualityInspection', tags, summary: 'An inspection order with its results per sample and item, judgement, review and dispositions', params: IdParams, response: { 200: Type.Ref(InspectionSchema), ...problems(404) } },
  }, async (req) => read(db, req, (tx) => inspections.getInspection(tx, tenant(req), req.params.id)));

  app.post('/v1/quality-inspections/:id/results', {
    config: inspectPerm,
    schema: {
      operationId: 'recordQualityInspectionResults', tags, summary: 'The results of the whole sample (every item of every piece); judged at once: good, defective or scrap with the reason (S1-5.4.5-c)',
      params: IdParams, body: ResultsBody, response: { 200: Type.Ref(InspectionSchema), ...problems(404, 409, 422) },
    },
  }, async (req, reply) => mutate(db, req, reply, (tx) => inspections.recordResults(tx, tenant(req), who(req), req.params.id, req.body), {
    resource: (i) => `quality-inspection/${i.id}`, details: (i) => ({ judgement: i.judgement, defectives: i.defectives }),
  }));

  app.post('/v1/quality-inspections/:id/review', {
    config: { permission: 'quality:review' },
    schema: {
      operationId: 'reviewQualityInspection', tags, summary: 'Overturn or confirm a judgement, with the reason; before any disposition (S1-5.4.5-c)',
      params: IdParams, body: ReviewBody, response: { 200: Type.Ref(InspectionSchema), ...problems(404, 409, 422) },
    },
  }, async (req, reply) => mutate(db, req, reply, (tx) => inspections.review(tx, tenant(req), who(req), req.params.id, req.body), {
    resource: (i) => `quality-inspection/${i.id}`, details: (i) => ({ judgement: i.judgement, automaticJudgement: i.automaticJudgement, reason: i.reviewReason }),
  }));

  app.post('/v1/quality-inspections/:id/dispositions', {
    config: writePerm,
    schema: {
      operationId: 'disposeQualityInspection', tags,
      summary: 'Dispose of a judged lot: accept, return to supplier, quarantine, rework, concession (approved), scrap; stock moves through the ledger (S1-5.4.5-c, -e)',
      params: IdParams, body: DispositionBody, response: { 200: Type.Ref(InspectionSchema), ...problems(404, 409, 422) },
    },
  }, async (req, reply) => mutate(db, req, reply, (tx) => dispose(tx, principalOf(req), who(req), req.params.id, req.body), {
    resource: (i) => `quality-inspection/${i.id}`, details: (i) => ({ dispositions: i.dispositions.length, status: i.status }),
  }));

  // --- Reports (S1-5.4.5-f) ------------------------------------------------------------------------

  const reportTags = ['quality', 'reports'];
  app.get('/v1/reports/quality-defects', {
    config: readPerm,
    schema: { operationId: 'getQualityDefectPareto', tags: reportTags, summary: 'Defect distribution (Pareto) by defect code, supplier, material, operation or line, over inspections judged in [from, to)', querystring: ParetoQuery, response: { 200: Type.Ref(ParetoSchema), ...problems() } },
  }, async (req) => read(db, req, (tx) => reports.defectPareto(tx, tenant(req), req.query, req.query.groupBy ?? 'code')));

  app.get('/v1/reports/quality-yield', {
    config: readPerm,
    schema: { operationId: 'getQualityFirstPassYield', tags: reportTags, summary: 'First-pass yield per material and inspection type: lots judged good at the first judgement', querystring: PeriodQuery, response: { 200: Type.Ref(YieldSchema), ...problems() } },
  }, async (req) => read(db, req, (tx) => reports.firstPassYield(tx, tenant(req), req.query)));

  app.get('/v1/reports/quality-supplier-ppm', {
    config: readPerm,
    schema: { operationId: 'getQualitySupplierPpm', tags: reportTags, summary: 'PPM per supplier: defective per million inspected, rejected per million received', querystring: PeriodQuery, response: { 200: Type.Ref(SupplierPpmSchema), ...problems() } },
  }, async (req) => read(db, req, (tx) => reports.supplierPpm(tx, tenant(req), req.query)));

  app.get('/v1/reports/quality-lead-times', {
    config: readPerm,
    schema: { operationId: 'getQualityLeadTimes', tags: reportTags, summary: 'Inspection lead time, created to judged: p50, p95, mean and max in minutes per inspection type and per supplier', querystring: PeriodQuery, response: { 200: Type.Ref(LeadTimeSchema), ...problems() } },
  }, async (req) => read(db, req, (tx) => reports.leadTimes(tx, tenant(req), req.query)));

  app.get('/v1/reports/quality-control-chart', {
    config: readPerm,
    schema: {
      operationId: 'getQualityControlChart', tags: reportTags, summary: 'X̄-R control chart of a quantitative item (each inspection of the plan a subgroup) with limits and Western Electric rule violations',
      querystring: ChartQuery, response: { 200: Type.Ref(ControlChartSchema), ...problems(404, 422) },
    },
  }, async (req) => read(db, req, (tx) => reports.controlChart(tx, tenant(req), req.query.planId, req.query.itemCode, req.query)));
}
