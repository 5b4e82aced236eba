/**
 * What a cutover is made of (S1-7.2, S1-7.3-a): its ordered steps, the readiness checks software
 * can make, and what "trial data" is, which the clean step removes.
 */

/** Who does the work of a step: the server, or the client (mes cutover run) that reports it. */
export type StepRunner = 'server' | 'client';

export interface StepDefinition {
  key: string;
  title: string;
  runner: StepRunner;
}

/**
 * In order; each runs only after every step before it passed. The import steps are S1-7.3-a's
 * "import master data, initialise inventory, back-fill open documents": the client imports the
 * files through /v1/imports naming the cutover (header Mes-Cutover) and reports the jobs, which the
 * server checks.
 */
export const STEPS: readonly StepDefinition[] = [
  { key: 'freeze', title: 'Freeze the tenant: writes refused with 423 TENANT_FROZEN except the cutover\'s own', runner: 'server' },
  { key: 'backup', title: 'Take the backup point (a per-tenant backup) that a rollback restores', runner: 'server' },
  { key: 'clean', title: 'Clean the trial data: documents and movements made before go-live; master data stays', runner: 'server' },
  { key: 'import-master-data', title: 'Import master data (units, materials, warehouses and bins, customers, suppliers, …)', runner: 'client' },
  { key: 'initialise-inventory', title: 'Initialise inventory (opening stock with batches, serials and expiry)', runner: 'client' },
  { key: 'backfill-open-documents', title: 'Back-fill open documents (open sales and purchase orders)', runner: 'client' },
  { key: 'reconcile', title: 'Reconcile against the legacy control totals', runner: 'client' },
  { key: 'unfreeze', title: 'Unfreeze: the tenant goes live', runner: 'server' },
];

export const IMPORT_STEPS = ['import-master-data', 'initialise-inventory', 'backfill-open-documents'] as const;

/** Which import step an import kind belongs to. */
export function importStepOf(kind: string): (typeof IMPORT_STEPS)[number] {
  if (kind === 'opening-stock') return 'initialise-inventory';
  if (kind === 'sales-orders' || kind === 'purchase-orders') return 'backfill-open-documents';
  return 'import-master-data';
}

/** The readiness checks of S1-7.2 that software can make; they inform, they do not block. */
export const CHECKS: readonly { key: string; title: string }[] = [
  { key: 'users-and-roles', title: 'Users and roles are set up (more than the first admin)' },
  { key: 'coding-rules', title: 'Barcode and document coding rules are set' },
  { key: 'label-templates', title: 'Labels render for the materials and bins' },
  { key: 'warehouses-and-bins', title: 'Warehouses and bins exist' },
  { key: 'devices', title: 'Gateways (terminals, devices) are registered where the plant has them' },
];

/**
 * Trial data: the documents and movements made before go-live, while users practised. Master
 * data (materials, units, warehouses, bins, partners, BOMs, routings, the plant model, equipment,
 * coding rules), users, settings, the audit chain, events and import jobs stay.
 */
export const TRIAL_TABLES: readonly string[] = [
  'stock_movements', 'stock_balances', 'batches', 'serials', 'stock_documents', 'stock_document_lines',
  'count_sheets', 'count_lines', 'count_entries', 'document_versions',
  'sales_orders', 'sales_order_lines', 'delivery_plans', 'delivery_plan_lines', 'sales_outbounds', 'sales_outbound_lines', 'sales_returns', 'sales_return_lines',
  'purchase_orders', 'purchase_order_lines', 'purchase_receipts', 'purchase_receipt_lines', 'purchase_inbounds', 'purchase_inbound_lines',
  'purchase_returns', 'purchase_return_lines', 'incoming_inspections',
  'production_orders', 'production_order_operations', 'production_order_components', 'production_material_docs', 'production_material_lines',
  'production_operation_events', 'production_work_reports', 'production_receipts', 'production_receipt_lines', 'production_genealogy',
  'production_dispatch_changes', 'production_allocations', 'mrp_runs', 'mrp_run_materials', 'mrp_demands', 'mrp_planned_orders',
  'device_commands', 'equipment_alarms', 'import_documents',
];

/**
 * What a rollback leaves as it is now: the audit chain (it only grows, and records the cutover and
 * its rollback), the events already published (their sequence never goes back), the cutover's
 * own record and the import jobs it ran. Every other tenant table gets the backup point's rows.
 */
export const KEPT_ON_ROLLBACK: ReadonlySet<string> = new Set([
  'audit_log', 'audit_heads', 'outbox_events', 'outbox_heads', 'cutovers', 'cutover_steps', 'cutover_backup_chunks', 'import_jobs',
]);
