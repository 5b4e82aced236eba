import type { Principal } from '../../platform/auth.js';
import type { Sql } from '../../platform/db.js';
import { conflict, forbidden } from '../../platform/errors.js';
import type { TenantSettings, UpdateTenantSettingsInput } from './schema.js';

const DEFAULTS: TenantSettings = {
  forbidSelfApproval: false, productionOrderApproval: false, productionIssueTolerance: '0', productionReportTolerance: '0', version: 0, updatedAt: null,
};

export async function getSettings(tx: Sql, tenantId: string): Promise<TenantSettings> {
  const { rows } = await tx.query<{
    forbid_self_approval: boolean; production_order_approval: boolean; production_issue_tolerance: string; production_report_tolerance: string; version: number; updated_at: Date;
  }>(
    `SELECT forbid_self_approval, production_order_approval, production_issue_tolerance::text, production_report_tolerance::text, version, updated_at
       FROM tenant_settings WHERE tenant_id = $1`,
    [tenantId],
  );
  const r = rows[0];
  return r
    ? {
      forbidSelfApproval: r.forbid_self_approval, productionOrderApproval: r.production_order_approval, productionIssueTolerance: r.production_issue_tolerance,
      productionReportTolerance: r.production_report_tolerance, version: r.version, updatedAt: r.updated_at.toISOString(),
    }
    : DEFAULTS;
}

export async function updateSettings(tx: Sql, tenantId: string, input: UpdateTenantSettingsInput): Promise<TenantSettings> {
  const current = await getSettings(tx, tenantId);
  if (input.version !== undefined && input.version !== current.version) {
    throw conflict('VERSION_CONFLICT', `the settings are at version ${current.version}, not ${input.version}: read them again`, { currentVersion: current.version });
  }
  const forbid = input.forbidSelfApproval ?? current.forbidSelfApproval;
  const production = input.productionOrderApproval ?? current.productionOrderApproval;
  const issueTolerance = input.productionIssueTolerance ?? current.productionIssueTolerance;
  const reportTolerance = input.productionReportTolerance ?? current.productionReportTolerance;
  await tx.query(
    `INSERT INTO tenant_settings (tenant_id, forbid_self_approval, production_order_approval, production_issue_tolerance, production_report_tolerance)
     VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (tenant_id) DO UPDATE SET forbid_self_approval = $2, production_order_approval = $3, production_issue_tolerance = $4,
                                             production_report_tolerance = $5, version = tenant_settings.version + 1, updated_at = now()`,
    [tenantId, forbid, production, issueTolerance, reportTolerance],
  );
  return getSettings(tx, tenantId);
}

/**
 * The business review's rule of four eyes, when the tenant asks for it: the approver may not be the
 * user who created the document, whichever credential either of them used.
 */
export async function assertMayApprove(tx: Sql, approver: Principal, createdByUserId: string, what: string): Promise<void> {
  if (approver.userId !== createdByUserId) return;
  if (!(await getSettings(tx, approver.tenantId)).forbidSelfApproval) return;
  throw forbidden('SELF_APPROVAL_FORBIDDEN', `you created ${what}; this tenant requires someone else to approve it`);
}
