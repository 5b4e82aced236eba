-- Traceability (S1-5.4.5-d): indexes for the genealogy graph's walk and for what it reads at each
-- batch or serial it reaches. No tables: the graph is a read model over the ledger, purchasing,
-- production and sales (server/src/modules/traceability/repo.ts).

-- The walk steps from a serial as well as from a batch (0014 indexes the batch first).
CREATE INDEX production_genealogy_backward_serial ON production_genealogy (tenant_id, produced_material_id, produced_serial_no) WHERE produced_serial_no IS NOT NULL;
CREATE INDEX production_genealogy_forward_serial ON production_genealogy (tenant_id, consumed_material_id, consumed_serial_no) WHERE consumed_serial_no IS NOT NULL;

-- Where a batch or serial was made, bought and shipped.
CREATE INDEX production_receipt_lines_by_batch ON production_receipt_lines (tenant_id, material_id, batch_no) WHERE batch_no IS NOT NULL;
CREATE INDEX production_receipt_lines_by_serial ON production_receipt_lines (tenant_id, material_id, serial_no) WHERE serial_no IS NOT NULL;
CREATE INDEX purchase_receipt_lines_by_batch ON purchase_receipt_lines (tenant_id, material_id, batch_no) WHERE batch_no IS NOT NULL;
CREATE INDEX purchase_receipt_lines_by_serial ON purchase_receipt_lines (tenant_id, material_id, serial_no) WHERE serial_no IS NOT NULL;
CREATE INDEX sales_outbound_lines_by_batch ON sales_outbound_lines (tenant_id, material_id, batch_no) WHERE batch_no IS NOT NULL;
CREATE INDEX sales_outbound_lines_by_serial ON sales_outbound_lines (tenant_id, material_id, serial_no) WHERE serial_no IS NOT NULL;
CREATE INDEX incoming_inspections_by_receipt_line ON incoming_inspections (tenant_id, receipt_line_id);

-- A batch's movements in the ledger and what is left of it, per warehouse and bin.
-- Covering: a node's movement count and span come from the index alone.
CREATE INDEX stock_movements_by_batch ON stock_movements (tenant_id, batch_id) INCLUDE (occurred_at) WHERE batch_id IS NOT NULL;
CREATE INDEX stock_balances_by_batch ON stock_balances (tenant_id, batch_id) WHERE batch_id IS NOT NULL;
CREATE INDEX stock_balances_by_serial ON stock_balances (tenant_id, serial_id) WHERE serial_id IS NOT NULL;
