import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Args, Flags } from '@oclif/core';
import type { ImportJob, ImportQuery } from '@mes/sdk';
import { CommandFailure, MesApiCommand } from '../../base-command.js';
import { Progress, seconds } from '../../progress.js';

export const IMPORT_KINDS = [
  'auto', 'units', 'conversions', 'materials', 'warehouses', 'bins', 'customers', 'suppliers', 'supplier-materials', 'calendars', 'plant-model', 'equipment',
  'equipment-points', 'alarm-rules', 'routings', 'boms', 'defect-codes', 'inspection-standards', 'inspection-plans',
  'opening-stock', 'sales-orders', 'purchase-orders',
] as const;

/** What `mes import --json` prints: the finished job (status done, validated or invalid with every error). */
export type ImportResult = ImportJob;

export default class Import extends MesApiCommand<typeof Import> {
  static override summary = 'Import a CSV or XLSX file: master data, opening stock (S1-7.3-a).';

  static override description = `Uploads the file as an import job. The server reads it (CSV in UTF-8 with or without BOM, GB18030/GBK as Excel saves it on Chinese Windows, or XLSX with one kind per sheet, headers in Chinese or English), checks every row and reports every error at once, writing nothing if any row is bad. Otherwise it writes in chunks, each row keyed by its natural key: running the same file again changes nothing, and a job whose server stopped goes on with --resume.

Kinds: units, conversions, materials, warehouses, bins, customers, suppliers, supplier-materials, calendars, plant-model, equipment, equipment-points, alarm-rules, routings, boms, defect-codes, inspection-standards, inspection-plans, opening-stock, sales-orders, purchase-orders; auto takes each sheet's kind from its name (物料, Materials, …) or its columns.

Exit 0 when the job is done (or, with --dry-run, validated); 1 with the errors listed (sheet, row, column, value, code) and the error report saved beside the file (<file>.errors.csv|xlsx) when it is invalid.

Needs imports:write, and the write permission of each kind's module (masterdata:write, sales:write, purchasing:write, inventory:post; approving open orders sales:approve or purchasing:approve).`;

  static override examples = [
    '<%= config.bin %> <%= command.id %> auto 期初数据.xlsx',
    { description: 'Check a file without writing anything', command: '<%= config.bin %> <%= command.id %> materials materials.csv --dry-run' },
    { description: 'Go on with a job whose server was restarted', command: '<%= config.bin %> <%= command.id %> --resume 7f3c…' },
  ];

  static override args = {
    kind: Args.string({ description: 'The kind of the file, or auto', options: [...IMPORT_KINDS], required: false }),
    file: Args.string({ description: 'The CSV or XLSX file', required: false }),
  };

  static override flags = {
    'dry-run': Flags.boolean({ summary: 'Validate only: report every error, write nothing.' }),
    resume: Flags.string({ summary: 'Resume the import job with this id instead of uploading a file.' }),
    'no-report': Flags.boolean({ summary: 'Do not save the error report beside the file.' }),
    'poll-ms': Flags.integer({ summary: 'How often progress is read.', default: 500, min: 50, hidden: true }),
  };

  public async run(): Promise<ImportResult> {
    const { kind, file } = this.args;
    const progress = new Progress();
    let job: ImportJob;
    if (this.flags.resume) {
      job = await this.client.imports.resume(this.flags.resume);
      progress.line(`resuming import ${job.id} at row ${job.doneRows} of ${job.totalRows}`);
    } else {
      if (!kind || !file) throw new CommandFailure('give the kind (or auto) and the file: mes import <kind|auto> <file>', { code: 'USAGE', exit: 2 });
      const bytes = await readFile(file).catch((err: Error) => {
        throw new CommandFailure(`cannot read ${file}: ${err.message}`, { code: 'FILE_UNREADABLE' });
      });
      progress.line(`checking ${path.basename(file)} (${bytes.length} bytes)${this.flags['dry-run'] ? ', dry run' : ''}`);
      job = await this.client.imports.create(bytes, { kind: kind as ImportQuery['kind'], fileName: path.basename(file), dryRun: this.flags['dry-run'] });
      progress.line(`phase 1: ${job.totalRows} rows in ${job.sheets.map((s) => `${s.sheet} (${s.kind}, ${s.rows})`).join(', ') || 'no sheet'} checked in ${seconds(job.validateMs)}`);
    }
    while (job.status === 'writing') {
      await new Promise((resolve) => setTimeout(resolve, this.flags['poll-ms']));
      job = await this.client.imports.get(job.id);
      progress.update(progressLine(job));
    }
    progress.clear();
    return this.conclude(job, file);
  }

  private async conclude(job: ImportJob, file: string | undefined): Promise<ImportResult> {
    if (job.status === 'invalid' || job.status === 'failed') {
      let saved = '';
      if (file && !this.flags['no-report']) {
        const report = await this.client.imports.errorReport(job.id);
        saved = file.replace(/(\.[^./\\]*)?$/, (ext) => `.errors${ext || (job.format === 'csv' ? '.csv' : '.xlsx')}`);
        await writeFile(saved, report.bytes);
      }
      if (!this.jsonEnabled()) {
        for (const e of job.errors) this.logToStderr(`${e.sheet}!${e.row} ${e.column}${e.value ? ` "${e.value}"` : ''}: ${e.code} ${e.message}`);
      }
      throw new CommandFailure(
        `${job.status === 'invalid' ? 'nothing was imported' : 'the import stopped'}: ${job.errorCount} error(s) in ${job.fileName}${saved ? `; the file with an error column is ${saved}` : ''}`,
        { code: job.status === 'invalid' ? 'IMPORT_INVALID' : 'IMPORT_FAILED', details: job },
      );
    }
    if (job.status === 'validated') this.log(`${job.fileName}: ${job.totalRows} rows valid (${job.unchangedRows} already there); nothing written (dry run)`);
    else this.log(`${job.fileName}: ${job.writtenRows} rows written, ${job.unchangedRows} unchanged, in ${seconds(job.writeMs)} (${job.rowsPerSecond ?? 0} rows/s); job ${job.id}`);
    return job;
  }
}

/** `[######----] 1,500/4,000 rows  812 rows/s  ETA 3 s` */
export function progressLine(job: ImportJob): string {
  const width = 24;
  const done = job.totalRows ? Math.min(1, job.doneRows / job.totalRows) : 1;
  const bar = '#'.repeat(Math.round(done * width)).padEnd(width, '-');
  const rate = job.rowsPerSecond ?? 0;
  const eta = rate > 0 ? ` ETA ${seconds(((job.totalRows - job.doneRows) / rate) * 1000)}` : '';
  return `[${bar}] ${job.doneRows}/${job.totalRows} rows  ${rate} rows/s${eta}`;
}
