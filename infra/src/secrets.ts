/**
 * Secret values come from the environment or from files the configuration names, never from the
 * configuration itself. `mes infra preview|up` reads them here and hands them to the program,
 * which stores them encrypted (Pulumi secrets) and writes them into Kubernetes Secrets.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { InfraConfig, SecretSource } from './config.js';
import type { ResolvedSecrets } from './program.js';

export class SecretSourceError extends Error {
  readonly code = 'SECRET_SOURCE_MISSING';
  constructor(readonly missing: string[]) {
    super(`cannot read these secrets:\n${missing.map((m) => `  - ${m}`).join('\n')}`);
  }
}

/** Every secret the configuration names, read; all the unreadable ones reported at once. */
export function resolveSecrets(config: InfraConfig, opts: { baseDir: string; env?: NodeJS.ProcessEnv }): ResolvedSecrets {
  const env = opts.env ?? process.env;
  const missing: string[] = [];
  const read = (source: SecretSource | undefined, what: string): string | undefined => {
    if (!source) return undefined;
    if ('env' in source) {
      const value = env[source.env];
      if (value === undefined || value === '') missing.push(`${what}: environment variable ${source.env} is not set`);
      return value || undefined;
    }
    const file = path.resolve(opts.baseDir, source.file);
    try {
      return readFileSync(file, 'utf8');
    } catch (err) {
      missing.push(`${what}: cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
      return undefined;
    }
  };
  const db = config.database;
  const secrets: ResolvedSecrets = {
    ...(db.kind === 'external' ? { databaseUrl: read(db.url, 'database.url') } : {}),
    ...(db.kind === 'alicloud-rds' ? { databasePassword: read(db.password, 'database.password') } : {}),
    ...(db.kind === 'cloudnativepg'
      ? { backupAccessKeyId: read(db.backup.accessKeyId, 'database.backup.accessKeyId'), backupSecretAccessKey: read(db.backup.secretAccessKey, 'database.backup.secretAccessKey') }
      : {}),
    edge: Object.fromEntries(
      config.edgeSites.map((site, i) => [site.name, { gatewayKey: read(site.gatewayKey, `edgeSites.${i}.gatewayKey`), sshPrivateKey: read(site.ssh?.privateKey, `edgeSites.${i}.ssh.privateKey`) }]),
    ),
  };
  if (missing.length) throw new SecretSourceError(missing);
  return secrets;
}
