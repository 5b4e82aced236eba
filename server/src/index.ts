export { buildApp, type BuiltApp, type BuildOptions, type AppContext } from './app.js';
export { bootstrap, DEFAULT_TENANT, type BootstrapResult } from './bootstrap.js';
export { loadConfig, SERVER_VERSION, type ServerConfig } from './config.js';
export { startServer, lockDataDir, PortInUseError, DataDirLockedError, type RunningServer } from './server.js';
export { openDatabase, type Database } from './platform/db.js';
export { migrate, MigrationChecksumError, MigrationUnknownError, type MigrationReport } from './platform/migrations.js';
export * from './modules/backups/index.js';
