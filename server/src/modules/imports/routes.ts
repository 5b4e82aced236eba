import { Type } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import type { AppContext, MesApp } from '../../app.js';
import { MesProblem } from '../../platform/errors.js';
import { auditRead, mutate, principalOf, read } from '../../platform/request.js';
import { IdParams, problems } from '../../platform/schemas.js';
import * as repo from './repo.js';
import { errorReport, template } from './report.js';
import { FileResponse, ImportBody, ImportErrorSchema, ImportJobSchema, ImportQuery, TemplateQuery, XLSX_TYPE } from './schema.js';
import * as imports from './service.js';

/** The largest file an import takes (a 300,000-line opening stock workbook is about 15 MB). */
export const IMPORT_MAX_BYTES = 100 * 1024 * 1024;

function importTooLarge(size: number): MesProblem {
  return new MesProblem(413, 'IMPORT_FILE_TOO_LARGE', `the file has ${size} bytes; an import takes at most ${IMPORT_MAX_BYTES}: split it`);
}

async function fileBody(req: FastifyRequest, payload: AsyncIterable<Buffer>): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > IMPORT_MAX_BYTES) throw importTooLarge(declared);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of payload) {
    size += chunk.length;
    if (size > IMPORT_MAX_BYTES) throw importTooLarge(size);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

const attachment = (name: string) => `attachment; filename="${name.replace(/[^\x20-\x7e]|["\\]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(name)}`;

/**
 * Data import (S1-7.3-a): one path for the API, the SDK, the CLI and a console. Upload a file,
 * get a job: phase 1's every error at once, or the job writing in the background; poll its status.
 */
export function importRoutes(app: MesApp, { db }: AppContext): void {
  app.addSchema(ImportErrorSchema);
  app.addSchema(ImportJobSchema);
  const tags = ['imports'];
  const tenant = (req: FastifyRequest) => principalOf(req).tenantId;
  const onError = (id: string) => (err: unknown) => app.log.error({ err, importJob: id }, 'import job stopped; resume it with POST /v1/imports/{id}/resume');

  app.register(async (scope: MesApp) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', fileBody);
    scope.post('/v1/imports', {
      config: { permission: 'imports:write', cutover: 'import' },
      schema: {
        operationId: 'createImport', tags,
        summary: 'Upload a CSV (UTF-8, GB18030/GBK) or XLSX file to import: every error at once and nothing written, or a job that writes in the background',
        querystring: ImportQuery, body: ImportBody as never, response: { 201: Type.Ref(ImportJobSchema), ...problems(403, 413, 422) },
      },
    }, async (req, reply) => {
      const content = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const upload = await imports.validateUpload(db, principalOf(req), { kind: req.query.kind ?? 'auto', fileName: req.query.fileName ?? 'upload', dryRun: req.query.dryRun ?? false, content });
      const job = await mutate(db, req, reply, (tx) => imports.recordJob(tx, tenant(req), upload), {
        status: 201, resource: (j) => `import/${j.id}`, details: (j) => ({ status: j.status, rows: j.totalRows, errors: j.errorCount, sha256: j.sha256, fileName: j.fileName }),
      });
      if (job.status === 'writing') imports.startWriting(db, principalOf(req), job.id, onError(job.id));
      return job;
    });
  });

  app.get('/v1/imports/:id', {
    config: { permission: 'imports:read' },
    schema: { operationId: 'getImport', tags, summary: 'An import job: its status, progress (rows, rows/s) and every error', params: IdParams, response: { 200: Type.Ref(ImportJobSchema), ...problems(404) } },
  }, async (req) => read(db, req, (tx) => imports.getJob(tx, tenant(req), req.params.id)));

  app.post('/v1/imports/:id/resume', {
    config: { permission: 'imports:write', cutover: 'import' },
    schema: {
      operationId: 'resumeImport', tags, summary: 'Go on writing a job whose process stopped (killed, restarted): from its last committed chunk; rows already there stay as they are',
      params: IdParams, response: { 202: Type.Ref(ImportJobSchema), ...problems(404, 409) },
    },
  }, async (req, reply) => reply.code(202).send(await imports.resumeJob(db, principalOf(req), req.params.id, onError(req.params.id))));

  app.get('/v1/imports/:id/error-report', {
    config: { permission: 'imports:read' },
    schema: { operationId: 'getImportErrorReport', tags, summary: 'The uploaded file with an error column added: each row\'s errors beside it (CSV in its own encoding, or XLSX)', params: IdParams, response: { 200: FileResponse, ...problems(404) } },
  }, async (req, reply) => {
    // Not read(): the download's audit record is appended in the same transaction.
    const { job, content } = await db.transaction({ tenantId: tenant(req) }, async (tx) => {
      const found = await imports.getJob(tx, tenant(req), req.params.id);
      await auditRead(tx, req, `import/${found.id}`, { errorReport: true, errors: found.errorCount });
      return { job: found, content: (await repo.jobContent(tx, tenant(req), req.params.id))! };
    });
    const name = job.fileName.replace(/(\.[^.]*)?$/, (ext) => `.errors${ext || (job.format === 'csv' ? '.csv' : '.xlsx')}`);
    return reply
      .type(job.format === 'csv' ? `text/csv; charset=${job.encoding === 'gb18030' ? 'gb18030' : 'utf-8'}` : XLSX_TYPE)
      .header('content-disposition', attachment(name))
      .send(await errorReport(job, content));
  });

  // The kind is a query parameter, not a path segment: a template is no tenant's resource.
  app.get('/v1/imports/template', {
    config: { permission: 'imports:read' },
    schema: { operationId: 'getImportTemplate', tags, summary: 'A template for a kind: headers in Chinese and English, an example row; XLSX with drop-down lists', querystring: TemplateQuery, response: { 200: FileResponse, ...problems() } },
  }, async (req, reply) => {
    const format: 'csv' | 'xlsx' = (req.query.format as string | undefined) === 'csv' ? 'csv' : 'xlsx';
    return reply
      .type(format === 'csv' ? 'text/csv; charset=utf-8' : XLSX_TYPE)
      .header('content-disposition', attachment(`${req.query.kind}-template.${format}`))
      .send(await template(req.query.kind, format));
  });
}
