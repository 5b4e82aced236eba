-- Quality inspections started by production events (S1-5.4.5-b), the one inspection model for the
-- purchasing gate, and rework orders (S1-5.4.5-e).
--
-- A plan may cover one operation of the product's routing (first-article and patrol plans; none =
-- every operation). An inspection started by an event records what started it (trigger) and a key
-- unique per tenant: replaying the event finds the key taken and creates nothing. Inspections
-- recorded through purchasing's gate (POST /v1/purchase-receipts/{id}/inspections) carry no plan:
-- the inspector gave accepted and rejected quantities, not results per sample.
ALTER TABLE quality_plans ADD COLUMN operation_seq integer CHECK (operation_seq > 0);
-- Plans change (name, status, sampling, interval, operation) with the version the caller read.
ALTER TABLE quality_plans ADD COLUMN version integer NOT NULL DEFAULT 1;

ALTER TABLE quality_inspections ALTER COLUMN plan_id DROP NOT NULL;
ALTER TABLE quality_inspections
  ADD COLUMN operation_seq         integer,
  ADD COLUMN work_report_id        uuid,
  ADD COLUMN production_receipt_id uuid,
  ADD COLUMN trigger               text CHECK (trigger IN ('first_report', 'inspection_point', 'production_receipt', 'patrol_pieces', 'patrol_hours', 'receipt_gate')),
  ADD COLUMN trigger_key           text,
  ADD CONSTRAINT quality_inspections_trigger_key UNIQUE (tenant_id, trigger_key),
  ADD CONSTRAINT quality_inspections_plan_or_gate CHECK (plan_id IS NOT NULL OR trigger = 'receipt_gate'),
  ADD FOREIGN KEY (tenant_id, work_report_id) REFERENCES production_work_reports (tenant_id, id),
  ADD FOREIGN KEY (tenant_id, production_receipt_id) REFERENCES production_receipts (tenant_id, id);
CREATE INDEX quality_inspections_by_order ON quality_inspections (tenant_id, production_order_id) WHERE production_order_id IS NOT NULL;

-- A rework order: a production order whose source is 'rework', made by a rework disposition of the
-- order whose output it reworks.
ALTER TABLE production_orders ADD COLUMN rework_of_order_id uuid;
ALTER TABLE production_orders ADD FOREIGN KEY (tenant_id, rework_of_order_id) REFERENCES production_orders (tenant_id, id);
ALTER TABLE production_orders DROP CONSTRAINT production_orders_source_check;
ALTER TABLE production_orders ADD CONSTRAINT production_orders_source_check CHECK (source IN ('manual', 'sales_demand', 'safety_stock', 'mrp', 'rework'));
ALTER TABLE production_orders ADD CONSTRAINT production_orders_rework_of CHECK ((source = 'rework') = (rework_of_order_id IS NOT NULL));

ALTER TABLE quality_dispositions ADD COLUMN rework_order_id uuid;
ALTER TABLE quality_dispositions ADD FOREIGN KEY (tenant_id, rework_order_id) REFERENCES production_orders (tenant_id, id);
