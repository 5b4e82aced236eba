import { Args, Flags } from '@oclif/core';
import type { MesClient, MrpRun } from '@mes/sdk';
import { CommandFailure, MesApiCommand } from '../../../base-command.js';
import { table } from '../../../format.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

async function runId(client: MesClient, ref: string): Promise<string> {
  if (UUID.test(ref)) return ref;
  for await (const r of client.production.mrp.iterate({ limit: 500 })) if (r.docNo === ref) return r.id;
  throw new CommandFailure(`no MRP run ${ref}`, { code: 'MRP_RUN_NOT_FOUND' });
}

/** The run's head and its planned orders as a table (shared with `mes production mrp run`). */
export function printRun(cmd: { log: (s: string) => void }, run: MrpRun): void {
  const make = run.plannedOrders.filter((p) => p.kind === 'make').length;
  cmd.log(`${run.docNo}  as of ${run.asOf}  ${run.plannedCount} planned orders (${run.demandCount} demand elements, ${run.materialCount} materials, ${run.durationMs} ms)`);
  cmd.log(`result ${run.resultDigest.slice(0, 16)}  shown: ${make} make, ${run.plannedOrders.length - make} buy${run.truncated ? ' (more: use --limit, --kind)' : ''}`);
  if (!run.plannedOrders.length) return;
  cmd.log('');
  cmd.log(
    table(run.plannedOrders, [
      { header: 'line', get: (p) => String(p.lineNo) },
      { header: 'kind', get: (p) => p.kind },
      { header: 'material', get: (p) => p.materialCode },
      { header: 'quantity', get: (p) => `${p.quantity} ${p.baseUnit}` },
      { header: 'start', get: (p) => `${p.startDate}${p.late ? ' late' : ''}` },
      { header: 'due', get: (p) => p.dueDate },
      { header: 'mto', get: (p) => p.mtoNo ?? '' },
      { header: 'pegged to', get: (p) => p.pegs.map((g) => `${g.sourceRef} ${g.quantity}`).join(', ') },
      { header: 'firmed', get: (p) => p.firmedDocNo ?? '' },
    ]),
  );
}

export default class ProductionMrpShow extends MesApiCommand<typeof ProductionMrpShow> {
  static override summary = 'Show a recorded MRP run: its planned orders with their pegs, and what became of them.';

  static override description = `Prints the run's inputs digest, result digest and its planned orders (make: production orders to be; buy: purchase suggestions) with the demand each is pegged to and the document it was firmed into. With --json, prints the run as the API returns it, with the netting per material.

Needs the production:read permission.`;

  static override examples = [
    '<%= config.bin %> <%= command.id %> MRP20260301-0001',
    { description: 'Purchase suggestions only', command: '<%= config.bin %> <%= command.id %> MRP20260301-0001 --kind buy' },
  ];

  static override args = {
    run: Args.string({ description: 'Run number (MRP…) or id.', required: true }),
  };

  static override flags = {
    kind: Flags.string({ summary: 'Only make or only buy planned orders.', options: ['make', 'buy'] }),
    limit: Flags.integer({ summary: 'Planned orders shown (default 500).', min: 1, max: 5000 }),
  };

  public async run(): Promise<MrpRun> {
    const run = await this.client.production.mrp.get(await runId(this.client, this.args.run), {
      ...(this.flags.kind ? { kind: this.flags.kind as 'make' | 'buy' } : {}), ...(this.flags.limit ? { limit: this.flags.limit } : {}),
    });
    printRun(this, run);
    return run;
  }
}
