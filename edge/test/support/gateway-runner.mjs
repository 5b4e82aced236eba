// `mes edge run` without the CLI around it, for the fault test: a gateway in its own process that
// the test can kill with -9. Stops cleanly on SIGTERM.
import { loadConfig } from '../../dist/config.js';
import { Gateway } from '../../dist/gateway.js';
import { silentLogger } from '../../dist/log.js';

const gateway = await Gateway.start(loadConfig(process.argv[2]), { log: silentLogger });
process.stdout.write(`ready ${JSON.stringify(gateway.httpAddress())}\n`);
process.on('SIGTERM', async () => {
  await gateway.stop();
  process.exit(0);
});
