/**
 * Row-level security, straight at the database (S1-5.3.2-a): every tenant-owned table is fenced by
 * a FORCE'd policy, a query without a tenant sees nothing, and a tenant cannot write another's rows.
 * Runs on PGlite, or on a fresh PostgreSQL database when MES_TEST_DATABASE_URL is set.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backend, freshPostgresDatabase } from '../../test/harness.js';
import { appendAudit } from './audit.js';
import { openDatabase, type Database } from './db.js';
import { migrate } from './migrations.js';
import { budget } from '../../../vitest.shared.js';

const A = randomUUID();
const B = randomUUID();

let db: Database;
let pgUrl: string | undefined;
let dropDb: (() => Promise<void>) | undefined;

async function open(poolSize?: number): Promise<Database> {
  return openDatabase({ url: pgUrl ?? 'memory://', dataDir: '/tmp/mes-tenancy-unused', poolSize });
}

beforeAll(async () => {
  if (backend === 'postgres') {
    const fresh = await freshPostgresDatabase();
    pgUrl = fresh.url;
    dropDb = fresh.drop;
  }
  db = await open();
  await migrate(db);
  // Seed as the owner (bypasses RLS): two tenants, three users for A and two for B.
  await db.asOwner(async (sql) => {
    for (const [id, slug] of [[A, 'ten-a'], [B, 'ten-b']]) {
      await sql.query(`INSERT INTO tenants (id, slug, name, plan_code) VALUES ($1, $2, $2, 'unlimited')`, [id, slug]);
    }
    for (const [tenant, name] of [[A, 'a1'], [A, 'a2'], [A, 'a3'], [B, 'b1'], [B, 'b2']]) {
      await sql.query(`INSERT INTO users (tenant_id, username, display_name) VALUES ($1, $2, $2)`, [tenant, name]);
    }
  });
  // One audit record per tenant, written the way the app writes them.
  for (const tenantId of [A, B]) {
    await db.transaction({ tenantId }, (tx) =>
      appendAudit(tx, {
        tenantId, actorType: 'system', actorId: 'test', action: 'seed', resource: `tenant/${tenantId}`,
        outcome: 'success', statusCode: 201, requestId: null, traceId: null,
      }),
    );
  }
});

afterAll(async () => {
  await db?.close();
  await dropDb?.();
});

const count = async (sql: { query: Database['query'] }, text: string, params?: unknown[]) =>
  (await sql.query<{ n: number }>(text, params)).rows[0].n;

describe('row-level security', () => {
  it('S1-5.3.2-a: every table with a tenant_id column has RLS enabled and forced', async () => {
    const rows = await db.asOwner(async (sql) =>
      (
        await sql.query<{ relname: string; relrowsecurity: boolean; relforcerowsecurity: boolean }>(
          `SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity
             FROM information_schema.columns col
             JOIN pg_namespace n ON n.nspname = col.table_schema
             JOIN pg_class c ON c.relnamespace = n.oid AND c.relname = col.table_name
            WHERE col.table_schema = 'public' AND col.column_name = 'tenant_id' AND c.relkind = 'r'
            ORDER BY c.relname`,
        )
      ).rows,
    );
    const names = rows.map((r) => r.relname);
    expect(names.length).toBeGreaterThan(0);
    expect(names).toEqual(expect.arrayContaining(['api_keys', 'audit_heads', 'audit_log', 'idempotency_keys', 'roles', 'user_roles', 'users']));
    const unprotected = rows.filter((r) => !r.relrowsecurity || !r.relforcerowsecurity).map((r) => r.relname);
    expect(unprotected).toEqual([]);
  });

  it('S1-5.3.2-a: every RLS policy on a tenant table compares tenant_id with the current tenant', async () => {
    const policies = await db.asOwner(async (sql) =>
      (await sql.query<{ tablename: string; qual: string; with_check: string }>(
        `SELECT tablename, qual, with_check FROM pg_policies WHERE schemaname = 'public' AND tablename <> 'tenants' ORDER BY tablename`,
      )).rows,
    );
    expect(policies.map((p) => p.tablename)).toEqual([
      'api_keys', 'audit_heads', 'audit_log', 'backup_drills', 'batches', 'bins', 'bom_line_alternates',
      'bom_lines', 'bom_versions', 'boms', 'calendar_exceptions', 'calendar_shifts', 'calendars',
      'coding_rules', 'coding_sequences', 'count_entries', 'count_lines', 'count_sheets',
      'cutover_backup_chunks', 'cutover_steps', 'cutovers',
      'delivery_plan_lines', 'delivery_plans', 'device_commands', 'document_versions', 'drawing_revision_requests', 'drawing_revisions',
      'drawings', 'equipment', 'equipment_alarm_notices', 'equipment_alarm_routes', 'equipment_alarm_rules', 'equipment_alarms', 'equipment_latest',
      'equipment_points', 'equipment_states', 'features', 'gateway_batches', 'gateway_configs',
      'gateway_keys', 'gateway_rejections', 'gateways', 'idempotency_keys', 'import_documents',
      'import_jobs', 'incoming_inspections', 'material_planning', 'materials', 'mrp_demands',
      'mrp_planned_orders', 'mrp_run_materials', 'mrp_runs', 'org_groups', 'org_people', 'outbox_events',
      'outbox_heads', 'partners', 'plants', 'production_allocations', 'production_dispatch_changes',
      'production_genealogy', 'production_lines', 'production_material_docs', 'production_material_lines',
      'production_operation_events', 'production_order_components', 'production_order_operations',
      'production_orders', 'production_piece_rates', 'production_receipt_lines', 'production_receipts',
      'production_work_reports', 'purchase_inbound_lines', 'purchase_inbounds', 'purchase_order_lines',
      'purchase_orders', 'purchase_receipt_lines', 'purchase_receipts', 'purchase_return_lines',
      'purchase_returns', 'quality_defect_codes', 'quality_dispositions', 'quality_inspection_results',
      'quality_inspections', 'quality_plans', 'quality_standard_items', 'quality_standards',
      'quality_switching_states', 'roles', 'routing_operation_alternates', 'routing_operations', 'routing_versions',
      'routings', 'safety_stocks', 'sales_order_lines', 'sales_orders', 'sales_outbound_lines',
      'sales_outbounds', 'sales_return_lines', 'sales_returns', 'serials', 'stations', 'stock_balances',
      'stock_document_lines', 'stock_documents', 'stock_movements', 'supplier_materials',
      'telemetry_readings', 'telemetry_rollup_marks', 'telemetry_rollups_hour', 'telemetry_rollups_minute', 'tenant_settings', 'unit_conversions', 'units', 'user_roles', 'users',
      'warehouses', 'work_centres', 'workshops',
    ]);
    for (const p of policies) {
      // Restore drills are the platform's records (S1-8.4), never a tenant's: only its scope sees them.
      const fence = p.tablename === 'backup_drills' ? /mes_is_platform\(\)/ : /tenant_id = mes_current_tenant\(\)/;
      expect(p.qual, p.tablename).toMatch(fence);
      expect(p.with_check, p.tablename).toMatch(fence);
    }
  });

  it('S1-5.3.2-a: the app session runs as mes_app, which is neither superuser nor BYPASSRLS', async () => {
    expect((await db.query<{ u: string }>('SELECT current_user AS u')).rows[0].u).toBe('mes_app');
    expect(await db.transaction({ tenantId: A }, async (tx) => (await tx.query<{ u: string }>('SELECT current_user AS u')).rows[0].u)).toBe('mes_app');
    const role = (await db.query<{ rolsuper: boolean; rolbypassrls: boolean }>(`SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = 'mes_app'`)).rows[0];
    expect(role).toEqual({ rolsuper: false, rolbypassrls: false });
  });

  it('S1-5.3.2-a: the app role holds exactly the table privileges the code needs, and no more', async () => {
    const rows = await db.asOwner(async (sql) =>
      (await sql.query<{ table_name: string; privilege_type: string }>(
        `SELECT table_name, privilege_type FROM information_schema.role_table_grants
          WHERE grantee = 'mes_app' AND table_schema = 'public' ORDER BY table_name, privilege_type`,
      )).rows,
    );
    const held: Record<string, string[]> = {};
    for (const r of rows) (held[r.table_name] ??= []).push(r.privilege_type);
    expect(held).toEqual({
      api_keys: ['INSERT', 'SELECT', 'UPDATE'],
      audit_heads: ['INSERT', 'SELECT', 'UPDATE'],
      audit_log: ['INSERT', 'SELECT'],
      backup_drills: ['INSERT', 'SELECT', 'UPDATE'],
      batches: ['INSERT', 'SELECT'],
      bins: ['INSERT', 'SELECT'],
      bom_line_alternates: ['DELETE', 'INSERT', 'SELECT'],
      bom_lines: ['DELETE', 'INSERT', 'SELECT'],
      bom_versions: ['INSERT', 'SELECT', 'UPDATE'],
      boms: ['INSERT', 'SELECT', 'UPDATE'],
      calendar_exceptions: ['DELETE', 'INSERT', 'SELECT'],
      calendar_shifts: ['DELETE', 'INSERT', 'SELECT'],
      calendars: ['INSERT', 'SELECT', 'UPDATE'],
      coding_rules: ['INSERT', 'SELECT', 'UPDATE'],
      coding_sequences: ['INSERT', 'SELECT', 'UPDATE'],
      count_entries: ['INSERT', 'SELECT'],
      count_lines: ['INSERT', 'SELECT', 'UPDATE'],
      count_sheets: ['INSERT', 'SELECT', 'UPDATE'],
      cutover_backup_chunks: ['DELETE', 'INSERT', 'SELECT'],
      cutover_steps: ['INSERT', 'SELECT', 'UPDATE'],
      cutovers: ['INSERT', 'SELECT', 'UPDATE'],
      delivery_plan_lines: ['DELETE', 'INSERT', 'SELECT', 'UPDATE'],
      delivery_plans: ['INSERT', 'SELECT', 'UPDATE'],
      device_commands: ['INSERT', 'SELECT', 'UPDATE'],
      document_versions: ['INSERT', 'SELECT'],
      drawing_revision_requests: ['INSERT', 'SELECT', 'UPDATE'],
      drawing_revisions: ['INSERT', 'SELECT'],
      drawings: ['INSERT', 'SELECT', 'UPDATE'],
      equipment: ['INSERT', 'SELECT', 'UPDATE'],
      equipment_alarm_notices: ['INSERT', 'SELECT'],
      equipment_alarm_routes: ['DELETE', 'INSERT', 'SELECT'],
      equipment_alarm_rules: ['DELETE', 'INSERT', 'SELECT'],
      equipment_alarms: ['INSERT', 'SELECT', 'UPDATE'],
      equipment_latest: ['INSERT', 'SELECT', 'UPDATE'],
      equipment_points: ['DELETE', 'INSERT', 'SELECT'],
      equipment_states: ['INSERT', 'SELECT', 'UPDATE'],
      features: ['INSERT', 'SELECT', 'UPDATE'],
      gateway_batches: ['DELETE', 'INSERT', 'SELECT'],
      gateway_configs: ['INSERT', 'SELECT'],
      gateway_keys: ['INSERT', 'SELECT', 'UPDATE'],
      gateway_rejections: ['INSERT', 'SELECT', 'UPDATE'],
      gateways: ['INSERT', 'SELECT', 'UPDATE'],
      idempotency_keys: ['DELETE', 'INSERT', 'SELECT', 'UPDATE'],
      import_documents: ['INSERT', 'SELECT'],
      import_jobs: ['INSERT', 'SELECT', 'UPDATE'],
      incoming_inspections: ['INSERT', 'SELECT'],
      material_planning: ['INSERT', 'SELECT', 'UPDATE'],
      materials: ['INSERT', 'SELECT', 'UPDATE'],
      mrp_demands: ['INSERT', 'SELECT'],
      mrp_planned_orders: ['INSERT', 'SELECT', 'UPDATE'],
      mrp_run_materials: ['INSERT', 'SELECT'],
      mrp_runs: ['INSERT', 'SELECT', 'UPDATE'],
      org_groups: ['INSERT', 'SELECT'],
      org_people: ['INSERT', 'SELECT'],
      outbox_events: ['INSERT', 'SELECT'],
      outbox_heads: ['INSERT', 'SELECT', 'UPDATE'],
      partners: ['INSERT', 'SELECT', 'UPDATE'],
      plans: ['SELECT'],
      plants: ['INSERT', 'SELECT', 'UPDATE'],
      platform_settings: ['INSERT', 'SELECT'],
      production_allocations: ['INSERT', 'SELECT', 'UPDATE'],
      production_dispatch_changes: ['INSERT', 'SELECT'],
      production_genealogy: ['INSERT', 'SELECT'],
      production_lines: ['INSERT', 'SELECT', 'UPDATE'],
      production_material_docs: ['INSERT', 'SELECT', 'UPDATE'],
      production_material_lines: ['INSERT', 'SELECT'],
      production_operation_events: ['INSERT', 'SELECT'],
      production_order_components: ['INSERT', 'SELECT', 'UPDATE'],
      production_order_operations: ['INSERT', 'SELECT', 'UPDATE'],
      production_orders: ['INSERT', 'SELECT', 'UPDATE'],
      production_piece_rates: ['INSERT', 'SELECT'],
      production_receipt_lines: ['INSERT', 'SELECT'],
      production_receipts: ['INSERT', 'SELECT', 'UPDATE'],
      production_work_reports: ['INSERT', 'SELECT', 'UPDATE'],
      purchase_inbound_lines: ['INSERT', 'SELECT', 'UPDATE'],
      purchase_inbounds: ['INSERT', 'SELECT', 'UPDATE'],
      purchase_order_lines: ['INSERT', 'SELECT', 'UPDATE'],
      purchase_orders: ['INSERT', 'SELECT', 'UPDATE'],
      purchase_receipt_lines: ['INSERT', 'SELECT', 'UPDATE'],
      purchase_receipts: ['INSERT', 'SELECT', 'UPDATE'],
      purchase_return_lines: ['INSERT', 'SELECT'],
      purchase_returns: ['INSERT', 'SELECT', 'UPDATE'],
      quality_defect_codes: ['INSERT', 'SELECT', 'UPDATE'],
      quality_dispositions: ['INSERT', 'SELECT'],
      quality_inspection_results: ['INSERT', 'SELECT'],
      quality_inspections: ['INSERT', 'SELECT', 'UPDATE'],
      quality_plans: ['INSERT', 'SELECT', 'UPDATE'],
      quality_standard_items: ['INSERT', 'SELECT'],
      quality_standards: ['INSERT', 'SELECT', 'UPDATE'],
      quality_switching_states: ['INSERT', 'SELECT', 'UPDATE'],
      roles: ['DELETE', 'INSERT', 'SELECT', 'UPDATE'],
      routing_operation_alternates: ['DELETE', 'INSERT', 'SELECT'],
      routing_operations: ['DELETE', 'INSERT', 'SELECT'],
      routing_versions: ['INSERT', 'SELECT', 'UPDATE'],
      routings: ['INSERT', 'SELECT', 'UPDATE'],
      safety_stocks: ['INSERT', 'SELECT', 'UPDATE'],
      sales_order_lines: ['DELETE', 'INSERT', 'SELECT', 'UPDATE'],
      sales_orders: ['INSERT', 'SELECT', 'UPDATE'],
      sales_outbound_lines: ['INSERT', 'SELECT', 'UPDATE'],
      sales_outbounds: ['INSERT', 'SELECT', 'UPDATE'],
      sales_return_lines: ['INSERT', 'SELECT'],
      sales_returns: ['INSERT', 'SELECT', 'UPDATE'],
      serials: ['INSERT', 'SELECT'],
      stations: ['INSERT', 'SELECT', 'UPDATE'],
      stock_balances: ['INSERT', 'SELECT', 'UPDATE'],
      stock_document_lines: ['INSERT', 'SELECT'],
      stock_documents: ['INSERT', 'SELECT', 'UPDATE'],
      stock_movements: ['INSERT', 'SELECT'],
      supplier_materials: ['INSERT', 'SELECT', 'UPDATE'],
      telemetry_readings: ['INSERT', 'SELECT'],
      telemetry_rollup_marks: ['INSERT', 'SELECT', 'UPDATE'],
      telemetry_rollups_hour: ['INSERT', 'SELECT', 'UPDATE'],
      telemetry_rollups_minute: ['INSERT', 'SELECT', 'UPDATE'],
      tenant_settings: ['INSERT', 'SELECT', 'UPDATE'],
      tenants: ['INSERT', 'SELECT', 'UPDATE'],
      unit_conversions: ['INSERT', 'SELECT'],
      units: ['INSERT', 'SELECT'],
      user_roles: ['DELETE', 'INSERT', 'SELECT', 'UPDATE'],
      users: ['DELETE', 'INSERT', 'SELECT', 'UPDATE'],
      warehouses: ['INSERT', 'SELECT', 'UPDATE'],
      work_centres: ['INSERT', 'SELECT', 'UPDATE'],
      workshops: ['INSERT', 'SELECT', 'UPDATE'],
    });
  });

  it('S1-5.3.2-a: fail-closed: without a tenant scope the app role sees no rows at all', async () => {
    expect(await count(db, 'SELECT count(*)::int AS n FROM users')).toBe(0);
    expect(await count(db, 'SELECT count(*)::int AS n FROM audit_log')).toBe(0);
    expect(await count(db, 'SELECT count(*)::int AS n FROM tenants')).toBe(0);
    // A transaction without a tenant is just as blind.
    expect(await db.transaction({}, (tx) => count(tx, 'SELECT count(*)::int AS n FROM users'))).toBe(0);
    // The owner sees all five users: the rows are there.
    expect(await db.asOwner((sql) => count(sql, 'SELECT count(*)::int AS n FROM users'))).toBe(5);
  });

  it("S1-5.3.2-a: a tenant's transaction sees only its own rows, even when asking for the other tenant's", async () => {
    const seenByA = await db.transaction({ tenantId: A }, async (tx) => (await tx.query<{ tenant_id: string; username: string }>('SELECT tenant_id, username FROM users ORDER BY username')).rows);
    expect(seenByA.map((r) => r.username)).toEqual(['a1', 'a2', 'a3']);
    expect(new Set(seenByA.map((r) => r.tenant_id))).toEqual(new Set([A]));
    expect(await db.transaction({ tenantId: A }, (tx) => count(tx, 'SELECT count(*)::int AS n FROM users WHERE tenant_id = $1', [B]))).toBe(0);
    expect(await db.transaction({ tenantId: B }, (tx) => count(tx, 'SELECT count(*)::int AS n FROM users'))).toBe(2);
    expect(await db.transaction({ tenantId: A }, (tx) => count(tx, 'SELECT count(*)::int AS n FROM audit_log'))).toBe(1);
    // A tenant sees its own tenants row only; the platform scope sees both.
    expect(await db.transaction({ tenantId: A }, (tx) => count(tx, 'SELECT count(*)::int AS n FROM tenants'))).toBe(1);
    expect(await db.transaction({ tenantId: A, platform: true }, (tx) => count(tx, 'SELECT count(*)::int AS n FROM tenants'))).toBe(2);
  });

  it("S1-5.3.2-a: inserting a row for tenant B inside tenant A's transaction fails (WITH CHECK)", async () => {
    await expect(
      db.transaction({ tenantId: A }, (tx) => tx.query(`INSERT INTO users (tenant_id, username, display_name) VALUES ($1, 'intruder', 'x')`, [B])),
    ).rejects.toThrow(/row-level security/);
    expect(await db.asOwner((sql) => count(sql, `SELECT count(*)::int AS n FROM users WHERE username = 'intruder'`))).toBe(0);
  });

  it("S1-5.3.2-a: tenant A can neither update, delete nor move tenant B's rows", async () => {
    const updated = await db.transaction({ tenantId: A }, (tx) => tx.query(`UPDATE users SET display_name = 'owned' WHERE tenant_id = $1`, [B]));
    expect(updated.rowCount).toBe(0);
    const deleted = await db.transaction({ tenantId: A }, (tx) => tx.query('DELETE FROM users WHERE tenant_id = $1', [B]));
    expect(deleted.rowCount).toBe(0);
    // Moving an own row into B is refused by the WITH CHECK side of the policy.
    await expect(db.transaction({ tenantId: A }, (tx) => tx.query(`UPDATE users SET tenant_id = $1 WHERE username = 'a1'`, [B]))).rejects.toThrow(/row-level security/);
    const bRows = await db.asOwner(async (sql) => (await sql.query<{ username: string; display_name: string }>('SELECT username, display_name FROM users WHERE tenant_id = $1 ORDER BY username', [B])).rows);
    expect(bRows).toEqual([{ username: 'b1', display_name: 'b1' }, { username: 'b2', display_name: 'b2' }]);
  });

  it('S1-5.1.5: a read (readOnly scope) cannot write, not even its own tenant\'s rows', async () => {
    await expect(
      db.transaction({ tenantId: A, readOnly: true }, (tx) => tx.query(`INSERT INTO users (tenant_id, username, display_name) VALUES ($1, 'reader', 'x')`, [A])),
    ).rejects.toThrow(/read-only transaction/);
    expect(await db.asOwner((sql) => count(sql, `SELECT count(*)::int AS n FROM users WHERE username = 'reader'`))).toBe(0);
  });

  it('S1-5.3.2-a: a tenant scope ends with its transaction; a pooled session keeps none of it', async () => {
    // One connection: every statement reuses the session of the last (PGlite is one session anyway).
    const single = backend === 'postgres' ? await open(1) : db;
    try {
      expect(await single.transaction({ tenantId: A }, (tx) => count(tx, 'SELECT count(*)::int AS n FROM users'))).toBe(3);
      expect(await count(single, 'SELECT count(*)::int AS n FROM users')).toBe(0);
      await expect(single.transaction({ tenantId: A }, async () => { throw new Error('boom'); })).rejects.toThrow('boom');
      expect(await count(single, 'SELECT count(*)::int AS n FROM users')).toBe(0);
      expect(await single.transaction({ tenantId: B }, (tx) => count(tx, 'SELECT count(*)::int AS n FROM users'))).toBe(2);
    } finally {
      if (single !== db) await single.close();
    }
  }, budget(60_000));

  it('S1-5.1.5: a tenant id that is not a UUID never reaches the SQL text', async () => {
    await expect(db.transaction({ tenantId: `${A}', true); DROP TABLE users; --` }, async () => 1)).rejects.toThrow(/not a UUID/);
    expect(await db.asOwner((sql) => count(sql, 'SELECT count(*)::int AS n FROM users'))).toBe(5);
  });
});

describe('audit log is append-only at the database', () => {
  it('S1-5.2.2.5: the app role cannot UPDATE audit_log rows, not even its own tenant\'s', async () => {
    await expect(db.transaction({ tenantId: A }, (tx) => tx.query(`UPDATE audit_log SET resource = 'forged' WHERE tenant_id = $1`, [A]))).rejects.toThrow(/permission denied/);
  });

  it('S1-5.2.2.5: the app role cannot DELETE audit_log rows', async () => {
    await expect(db.transaction({ tenantId: A }, (tx) => tx.query('DELETE FROM audit_log WHERE tenant_id = $1', [A]))).rejects.toThrow(/permission denied/);
    expect(await db.transaction({ tenantId: A }, (tx) => count(tx, 'SELECT count(*)::int AS n FROM audit_log'))).toBe(1);
  });

  it('S1-8.3: even the owner is stopped by the append-only trigger', async () => {
    await expect(db.asOwner((sql) => sql.query(`UPDATE audit_log SET resource = 'forged' WHERE tenant_id = $1`, [A]))).rejects.toThrow(/append-only/);
    await expect(db.asOwner((sql) => sql.query('DELETE FROM audit_log WHERE tenant_id = $1', [A]))).rejects.toThrow(/append-only/);
    const resources = await db.asOwner(async (sql) => (await sql.query<{ resource: string }>('SELECT resource FROM audit_log ORDER BY tenant_id')).rows.map((r) => r.resource));
    expect(resources.sort()).toEqual([`tenant/${A}`, `tenant/${B}`].sort());
    // The failed owner statements left the app session as the app role, still fenced by RLS.
    expect((await db.query<{ u: string }>('SELECT current_user AS u')).rows[0].u).toBe('mes_app');
    expect(await count(db, 'SELECT count(*)::int AS n FROM users')).toBe(0);
  });
});
