-- Production execution (S1-5.4.4-g, -h, -i): material issues, returns and backflushes against
-- released orders, operation events and work reports with piece-rate wages, production receipts
-- and the genealogy linking what was made to what was consumed.
--
-- Stock moves only through the ledger (stock_movements, via postMovements): these tables are the
-- documents behind the movements. The order's issued/backflushed/returned and good/scrap/pending
-- quantities (0011) are kept equal to the sums over these documents under the order's row lock.

-- Over-issue and over-report tolerances, percent of what the order requires (0: none).
ALTER TABLE tenant_settings ADD COLUMN production_issue_tolerance numeric NOT NULL DEFAULT 0
  CHECK (production_issue_tolerance >= 0 AND production_issue_tolerance < 1000);
ALTER TABLE tenant_settings ADD COLUMN production_report_tolerance numeric NOT NULL DEFAULT 0
  CHECK (production_report_tolerance >= 0 AND production_report_tolerance < 1000);

-- ------------------------------------------------------------------ material (S1-5.4.4-g)

-- One posting of material for an order: an issue (by order, by operation, by lines or scans), a
-- return to stock, or a backflush made by a work report or a receipt.
CREATE TABLE production_material_docs (
  id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id         uuid NOT NULL REFERENCES tenants (id),
  doc_no            text NOT NULL,
  order_id          uuid NOT NULL,
  kind              text NOT NULL CHECK (kind IN ('issue', 'return', 'backflush')),
  -- The operation an issue was for (by operation) or a backflush was made at.
  operation_seq     integer,
  source_report_id  uuid,
  source_receipt_id uuid,
  reason            text NOT NULL DEFAULT '',
  created_by        text NOT NULL,
  created_at        timestamptz(3) NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, doc_no),
  UNIQUE (tenant_id, id),
  FOREIGN KEY (tenant_id, order_id) REFERENCES production_orders (tenant_id, id)
);
CREATE INDEX production_material_docs_by_order ON production_material_docs (tenant_id, order_id, created_at);

-- Quantities in the component's base unit (base_quantity) and as entered (quantity, unit).
CREATE TABLE production_material_lines (
  tenant_id     uuid NOT NULL REFERENCES tenants (id),
  doc_id        uuid NOT NULL,
  line_no       integer NOT NULL CHECK (line_no > 0),
  component_id  uuid NOT NULL,
  material_id   uuid NOT NULL,
  quantity      numeric NOT NULL CHECK (quantity > 0),
  unit          text NOT NULL,
  base_quantity numeric NOT NULL CHECK (base_quantity > 0),
  warehouse_id  uuid NOT NULL,
  bin_id        uuid,
  batch_no      text,
  serial_no     text,
  origin        text NOT NULL CHECK (origin IN ('fifo', 'scan', 'manual', 'backflush')),
  PRIMARY KEY (tenant_id, doc_id, line_no),
  FOREIGN KEY (tenant_id, doc_id) REFERENCES production_material_docs (tenant_id, id),
  FOREIGN KEY (tenant_id, component_id) REFERENCES production_order_components (tenant_id, id),
  FOREIGN KEY (tenant_id, material_id) REFERENCES materials (tenant_id, id),
  FOREIGN KEY (tenant_id, warehouse_id) REFERENCES warehouses (tenant_id, id),
  FOREIGN KEY (tenant_id, bin_id) REFERENCES bins (tenant_id, id)
);
CREATE INDEX production_material_lines_by_batch ON production_material_lines (tenant_id, material_id, batch_no);

-- ------------------------------------------------------------------ work reporting (S1-5.4.4-h)

-- Start, pause, resume and end of an order operation, with the reason of a pause.
CREATE TABLE production_operation_events (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id      uuid NOT NULL REFERENCES tenants (id),
  order_id       uuid NOT NULL,
  operation_id   uuid NOT NULL,
  event          text NOT NULL CHECK (event IN ('start', 'pause', 'resume', 'end')),
  reason         text NOT NULL DEFAULT '',
  operator       text NOT NULL,
  station_id     uuid,
  -- Free text until the equipment module gives equipment an identity.
  equipment_code text,
  occurred_at    timestamptz(3) NOT NULL,
  recorded_by    text NOT NULL,
  created_at     timestamptz(3) NOT NULL DEFAULT now(),
  FOREIGN KEY (tenant_id, order_id) REFERENCES production_orders (tenant_id, id),
  FOREIGN KEY (tenant_id, operation_id) REFERENCES production_order_operations (tenant_id, id),
  FOREIGN KEY (tenant_id, station_id) REFERENCES stations (tenant_id, id)
);
CREATE INDEX production_operation_events_by_order ON production_operation_events (tenant_id, order_id, occurred_at);

-- Piece rates: money per good base unit of the product at one operation, from a date.
CREATE TABLE production_piece_rates (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id      uuid NOT NULL REFERENCES tenants (id),
  material_id    uuid NOT NULL,
  operation_seq  integer NOT NULL CHECK (operation_seq > 0),
  rate           numeric NOT NULL CHECK (rate >= 0),
  effective_from date NOT NULL,
  created_by     text NOT NULL,
  created_at     timestamptz(3) NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, material_id, operation_seq, effective_from),
  UNIQUE (tenant_id, id),
  FOREIGN KEY (tenant_id, material_id) REFERENCES materials (tenant_id, id)
);

-- A work report: quantities in the product's base unit; the piece rate in effect on the day of
-- the report and the wage it earned (good × rate, exact) are kept with it.
CREATE TABLE production_work_reports (
  id                          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id                   uuid NOT NULL REFERENCES tenants (id),
  doc_no                      text NOT NULL,
  order_id                    uuid NOT NULL,
  operation_id                uuid NOT NULL,
  operation_seq               integer NOT NULL,
  good_quantity               numeric NOT NULL CHECK (good_quantity >= 0),
  scrap_quantity              numeric NOT NULL CHECK (scrap_quantity >= 0),
  pending_inspection_quantity numeric NOT NULL CHECK (pending_inspection_quantity >= 0),
  unit                        text NOT NULL,
  scrap_reason                text NOT NULL DEFAULT '',
  operator                    text NOT NULL,
  station_id                  uuid,
  equipment_code              text,
  started_at                  timestamptz(3),
  ended_at                    timestamptz(3) NOT NULL,
  piece_rate                  numeric,
  wage_amount                 numeric NOT NULL DEFAULT 0,
  created_by                  text NOT NULL,
  created_at                  timestamptz(3) NOT NULL DEFAULT now(),
  CHECK (good_quantity + scrap_quantity + pending_inspection_quantity > 0),
  CHECK (started_at IS NULL OR started_at <= ended_at),
  UNIQUE (tenant_id, doc_no),
  UNIQUE (tenant_id, id),
  FOREIGN KEY (tenant_id, order_id) REFERENCES production_orders (tenant_id, id),
  FOREIGN KEY (tenant_id, operation_id) REFERENCES production_order_operations (tenant_id, id),
  FOREIGN KEY (tenant_id, station_id) REFERENCES stations (tenant_id, id)
);
CREATE INDEX production_work_reports_by_order ON production_work_reports (tenant_id, order_id, created_at);
CREATE INDEX production_work_reports_by_operator ON production_work_reports (tenant_id, operator, ended_at);

-- ------------------------------------------------------------------ receipts and genealogy (S1-5.4.4-i)

-- What was known of the making when the goods came in: BOM version, operators, stations,
-- equipment and the span of the work reported on the order.
CREATE TABLE production_receipts (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id       uuid NOT NULL REFERENCES tenants (id),
  doc_no          text NOT NULL,
  order_id        uuid NOT NULL,
  warehouse_id    uuid NOT NULL,
  bom_version_id  uuid,
  operators       text[] NOT NULL DEFAULT '{}',
  station_ids     uuid[] NOT NULL DEFAULT '{}',
  equipment_codes text[] NOT NULL DEFAULT '{}',
  work_started_at timestamptz(3),
  work_ended_at   timestamptz(3),
  created_by      text NOT NULL,
  created_at      timestamptz(3) NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, doc_no),
  UNIQUE (tenant_id, id),
  FOREIGN KEY (tenant_id, order_id) REFERENCES production_orders (tenant_id, id),
  FOREIGN KEY (tenant_id, warehouse_id) REFERENCES warehouses (tenant_id, id),
  FOREIGN KEY (tenant_id, bom_version_id) REFERENCES bom_versions (tenant_id, id)
);
CREATE INDEX production_receipts_by_order ON production_receipts (tenant_id, order_id, created_at);

CREATE TABLE production_receipt_lines (
  tenant_id     uuid NOT NULL REFERENCES tenants (id),
  receipt_id    uuid NOT NULL,
  line_no       integer NOT NULL CHECK (line_no > 0),
  kind          text NOT NULL CHECK (kind IN ('product', 'by_product')),
  material_id   uuid NOT NULL,
  quantity      numeric NOT NULL CHECK (quantity > 0),
  unit          text NOT NULL,
  base_quantity numeric NOT NULL CHECK (base_quantity > 0),
  bin_id        uuid,
  batch_no      text,
  serial_no     text,
  PRIMARY KEY (tenant_id, receipt_id, line_no),
  FOREIGN KEY (tenant_id, receipt_id) REFERENCES production_receipts (tenant_id, id),
  FOREIGN KEY (tenant_id, material_id) REFERENCES materials (tenant_id, id),
  FOREIGN KEY (tenant_id, bin_id) REFERENCES bins (tenant_id, id)
);

-- Each produced batch or serial (a receipt line) to each component batch or serial the order had
-- consumed (issued and backflushed, net of returns) when it was received.
CREATE TABLE production_genealogy (
  tenant_id            uuid NOT NULL REFERENCES tenants (id),
  receipt_id           uuid NOT NULL,
  line_no              integer NOT NULL,
  order_id             uuid NOT NULL,
  produced_material_id uuid NOT NULL,
  produced_batch_no    text,
  produced_serial_no   text,
  consumed_material_id uuid NOT NULL,
  consumed_batch_no    text,
  consumed_serial_no   text,
  consumed_quantity    numeric NOT NULL CHECK (consumed_quantity > 0),
  FOREIGN KEY (tenant_id, receipt_id, line_no) REFERENCES production_receipt_lines (tenant_id, receipt_id, line_no),
  FOREIGN KEY (tenant_id, order_id) REFERENCES production_orders (tenant_id, id),
  FOREIGN KEY (tenant_id, produced_material_id) REFERENCES materials (tenant_id, id),
  FOREIGN KEY (tenant_id, consumed_material_id) REFERENCES materials (tenant_id, id)
);
CREATE INDEX production_genealogy_backward ON production_genealogy (tenant_id, produced_material_id, produced_batch_no, produced_serial_no);
CREATE INDEX production_genealogy_forward ON production_genealogy (tenant_id, consumed_material_id, consumed_batch_no, consumed_serial_no);

-- ------------------------------------------------------------------ dispatching (S1-5.4.4-j)

-- The place of an operation in its work centre's queue (1 first; null: by planned start, priority, due date).
ALTER TABLE production_order_operations ADD COLUMN dispatch_seq integer CHECK (dispatch_seq > 0);

-- Every re-sequencing or reassignment of an operation, why, and what it was before and after.
CREATE TABLE production_dispatch_changes (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id    uuid NOT NULL REFERENCES tenants (id),
  order_id     uuid NOT NULL,
  operation_id uuid NOT NULL,
  cause        text NOT NULL CHECK (cause IN ('progress', 'status', 'demand_change', 'rework', 'other')),
  reason       text NOT NULL,
  before       jsonb NOT NULL,
  after        jsonb NOT NULL,
  changed_by   text NOT NULL,
  created_at   timestamptz(3) NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, id),
  FOREIGN KEY (tenant_id, order_id) REFERENCES production_orders (tenant_id, id),
  FOREIGN KEY (tenant_id, operation_id) REFERENCES production_order_operations (tenant_id, id)
);
CREATE INDEX production_dispatch_changes_by_order ON production_dispatch_changes (tenant_id, order_id, created_at);

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['production_material_docs', 'production_material_lines', 'production_operation_events', 'production_piece_rates',
                           'production_work_reports', 'production_receipts', 'production_receipt_lines', 'production_genealogy',
                           'production_dispatch_changes'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY tenant_isolation ON %I USING (tenant_id = mes_current_tenant()) WITH CHECK (tenant_id = mes_current_tenant())', t);
  END LOOP;
END $$;

-- Documents get their number last in the transaction (an UPDATE of doc_no); everything else is a fact.
GRANT SELECT, INSERT, UPDATE ON production_material_docs, production_work_reports, production_receipts TO mes_app;
GRANT SELECT, INSERT ON production_material_lines, production_operation_events, production_piece_rates, production_receipt_lines,
  production_genealogy, production_dispatch_changes TO mes_app;
