import type { Sql } from '../../platform/db.js';
import { conflict, fieldError, notFound, unprocessable, type FieldError } from '../../platform/errors.js';
import { formatQty, qty } from '../../platform/quantity.js';
import * as repo from './repo.js';
import type { OrgKind, PartnerKind } from './repo.js';
import type { CreatePartnerInput, Partner, UpdatePartnerInput } from './schema.js';
import { usccProblem } from './uscc.js';

/** Customers are served by the sales organisation, suppliers by purchasing. */
export const ORG_OF: Record<PartnerKind, OrgKind> = { customer: 'sales', supplier: 'purchasing' };

const USCC_MESSAGES = {
  LENGTH: 'a unified social credit code has 18 characters',
  CHARACTER: 'uses only digits and capital letters other than I, O, S, V and Z',
  CHECK_CHARACTER: 'the check character (the 18th) does not match the first 17: a typing error?',
};

/** Checks the fields that need the database or arithmetic, all of them, before anything is written. */
async function check(tx: Sql, tenantId: string, kind: PartnerKind, f: repo.PartnerFields, selfId?: string): Promise<void> {
  const errors: FieldError[] = [];
  if (f.uscc !== null) {
    const problem = usccProblem(f.uscc);
    if (problem) errors.push(fieldError('uscc', `USCC_${problem}`, USCC_MESSAGES[problem]));
    else {
      const { rows } = await tx.query<{ code: string }>('SELECT code FROM partners WHERE tenant_id = $1 AND kind = $2 AND uscc = $3 AND id IS DISTINCT FROM $4', [tenantId, kind, f.uscc, selfId ?? null]);
      if (rows[0]) errors.push(fieldError('uscc', 'USCC_TAKEN', `${kind} ${rows[0].code} already has this code`));
    }
  }
  const org = ORG_OF[kind];
  let personGroup: string | null | undefined;
  if (f.personId) {
    const { rows } = await tx.query<{ group_id: string | null }>('SELECT group_id FROM org_people WHERE tenant_id = $1 AND kind = $2 AND id = $3', [tenantId, org, f.personId]);
    if (!rows[0]) errors.push(fieldError('personId', 'UNKNOWN_PERSON', `no ${org === 'sales' ? 'salesperson' : 'buyer'} ${f.personId}`));
    personGroup = rows[0]?.group_id;
  }
  if (f.groupId) {
    const { rows } = await tx.query('SELECT 1 FROM org_groups WHERE tenant_id = $1 AND kind = $2 AND id = $3', [tenantId, org, f.groupId]);
    if (!rows[0]) errors.push(fieldError('groupId', 'UNKNOWN_GROUP', `no ${org} group ${f.groupId}`));
    else if (personGroup && personGroup !== f.groupId) errors.push(fieldError('groupId', 'PERSON_NOT_IN_GROUP', 'the person in charge belongs to another group'));
  }
  if (errors.length) throw unprocessable('PARTNER_INVALID', `the ${kind} cannot be saved as given`, errors);
}

export async function createPartner(tx: Sql, tenantId: string, kind: PartnerKind, input: CreatePartnerInput): Promise<Partner> {
  if ((await tx.query('SELECT 1 FROM partners WHERE tenant_id = $1 AND kind = $2 AND code = $3', [tenantId, kind, input.code])).rows.length) {
    throw conflict('PARTNER_CODE_TAKEN', `${kind} ${input.code} already exists`, { errors: [fieldError('code', 'TAKEN', 'is already in use')] });
  }
  const fields: repo.PartnerFields = {
    name: input.name,
    address: input.address ?? '',
    taxNumber: input.taxNumber ?? null,
    uscc: input.uscc ?? null,
    bankAccounts: input.bankAccounts ?? [],
    settlement: input.settlement ?? { method: 'transfer', days: 0 },
    personId: input.personId ?? null,
    groupId: input.groupId ?? null,
    overDeliveryTolerance: formatQty(qty(input.overDeliveryTolerance ?? '0')),
    status: 'active',
  };
  await check(tx, tenantId, kind, fields);
  const id = await repo.insertPartner(tx, tenantId, kind, input.code, fields);
  return (await repo.findPartner(tx, tenantId, kind, id))!;
}

export async function updatePartner(tx: Sql, tenantId: string, kind: PartnerKind, id: string, input: UpdatePartnerInput): Promise<Partner> {
  const current = await repo.findPartner(tx, tenantId, kind, id);
  if (!current) throw notFound(kind, id);
  const { version, ...change } = input;
  const fields: repo.PartnerFields = {
    ...current,
    ...Object.fromEntries(Object.entries(change).filter(([, v]) => v !== undefined)),
    overDeliveryTolerance: formatQty(qty(change.overDeliveryTolerance ?? current.overDeliveryTolerance)),
  };
  await check(tx, tenantId, kind, fields, id);
  if (!(await repo.updatePartner(tx, tenantId, kind, id, version, fields))) {
    throw conflict('VERSION_CONFLICT', `${kind} ${current.code} is at version ${current.version}, not ${version}; read it again and reapply your change`, {
      currentVersion: current.version,
    });
  }
  return (await repo.findPartner(tx, tenantId, kind, id))!;
}

export async function createGroup(tx: Sql, tenantId: string, kind: OrgKind, input: { code: string; name: string }) {
  if ((await tx.query('SELECT 1 FROM org_groups WHERE tenant_id = $1 AND kind = $2 AND code = $3', [tenantId, kind, input.code])).rows.length) {
    throw conflict('GROUP_CODE_TAKEN', `${kind} group ${input.code} already exists`, { errors: [fieldError('code', 'TAKEN', 'is already in use')] });
  }
  const { rows } = await tx.query<{ id: string }>('INSERT INTO org_groups (tenant_id, kind, code, name) VALUES ($1, $2, $3, $4) RETURNING id', [tenantId, kind, input.code, input.name]);
  return { id: rows[0].id, kind, code: input.code, name: input.name };
}

export async function createPerson(tx: Sql, tenantId: string, kind: OrgKind, input: { code: string; name: string; groupId?: string }) {
  const errors: FieldError[] = [];
  if ((await tx.query('SELECT 1 FROM org_people WHERE tenant_id = $1 AND kind = $2 AND code = $3', [tenantId, kind, input.code])).rows.length) {
    throw conflict('PERSON_CODE_TAKEN', `${input.code} already exists`, { errors: [fieldError('code', 'TAKEN', 'is already in use')] });
  }
  if (input.groupId && !(await tx.query('SELECT 1 FROM org_groups WHERE tenant_id = $1 AND kind = $2 AND id = $3', [tenantId, kind, input.groupId])).rows.length) {
    errors.push(fieldError('groupId', 'UNKNOWN_GROUP', `no ${kind} group ${input.groupId}`));
  }
  if (errors.length) throw unprocessable('PERSON_INVALID', 'the person cannot be saved as given', errors);
  const { rows } = await tx.query<{ id: string }>('INSERT INTO org_people (tenant_id, kind, code, name, group_id) VALUES ($1, $2, $3, $4, $5) RETURNING id', [
    tenantId, kind, input.code, input.name, input.groupId ?? null,
  ]);
  return { id: rows[0].id, kind, code: input.code, name: input.name, groupId: input.groupId ?? null };
}

/** Partner ids by code, for callers that name partners by code in bulk (imports). */
export const partnerIdsByCode = (tx: Sql, tenantId: string, kind: PartnerKind, codes: string[]) => repo.idsByCode(tx, tenantId, kind, codes);
