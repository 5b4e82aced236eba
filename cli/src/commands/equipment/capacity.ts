import { Flags } from '@oclif/core';
import type { EquipmentCapacityReport } from '@mes/sdk';
import { MesApiCommand } from '../../base-command.js';
import { table } from '../../format.js';
import { workCentreByCode, workshopByCode } from '../../lookup.js';

const show = (n: number | null) => (n === null ? '' : String(n));

export default class EquipmentCapacity extends MesApiCommand<typeof EquipmentCapacity> {
  static override summary = 'Capacity report: per machine and work centre the calendar hours, run hours and utilisation over whole days.';

  static override description = `Per active machine: WORK CENTRE, AVAILABLE hours (the shift hours of its work centre's plant calendar over the days), RUN hours (its state history over the same local days), UTILISATION (run / available; above 1 when it ran outside the shifts), MISSING (NO_WORK_CENTRE: no calendar, not summed); then per work centre the sums and its own calendar capacity, and the totals. With --json, prints the answer of GET /v1/equipment-capacity (machines, workCentres, totals).

Needs the equipment:read permission.`;

  static override examples = [
    '<%= config.bin %> <%= command.id %> --from 2026-12-01 --to 2026-12-07',
    { description: 'One work centre, utilisation only', command: "<%= config.bin %> <%= command.id %> --from 2026-12-01 --to 2026-12-07 --work-centre WC-CNC --json | jq '.workCentres[].utilisation'" },
  ];

  static override flags = {
    from: Flags.string({ summary: 'First day (YYYY-MM-DD, the work centre\'s local date).', required: true }),
    to: Flags.string({ summary: 'Last day, inclusive (YYYY-MM-DD; at most 366 days after --from).', required: true }),
    workshop: Flags.string({ summary: 'Only machines of this workshop (code).' }),
    'work-centre': Flags.string({ summary: 'Only machines of this work centre (code).' }),
  };

  public async run(): Promise<EquipmentCapacityReport> {
    const workshopId = this.flags.workshop ? (await workshopByCode(this.client, this.flags.workshop)).id : undefined;
    const workCentreId = this.flags['work-centre'] ? (await workCentreByCode(this.client, this.flags['work-centre'])).id : undefined;
    const r = await this.client.equipment.capacity({ from: this.flags.from, to: this.flags.to, workshopId, workCentreId });
    if (r.machines.length === 0) this.log('No active equipment.');
    else {
      this.log(table(r.machines, [
        { header: 'machine', get: (m) => m.code },
        { header: 'work centre', get: (m) => m.workCentreCode ?? '' },
        { header: 'available', get: (m) => show(m.availableHours) },
        { header: 'run', get: (m) => show(m.runHours) },
        { header: 'utilisation', get: (m) => show(m.utilisation) },
        { header: 'missing', get: (m) => m.missing ?? '' },
      ]));
      if (r.workCentres.length) {
        this.log('');
        this.log(table(r.workCentres, [
          { header: 'work centre', get: (w) => w.workCentreCode },
          { header: 'machines', get: (w) => String(w.machines) },
          { header: 'available', get: (w) => String(w.availableHours) },
          { header: 'run', get: (w) => String(w.runHours) },
          { header: 'utilisation', get: (w) => show(w.utilisation) },
          { header: 'calendar capacity', get: (w) => String(w.calendarCapacityHours) },
        ]));
      }
      this.log('');
      this.log(`${r.from}–${r.to}: ${r.totals.runHours} of ${r.totals.availableHours} hours run on ${r.totals.machines} machine${r.totals.machines === 1 ? '' : 's'}, utilisation ${show(r.totals.utilisation) || 'unknown'}`);
    }
    return r;
  }
}
