/** Resolves with the first SIGINT/SIGTERM; a second one calls onForce. For long-running commands. */
export function stopSignal(onForce: (signal: NodeJS.Signals) => void) {
  let resolve!: (s: NodeJS.Signals) => void;
  const received = new Promise<NodeJS.Signals>((r) => (resolve = r));
  let count = 0;
  const handler = (signal: NodeJS.Signals) => {
    count++;
    if (count === 1) resolve(signal);
    else onForce(signal);
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return {
    received,
    dispose() {
      process.off('SIGINT', handler);
      process.off('SIGTERM', handler);
    },
  };
}

/** What a second Ctrl+C does in every long-running command: exit at once. */
export function exitAtOnce(signal: NodeJS.Signals): never {
  process.stderr.write(`mes: ${signal} again: exiting without a graceful shutdown\n`);
  process.exit(1);
}
