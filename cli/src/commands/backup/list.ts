import { Flags } from '@oclif/core';
import { MesCommand } from '../../base-command.js';
import { listEntries, type CatalogueEntry } from '../../backup/catalogue.js';
import { destinationOf } from '../../backup/destination.js';
import { megabytes, seconds } from '../../progress.js';
import { shortDate, table } from '../../format.js';

export default class BackupList extends MesCommand<typeof BackupList> {
  static override summary = 'List the backups of a destination, newest first, with their verification and drills.';

  static override description = `Reads the destination's catalogue. VERIFIED is the date of the last verification by restore and its outcome (a failure shows its code); RTO is the recovery time it measured. With --json, prints the catalogue entries.`;

  static override examples = ['<%= config.bin %> <%= command.id %> --in /var/backups/mes', '<%= config.bin %> <%= command.id %> --in s3://mes-backups/prod --json'];

  static override flags = {
    in: Flags.string({ summary: 'Destination: a directory, or s3://bucket/prefix.', env: 'MES_BACKUP_DESTINATION', required: true }),
  };

  public async run(): Promise<CatalogueEntry[]> {
    const entries = await listEntries(destinationOf(this.flags.in));
    if (!entries.length) this.log(`No backups in ${this.flags.in}.`);
    else {
      this.log(table(entries, [
        { header: 'id', get: (e) => e.id },
        { header: 'created', get: (e) => shortDate(e.createdAt) },
        { header: 'scope', get: (e) => e.series },
        { header: 'size', get: (e) => megabytes(e.bytes) },
        { header: 'rows', get: (e) => String(e.rows) },
        { header: 'encrypted', get: (e) => (e.encrypted ? 'yes' : 'no (secrets redacted)') },
        { header: 'verified', get: (e) => (e.verification ? `${shortDate(e.verification.at)} ${e.verification.ok ? 'ok' : `FAILED ${e.verification.code}`}` : 'never') },
        { header: 'rto', get: (e) => (e.verification?.rtoMs !== undefined ? seconds(e.verification.rtoMs) : '') },
        { header: 'drills', get: (e) => String(e.drills.length) },
      ]));
    }
    return entries;
  }
}
