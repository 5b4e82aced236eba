/**
 * The readiness checks of S1-7.2 that software can make, before and after a cutover. They count
 * what the tenant has set up through the owning modules' services (identity, masterdata,
 * equipment) and draw labels through the barcodes module; a missing item is a warning, never a
 * refusal: a plant without devices needs no gateways.
 */
import type { Sql } from '../../platform/db.js';
import { renderLabel } from '../barcodes/service.js';
import * as gatewayService from '../equipment/gateways.js';
import * as equipmentService from '../equipment/master.js';
import * as identity from '../identity/service.js';
import * as masterdata from '../masterdata/service.js';

export interface CheckOutcome {
  key: string;
  state: 'passed' | 'warning' | 'failed';
  result: { detail: string } & Record<string, unknown>;
}

const LABEL_SAMPLE = 20;

export async function readinessChecks(tx: Sql, tenantId: string): Promise<CheckOutcome[]> {
  // Each count from the module that owns it; independent reads, sent in one write.
  const [people, setup, gateways, equipment, materials] = await Promise.all([
    identity.countUsersAndRoles(tx, tenantId),
    masterdata.countSetup(tx, tenantId),
    gatewayService.countActiveGateways(tx, tenantId),
    equipmentService.countEquipment(tx, tenantId),
    masterdata.firstMaterialCodes(tx, tenantId, LABEL_SAMPLE),
  ]);
  const c = { users: people.users, roles: people.roles, coding_rules: setup.codingRules, warehouses: setup.warehouses, bins: setup.bins, gateways, equipment };
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
    await labelCheck(materials),
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
