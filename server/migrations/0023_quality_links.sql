-- Quality links (S1-5.4.5-e): a quality-caused sales return's lines name the inspection of the
-- returned goods (made for them, or an existing one).
--
-- The link lives on sales' own line table: sales owns its tables and quality asks sales' service
-- for it. An inspection may be named by several return lines; a line names at most one.
ALTER TABLE sales_return_lines ADD COLUMN quality_inspection_id uuid;
ALTER TABLE sales_return_lines ADD FOREIGN KEY (tenant_id, quality_inspection_id) REFERENCES quality_inspections (tenant_id, id);
-- Return lines stay a fact (insert-only); the link is the one column that is set, once, later.
GRANT UPDATE (quality_inspection_id) ON sales_return_lines TO mes_app;
CREATE INDEX sales_return_lines_by_inspection ON sales_return_lines (tenant_id, quality_inspection_id) WHERE quality_inspection_id IS NOT NULL;

-- An inspection made for returned goods: source sales_return, trigger sales_return (key per line).
ALTER TABLE quality_inspections DROP CONSTRAINT quality_inspections_source_kind_check;
ALTER TABLE quality_inspections ADD CONSTRAINT quality_inspections_source_kind_check CHECK (source_kind IN ('manual', 'purchase_receipt', 'production_order', 'sales_return'));
ALTER TABLE quality_inspections DROP CONSTRAINT quality_inspections_trigger_check;
ALTER TABLE quality_inspections ADD CONSTRAINT quality_inspections_trigger_check
  CHECK (trigger IN ('first_report', 'inspection_point', 'production_receipt', 'patrol_pieces', 'patrol_hours', 'receipt_gate', 'sales_return'));

-- The trace finds the returns of a batch or serial as it finds its shipments.
CREATE INDEX sales_return_lines_by_batch ON sales_return_lines (tenant_id, material_id, batch_no) WHERE batch_no IS NOT NULL;
CREATE INDEX sales_return_lines_by_serial ON sales_return_lines (tenant_id, material_id, serial_no) WHERE serial_no IS NOT NULL;

-- Drawing revision requests (S1-5.4.5-e): from a defect found by an inspection, a request to revise
-- the process drawing linked to it. Production owns drawings and these requests; quality asks
-- production's service to make one. requested → accepted → done (a newer revision was uploaded),
-- or rejected from requested or accepted.
CREATE TABLE drawing_revision_requests (
  id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id           uuid NOT NULL REFERENCES tenants (id),
  drawing_id          uuid NOT NULL,
  inspection_id       uuid NOT NULL,
  defect_code         text NOT NULL,
  reason              text NOT NULL,
  state               text NOT NULL DEFAULT 'requested' CHECK (state IN ('requested', 'accepted', 'done', 'rejected')),
  -- The drawing's revision when asked; done names the newer revision that answers it.
  revision_at_request integer NOT NULL,
  done_revision       integer,
  decision_note       text NOT NULL DEFAULT '',
  requested_by        text NOT NULL,
  requested_at        timestamptz(3) NOT NULL DEFAULT now(),
  decided_by          text,
  decided_at          timestamptz(3),
  version             integer NOT NULL DEFAULT 1,
  UNIQUE (tenant_id, id),
  FOREIGN KEY (tenant_id, drawing_id) REFERENCES drawings (tenant_id, id),
  FOREIGN KEY (tenant_id, inspection_id) REFERENCES quality_inspections (tenant_id, id),
  CHECK ((state = 'done') = (done_revision IS NOT NULL)),
  CHECK (done_revision IS NULL OR done_revision > revision_at_request)
);
CREATE INDEX drawing_revision_requests_by_drawing ON drawing_revision_requests (tenant_id, drawing_id, requested_at, id);
CREATE INDEX drawing_revision_requests_by_inspection ON drawing_revision_requests (tenant_id, inspection_id);
ALTER TABLE drawing_revision_requests ENABLE ROW LEVEL SECURITY;
ALTER TABLE drawing_revision_requests FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON drawing_revision_requests USING (tenant_id = mes_current_tenant()) WITH CHECK (tenant_id = mes_current_tenant());
GRANT SELECT, INSERT, UPDATE ON drawing_revision_requests TO mes_app;

-- A standard's items change in versions (S1-5.4.5-a): a change writes the whole new set under the
-- next items_version; the old set stays for the inspections that used it. An inspection records
-- the items version it was started with and is judged against it; new inspections take the
-- standard's current one (existing rows: version 1, the only one there was).
ALTER TABLE quality_standards ADD COLUMN items_version integer NOT NULL DEFAULT 1;
ALTER TABLE quality_standard_items ADD COLUMN items_version integer NOT NULL DEFAULT 1;
ALTER TABLE quality_standard_items DROP CONSTRAINT quality_standard_items_pkey;
ALTER TABLE quality_standard_items ADD PRIMARY KEY (tenant_id, standard_id, items_version, item_no);
ALTER TABLE quality_standard_items DROP CONSTRAINT quality_standard_items_tenant_id_standard_id_code_key;
ALTER TABLE quality_standard_items ADD CONSTRAINT quality_standard_items_code UNIQUE (tenant_id, standard_id, items_version, code);
ALTER TABLE quality_inspections ADD COLUMN standard_items_version integer NOT NULL DEFAULT 1;
