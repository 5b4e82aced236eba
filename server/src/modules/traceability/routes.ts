import { Type } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext, MesApp } from '../../app.js';
import { auditRead, principalOf, read, readAudited } from '../../platform/request.js';
import { problems } from '../../platform/schemas.js';
import { CsvResponse } from '../inventory/report-schema.js';
import { recall, recallCsv, recallXlsx } from './recall.js';
import { BatchParams, RecallQuery, RecallSchema, SerialParams, TraceQuery, TraceSchema, XlsxResponse, type RecallQueryInput, type TraceQueryInput } from './schema.js';
import { parseDepth, parseDirection, resolveRoot, traceItem } from './trace.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Traceability (S1-5.4.5-d): backward and forward trace of a batch or serial, and the recall report with its exports. */
export function traceabilityRoutes(app: MesApp, { db }: AppContext): void {
  for (const s of [TraceSchema, RecallSchema]) app.addSchema(s);
  const tags = ['quality'];
  const config = { permission: 'quality:read' };
  const tenant = (req: FastifyRequest) => principalOf(req).tenantId;

  async function traceOf(req: FastifyRequest, item: { batchNo?: string; serialNo?: string }, q: TraceQueryInput) {
    const direction = parseDirection(q.direction);
    const depth = parseDepth(q.depth);
    return read(db, req, async (tx) => traceItem(tx, tenant(req), await resolveRoot(tx, tenant(req), { ...item, materialCode: q.materialCode }), direction, depth));
  }

  app.get('/v1/trace/batches/:batchNo', {
    config,
    schema: {
      operationId: 'traceBatch', tags, params: BatchParams, querystring: TraceQuery, response: { 200: Type.Ref(TraceSchema), ...problems(404, 422) },
      summary: 'The genealogy graph of a batch: backward to component batches, suppliers, purchase orders, BOM version, operators, stations, equipment, times and incoming inspections; forward to every batch made from it and every customer it reached',
    },
  }, async (req) => traceOf(req, { batchNo: req.params.batchNo }, req.query));

  app.get('/v1/trace/serials/:serialNo', {
    config,
    schema: {
      operationId: 'traceSerial', tags, params: SerialParams, querystring: TraceQuery, response: { 200: Type.Ref(TraceSchema), ...problems(404, 422) },
      summary: 'The genealogy graph of a serial number, backward or forward (as traceBatch)',
    },
  }, async (req) => traceOf(req, { serialNo: req.params.serialNo }, req.query));

  /** A recall report is a read that leaves a trace (S1-8.3): the report and its audit record, one transaction. */
  const audited = (req: FastifyRequest, q: RecallQueryInput) => readAudited(db, req, async (tx) => {
    const r = await recall(tx, tenant(req), q);
    await auditRead(tx, req, `recall/${r.suspect.materialCode}/${r.suspect.batchNo}`, { rows: r.rows.length, affectedBatches: r.affectedBatches, format: req.url.split('?')[0].split('.').at(1) ?? 'json' });
    return r;
  });
  const attachment = (reply: FastifyReply, type: string, name: string) => reply.type(type).header('content-disposition', `attachment; filename="${name.replace(/[^\w.-]/g, '_')}"`);

  app.get('/v1/quality/recalls', {
    config,
    schema: {
      operationId: 'getRecallReport', tags, querystring: RecallQuery, response: { 200: Type.Ref(RecallSchema), ...problems(404, 422) },
      summary: 'Recall report of a suspect batch: every batch and serial made from it, in stock per warehouse and bin, shipped per customer and delivery; audited',
    },
  }, async (req) => audited(req, req.query));

  app.get('/v1/quality/recalls.csv', {
    config,
    schema: { operationId: 'exportRecallReportCsv', tags, querystring: RecallQuery, response: { 200: CsvResponse, ...problems(404, 422) }, summary: 'The recall report as CSV; audited' },
  }, async (req, reply) => {
    const r = await audited(req, req.query);
    return attachment(reply, 'text/csv; charset=utf-8', `recall-${r.suspect.materialCode}-${r.suspect.batchNo}.csv`).send(recallCsv(r));
  });

  app.get('/v1/quality/recalls.xlsx', {
    config,
    schema: { operationId: 'exportRecallReportXlsx', tags, querystring: RecallQuery, response: { 200: XlsxResponse, ...problems(404, 422) }, summary: 'The recall report as an Excel workbook; audited' },
  }, async (req, reply) => {
    const r = await audited(req, req.query);
    return attachment(reply, XLSX, `recall-${r.suspect.materialCode}-${r.suspect.batchNo}.xlsx`).send(await recallXlsx(r));
  });
}
