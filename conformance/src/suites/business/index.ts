/**
 * The business suite: sales (S1-5.4.1), purchasing (S1-5.4.2) and warehouse (S1-5.4.3) functions
 * proved through the HTTP API only, each check on a tenant of its own with exact quantities,
 * statuses, ledger rows and balances, and one refused bad input that changes nothing.
 */
import { operationsOf, type OpenApiDocument } from '../../openapi.js';
import type { Suite, SuiteContext, SuitePlan } from '../../types.js';
import { purchasingChecks } from './purchasing.js';
import { salesChecks } from './sales.js';
import { warehouseChecks } from './warehouse.js';

/**
 * What the suite proves. Not here: S1-5.4.1-f (kitting generating production orders) and
 * S1-5.4.2-f (purchase orders generated from production material demand) wait for production;
 * the parts of -f that exist (incoming inspection, inbound and returns posting to the ledger) are
 * asserted by the purchasing checks of -d and -e.
 */
export const BUSINESS_CLAUSES = [
  'S1-5.4.1-a', 'S1-5.4.1-b', 'S1-5.4.1-c', 'S1-5.4.1-d', 'S1-5.4.1-e', 'S1-5.4.1-g',
  'S1-5.4.2-a', 'S1-5.4.2-b', 'S1-5.4.2-c', 'S1-5.4.2-d', 'S1-5.4.2-e', 'S1-5.4.2-g',
  'S1-5.4.3-c', 'S1-5.4.3-d', 'S1-5.4.3-e', 'S1-5.4.3-f', 'S1-5.4.3-h', 'S1-5.4.3-i',
];

export const businessSuite: Suite = {
  id: 'business',
  title: 'Business functions: sales, purchasing, warehouse',
  proves: BUSINESS_CLAUSES,
  async prepare(ctx: SuiteContext): Promise<SuitePlan> {
    const ops = operationsOf((await ctx.target.request('GET', '/openapi.json')).json as OpenApiDocument);
    return { checks: [...salesChecks(ops), ...purchasingChecks(ops), ...warehouseChecks(ops)] };
  },
};
