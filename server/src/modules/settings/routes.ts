import { Type } from '@sinclair/typebox';
import type { AppContext, MesApp } from '../../app.js';
import { mutate, principalOf, read } from '../../platform/request.js';
import { problems } from '../../platform/schemas.js';
import { TenantSettingsSchema, UpdateTenantSettingsBody } from './schema.js';
import * as service from './service.js';

/** The tenant's own business rules, set by its administrators. */
export function settingsRoutes(app: MesApp, { db }: AppContext): void {
  app.addSchema(TenantSettingsSchema);
  const tags = ['settings'];

  app.get('/v1/settings', {
    config: { permission: 'settings:read' },
    schema: { operationId: 'getTenantSettings', tags, summary: "The tenant's business rules", response: { 200: Type.Ref(TenantSettingsSchema), ...problems() } },
  }, async (req) => read(db, req, (tx) => service.getSettings(tx, principalOf(req).tenantId)));

  app.patch('/v1/settings', {
    config: { permission: 'settings:write' },
    schema: {
      operationId: 'updateTenantSettings', tags, summary: "Change the tenant's business rules (optimistic concurrency on version)",
      body: UpdateTenantSettingsBody, response: { 200: Type.Ref(TenantSettingsSchema), ...problems(409) },
    },
  }, async (req, reply) => mutate(db, req, reply, (tx) => service.updateSettings(tx, principalOf(req).tenantId, req.body), {
    resource: () => 'settings',
    details: (s) => ({
      forbidSelfApproval: s.forbidSelfApproval, productionOrderApproval: s.productionOrderApproval, productionIssueTolerance: s.productionIssueTolerance,
      productionReportTolerance: s.productionReportTolerance, version: s.version,
    }),
  }));
}
