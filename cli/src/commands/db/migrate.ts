import path from 'node:path';
import { Flags } from '@oclif/core';
import { DataDirLockedError, MigrationChecksumError, MigrationUnknownError, loadConfig, lockDataDir, migrate, openDatabase, type Database } from '@mes/server';
import { CommandFailure, MesCommand } from '../../base-command.js';
import { redactUrl } from '../../format.js';

export interface MigrateResult {
  database: 'postgres' | 'pglite';
  location: string;
  applied: string[];
  alreadyApplied: string[];
}

export default class DbMigrate extends MesCommand<typeof DbMigrate> {
  static override summary = 'Apply pending database migrations.';

  static override description = `Works on the database directly, not through a running server: PostgreSQL when --database or MES_DATABASE_URL is a postgres:// URL, otherwise the embedded PGlite database in <data-dir>/pgdata.

Migrations are forward-only. Each pending one is applied in order in its own transaction; an applied migration whose file has since changed stops the run with exit 1 and names the file.

\`mes up\` migrates on start too; this command is for migrating ahead of a deploy or checking that a database is current. On the embedded database it refuses to run while a \`mes up\` holds the data directory.`;

  static override examples = [
    { description: 'Migrate the embedded database in ./.mes', command: '<%= config.bin %> <%= command.id %>' },
    { description: 'Migrate a PostgreSQL database', command: '<%= config.bin %> <%= command.id %> --database postgres://mes@db.internal:5432/mes' },
    { description: 'As JSON', command: '<%= config.bin %> <%= command.id %> --data-dir /var/lib/mes --json' },
  ];

  static override flags = {
    database: Flags.string({ summary: 'PostgreSQL URL (postgres://…). Default: MES_DATABASE_URL, else embedded PGlite in the data directory.' }),
    'data-dir': Flags.string({ summary: 'Data directory of the embedded database. Default: MES_DATA_DIR or ./.mes.' }),
  };

  public async run(): Promise<MigrateResult> {
    let config;
    try {
      config = loadConfig({ databaseUrl: this.flags.database, dataDir: this.flags['data-dir'] });
    } catch (err) {
      throw new CommandFailure(`invalid configuration: ${(err as Error).message}`, { code: 'INVALID_CONFIG', cause: err });
    }
    const postgres = !!config.databaseUrl && /^postgres(ql)?:\/\//.test(config.databaseUrl);
    const location = postgres ? redactUrl(config.databaseUrl!) : path.resolve(config.databaseUrl ?? path.join(config.dataDir, 'pgdata'));
    let db: Database | undefined;
    let report;
    let release = () => {};
    try {
      if (!postgres) release = lockDataDir(config.dataDir);
      this.logToStderr(`Migrating ${postgres ? 'PostgreSQL' : 'PGlite'} ${location}…`);
      db = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir, poolSize: 1 });
      report = await migrate(db);
    } catch (err) {
      if (err instanceof MigrationChecksumError || err instanceof MigrationUnknownError || err instanceof DataDirLockedError) {
        throw new CommandFailure(err.message, { code: err.code, cause: err });
      }
      throw new CommandFailure(`migration failed on ${location}: ${(err as Error).message}`, { code: 'MIGRATION_FAILED', cause: err });
    } finally {
      await db?.close().catch(() => {});
      release();
    }

    const result: MigrateResult = { database: postgres ? 'postgres' : 'pglite', location, ...report };
    for (const name of result.applied) this.log(`applied          ${name}`);
    for (const name of result.alreadyApplied) this.log(`already applied  ${name}`);
    this.log(
      result.applied.length
        ? `${result.applied.length} migration${result.applied.length === 1 ? '' : 's'} applied; the database is current.`
        : 'Nothing to apply; the database is current.',
    );
    return result;
  }
}
