import { Flags } from '@oclif/core';
import type { QualityInspectionSummary } from '@mes/sdk';
import { MesApiCommand } from '../../../base-command.js';
import { shortDate, table } from '../../../format.js';
import { materialByCode } from '../../../lookup.js';

type Status = 'open' | 'judged' | 'closed';
type InspectionType = 'incoming' | 'in_process' | 'final' | 'first_article' | 'patrol';

export default class QualityInspectionsList extends MesApiCommand<typeof QualityInspectionsList> {
  static override summary = 'List inspection orders, newest first.';

  static override description = `Prints NUMBER, TYPE, MATERIAL, LOT size, SAMPLE (n, Ac/Re), STATUS, JUDGEMENT with the defectives found, and when it was created. Follows pages up to --max. With --json, prints an array of inspection summaries as the API returns them.

Needs the quality:read permission.`;

  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    { description: 'The inspector\'s worklist', command: '<%= config.bin %> <%= command.id %> --status open' },
    { description: 'Final inspections of one material, as JSON', command: '<%= config.bin %> <%= command.id %> --type final --material FAN-01 --json' },
  ];

  static override flags = {
    status: Flags.string({ summary: 'Only inspections in this state.', options: ['open', 'judged', 'closed'] }),
    type: Flags.string({ summary: 'Only inspections of this type.', options: ['incoming', 'in_process', 'final', 'first_article', 'patrol'] }),
    material: Flags.string({ summary: 'Only inspections of this material (code).' }),
    max: Flags.integer({ summary: 'At most this many inspections.', min: 1, default: 200 }),
  };

  public async run(): Promise<QualityInspectionSummary[]> {
    const f = this.flags;
    const materialId = f.material ? (await materialByCode(this.client, f.material)).id : undefined;
    const items: QualityInspectionSummary[] = [];
    for await (const i of this.client.quality.inspections.iterate({ limit: Math.min(f.max, 500), status: f.status as Status | undefined, inspectionType: f.type as InspectionType | undefined, materialId })) {
      items.push(i);
      if (items.length >= f.max) break;
    }
    if (items.length === 0) this.log('No inspections.');
    else {
      this.log(table(items, [
        { header: 'number', get: (i) => i.docNo },
        { header: 'type', get: (i) => i.inspectionType },
        { header: 'material', get: (i) => i.materialCode },
        { header: 'lot', get: (i) => i.lotSize },
        { header: 'sample', get: (i) => `${i.sampleSize} (${i.acceptNumber}/${i.rejectNumber})` },
        { header: 'status', get: (i) => i.status },
        { header: 'judgement', get: (i) => (i.judgement ? `${i.judgement} (${i.defectives} defective)` : '') },
        { header: 'created', get: (i) => shortDate(i.createdAt) },
      ]));
    }
    return items;
  }
}
