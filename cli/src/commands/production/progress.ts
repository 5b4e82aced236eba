import { Flags } from '@oclif/core';
import type { ProductionProgress } from '@mes/sdk';
import { MesApiCommand } from '../../base-command.js';
import { table } from '../../format.js';

export default class ProductionProgressCommand extends MesApiCommand<typeof ProductionProgressCommand> {
  static override summary = 'Shop-floor progress (S1-5.4.4-l): open and late orders per workshop, operations running, each order operation against its plan.';

  static override description = `Per workshop its open (released, in progress) and late orders and its operations by status; then every operation in progress or paused with its station and operator; then the open orders, late ones first, each operation's planned quantity against good, scrap and pending inspection. An e-kanban board follows the changes after it with the SDK's production.feed({ after: lastSeq }). With --json, prints the progress as the API returns it.

Needs production:read.`;

  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    { description: 'One workshop, late as of a day', command: '<%= config.bin %> <%= command.id %> --workshop WS-ASSY --as-of 2026-03-10' },
  ];

  static override flags = {
    workshop: Flags.string({ summary: 'Only this workshop (its code).' }),
    'as-of': Flags.string({ summary: 'The day an order is late after its planned finish (YYYY-MM-DD); default today.' }),
    limit: Flags.integer({ summary: 'How many open orders to list (1 to 500).', default: 100 }),
  };

  public async run(): Promise<ProductionProgress> {
    const p = await this.client.production.progress({ workshopCode: this.flags.workshop, asOf: this.flags['as-of'], limit: this.flags.limit });
    this.log(`as of ${p.asOf}`);
    this.log(table(p.workshops, [
      { header: 'workshop', get: (w) => w.workshopCode ?? '(none)' },
      { header: 'open', get: (w) => String(w.openOrders) },
      { header: 'late', get: (w) => String(w.lateOrders) },
      { header: 'pending', get: (w) => String(w.operations.pending) },
      { header: 'running', get: (w) => String(w.operations.inProgress) },
      { header: 'paused', get: (w) => String(w.operations.paused) },
      { header: 'done', get: (w) => String(w.operations.completed) },
    ]));
    this.log('');
    this.log(p.active.length ? table(p.active, [
      { header: 'order', get: (a) => a.docNo },
      { header: 'op', get: (a) => String(a.seq) },
      { header: 'work centre', get: (a) => a.workCentreCode },
      { header: 'status', get: (a) => a.status },
      { header: 'station', get: (a) => a.stationCode ?? '' },
      { header: 'operator', get: (a) => a.operator ?? '' },
      { header: 'since', get: (a) => a.since ?? '' },
    ]) : 'no operation is running');
    for (const o of p.orders) {
      this.log('');
      this.log(`${o.docNo}  ${o.materialCode} ${o.quantity} ${o.baseUnit}  ${o.status}  received ${o.received}  finish ${o.plannedFinish}${o.late ? `  LATE ${o.daysLate} d` : ''}`);
      this.log(table(o.operations, [
        { header: 'op', get: (x) => String(x.seq) },
        { header: 'work centre', get: (x) => x.workCentreCode },
        { header: 'status', get: (x) => x.status },
        { header: 'planned', get: (x) => x.planned },
        { header: 'good', get: (x) => x.good },
        { header: 'scrap', get: (x) => x.scrap },
        { header: 'pending insp.', get: (x) => x.pendingInspection },
        { header: 'remaining', get: (x) => x.remaining },
      ]));
    }
    if (p.truncated) this.log(`\nmore open orders than ${this.flags.limit}: raise --limit or name a --workshop`);
    return p;
  }
}
