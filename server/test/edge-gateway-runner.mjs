// A real @mes/edge gateway in its own process (what `mes edge run` starts), for the fault test
// against the real server: the test kills it with -9. Stops cleanly on SIGTERM.
import { Gateway, loadConfig, silentLogger } from '@mes/edge';

const gateway = await Gateway.start(loadConfig(process.argv[2]), { log: silentLogger });
process.stdout.write(`ready ${JSON.stringify(gateway.httpAddress())}\n`);
process.on('SIGTERM', async () => {
  await gateway.stop();
  process.exit(0);
});
