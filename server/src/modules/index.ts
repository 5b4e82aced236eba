import type { AppContext, MesApp } from '../app.js';
import { auditRoutes } from './audit/routes.js';
import { backupRoutes } from './backups/routes.js';
import { barcodeRoutes } from './barcodes/routes.js';
import { identityRoutes } from './identity/routes.js';
import { importRoutes } from './imports/routes.js';
import { cutoverRoutes } from './cutovers/routes.js';
import { countingRoutes } from './inventory/counting-routes.js';
import { reportRoutes } from './inventory/report-routes.js';
import { inventoryRoutes } from './inventory/routes.js';
import { codingRuleRoutes } from './masterdata/coding-routes.js';
import { equipmentRoutes } from './equipment/routes.js';
import { eventRoutes } from './events/routes.js';
import { featureRoutes } from './masterdata/feature-routes.js';
import { masterdataRoutes } from './masterdata/routes.js';
import { operationsRoutes } from './operations/routes.js';
import { partnerRoutes } from './partners/routes.js';
import { plantRoutes } from './plant/routes.js';
import { productionRoutes } from './production/routes.js';
import { salesRoutes } from './sales/routes.js';
import { purchasingRoutes } from './purchasing/routes.js';
import { settingsRoutes } from './settings/routes.js';
import { tenantRoutes } from './tenants/routes.js';

/** Every module's routes. A module owns its folder, its tables and its part of the API. */
export function registerModules(app: MesApp, ctx: AppContext): void {
  operationsRoutes(app, ctx);
  tenantRoutes(app, ctx);
  identityRoutes(app, ctx);
  auditRoutes(app, ctx);
  barcodeRoutes(app, ctx);
  codingRuleRoutes(app, ctx);
  featureRoutes(app, ctx);
  masterdataRoutes(app, ctx);
  inventoryRoutes(app, ctx);
  partnerRoutes(app, ctx);
  countingRoutes(app, ctx);
  reportRoutes(app, ctx);
  settingsRoutes(app, ctx);
  eventRoutes(app, ctx);
  salesRoutes(app, ctx);
  purchasingRoutes(app, ctx);
  backupRoutes(app, ctx);
  plantRoutes(app, ctx);
  productionRoutes(app, ctx);
  equipmentRoutes(app, ctx);
  importRoutes(app, ctx);
  cutoverRoutes(app, ctx);
}
