import { CommandFailure, MesApiCommand } from '../../base-command.js';

const PROBLEMS: Record<string, string> = {
  altered: 'its content no longer matches its hash (the record was changed after it was written)',
  missing: 'it is missing (the record was deleted)',
  relinked: 'it does not link to the record before it (records were removed or reordered)',
};

export default class AuditVerify extends MesApiCommand<typeof AuditVerify> {
  static override summary = "Verify the hash chain of the caller's tenant's audit trail.";

  static override description = `Asks the server to recompute the chain from the first record to the chain head. Exits 0 with "audit chain intact: N records" when every record is as written; exits 1 naming the first record that was altered, is missing or was relinked.

With --json, prints the verdict {intact, checked, headSeq, firstBad?}; when the chain is broken it is in error.details.

Needs the audit:read permission.`;

  static override examples = ['<%= config.bin %> <%= command.id %>', '<%= config.bin %> <%= command.id %> --json'];

  public async run() {
    const verdict = await this.client.audit.verify();
    if (verdict.intact) {
      this.log(`audit chain intact: ${verdict.checked} record${verdict.checked === 1 ? '' : 's'}`);
      return verdict;
    }
    const bad = verdict.firstBad;
    const what = bad ? `record ${bad.seq} is ${bad.problem}: ${PROBLEMS[bad.problem] ?? bad.problem}` : 'the chain head does not match';
    throw new CommandFailure(
      `audit chain broken: ${what}. ${verdict.checked} record${verdict.checked === 1 ? '' : 's'} before it verified; the chain head is at ${verdict.headSeq}.`,
      { code: 'AUDIT_CHAIN_BROKEN', details: verdict },
    );
  }
}
