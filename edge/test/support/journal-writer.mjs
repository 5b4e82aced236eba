// A child process that appends to a journal until it is killed; prints "ack <seq>" once an
// append is acknowledged (durable by the policy). Used by the crash test (kill -9 at random points).
import { Journal } from '../../dist/journal/journal.js';

const [dir, fsync] = process.argv.slice(2);
const journal = Journal.open({ dir, fsync, segmentBytes: 32 * 1024, batchMs: 2 });
process.stdout.write(`open ${journal.stats().lastSeq} ${journal.stats().tornTailRepairs}\n`);
for (let i = 0; ; i++) {
  const n = 1 + (i % 5);
  const readings = Array.from({ length: n }, (_, k) => ({ device: 'M1', point: `p${k}`, ts: new Date().toISOString(), value: i * 10 + k, quality: 'good' }));
  const last = await journal.append(readings);
  process.stdout.write(`ack ${last}\n`);
}
