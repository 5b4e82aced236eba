import { Flags } from '@oclif/core';
import { CommandFailure, EXIT, MesCommand } from '../../base-command.js';
import { decidePrune, listEntries } from '../../backup/catalogue.js';
import { destinationOf } from '../../backup/destination.js';

export interface BackupPruneResult {
  kept: { id: string; reasons: string[] }[];
  removed: string[];
  dryRun: boolean;
}

export default class BackupPrune extends MesCommand<typeof BackupPrune> {
  static override summary = 'Remove old backups, keeping daily, weekly and monthly ones (grandfather-father-son).';

  static override description = `Per series (the instance, each tenant): keeps the newest backup of each of the last N days, ISO weeks and months that have one (UTC), and always the newest backup and the newest verified one, so a series is never left without a backup known to restore. Everything else in the catalogue is removed, files and entry. --dry-run only prints the decision.`;

  static override examples = [
    '<%= config.bin %> <%= command.id %> --in /var/backups/mes --keep-daily 7 --keep-weekly 4 --keep-monthly 12',
    '<%= config.bin %> <%= command.id %> --in s3://mes-backups/prod --keep-daily 14 --keep-weekly 8 --keep-monthly 24 --dry-run --json',
  ];

  static override flags = {
    in: Flags.string({ summary: 'Destination: a directory, or s3://bucket/prefix.', env: 'MES_BACKUP_DESTINATION', required: true }),
    'keep-daily': Flags.integer({ summary: 'Days to keep a backup of.', min: 0, default: 0 }),
    'keep-weekly': Flags.integer({ summary: 'ISO weeks to keep a backup of.', min: 0, default: 0 }),
    'keep-monthly': Flags.integer({ summary: 'Months to keep a backup of.', min: 0, default: 0 }),
    'dry-run': Flags.boolean({ summary: 'Print what would be removed; remove nothing.', default: false }),
  };

  public async run(): Promise<BackupPruneResult> {
    const f = this.flags;
    if (f['keep-daily'] + f['keep-weekly'] + f['keep-monthly'] === 0) {
      throw new CommandFailure('say what to keep: --keep-daily, --keep-weekly and/or --keep-monthly (the newest and the newest verified backup are always kept)', { code: 'USAGE', exit: EXIT.usage });
    }
    const dest = destinationOf(f.in);
    const decision = decidePrune(await listEntries(dest), { daily: f['keep-daily'], weekly: f['keep-weekly'], monthly: f['keep-monthly'] });
    for (const k of decision.keep) this.log(`keep    ${k.id}  (${k.reasons.join(', ')})`);
    for (const id of decision.remove) {
      if (!f['dry-run']) await dest.remove(id);
      this.log(`${f['dry-run'] ? 'would remove' : 'removed'} ${id}`);
    }
    this.log(`${decision.keep.length} kept, ${decision.remove.length} ${f['dry-run'] ? 'to remove (dry run)' : 'removed'}`);
    return { kept: decision.keep, removed: decision.remove, dryRun: f['dry-run'] };
  }
}
