import { Type, type Static } from '@sinclair/typebox';
import { Timestamp, Uuid } from '../../platform/schemas.js';

export const IMPORT_KINDS = [
  'units', 'conversions', 'materials', 'warehouses', 'bins', 'customers', 'suppliers', 'supplier-materials', 'calendars', 'plant-model', 'equipment',
  'equipment-points', 'alarm-rules', 'routings', 'boms', 'defect-codes', 'inspection-standards', 'inspection-plans',
  'opening-stock', 'sales-orders', 'purchase-orders',
] as const;
export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const Lit = <T extends string>(...values: readonly T[]) => Type.Union(values.map((v) => Type.Literal(v)));
const ImportJobStatus = Lit('invalid', 'validated', 'writing', 'done', 'failed');
export type ImportJobStatus = Static<typeof ImportJobStatus>;

export const ImportErrorSchema = Type.Object(
  {
    sheet: Type.String({ description: 'Sheet name (a CSV file: its name without extension)' }),
    row: Type.Integer({ description: 'Row as the spreadsheet numbers it (1 = first line)' }),
    column: Type.String({ description: 'The column header (Chinese and English), or empty for the row' }),
    value: Type.String({ description: 'The cell as read' }),
    code: Type.String({ description: 'Stable code: REQUIRED, INVALID_NUMBER, INVALID_DATE, UNKNOWN_UNIT, USCC_CHECK_CHARACTER, DUPLICATE_KEY, …' }),
    message: Type.String(),
  },
  { $id: 'ImportError' },
);

export const ImportJobSchema = Type.Object(
  {
    id: Uuid(),
    kind: Type.String({ description: 'The kind asked for, or auto' }),
    fileName: Type.String(),
    format: Lit('csv', 'xlsx'),
    encoding: Type.String({ description: 'utf-8, utf-8-bom, gb18030 (GBK), utf-16le, or xlsx' }),
    sha256: Type.String(),
    dryRun: Type.Boolean(),
    status: Type.Union([ImportJobStatus], {
      description: 'invalid: errors found, nothing written; validated: a dry run passed; writing: phase 2 runs (or stopped and can be resumed); done; failed: a chunk was refused while writing',
    }),
    sheets: Type.Array(Type.Object({ sheet: Type.String(), kind: Type.String(), headerRow: Type.Integer(), rows: Type.Integer() })),
    totalRows: Type.Integer(),
    writtenRows: Type.Integer({ description: 'Rows written by this job' }),
    unchangedRows: Type.Integer({ description: 'Rows whose natural key was already there: left as they are' }),
    doneRows: Type.Integer({ description: 'writtenRows + unchangedRows: where a resumed job goes on' }),
    errorCount: Type.Integer(),
    errors: Type.Array(Type.Ref(ImportErrorSchema)),
    createdBy: Type.String(),
    validateMs: Type.Integer({ description: 'Phase 1 (read, check, trial write) in milliseconds' }),
    writeMs: Type.Integer({ description: 'Phase 2 so far, in milliseconds' }),
    rowsPerSecond: Type.Union([Type.Integer(), Type.Null()], { description: 'Phase 2 rows per second' }),
    createdAt: Timestamp(),
    updatedAt: Timestamp(),
    finishedAt: Type.Union([Timestamp(), Type.Null()]),
  },
  { $id: 'ImportJob' },
);
export type ImportJob = Static<typeof ImportJobSchema>;

export const ImportQuery = Type.Object(
  {
    kind: Type.Optional(Type.Union([Lit('auto', ...IMPORT_KINDS)], { description: 'The kind of every sheet, or auto (the default): by sheet name, else by the columns its header names' })),
    fileName: Type.Optional(Type.String({ minLength: 1, maxLength: 200, pattern: '^[^/\\\\\\u0000-\\u001f]+$', description: 'The file\'s name, for the job and its error report; default upload' })),
    dryRun: Type.Optional(Type.Boolean({ description: 'Validate only (phase 1): report every error, write nothing' })),
  },
  { additionalProperties: false },
);

export const TemplateQuery = Type.Object({ kind: Lit(...IMPORT_KINDS), format: Type.Optional(Lit('xlsx', 'csv')) }, { additionalProperties: false });

/** The request body: the file's bytes as they are (CSV or XLSX). */
export const ImportBody = {
  content: Object.fromEntries(['application/octet-stream', 'text/csv', XLSX_TYPE].map((t) => [t, { schema: { type: 'string', format: 'binary' } }])),
};

export const FileResponse = {
  description: 'The file (CSV or XLSX)',
  content: Object.fromEntries(['text/csv', XLSX_TYPE].map((t) => [t, { schema: { type: 'string', format: 'binary' } }])),
};
