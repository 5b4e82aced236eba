/**
 * The transactional outbox (S1-5.3.5-a): an event commits with its change or not at all, and a
 * tenant's events are numbered in commit order with no gaps, even under concurrent writers.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase } from '../../test/harness.js';
import type { Database } from './db.js';
import { recordEvent } from './outbox.js';

const A = randomUUID();
const B = randomUUID();
let db: Database;
let close: () => Promise<void>;

beforeAll(async () => {
  ({ db, close } = await openTestDatabase());
  await db.asOwner(async (sql) => {
    for (const [id, slug] of [[A, `outbox-a-${A.slice(0, 8)}`], [B, `outbox-b-${B.slice(0, 8)}`]]) {
      await sql.query(`INSERT INTO tenants (id, slug, name, plan_code) VALUES ($1, $2, $2, 'unlimited')`, [id, slug]);
    }
  });
});
afterAll(async () => close?.());

const seqs = async (tenantId: string) =>
  db.transaction({ tenantId }, async (tx) => (await tx.query<{ seq: string; event_type: string }>('SELECT seq, event_type FROM outbox_events WHERE tenant_id = $1 ORDER BY seq', [tenantId])).rows);

describe('transactional outbox', () => {
  it('S1-5.3.5-a: events of a rolled-back transaction are never written; committed ones are', async () => {
    const aggregateId = randomUUID();
    await expect(db.transaction({ tenantId: A }, async (tx) => {
      recordEvent(tx, { tenantId: A, type: 'test.rolled_back', aggregateType: 'test', aggregateId, payload: {} });
      throw new Error('change failed');
    })).rejects.toThrow('change failed');
    await db.transaction({ tenantId: A }, async (tx) => recordEvent(tx, { tenantId: A, type: 'test.committed', aggregateType: 'test', aggregateId, payload: { n: 1 } }));
    expect((await seqs(A)).map((r) => `${r.seq} ${r.event_type}`)).toEqual(['1 test.committed']);
  });

  it('S1-5.3.5-a: 40 concurrent transactions of two tenants number their events 1..n per tenant without gaps or duplicates', async () => {
    const before = (await seqs(B)).length;
    await Promise.all(Array.from({ length: 40 }, (_, i) => db.transaction({ tenantId: B }, async (tx) => {
      await tx.query('SELECT pg_sleep(0.001 * $1::int)', [i % 5]);
      for (let k = 0; k < 3; k++) recordEvent(tx, { tenantId: B, type: `test.e${k}`, aggregateType: 'test', aggregateId: randomUUID(), payload: { i, k } });
    })));
    const rows = await seqs(B);
    expect(rows.map((r) => Number(r.seq))).toEqual(Array.from({ length: before + 120 }, (_, i) => i + 1));
    // Events of one transaction stay together and in the order they were recorded.
    const types = rows.slice(before).map((r) => r.event_type);
    for (let i = 0; i < 120; i += 3) expect(types.slice(i, i + 3)).toEqual(['test.e0', 'test.e1', 'test.e2']);
  });
});
