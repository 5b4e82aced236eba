import { Flags } from '@oclif/core';
import type { MrpRun, RunMrpInput } from '@mes/sdk';
import { CommandFailure, MesApiCommand } from '../../../base-command.js';
import { printRun } from './show.js';

const TASK = /^([^:]+):([0-9]+(?:\.[0-9]+)?)(?::([A-Za-z0-9_-]+))?@(\d{4}-\d{2}-\d{2})(?::(.+))?$/;

export default class ProductionMrpRun extends MesApiCommand<typeof ProductionMrpRun> {
  static override summary = 'Run MRP: planned production orders and purchase suggestions for open demand.';

  static override description = `Demand is every open sales order line (made to order: the order number is carried through as the MTO number), the production tasks given with --task, safety-stock shortfalls, and what open production orders still need. Each material is netted once, level by level (gross − on hand − open supply + safety stock), lots are sized by its planning parameters (lot for lot, fixed, minimum/multiple) and offset by its lead time. Every planned order is pegged to the demand it covers. The run is recorded: \`mes production mrp show <run>\` shows it again, and two runs on the same data have the same result digest. A refused input (UNKNOWN_MATERIAL, UNIT_NOT_CONVERTIBLE…) exits 1 and nothing is recorded. With --json, prints the run as the API returns it.

Needs the production:write permission.`;

  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    { description: 'As of a date, with two tasks entered by hand (material:quantity[:unit]@due[:reference])', command: '<%= config.bin %> <%= command.id %> --as-of 2026-03-01 --task MOTOR-1:5@2026-03-18:SPARE --task FAN-A:2:BOX@2026-03-20' },
    { description: 'Only the purchase suggestions', command: "<%= config.bin %> <%= command.id %> --json | jq '.plannedOrders[] | select(.kind == \"buy\")'" },
  ];

  static override flags = {
    'as-of': Flags.string({ summary: 'Planning date (YYYY-MM-DD); default today.' }),
    task: Flags.string({ summary: 'A production task: material:quantity[:unit]@due[:reference]. Repeatable.', multiple: true }),
    'sales-orders': Flags.boolean({ summary: 'Plan for open sales order lines.', default: true, allowNo: true }),
    'safety-stock': Flags.boolean({ summary: 'Plan for safety-stock shortfalls.', default: true, allowNo: true }),
  };

  public async run(): Promise<MrpRun> {
    const tasks = (this.flags.task ?? []).map((text) => {
      const m = TASK.exec(text);
      if (!m) throw new CommandFailure(`--task ${text}: expected material:quantity[:unit]@YYYY-MM-DD[:reference]`, { code: 'USAGE', exit: 2 });
      return { materialCode: m[1], quantity: m[2], ...(m[3] ? { unit: m[3] } : {}), dueDate: m[4], ...(m[5] ? { reference: m[5] } : {}) };
    });
    const body: RunMrpInput = { ...(this.flags['as-of'] ? { asOf: this.flags['as-of'] } : {}), salesOrders: this.flags['sales-orders'], safetyStock: this.flags['safety-stock'], ...(tasks.length ? { tasks } : {}) };
    const run = await this.client.production.mrp.run(body);
    printRun(this, run);
    return run;
  }
}
