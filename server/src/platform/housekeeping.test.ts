/** Expired idempotent responses are swept tenant by tenant; live ones stay and still replay. */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase } from '../../test/harness.js';
import type { Database } from './db.js';
import { sweepIdempotencyKeys } from './housekeeping.js';

const tenants = [randomUUID(), randomUUID()];
let db: Database;
let close: () => Promise<void>;

beforeAll(async () => {
  ({ db, close } = await openTestDatabase());
  await db.asOwner(async (sql) => {
    for (const id of tenants) {
      await sql.query(`INSERT INTO tenants (id, slug, name, plan_code) VALUES ($1, $2, $2, 'unlimited')`, [id, `sweep-${id.slice(0, 8)}`]);
      // Per tenant: three expired responses (25 h, 3 days, 30 days old) and two live ones.
      for (const [key, age] of [['old-1', '25 hours'], ['old-2', '3 days'], ['old-3', '30 days'], ['new-1', '1 hour'], ['new-2', '23 hours']]) {
        await sql.query(`INSERT INTO idempotency_keys (tenant_id, key, request_hash, status_code, created_at) VALUES ($1, $2, 'h', 201, now() - $3::interval)`, [id, key, age]);
      }
    }
  });
});
afterAll(async () => close?.());

describe('housekeeping', () => {
  it('removes every expired idempotency key of every tenant and keeps the live ones; a second sweep removes nothing', async () => {
    expect(await sweepIdempotencyKeys(db)).toBe(6);
    const left = await db.asOwner(async (sql) => (await sql.query<{ tenant_id: string; key: string }>(
      'SELECT tenant_id, key FROM idempotency_keys WHERE tenant_id = ANY($1::uuid[]) ORDER BY tenant_id, key', [tenants],
    )).rows);
    expect(left.map((r) => `${r.tenant_id === tenants[0] ? 'A' : 'B'} ${r.key}`).sort()).toEqual(['A new-1', 'A new-2', 'B new-1', 'B new-2']);
    expect(await sweepIdempotencyKeys(db)).toBe(0);
  });
});
