import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { Flags } from '@oclif/core';
import { MesClient, type ImportJob } from '@mes/sdk';
import { CommandFailure, MesApiCommand } from '../../base-command.js';
import { Progress, seconds } from '../../progress.js';
import { reconcile, type ControlTotals, type Difference } from '../../cutover/reconcile.js';

/** What `mes cutover rehearse --json` prints. */
export interface RehearsalResult {
  tenant: { id: string; slug: string };
  imports: { file: string; jobId: string; status: string; rows: number; written: number; errors: number; ms: number }[];
  differences: Difference[];
  reconcileMs: number;
  totalMs: number;
  ok: boolean;
}

export default class CutoverRehearse extends MesApiCommand<typeof CutoverRehearse> {
  static override summary = 'Rehearse the go-live import into a scratch tenant and reconcile it against legacy control totals (S1-7.3-a).';

  static override description = `Creates a scratch tenant (platform admin key), imports every .xlsx and .csv file of --files in name order (each with kind auto, stopping at the first file that does not import), then compares what the tenant holds with the control totals taken from the legacy system (--totals, JSON: counts per kind, stock per material and warehouse, open sales and purchase order quantities per material) and lists every difference, with the time each step took.

Exit 0 when every file imported and nothing differs; 1 otherwise.`;

  static override examples = [
    '<%= config.bin %> <%= command.id %> --files ./legacy --totals ./legacy/control-totals.json',
  ];

  static override flags = {
    files: Flags.string({ summary: 'Directory of the legacy files (.xlsx, .csv), imported in name order.', required: true }),
    totals: Flags.string({ summary: 'Control totals (JSON) to reconcile against.', required: true }),
    slug: Flags.string({ summary: 'Slug of the scratch tenant. Default rehearsal-<time>.' }),
  };

  public async run(): Promise<RehearsalResult> {
    const started = Date.now();
    const progress = new Progress();
    const totals = JSON.parse(await readFile(this.flags.totals, 'utf8')) as ControlTotals;
    const files = (await readdir(this.flags.files)).filter((f) => /\.(xlsx|csv)$/i.test(f)).sort();
    if (files.length === 0) throw new CommandFailure(`no .xlsx or .csv file in ${this.flags.files}`, { code: 'NO_FILES' });
    const slug = this.flags.slug ?? `rehearsal-${new Date().toISOString().replace(/\D/g, '').slice(0, 14)}`;
    const created = await this.client.tenants.create({ slug, name: `Cutover rehearsal ${slug}`, plan: 'unlimited' });
    const tenant = new MesClient({ baseUrl: this.url, apiKey: created.apiKey.key });
    progress.line(`scratch tenant ${slug} (${created.tenant.id})`);

    const imports: RehearsalResult['imports'] = [];
    for (const file of files) {
      const t0 = Date.now();
      let job: ImportJob = await tenant.imports.create(await readFile(path.join(this.flags.files, file)), { kind: 'auto', fileName: file });
      while (job.status === 'writing') {
        await new Promise((resolve) => setTimeout(resolve, 200));
        job = await tenant.imports.get(job.id);
      }
      imports.push({ file, jobId: job.id, status: job.status, rows: job.totalRows, written: job.writtenRows, errors: job.errorCount, ms: Date.now() - t0 });
      progress.line(`${file}: ${job.status}, ${job.writtenRows}/${job.totalRows} rows, ${job.errorCount} errors, ${seconds(Date.now() - t0)}`);
      if (job.status !== 'done') break;
    }
    const t1 = Date.now();
    const differences = imports.every((i) => i.status === 'done') && imports.length === files.length ? await reconcile(tenant, totals) : [];
    const result: RehearsalResult = {
      tenant: { id: created.tenant.id, slug }, imports, differences, reconcileMs: Date.now() - t1, totalMs: Date.now() - started,
      ok: imports.length === files.length && imports.every((i) => i.status === 'done') && differences.length === 0,
    };
    for (const d of differences) this.logToStderr(`${d.check} ${d.key}: legacy ${d.expected}, imported ${d.actual}`);
    if (!result.ok) {
      const failed = imports.find((i) => i.status !== 'done');
      throw new CommandFailure(
        failed ? `${failed.file} did not import (${failed.status}, ${failed.errors} errors; job ${failed.jobId}): fix it with mes import and rehearse again`
          : `${differences.length} difference(s) against the control totals`,
        { code: failed ? 'REHEARSAL_IMPORT_FAILED' : 'REHEARSAL_DIFFERENCES', details: result },
      );
    }
    this.log(`rehearsal in ${slug}: ${imports.length} files imported, no difference against the control totals, ${seconds(result.totalMs)}`);
    return result;
  }
}
