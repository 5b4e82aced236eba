import { Flags } from '@oclif/core';
import type { Cutover } from '@mes/sdk';
import { CommandFailure, MesApiCommand } from '../../base-command.js';
import { openCutover } from '../../cutover/open.js';

export default class CutoverRollback extends MesApiCommand<typeof CutoverRollback> {
  static override summary = 'Roll the open cutover back: the tenant as at its backup point, then unfrozen.';

  static override description = `Puts back every row of the tenant as it was when the cutover's backup step ran (per-tenant restore into the same instance), in one transaction, and unfreezes the tenant. The audit chain, the events already published and the import jobs stay as they are: they record what happened. Only an open cutover (planned, running or failed) rolls back; after go-live use mes backup restore.`;

  static override examples = ['<%= config.bin %> <%= command.id %>'];

  static override flags = {
    cutover: Flags.string({ summary: 'The cutover id; default the tenant\'s open cutover.' }),
  };

  public async run(): Promise<Cutover> {
    const open = await openCutover(this.client, this.flags.cutover);
    if (!open) throw new CommandFailure('this tenant has no open cutover to roll back', { code: 'NO_OPEN_CUTOVER' });
    const rolled = await this.client.cutovers.rollback(open.id);
    const restored = (rolled.rollback as { restored?: { rowsRestored: number; rowsRemoved: number } | null } | null)?.restored;
    this.log(restored
      ? `cutover ${rolled.id} rolled back: ${restored.rowsRemoved} rows removed, ${restored.rowsRestored} rows of the backup point restored; the tenant is unfrozen`
      : `cutover ${rolled.id} rolled back before its backup point: nothing was changed; the tenant is unfrozen`);
    return rolled;
  }
}
