import { Type } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext, MesApp } from '../../app.js';
import { toCsv } from '../../platform/csv.js';
import type { Sql } from '../../platform/db.js';
import { badRequest } from '../../platform/errors.js';
import { CURSOR, decodeCursor, pageOf } from '../../platform/pagination.js';
import { auditRead, principalOf, read, readAudited } from '../../platform/request.js';
import { problems } from '../../platform/schemas.js';
import {
  BalancesCsvQuery, CsvResponse, SafetyStockPageSchema, SafetyStockReportQuery, SafetyStockRowSchema, StockSummaryCsvQuery, StockSummaryPageSchema,
  StockSummaryQuery, StockSummaryRowSchema, type StockSummaryFilter,
} from './report-schema.js';
import * as reports from './reports.js';
import * as stock from './stock.js';

/** Rows fetched per round trip while an export walks a report. */
const EXPORT_PAGE = 1000;

function checkPeriod(f: StockSummaryFilter): void {
  if (Date.parse(f.from) >= Date.parse(f.to)) {
    throw badRequest('INVALID_PERIOD', 'from must be before to', [{ in: 'query', field: 'to', code: 'INVALID_PERIOD', message: 'must be after from' }]);
  }
}

/** An export is a read that leaves a trace (S1-8.3): the rows and the audit record, one transaction. */
async function audited(tx: Sql, req: FastifyRequest, rows: number, filters: Record<string, unknown>): Promise<void> {
  await auditRead(tx, req, req.url.split('?')[0], { rows, filters });
}

function sendCsv(reply: FastifyReply, filename: string, body: string) {
  return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${filename}"`).send(body);
}

/** Inventory reports and exports (S1-5.4.3-k). */
export function reportRoutes(app: MesApp, { db }: AppContext): void {
  for (const s of [StockSummaryRowSchema, StockSummaryPageSchema, SafetyStockRowSchema, SafetyStockPageSchema]) app.addSchema(s);
  const tags = ['inventory'];

  app.get('/v1/reports/stock-summary', {
    config: { permission: 'inventory:read' },
    schema: {
      operationId: 'getStockSummary', tags,
      summary: 'Receive/issue/balance summary per material over [from, to): opening, receipts, issues (positive), closing; by material code',
      querystring: StockSummaryQuery, response: { 200: Type.Ref(StockSummaryPageSchema), ...problems() },
    },
  }, async (req) => {
    checkPeriod(req.query);
    const limit = req.query.limit ?? 100;
    const after = decodeCursor(req.query.cursor, CURSOR.code)?.[0];
    const rows = await read(db, req, (tx) => reports.stockSummary(tx, principalOf(req).tenantId, req.query, limit, after));
    return pageOf(rows, limit, (r) => [r.materialCode], (r) => r);
  });

  app.get('/v1/reports/stock-summary.csv', {
    config: { permission: 'inventory:export' },
    schema: {
      operationId: 'exportStockSummary', tags, summary: 'The stock summary as CSV (every page); the export is audited',
      querystring: StockSummaryCsvQuery, response: { 200: CsvResponse, ...problems() },
    },
  }, async (req, reply) => {
    checkPeriod(req.query);
    const p = principalOf(req);
    const rows = await readAudited(db, req, async (tx) => {
      const all = [];
      for (let after: string | undefined; ;) {
        const page = await reports.stockSummary(tx, p.tenantId, req.query, EXPORT_PAGE, after);
        all.push(...page.slice(0, EXPORT_PAGE));
        if (page.length <= EXPORT_PAGE) break;
        after = page[EXPORT_PAGE - 1].materialCode;
      }
      await audited(tx, req, all.length, { ...req.query });
      return all;
    });
    const csv = toCsv(
      ['materialCode', 'materialName', 'category', 'baseUnit', 'warehouseId', 'opening', 'receipts', 'issues', 'closing'],
      rows.map((r) => [r.materialCode, r.materialName, r.category, r.baseUnit, r.warehouseId, r.opening, r.receipts, r.issues, r.closing]),
    );
    return sendCsv(reply, 'stock-summary.csv', csv);
  });

  app.get('/v1/reports/safety-stock', {
    config: { permission: 'inventory:read' },
    schema: {
      operationId: 'getSafetyStockReport', tags, summary: 'Materials with a safety stock level: on-hand, level and shortfall',
      querystring: SafetyStockReportQuery, response: { 200: Type.Ref(SafetyStockPageSchema), ...problems() },
    },
  }, async (req) => safetyPage(req, req.query, false));

  app.get('/v1/reports/shortages', {
    config: { permission: 'inventory:read' },
    schema: {
      operationId: 'getShortageReport', tags, summary: 'Materials whose stock is below their safety stock level, with the shortfall',
      querystring: SafetyStockReportQuery, response: { 200: Type.Ref(SafetyStockPageSchema), ...problems() },
    },
  }, async (req) => safetyPage(req, req.query, true));

  async function safetyPage(req: FastifyRequest, q: { warehouseId?: string; limit?: number; cursor?: string }, onlyShort: boolean) {
    const limit = q.limit ?? 100;
    const after = decodeCursor(q.cursor, CURSOR.codes2);
    const rows = await read(db, req, (tx) => reports.safetyStock(tx, principalOf(req).tenantId, { warehouseId: q.warehouseId, onlyShort }, limit, after));
    return pageOf(rows, limit, (r) => [r.materialCode, r.warehouseCode ?? ''], (r) => r);
  }

  app.get('/v1/stock/balances.csv', {
    config: { permission: 'inventory:export' },
    schema: {
      operationId: 'exportStockBalances', tags, summary: 'Real-time stock as CSV, with the filters of listStockBalances (every page); the export is audited',
      querystring: BalancesCsvQuery, response: { 200: CsvResponse, ...problems() },
    },
  }, async (req, reply) => {
    const p = principalOf(req);
    const rows = await readAudited(db, req, async (tx) => {
      const all = [];
      for (let after: string[] | undefined; ;) {
        const page = await stock.listBalances(tx, p.tenantId, req.query, EXPORT_PAGE, after);
        all.push(...page.slice(0, EXPORT_PAGE));
        if (page.length <= EXPORT_PAGE) break;
        const last = page[EXPORT_PAGE - 1];
        after = [last.materialCode, last.warehouseCode, last.binCode ?? '', last.batchNo ?? '', last.serialNo ?? ''];
      }
      await audited(tx, req, all.length, { ...req.query });
      return all;
    });
    const csv = toCsv(
      ['materialCode', 'warehouseCode', 'binCode', 'batchNo', 'serialNo', 'quantity', 'baseUnit', 'materialId', 'warehouseId', 'binId'],
      rows.map((b) => [b.materialCode, b.warehouseCode, b.binCode, b.batchNo, b.serialNo, b.quantity, b.baseUnit, b.materialId, b.warehouseId, b.binId]),
    );
    return sendCsv(reply, 'stock-balances.csv', csv);
  });
}
