/**
 * Migration 0011 on existing data (S1-5.4.4-a): materials keep meaningful production parameters.
 * The old 'backflush' becomes 'backflush_receipt', and a default routing code a material already
 * carries becomes a routing, so the new foreign key holds. Rows of two tenants, because the data
 * change runs tenant by tenant under row-level security.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { backend, freshPostgresDatabase } from '../../../test/harness.js';
import { openDatabase, type Database } from '../../platform/db.js';
import { migrate, readMigrations } from '../../platform/migrations.js';

let close: (() => Promise<void>) | undefined;
afterAll(() => close?.());

async function seed(db: Database, slug: string) {
  return db.asOwner(async (sql) => {
    const { rows } = await sql.query<{ id: string }>(`INSERT INTO tenants (slug, name, plan_code) VALUES ($1, $1, 'unlimited') RETURNING id`, [slug]);
    const t = rows[0].id;
    await sql.query(`SELECT set_config('mes.tenant_id', $1, true)`, [t]);
    await sql.query(`INSERT INTO units (tenant_id, code, name, decimals) VALUES ($1, 'PCS', 'Pieces', 0)`, [t]);
    await sql.query(
      `INSERT INTO materials (tenant_id, code, name, base_unit, issue_type, default_routing) VALUES
         ($1, 'SCREW', 'Screw', 'PCS', 'backflush', NULL), ($1, 'FAN', 'Fan', 'PCS', 'manual', 'RT-OLD'), ($1, 'MOTOR', 'Motor', 'PCS', 'manual', 'RT-OLD')`,
      [t],
    );
    return t;
  });
}

describe('migration 0011 on existing materials', () => {
  it('S1-5.4.4-a: backflush becomes backflush_receipt and default routing codes become routings, in every tenant', async () => {
    const opened = await openFresh();
    const db = opened.db;
    const before = readMigrations().filter((f) => f.name < '0011');
    await migrate(db, before);
    const tenants = [await seed(db, 'mig-a'), await seed(db, 'mig-b')];
    expect((await migrate(db)).applied).toContain('0011_production.sql');
    for (const t of tenants) {
      const rows = await db.transaction({ tenantId: t }, async (tx) => ({
        materials: (await tx.query<{ code: string; issue_type: string; default_routing: string | null }>('SELECT code, issue_type, default_routing FROM materials ORDER BY code')).rows,
        routings: (await tx.query<{ code: string; name: string }>('SELECT code, name FROM routings')).rows,
      }));
      expect(rows.materials).toEqual([
        { code: 'FAN', issue_type: 'manual', default_routing: 'RT-OLD' },
        { code: 'MOTOR', issue_type: 'manual', default_routing: 'RT-OLD' },
        { code: 'SCREW', issue_type: 'backflush_receipt', default_routing: null },
      ]);
      expect(rows.routings).toEqual([{ code: 'RT-OLD', name: 'RT-OLD' }]);
    }
    // The constraint now refuses the old value and a routing that does not exist.
    const refused = await db.transaction({ tenantId: tenants[0] }, async (tx) => tx.query(`UPDATE materials SET issue_type = 'backflush' WHERE code = 'FAN'`)).catch((e: Error) => e.message);
    expect(refused).toMatch(/materials_issue_type_check/);
  });
});

/** A database with no migrations applied (the shared test snapshot is already migrated). */
async function openFresh(): Promise<{ db: Database }> {
  const fresh = backend === 'postgres' ? await freshPostgresDatabase() : undefined;
  const db = await openDatabase({ url: fresh?.url ?? 'memory://', dataDir: '/tmp/mes-migration-0011-unused' });
  close = async () => {
    await db.close();
    await fresh?.drop();
  };
  return { db };
}
