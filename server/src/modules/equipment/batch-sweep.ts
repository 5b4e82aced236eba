/**
 * Sweeps stored batch answers (gateway_batches) older than a week, tenant by tenant in chunks.
 * They answer a resent batch with its first answer and refuse its number reused for another body;
 * a true replay is refused long before by the signature's 300 s window, and a gateway that resends
 * an old batch after the sweep gets a fresh answer in which its records are duplicates (stored
 * once either way). This only keeps the table from growing without end.
 */
import type { Database } from '../../platform/db.js';
import { deleteBatchesBefore } from './gateway-repo.js';

export const BATCH_ANSWER_DAYS = 7;
const CHUNK = 5000;

export async function sweepBatchAnswers(db: Database, now = Date.now(), keepDays = BATCH_ANSWER_DAYS): Promise<number> {
  const before = new Date(now - keepDays * 86_400_000);
  const tenants = await db.transaction({ platform: true }, async (tx) => (await tx.query<{ id: string }>('SELECT id FROM tenants')).rows);
  let removed = 0;
  for (const { id } of tenants) {
    for (;;) {
      const n = await db.transaction({ tenantId: id }, (tx) => deleteBatchesBefore(tx, id, before, CHUNK));
      removed += n;
      if (n < CHUNK) break;
    }
  }
  return removed;
}
