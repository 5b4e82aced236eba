import { Args } from '@oclif/core';
import type { ProductionOrderEnergy } from '@mes/sdk';
import { MesApiCommand } from '../../base-command.js';
import { table } from '../../format.js';
import { productionOrderId } from '../../lookup.js';

export default class EquipmentEnergy extends MesApiCommand<typeof EquipmentEnergy> {
  static override summary = 'Show the energy a production order used on each machine it ran on.';

  static override description = `Reads each machine's energy meter over the intervals the order's operations ran on it (work reports with a machine and a start, and start/resume to pause/end operation events), overlaps merged. Prints per machine the SECONDS run, ENERGY and UNIT, or why it is unknown (UNKNOWN_EQUIPMENT: no machine has the code the report named; NO_ENERGY_POINT: the machine has no meter), then the totals per unit. With --json, prints the answer as the API returns it (orderId, docNo, machines with their intervals, totals, reportsWithoutInterval).

Needs the equipment:read permission.`;

  static override examples = ['<%= config.bin %> <%= command.id %> MO20261203-0001', { description: 'The kWh total', command: "<%= config.bin %> <%= command.id %> MO20261203-0001 --json | jq '.totals'" }];

  static override args = {
    order: Args.string({ description: 'Document number or id of the production order.', required: true }),
  };

  public async run(): Promise<ProductionOrderEnergy> {
    const e = await this.client.equipment.orderEnergy(await productionOrderId(this.client, this.args.order));
    if (e.machines.length === 0) this.log(`${e.docNo}: no work reported on a machine yet.`);
    else {
      this.log(table(e.machines, [
        { header: 'machine', get: (m) => m.equipmentCode },
        { header: 'seconds', get: (m) => String(m.seconds) },
        { header: 'energy', get: (m) => (m.energy === null ? '' : String(m.energy)) },
        { header: 'unit', get: (m) => m.unit ?? '' },
        { header: 'missing', get: (m) => m.missing ?? '' },
      ]));
      this.log('');
      this.log(`${e.docNo} total: ${e.totals.map((x) => `${x.energy} ${x.unit}`).join(', ') || 'none known'}`);
    }
    if (e.reportsWithoutInterval) this.log(`${e.reportsWithoutInterval} work report${e.reportsWithoutInterval === 1 ? '' : 's'} named no machine or no start and are not counted.`);
    return e;
  }
}
