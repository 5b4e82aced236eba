/**
 * The readiness checks of S1-7.2 that software can make, before and after a cutover. They count
 * what the tenant has set up (one statement of counts, read-only, across the modules' tables) and
 * draw labels through the barcodes module; a missing item is a warning, never a refusal: a plant
 * without devices needs no gateways.
 */
import type { Sql } from '../../platform/db.js';
import { renderLabel } from '../barcodes/service.js';

export interface CheckOutcome {
  key: string;
  state: 'passed' | 'warning' | 'failed';
  result: { detail: string } & Record<string, unknown>;
}

interface Counts {
  users: number;
  roles: number;
  coding_rules: number;
  warehouses: number;
  bins: number;
  gateways: number;
  equipment: number;
}

const LABEL_SAMPLE = 20;

export async function readinessChecks(tx: Sql, tenantId: string): Promise<CheckOutcome[]> {
  const { rows } = await tx.query<Counts>(
    `SELECT (SELECT count(*)::int FROM users WHERE tenant_id = $1 AND status = 'active') AS users,
            (SELECT count(*)::int FROM roles WHERE tenant_id = $1) AS roles,
            (SELECT count(*)::int FROM coding_rules WHERE tenant_id = $1) AS coding_rules,
            (SELECT count(*)::int FROM warehouses WHERE tenant_id = $1) AS warehouses,
            (SELECT count(*)::int FROM bins WHERE tenant_id = $1) AS bins,
            (SELECT count(*)::int FROM gateways WHERE tenant_id = $1 AND status = 'active') AS gateways,
            (SELECT count(*)::int FROM equipment WHERE tenant_id = $1) AS equipment`,
    [tenantId],
  );
  const c = rows[0];
  const materials = (await tx.query<{ code: string }>('SELECT code FROM materials WHERE tenant_id = $1 ORDER BY code LIMIT $2', [tenantId, LABEL_SAMPLE])).rows;
  return [
    {
      key: 'users-and-roles',
      state: c.users > 1 && c.roles > 0 ? 'passed' : 'warning',
      result: { users: c.users, roles: c.roles, detail: c.users > 1 ? `${c.users} active users, ${c.roles} roles` : 'only the first admin: create the operators\' users and give them roles (mes users create)' },
    },
    {
      key: 'coding-rules',
      state: c.coding_rules > 0 ? 'passed' : 'warning',
      result: { codingRules: c.coding_rules, detail: c.coding_rules > 0 ? `${c.coding_rules} coding rules` : 'no coding rule: batches, serials and documents get default numbers (set them under /v1/coding-rules)' },
    },
    await labelCheck(materials.map((m) => m.code)),
    {
      key: 'warehouses-and-bins',
      state: c.warehouses > 0 && c.bins > 0 ? 'passed' : 'warning',
      result: { warehouses: c.warehouses, bins: c.bins, detail: `${c.warehouses} warehouses, ${c.bins} bins${c.warehouses === 0 ? ': import them before the opening stock' : ''}` },
    },
    {
      key: 'devices',
      state: c.gateways > 0 || c.equipment === 0 ? 'passed' : 'warning',
      result: {
        gateways: c.gateways, equipment: c.equipment,
        detail: c.equipment === 0 ? 'no equipment registered, so no gateway is needed (printers and terminals are not registered in this MES)'
          : `${c.gateways} active gateways for ${c.equipment} equipment${c.gateways === 0 ? ': register one (mes edge register)' : ''}`,
      },
    },
  ];
}

/** Draws a label for each of the first materials; any that cannot be drawn fails the check. */
async function labelCheck(codes: string[]): Promise<CheckOutcome> {
  if (codes.length === 0) return { key: 'label-templates', state: 'warning', result: { drawn: 0, detail: 'no material yet to draw a label for' } };
  const failed: { material: string; reason: string }[] = [];
  for (const material of codes) {
    try {
      await renderLabel({ material }, { format: 'svg' });
    } catch (err) {
      failed.push({ material, reason: (err as Error).message });
    }
  }
  return {
    key: 'label-templates',
    state: failed.length ? 'failed' : 'passed',
    result: { drawn: codes.length - failed.length, failed, detail: failed.length ? `${failed.length} of ${codes.length} material labels cannot be drawn` : `labels of ${codes.length} materials drawn` },
  };
}
