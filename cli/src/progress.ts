/** Progress of long work on stderr, and the sizes and durations it shows (no heavy imports: every command may use it). */

/**
 * Progress on stderr: on a terminal one line rewritten in place; otherwise a line at most every
 * few seconds, so logs of scheduled runs stay readable.
 */
export class Progress {
  private last = 0;
  private shown = false;
  private readonly tty = process.stderr.isTTY === true;

  update(text: string): void {
    if (this.tty) {
      process.stderr.write(`\r\x1b[K${text}`);
      this.shown = true;
    } else if (Date.now() - this.last > 5000) {
      process.stderr.write(`${text}\n`);
      this.last = Date.now();
    }
  }

  line(text: string): void {
    this.clear();
    process.stderr.write(`${text}\n`);
  }

  clear(): void {
    if (this.shown) process.stderr.write('\r\x1b[K');
    this.shown = false;
  }
}

export const megabytes = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
export const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
