import type { AppContext, MesApp } from '../app.js';
import { auditRoutes } from './audit/routes.js';
import { identityRoutes } from './identity/routes.js';
import { operationsRoutes } from './operations/routes.js';
import { tenantRoutes } from './tenants/routes.js';

/** Every module's routes. A module owns its folder, its tables and its part of the API. */
export function registerModules(app: MesApp, ctx: AppContext): void {
  operationsRoutes(app, ctx);
  tenantRoutes(app, ctx);
  identityRoutes(app, ctx);
  auditRoutes(app, ctx);
}
