/** What tools (the CLI, the benchmarks) use of the backup engine. */
export { BackupSetReader, BackupSetWriter, MANIFEST, PUBLIC_KEY, SIGNATURE, narrow, storedName, type BackupSource, type ReaderOptions, type WriterOptions } from './backup-set.js';
export { fingerprintOf, newEncryption, type EncryptionInfo, type KeySource } from './crypto.js';
export { dumpDatabase, type DumpOptions, type DumpProgress } from './dump.js';
export { BackupError, type BackupErrorCode } from './errors.js';
export { planSchema, tenantManifest, type BackupManifest, type BackupScope, type TableEntry, type TenantSummary } from './manifest.js';
export { restoreInstance, type RestoreOptions, type RestoreProgress, type RestoreReport } from './restore.js';
export { BACKUP_STREAM_TYPE, decodeFrames, receiveBackup, sendBackup } from './stream.js';
export { openScratch, type Scratch } from './scratch.js';
export { checkRestored, readinessInProcess, verifyBackup, type CheckReport, type VerifyReport } from './verify.js';
