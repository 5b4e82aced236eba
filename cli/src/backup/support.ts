/** What the `mes backup` commands share: keys and flags, the scratch database, progress, failures. */
import { readFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import type { KeyObject } from 'node:crypto';
import { BackupError, openScratch, type KeySource, type Scratch } from '@mes/server';
import { Flags } from '@oclif/core';
import { CommandFailure, EXIT } from '../base-command.js';

export const DEFAULT_BACKUP_SIGNING_KEY = path.join(homedir(), '.mes', 'backup-signing-key.pem');

export const keyFlags = {
  'passphrase-file': Flags.string({ summary: 'File holding the passphrase of an encrypted backup (or set MES_BACKUP_PASSPHRASE).', env: 'MES_BACKUP_PASSPHRASE_FILE', helpGroup: 'ENCRYPTION' }),
  'key-file': Flags.string({ summary: 'File holding a 32-byte key (raw or base64) instead of a passphrase.', env: 'MES_BACKUP_KEY_FILE', helpGroup: 'ENCRYPTION' }),
};

export const signingKeyFlag = Flags.string({
  summary: 'Ed25519 private key (PKCS#8 PEM) that signs manifests and drill records; generated there when absent.',
  env: 'MES_BACKUP_SIGNING_KEY',
  default: DEFAULT_BACKUP_SIGNING_KEY,
});

export const scratchFlag = Flags.string({
  summary: 'Where the backup is restored to be checked: auto (a private PostgreSQL if its binaries are installed, else PGlite), postgres, pglite, or a postgres:// URL of a server on which a scratch database is created and dropped.',
  env: 'MES_BACKUP_SCRATCH',
  default: 'auto',
});

/** The passphrase or key file the flags and environment give, if any. */
export function keySource(flags: { 'passphrase-file'?: string; 'key-file'?: string }): KeySource | undefined {
  if (flags['key-file']) return { keyFile: readFileSync(flags['key-file']) };
  if (flags['passphrase-file']) return { passphrase: readFileSync(flags['passphrase-file'], 'utf8').replace(/\r?\n$/, '') };
  if (process.env.MES_BACKUP_PASSPHRASE) return { passphrase: process.env.MES_BACKUP_PASSPHRASE };
  return undefined;
}

/** The signing key (generated when absent). @mes/conformance is loaded only here: it takes seconds to load. */
export async function signingKey(file: string): Promise<{ privateKey: KeyObject; publicPem: string; fingerprint: string; path: string; generated: boolean }> {
  const { loadOrCreateSigningKey } = await import('@mes/conformance');
  try {
    return loadOrCreateSigningKey(file);
  } catch (err) {
    throw new CommandFailure(`cannot use the signing key ${file}: ${(err as Error).message}`, { code: 'SIGNING_KEY_INVALID', exit: EXIT.usage });
  }
}

/** The scratch database `spec` names; its drop() also removes what was started for it. */
export async function scratchDatabase(spec: string, say: (m: string) => void): Promise<Scratch> {
  // @mes/platform is loaded only when a scratch database is opened: it takes seconds to load.
  const { findPostgresBinDir, PostgresInstance } = await import('@mes/platform');
  const hasPostgres = () => {
    try {
      findPostgresBinDir();
      return true;
    } catch {
      return false;
    }
  };
  const kind = spec === 'auto' ? (hasPostgres() ? 'postgres' : 'pglite') : spec;
  if (kind === 'postgres') {
    say('starting a private PostgreSQL for the scratch restore');
    const instance = await PostgresInstance.create();
    const scratch = await openScratch({ adminUrl: instance.url }).catch(async (err) => {
      await instance.destroy();
      throw err;
    });
    return { ...scratch, location: `private PostgreSQL on port ${instance.port}`, drop: async () => {
      await scratch.drop().catch(() => {});
      await instance.destroy();
    } };
  }
  if (kind === 'pglite') {
    const dir = await mkdtemp(path.join(tmpdir(), 'mes-scratch-'));
    const scratch = await openScratch({ dir });
    return { ...scratch, drop: async () => {
      await scratch.drop().catch(() => {});
      await rm(dir, { recursive: true, force: true });
    } };
  }
  if (/^postgres(ql)?:\/\//.test(kind)) return openScratch({ adminUrl: kind });
  throw new CommandFailure(`--scratch must be auto, postgres, pglite or a postgres:// URL, got "${spec}"`, { code: 'USAGE', exit: EXIT.usage });
}

/** A refused backup as a command failure: its code, and the file it names in the details. */
export function backupFailure(err: unknown): unknown {
  if (!(err instanceof BackupError)) return err;
  const details = { ...(err.file ? { file: err.file } : {}), ...err.details };
  return new CommandFailure(err.message, { code: err.code, ...(Object.keys(details).length ? { details } : {}), cause: err });
}
