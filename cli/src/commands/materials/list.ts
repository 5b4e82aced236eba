import { Flags } from '@oclif/core';
import type { Material } from '@mes/sdk';
import { MesApiCommand } from '../../base-command.js';
import { table } from '../../format.js';

export default class MaterialsList extends MesApiCommand<typeof MaterialsList> {
  static override summary = 'List materials, by code.';

  static override description = `Follows every page. With --json, prints an array of materials as the API returns them (id, code, name, specification, category, units, tracking, production parameters, variant data, status, version).

Needs the masterdata:read permission.`;

  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    { description: 'Code or name contains "AxialFan"', command: '<%= config.bin %> <%= command.id %> --q AxialFan' },
    { description: 'Packaging only, codes', command: "<%= config.bin %> <%= command.id %> --category packaging --json | jq -r '.[].code'" },
  ];

  static override flags = {
    q: Flags.string({ summary: 'Only materials whose code or name contains this text.' }),
    category: Flags.string({ summary: 'Only this category.' }),
    'page-size': Flags.integer({ summary: 'Items fetched per request while following the pages.', min: 1, max: 500, default: 500, hidden: true }),
  };

  public async run() {
    const materials: Material[] = [];
    for await (const m of this.client.materials.iterate({ limit: this.flags['page-size'], q: this.flags.q, category: this.flags.category })) materials.push(m);
    if (materials.length === 0) this.log('No materials.');
    else {
      this.log(
        table(materials, [
          { header: 'code', get: (m) => m.code },
          { header: 'name', get: (m) => m.name },
          { header: 'category', get: (m) => m.category },
          { header: 'unit', get: (m) => m.baseUnit },
          { header: 'tracking', get: (m) => (m.trackExpiry ? `${m.tracking}+expiry` : m.tracking) },
          { header: 'status', get: (m) => m.status },
        ]),
      );
    }
    return materials;
  }
}
