import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { Flags } from '@oclif/core';
import type { Cutover, CutoverStepKey, ImportJob, MesClient } from '@mes/sdk';
import { CommandFailure, MesApiCommand } from '../../base-command.js';
import { openCutover, stepLine } from '../../cutover/open.js';
import { reconcile, type ControlTotals } from '../../cutover/reconcile.js';
import { Progress, seconds } from '../../progress.js';

/** What `mes cutover run --json` prints. */
export interface CutoverRunResult {
  cutoverId: string;
  status: string;
  goLiveAt: string | null;
  steps: { key: string; state: string; durationMs: number | null }[];
  files: { file: string; step: string; jobId: string; status: string; rows: number }[];
}

const IMPORT_STEPS = ['import-master-data', 'initialise-inventory', 'backfill-open-documents'];
const stepOfKind = (kind: string) => (kind === 'opening-stock' ? 1 : kind === 'sales-orders' || kind === 'purchase-orders' ? 2 : 0);

export default class CutoverRun extends MesApiCommand<typeof CutoverRun> {
  static override summary = 'Run the go-live cutover: freeze, backup point, clean trial data, import, reconcile, unfreeze — each step recorded.';

  static override description = `Runs the steps of the tenant's open cutover (planning one if there is none) in order, each recorded on the server with who ran it, when, how long it took and what came of it:

  1. freeze: the tenant's writes are refused with 423 TENANT_FROZEN, except the cutover's own;
  2. backup: a per-tenant backup point, kept with the cutover, that mes cutover rollback restores;
  3. clean: the trial documents and movements made before go-live are removed; master data stays;
  4-6. the .xlsx and .csv files of --files are imported in name order, each into the step of its data (master data, opening stock, open orders; a file holding several goes to the latest);
  7. reconcile against --control-totals (JSON, as for mes cutover rehearse); without it the step records that none were given;
  8. unfreeze: the tenant is live.

The run stops at the first step that fails and says how to go on: fix the cause, then mes cutover run --files <dir> --resume runs that step again and the rest; or mes cutover rollback puts the tenant back as it was at the backup point. Imports are idempotent, so a resumed import rewrites nothing.

Exit 0 when the tenant went live; 1 when a step failed.`;

  static override examples = [
    '<%= config.bin %> <%= command.id %> --files ./legacy --control-totals ./legacy/control-totals.json',
    '<%= config.bin %> <%= command.id %> --files ./legacy --control-totals ./legacy/control-totals.json --resume',
  ];

  static override flags = {
    files: Flags.string({ summary: 'Directory of the legacy files (.xlsx, .csv), imported in name order.', required: true }),
    'control-totals': Flags.string({ summary: 'Control totals (JSON) to reconcile against.' }),
    resume: Flags.boolean({ summary: 'Go on with the open cutover whose step failed or stopped, from that step.', default: false }),
    cutover: Flags.string({ summary: 'The cutover id; default the tenant\'s open cutover.' }),
  };

  public async run(): Promise<CutoverRunResult> {
    const progress = new Progress();
    const totals = this.flags['control-totals'] ? (JSON.parse(await readFile(this.flags['control-totals'], 'utf8')) as ControlTotals) : undefined;
    const names = (await readdir(this.flags.files)).filter((f) => /\.(xlsx|csv)$/i.test(f)).sort();
    if (names.length === 0) throw new CommandFailure(`no .xlsx or .csv file in ${this.flags.files}`, { code: 'NO_FILES' });
    let cutover = await this.startingCutover();
    progress.line(`cutover ${cutover.id}`);
    const files: CutoverRunResult['files'] = [];
    let plan: Map<string, string[]> | undefined;

    for (const step of cutover.steps) {
      if (step.state === 'passed') continue;
      const key = step.key as CutoverStepKey;
      progress.line(`${key} …`);
      if (IMPORT_STEPS.includes(key)) {
        plan ??= await this.classify(cutover.id, names);
        const jobs: string[] = [];
        for (const file of plan.get(key) ?? []) {
          const job = await this.importFile(cutover.id, file);
          files.push({ file, step: key, jobId: job.id, status: job.status, rows: job.totalRows });
          progress.line(`  ${file}: ${job.status}, ${job.writtenRows} written, ${job.unchangedRows} unchanged of ${job.totalRows}`);
          jobs.push(job.id);
        }
        cutover = await this.client.cutovers.runStep(cutover.id, key, { jobs });
      } else if (key === 'reconcile') {
        const differences = totals ? await reconcile(this.client, totals) : [];
        for (const d of differences) this.logToStderr(`  ${d.check} ${d.key}: legacy ${d.expected}, imported ${d.actual}`);
        cutover = await this.client.cutovers.runStep(cutover.id, key, { differences, checked: totals ? { controlTotals: this.flags['control-totals'] } : { controlTotals: 'none given' } });
      } else {
        cutover = await this.client.cutovers.runStep(cutover.id, key);
      }
      const done = cutover.steps.find((s) => s.key === key)!;
      progress.line(stepLine(done));
      if (done.state !== 'passed') throw this.stopped(cutover, key, files);
    }
    this.log(`cutover ${cutover.id}: the tenant is live since ${cutover.goLiveAt}; verify it with mes cutover verify --out <dir>`);
    return result(cutover, files);
  }

  /** The open cutover to run: a planned one, or with --resume a running or failed one; else a new plan. */
  private async startingCutover(): Promise<Cutover> {
    const open = await openCutover(this.client, this.flags.cutover);
    if (!open) {
      if (this.flags.resume) throw new CommandFailure('this tenant has no open cutover to resume: run without --resume to start one', { code: 'NO_OPEN_CUTOVER' });
      return this.client.cutovers.plan({});
    }
    if (open.status !== 'planned' && !this.flags.resume) {
      const at = open.steps.find((s) => s.state !== 'passed');
      throw new CommandFailure(`cutover ${open.id} is ${open.status}${at ? ` at step ${at.key}` : ''}: go on with mes cutover run --files ${this.flags.files} --resume, or undo it with mes cutover rollback`, { code: 'CUTOVER_IN_PROGRESS' });
    }
    if (!['planned', 'running', 'failed'].includes(open.status)) throw new CommandFailure(`cutover ${open.id} is ${open.status}`, { code: 'CUTOVER_CLOSED' });
    return open;
  }

  /** Which import step each file belongs to, from a dry run of it: the latest step among its sheets' kinds. */
  private async classify(cutoverId: string, names: string[]): Promise<Map<string, string[]>> {
    const plan = new Map<string, string[]>();
    for (const file of names) {
      const dry = await this.upload(cutoverId, file, true);
      const step = IMPORT_STEPS[Math.max(0, ...dry.sheets.map((s) => stepOfKind(s.kind)))];
      plan.set(step, [...(plan.get(step) ?? []), file]);
    }
    return plan;
  }

  private async importFile(cutoverId: string, file: string): Promise<ImportJob> {
    let job = await this.upload(cutoverId, file, false);
    while (job.status === 'writing') {
      await new Promise((resolve) => setTimeout(resolve, 200));
      job = await this.client.imports.get(job.id);
    }
    return job;
  }

  private async upload(cutoverId: string, file: string, dryRun: boolean): Promise<ImportJob> {
    const bytes = await readFile(path.join(this.flags.files, file));
    return (this.client as MesClient).imports.create(bytes, { kind: 'auto', fileName: file, dryRun }, { headers: { 'mes-cutover': cutoverId } });
  }

  private stopped(cutover: Cutover, key: string, files: CutoverRunResult['files']): CommandFailure {
    const failed = files.filter((f) => f.step === key && f.status !== 'done');
    const why = ((cutover.steps.find((s) => s.key === key)?.result ?? {}) as { error?: { message?: string } }).error?.message;
    const hint = failed.length ? ` (${failed.map((f) => `${f.file}: ${f.status}, job ${f.jobId}; every error: mes import auto ${f.file} --dry-run`).join('; ')})` : why ? `: ${why}` : '';
    return new CommandFailure(
      `step ${key} failed${hint}. The tenant stays frozen. Fix the cause and go on with: mes cutover run --files ${this.flags.files}${this.flags['control-totals'] ? ` --control-totals ${this.flags['control-totals']}` : ''} --resume; or put the tenant back as it was with: mes cutover rollback`,
      { code: 'CUTOVER_STEP_FAILED', details: result(cutover, files) },
    );
  }
}

function result(c: Cutover, files: CutoverRunResult['files']): CutoverRunResult {
  return { cutoverId: c.id, status: c.status, goLiveAt: c.goLiveAt, steps: c.steps.map((s) => ({ key: s.key, state: s.state, durationMs: s.durationMs })), files };
}
