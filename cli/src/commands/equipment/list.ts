import { Flags } from '@oclif/core';
import type { EquipmentSummary } from '@mes/sdk';
import { MesApiCommand } from '../../base-command.js';
import { table } from '../../format.js';
import { workshopByCode } from '../../lookup.js';

export default class EquipmentList extends MesApiCommand<typeof EquipmentList> {
  static override summary = 'List the equipment (machines), by code.';

  static override description = `Follows every page. With --json, prints an array of equipment summaries as the API returns them (id, code, name, workshopId, workshopCode, gatewayId, status, version).

Needs the equipment:read permission.`;

  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    { description: 'The active machines of one workshop', command: '<%= config.bin %> <%= command.id %> --workshop WS-MACH --status active' },
  ];

  static override flags = {
    workshop: Flags.string({ summary: 'Only machines of this workshop (code).' }),
    status: Flags.string({ summary: 'Only machines in this state.', options: ['active', 'retired'] }),
    'page-size': Flags.integer({ summary: 'Items fetched per request while following the pages.', min: 1, max: 500, default: 500, hidden: true }),
  };

  public async run(): Promise<EquipmentSummary[]> {
    const workshopId = this.flags.workshop ? (await workshopByCode(this.client, this.flags.workshop)).id : undefined;
    const items: EquipmentSummary[] = [];
    for await (const e of this.client.equipment.iterate({ limit: this.flags['page-size'], workshopId, status: this.flags.status as 'active' | 'retired' | undefined })) items.push(e);
    if (items.length === 0) this.log('No equipment.');
    else {
      this.log(table(items, [
        { header: 'code', get: (e) => e.code },
        { header: 'name', get: (e) => e.name },
        { header: 'workshop', get: (e) => e.workshopCode },
        { header: 'gateway', get: (e) => (e.gatewayId ? 'yes' : '') },
        { header: 'status', get: (e) => e.status },
        { header: 'version', get: (e) => String(e.version) },
      ]));
    }
    return items;
  }
}
