/** One JSON line per event on stderr: what an operator greps and a log shipper parses. */
export interface Logger {
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

export function jsonLogger(base: Record<string, unknown> = {}, write: (line: string) => void = (l) => process.stderr.write(l)): Logger {
  const at = (level: string) => (msg: string, fields?: Record<string, unknown>) =>
    write(`${JSON.stringify({ time: new Date().toISOString(), level, msg, ...base, ...fields })}\n`);
  return { info: at('info'), warn: at('warn'), error: at('error') };
}

/** For tests and embedders that do not want log lines. */
export const silentLogger: Logger = { info() {}, warn() {}, error() {} };
