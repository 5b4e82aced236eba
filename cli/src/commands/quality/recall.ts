import { writeFile } from 'node:fs/promises';
import { Args, Flags } from '@oclif/core';
import type { Recall } from '@mes/sdk';
import { MesApiCommand } from '../../base-command.js';
import { table } from '../../format.js';

/** What `mes quality recall --json` prints: the report, and the file when one was written. */
export interface QualityRecallResult extends Recall {
  file?: string;
}

export default class QualityRecall extends MesApiCommand<typeof QualityRecall> {
  static override summary = 'Recall report of a suspect batch: every batch and serial made from it, where each is now.';

  static override description = `Lists, for the suspect batch and everything made from it, what is in stock per warehouse and bin and what was shipped per customer and delivery (less what came back). --format csv or xlsx with --out writes the export instead of printing the table. Every report and export is on the audit record.

Needs quality:read. A batch number used by more than one material needs --material.`;

  static override examples = [
    '<%= config.bin %> <%= command.id %> B20260301-001',
    { description: 'For the customer service team', command: '<%= config.bin %> <%= command.id %> B20260301-001 --format xlsx --out recall.xlsx' },
  ];

  static override args = { batchNo: Args.string({ description: 'The suspect batch number', required: true }) };

  static override flags = {
    material: Flags.string({ summary: 'The material (code), when the batch number is used by more than one.' }),
    format: Flags.string({ summary: 'Write the export in this format (needs --out).', options: ['csv', 'xlsx'], dependsOn: ['out'] }),
    out: Flags.string({ summary: 'The file to write the export to.', dependsOn: ['format'] }),
  };

  public async run(): Promise<QualityRecallResult> {
    const query = { batchNo: this.args.batchNo, materialCode: this.flags.material };
    if (this.flags.format && this.flags.out) {
      const bytes = this.flags.format === 'csv' ? Buffer.from(await this.client.trace.recallCsv(query)) : (await this.client.trace.recallXlsx(query)).bytes;
      await writeFile(this.flags.out, bytes);
      const report = await this.client.trace.recall(query);
      this.log(`wrote ${this.flags.out}: ${report.rows.length} rows, ${report.affectedBatches} affected batches and serials`);
      return { ...report, file: this.flags.out };
    }
    const report = await this.client.trace.recall(query);
    this.log(`Recall of ${report.suspect.materialCode} batch ${report.suspect.batchNo}: ${report.affectedBatches} affected batches and serials, ${report.customers.length} customers${report.truncated ? ' (genealogy deeper than 20 steps: not all shown)' : ''}`);
    if (report.rows.length) {
      this.log(table(report.rows, [
        { header: 'material', get: (r) => r.materialCode },
        { header: 'batch/serial', get: (r) => r.serialNo ?? r.batchNo ?? '' },
        { header: 'status', get: (r) => r.status },
        { header: 'where', get: (r) => (r.status === 'in_stock' ? `${r.warehouseCode}${r.binCode ? `/${r.binCode}` : ''}` : `${r.customerCode} ${r.outboundDocNo}`) },
        { header: 'quantity', get: (r) => r.quantity },
        { header: 'unit', get: (r) => r.baseUnit },
      ]));
    }
    return report;
  }
}
