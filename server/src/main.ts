#!/usr/bin/env node
import { loadConfig } from './config.js';
import { startServer } from './server.js';

/**
 * `node server/dist/main.js`: the server alone, configured from MES_* variables; what a container
 * runs. Users start it through `mes up`, which adds flags and a friendlier console.
 */
const config = loadConfig();
try {
  const server = await startServer(config);
  // Printed to stdout, not the log: the key must never reach log storage.
  if (server.bootstrap.apiKey) process.stdout.write(`MES admin API key (shown once): ${server.bootstrap.apiKey}\n`);
  const stop = () => {
    server.shutdown().then(() => process.exit(0), (err) => {
      process.stderr.write(`shutdown: ${(err as Error).message}\n`);
      process.exit(1);
    });
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
} catch (err) {
  process.stderr.write(`mes-server: ${(err as Error).message}\n`);
  process.exit(1);
}
