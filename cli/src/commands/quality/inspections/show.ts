import { Args } from '@oclif/core';
import type { QualityInspection } from '@mes/sdk';
import { CommandFailure, MesApiCommand } from '../../../base-command.js';
import { table } from '../../../format.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export default class QualityInspectionsShow extends MesApiCommand<typeof QualityInspectionsShow> {
  static override summary = 'Show an inspection order: sample, judgement with its reason, review, failed results and dispositions.';

  static override description = `Prints the inspection's type, material, lot and sample (code letter, severity, n, Ac/Re), the judgement with its reason and who judged it when, a review if any (with the original judgement and the reason), the failed results (sample, item, value, defect code) and the dispositions. With --json, prints the inspection as the API returns it, every result included.

Needs the quality:read permission.`;

  static override examples = ['<%= config.bin %> <%= command.id %> QI20261203-0001', { description: 'Every measured value', command: "<%= config.bin %> <%= command.id %> QI20261203-0001 --json | jq '.results[] | select(.value)'" }];

  static override args = {
    inspection: Args.string({ description: 'Number (QI…) or id of the inspection.', required: true }),
  };

  public async run(): Promise<QualityInspection> {
    const ref = this.args.inspection;
    let id = ref;
    if (!UUID.test(ref)) {
      const found = (await this.client.quality.inspections.list({ docNo: ref, limit: 1 })).items[0];
      if (!found) throw new CommandFailure(`no inspection ${ref}; \`mes quality inspections list\` shows the newest`, { code: 'INSPECTION_NOT_FOUND' });
      id = found.id;
    }
    const i = await this.client.quality.inspections.get(id);
    const sample = i.codeLetter ? `code ${i.codeLetter}, ${i.severity}, ` : '';
    this.log(`${i.docNo} ${i.inspectionType} of ${i.materialCode}${i.batchNo ? ` batch ${i.batchNo}` : ''}: lot ${i.lotSize}, sample ${sample}n=${i.sampleSize} Ac ${i.acceptNumber} Re ${i.rejectNumber}; ${i.status}`);
    if (i.judgement) this.log(`judgement: ${i.judgement} by ${i.judgedBy} at ${i.judgedAt}: ${i.judgementReason}`);
    if (i.reviewedBy) this.log(`reviewed by ${i.reviewedBy} at ${i.reviewedAt}: ${i.automaticJudgement} → ${i.judgement} (${i.reviewReason})`);
    const failed = i.results.filter((r) => !r.passed);
    if (failed.length) {
      this.log('');
      this.log(table(failed, [
        { header: 'sample', get: (r) => String(r.sampleNo) },
        { header: 'item', get: (r) => r.itemCode },
        { header: 'value', get: (r) => r.value ?? 'fail' },
        { header: 'defect', get: (r) => r.defectCode ?? '' },
      ]));
    }
    if (i.dispositions.length) {
      this.log('');
      this.log(table(i.dispositions, [
        { header: 'disposition', get: (d) => d.kind },
        { header: 'quantity', get: (d) => d.quantity },
        { header: 'approved by', get: (d) => d.approvedBy ?? '' },
        { header: 'reason', get: (d) => d.reason },
      ]));
    }
    return i;
  }
}
