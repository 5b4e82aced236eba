/**
 * What a backup covers, read from the database's own catalogue rather than a list kept in code:
 * a table a later migration adds is backed up, restored and checked without a change here.
 */
import type { Sql } from '../../platform/db.js';

export interface ColumnInfo {
  name: string;
  /** format_type(): `numeric`, `timestamp(3) with time zone`, `text[]` … */
  type: string;
  notNull: boolean;
  /** GENERATED … AS IDENTITY: numbered by a sequence of the instance. */
  identity: boolean;
  /** Has a collation: ordered with COLLATE "C" so the order does not depend on the database's locale. */
  collatable: boolean;
  /** Written only into encrypted backups (comment `mes:secret`, or a name holding secret/password). */
  secret: boolean;
}

export interface ForeignKey {
  name: string;
  table: string;
  columns: string[];
  references: string;
  referencedColumns: string[];
}

export interface TableInfo {
  name: string;
  /** Every stored column (generated columns are recomputed, never copied). */
  columns: ColumnInfo[];
  primaryKey: string[];
  /**
   * The column naming the tenant a row belongs to: `tenant_id`, or `id` for the tenants table
   * itself; null for platform tables (plans, settings). Tenant rows are read and written per tenant.
   */
  tenantKey: string | null;
  forceRls: boolean;
  /** A partitioned table's partitions (created by the server as data arrives, not by migrations). */
  partitions: PartitionInfo[];
}

export interface PartitionInfo {
  name: string;
  /** pg_get_expr of its bound: `FOR VALUES FROM (…) TO (…)`. */
  bound: string;
  rowSecurity: boolean;
  forceRowSecurity: boolean;
}

export interface SchemaMap {
  /** Parents before children (foreign-key order); ties by name. */
  tables: TableInfo[];
  foreignKeys: ForeignKey[];
  sequences: string[];
}

/** The table every tenant hangs from; its key is `id`, where the others have `tenant_id`. */
export const TENANTS_TABLE = 'tenants';
/** Migrations are recorded by restoring the schema, not copied as data. */
const NOT_DATA = new Set(['schema_migrations']);
const SECRET_NAME = /secret|password/;

export const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;

export async function readSchema(sql: Sql): Promise<SchemaMap> {
  const tables = await sql.query<{ oid: number; name: string; force: boolean }>(
    `SELECT c.oid::int AS oid, c.relname AS name, c.relforcerowsecurity AS force
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition`,
  );
  const columns = await sql.query<{ table: string; name: string; type: string; not_null: boolean; identity: string; collatable: boolean; comment: string | null }>(
    `SELECT c.relname AS table, a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull AS not_null,
            a.attidentity AS identity, t.typcollation <> 0 AS collatable, col_description(a.attrelid, a.attnum) AS comment
       FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_type t ON t.oid = a.atttypid
      WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''
      ORDER BY c.relname, a.attnum`,
  );
  const keys = await sql.query<{ name: string; kind: string; table: string; references: string | null; columns: string[]; referenced: string[] | null }>(
    `SELECT k.conname AS name, k.contype AS kind, c.relname AS table, r.relname AS references,
            ARRAY(SELECT attname FROM unnest(k.conkey) WITH ORDINALITY u(n, i) JOIN pg_attribute ON attrelid = k.conrelid AND attnum = u.n ORDER BY u.i)::text[] AS columns,
            CASE WHEN k.contype = 'f' THEN ARRAY(SELECT attname FROM unnest(k.confkey) WITH ORDINALITY u(n, i) JOIN pg_attribute ON attrelid = k.confrelid AND attnum = u.n ORDER BY u.i)::text[] END AS referenced
       FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace LEFT JOIN pg_class r ON r.oid = k.confrelid
      WHERE n.nspname = 'public' AND k.contype IN ('p', 'f')
      ORDER BY k.conname`,
  );
  const partitions = await sql.query<{ parent: string; name: string; bound: string; rls: boolean; force: boolean }>(
    `SELECT p.relname AS parent, c.relname AS name, pg_get_expr(c.relpartbound, c.oid) AS bound, c.relrowsecurity AS rls, c.relforcerowsecurity AS force
       FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent JOIN pg_namespace n ON n.oid = p.relnamespace
      WHERE n.nspname = 'public' AND p.relkind = 'p' AND c.relispartition
      ORDER BY p.relname, c.relname`,
  );
  const sequences = await sql.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relkind = 'S' ORDER BY 1`,
  );

  const infos: TableInfo[] = tables.rows
    .filter((t) => !NOT_DATA.has(t.name))
    .map((t) => {
      const cols = columns.rows.filter((c) => c.table === t.name).map((c) => ({
        name: c.name,
        type: c.type,
        notNull: c.not_null,
        identity: c.identity !== '',
        collatable: c.collatable,
        secret: c.comment === 'mes:secret' || SECRET_NAME.test(c.name),
      }));
      return {
        name: t.name,
        columns: cols,
        primaryKey: keys.rows.find((k) => k.kind === 'p' && k.table === t.name)?.columns ?? [],
        tenantKey: t.name === TENANTS_TABLE ? 'id' : cols.some((c) => c.name === 'tenant_id') ? 'tenant_id' : null,
        forceRls: t.force,
        partitions: partitions.rows.filter((x) => x.parent === t.name).map((x) => ({ name: x.name, bound: x.bound, rowSecurity: x.rls, forceRowSecurity: x.force })),
      };
    });
  const foreignKeys = keys.rows
    .filter((k) => k.kind === 'f')
    .map((k) => ({ name: k.name, table: k.table, columns: k.columns, references: k.references!, referencedColumns: k.referenced! }));
  return { tables: dependencyOrder(infos, foreignKeys), foreignKeys, sequences: sequences.rows.map((s) => s.name) };
}

/** Parents before children; a table's reference to itself does not count. Ties in name order. */
function dependencyOrder(tables: TableInfo[], fks: ForeignKey[]): TableInfo[] {
  const byName = new Map(tables.map((t) => [t.name, t]));
  const parents = new Map(tables.map((t) => [t.name, new Set(fks.filter((f) => f.table === t.name && f.references !== t.name && byName.has(f.references)).map((f) => f.references))]));
  const ordered: TableInfo[] = [];
  const placed = new Set<string>();
  const names = [...byName.keys()].sort();
  while (ordered.length < names.length) {
    const ready = names.filter((n) => !placed.has(n) && [...parents.get(n)!].every((p) => placed.has(p)));
    // A cycle between tables (none today) would stall the order: place the rest by name.
    for (const n of ready.length ? ready : names.filter((x) => !placed.has(x))) {
      placed.add(n);
      ordered.push(byName.get(n)!);
    }
  }
  return ordered;
}
