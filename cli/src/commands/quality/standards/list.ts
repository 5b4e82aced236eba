import { Flags } from '@oclif/core';
import type { QualityStandard } from '@mes/sdk';
import { MesApiCommand } from '../../../base-command.js';
import { table } from '../../../format.js';
import { materialByCode } from '../../../lookup.js';

export default class QualityStandardsList extends MesApiCommand<typeof QualityStandardsList> {
  static override summary = 'List the inspection standards, by code, with their items.';

  static override description = `Prints CODE, NAME, what the standard applies to (a material, or a product class: category), STATUS and its ITEMS (code, and for quantitative items the limits and unit). Follows every page. With --json, prints an array of standards as the API returns them (id, code, name, materialId, materialCode, materialCategory, status, version, items).

Needs the quality:read permission.`;

  static override examples = ['<%= config.bin %> <%= command.id %>', { description: 'The standards of one material', command: '<%= config.bin %> <%= command.id %> --material SHAFT-01 --json' }];

  static override flags = {
    material: Flags.string({ summary: 'Only standards of this material (code); product-class standards are listed without it.' }),
    'page-size': Flags.integer({ summary: 'Items fetched per request while following the pages.', min: 1, max: 500, default: 500, hidden: true }),
  };

  public async run(): Promise<QualityStandard[]> {
    const materialId = this.flags.material ? (await materialByCode(this.client, this.flags.material)).id : undefined;
    const items: QualityStandard[] = [];
    for await (const s of this.client.quality.standards.iterate({ limit: this.flags['page-size'], materialId })) items.push(s);
    if (items.length === 0) this.log('No inspection standards. Create one with POST /v1/quality-standards (docs/quality.md).');
    else {
      this.log(table(items, [
        { header: 'code', get: (s) => s.code },
        { header: 'name', get: (s) => s.name },
        { header: 'applies to', get: (s) => s.materialCode ?? `category ${s.materialCategory}` },
        { header: 'status', get: (s) => s.status },
        {
          header: 'items',
          get: (s) => s.items.map((i) => (i.kind === 'quantitative' ? `${i.code} ${i.lowerLimit ?? ''}..${i.upperLimit ?? ''} ${i.unit}` : `${i.code} pass/fail`)).join('; '),
        },
      ]));
    }
    return items;
  }
}
