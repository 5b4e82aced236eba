import type { Sql } from '../../platform/db.js';
import type { Partner } from './schema.js';

export type PartnerKind = Partner['kind'];
export type OrgKind = 'sales' | 'purchasing';

interface PartnerRow {
  id: string;
  kind: PartnerKind;
  code: string;
  name: string;
  address: string;
  tax_number: string | null;
  uscc: string | null;
  bank_accounts: Partner['bankAccounts'];
  settlement_method: Partner['settlement']['method'];
  settlement_days: number;
  person_id: string | null;
  group_id: string | null;
  over_delivery_tolerance: string;
  status: Partner['status'];
  version: number;
  created_at: Date;
  updated_at: Date;
}

const COLUMNS = `id, kind, code, name, address, tax_number, uscc, bank_accounts, settlement_method, settlement_days, person_id, group_id,
  over_delivery_tolerance::text, status, version, created_at, updated_at`;

const toPartner = (r: PartnerRow): Partner => ({
  id: r.id,
  kind: r.kind,
  code: r.code,
  name: r.name,
  address: r.address,
  taxNumber: r.tax_number,
  uscc: r.uscc,
  bankAccounts: r.bank_accounts,
  settlement: { method: r.settlement_method, days: r.settlement_days },
  personId: r.person_id,
  groupId: r.group_id,
  overDeliveryTolerance: r.over_delivery_tolerance,
  status: r.status,
  version: r.version,
  createdAt: r.created_at.toISOString(),
  updatedAt: r.updated_at.toISOString(),
});

export async function findPartner(tx: Sql, tenantId: string, kind: PartnerKind, id: string): Promise<Partner | undefined> {
  const { rows } = await tx.query<PartnerRow>(`SELECT ${COLUMNS} FROM partners WHERE tenant_id = $1 AND kind = $2 AND id = $3`, [tenantId, kind, id]);
  return rows[0] && toPartner(rows[0]);
}

export async function listPartners(tx: Sql, tenantId: string, kind: PartnerKind, q: { limit: number; after?: string; q?: string; personId?: string; groupId?: string }) {
  const { rows } = await tx.query<PartnerRow>(
    `SELECT ${COLUMNS} FROM partners
      WHERE tenant_id = $1 AND kind = $2 AND ($3::text IS NULL OR code > $3) AND ($4::text IS NULL OR strpos(lower(code || ' ' || name), lower($4)) > 0)
        AND ($5::uuid IS NULL OR person_id = $5) AND ($6::uuid IS NULL OR group_id = $6)
      ORDER BY code LIMIT $7`,
    [tenantId, kind, q.after ?? null, q.q ?? null, q.personId ?? null, q.groupId ?? null, q.limit + 1],
  );
  return rows.map(toPartner);
}

export interface PartnerFields {
  name: string;
  address: string;
  taxNumber: string | null;
  uscc: string | null;
  bankAccounts: Partner['bankAccounts'];
  settlement: Partner['settlement'];
  personId: string | null;
  groupId: string | null;
  overDeliveryTolerance: string;
  status: Partner['status'];
}

export async function insertPartner(tx: Sql, tenantId: string, kind: PartnerKind, code: string, f: PartnerFields): Promise<string> {
  const { rows } = await tx.query<{ id: string }>(
    `INSERT INTO partners (tenant_id, kind, code, name, address, tax_number, uscc, bank_accounts, settlement_method, settlement_days, person_id,
                           group_id, over_delivery_tolerance, status)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id`,
    [tenantId, kind, code, ...fieldValues(f)],
  );
  return rows[0].id;
}

/** Writes every field (the service merged the change over the current values); false on a stale version. */
export async function updatePartner(tx: Sql, tenantId: string, kind: PartnerKind, id: string, version: number, f: PartnerFields): Promise<boolean> {
  const { rowCount } = await tx.query(
    `UPDATE partners SET name = $5, address = $6, tax_number = $7, uscc = $8, bank_accounts = $9, settlement_method = $10, settlement_days = $11,
            person_id = $12, group_id = $13, over_delivery_tolerance = $14, status = $15, version = version + 1, updated_at = now()
      WHERE tenant_id = $1 AND kind = $2 AND id = $3 AND version = $4`,
    [tenantId, kind, id, version, ...fieldValues(f)],
  );
  return rowCount === 1;
}

function fieldValues(f: PartnerFields): unknown[] {
  return [
    f.name, f.address, f.taxNumber, f.uscc, JSON.stringify(f.bankAccounts), f.settlement.method, f.settlement.days, f.personId, f.groupId,
    f.overDeliveryTolerance, f.status,
  ];
}

export async function listGroups(tx: Sql, tenantId: string, kind: OrgKind) {
  const { rows } = await tx.query<{ id: string; kind: OrgKind; code: string; name: string }>(
    'SELECT id, kind, code, name FROM org_groups WHERE tenant_id = $1 AND kind = $2 ORDER BY code',
    [tenantId, kind],
  );
  return rows;
}

export async function listPeople(tx: Sql, tenantId: string, kind: OrgKind) {
  const { rows } = await tx.query<{ id: string; kind: OrgKind; code: string; name: string; group_id: string | null }>(
    'SELECT id, kind, code, name, group_id FROM org_people WHERE tenant_id = $1 AND kind = $2 ORDER BY code',
    [tenantId, kind],
  );
  return rows.map((r) => ({ id: r.id, kind: r.kind, code: r.code, name: r.name, groupId: r.group_id }));
}

/** Ids of the partners of one kind with these codes, by code: one query for a whole import chunk. */
export async function idsByCode(tx: Sql, tenantId: string, kind: PartnerKind, codes: string[]): Promise<Map<string, string>> {
  const { rows } = await tx.query<{ id: string; code: string }>('SELECT id, code FROM partners WHERE tenant_id = $1 AND kind = $2 AND code = ANY($3::text[])', [tenantId, kind, codes]);
  return new Map(rows.map((r) => [r.code, r.id]));
}
