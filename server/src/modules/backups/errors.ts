/**
 * Why a backup was refused, with a stable code and the file it is about. Verification and restore
 * stop at the first of these; the CLI prints the code and names the file.
 */
export type BackupErrorCode =
  | 'BACKUP_NOT_FOUND'
  | 'BACKUP_MANIFEST_MISSING'
  | 'BACKUP_MANIFEST_INVALID'
  | 'BACKUP_FORMAT_UNSUPPORTED'
  | 'BACKUP_SIGNATURE_INVALID'
  | 'BACKUP_SIGNER_UNTRUSTED'
  | 'BACKUP_FILE_MISSING'
  | 'BACKUP_FILE_TRUNCATED'
  | 'BACKUP_FILE_CORRUPT'
  | 'BACKUP_KEY_MISSING'
  | 'BACKUP_KEY_INVALID'
  | 'BACKUP_PASSPHRASE_WRONG'
  | 'BACKUP_ROW_COUNT_MISMATCH'
  | 'BACKUP_CONTENT_MISMATCH'
  | 'BACKUP_SCHEMA_NEWER'
  | 'BACKUP_SCHEMA_MISMATCH'
  | 'BACKUP_FOREIGN_KEY_VIOLATION'
  | 'BACKUP_AUDIT_CHAIN_BROKEN'
  | 'BACKUP_LEDGER_MISMATCH'
  | 'BACKUP_SERVER_NOT_READY'
  | 'BACKUP_STREAM_INVALID'
  | 'RESTORE_TARGET_NOT_EMPTY'
  | 'TENANT_NOT_IN_BACKUP';

export class BackupError extends Error {
  override name = 'BackupError';
  constructor(
    readonly code: BackupErrorCode,
    message: string,
    /** The backup file (relative to the backup) the problem is in. */
    readonly file?: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
}
