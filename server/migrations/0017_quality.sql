-- Quality (S1-5.4.5 a, b, c, e): defect codes, inspection standards with their items, inspection
-- plans with their sampling, the AQL switching state per supplier and material, inspection orders
-- with their results per sample and item, the judgement and its review, and dispositions.
--
-- An inspection order is the one inspection model: incoming inspections of purchase receipts,
-- in-process, final, first-article, patrol and by hand. Results and dispositions are facts:
-- insert-only. Stock effects of dispositions are ledger movements (stock_movements) whose source is
-- the disposition; incoming ones go through purchasing's inspection gate (inbound or return).

CREATE TABLE quality_defect_codes (
  id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id  uuid NOT NULL REFERENCES tenants (id),
  code       text NOT NULL CHECK (code ~ '^[A-Za-z0-9_.-]{1,50}$'),
  name       text NOT NULL,
  -- critical defects make the judgement 'scrap'.
  severity   text NOT NULL CHECK (severity IN ('critical', 'major', 'minor')),
  status     text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'retired')),
  created_at timestamptz(3) NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, code),
  UNIQUE (tenant_id, id)
);

-- A standard applies to one material, or to every material of a category (a product class).
CREATE TABLE quality_standards (
  id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id         uuid NOT NULL REFERENCES tenants (id),
  code              text NOT NULL CHECK (code ~ '^[A-Za-z0-9_.-]{1,64}$'),
  name              text NOT NULL,
  material_id       uuid,
  material_category text,
  status            text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'retired')),
  version           integer NOT NULL DEFAULT 1,
  created_at        timestamptz(3) NOT NULL DEFAULT now(),
  CHECK ((material_id IS NULL) <> (material_category IS NULL)),
  UNIQUE (tenant_id, code),
  UNIQUE (tenant_id, id),
  FOREIGN KEY (tenant_id, material_id) REFERENCES materials (tenant_id, id)
);

-- The items of a standard, fixed with it (a changed standard is a new standard code or version).
CREATE TABLE quality_standard_items (
  tenant_id   uuid NOT NULL REFERENCES tenants (id),
  standard_id uuid NOT NULL,
  item_no     integer NOT NULL CHECK (item_no > 0),
  code        text NOT NULL,
  name        text NOT NULL,
  kind        text NOT NULL CHECK (kind IN ('quantitative', 'qualitative')),
  nominal     numeric,
  lower_limit numeric,
  upper_limit numeric,
  unit        text,
  decimals    integer CHECK (decimals BETWEEN 0 AND 6),
  -- The defect recorded when a qualitative item fails, or a quantitative one is out of its limits.
  defect_code text,
  method      text NOT NULL DEFAULT '',
  instrument  text NOT NULL DEFAULT '',
  PRIMARY KEY (tenant_id, standard_id, item_no),
  UNIQUE (tenant_id, standard_id, code),
  FOREIGN KEY (tenant_id, standard_id) REFERENCES quality_standards (tenant_id, id),
  FOREIGN KEY (tenant_id, defect_code) REFERENCES quality_defect_codes (tenant_id, code),
  CHECK (kind = 'qualitative' OR (unit IS NOT NULL AND decimals IS NOT NULL AND (lower_limit IS NOT NULL OR upper_limit IS NOT NULL)))
);

CREATE TABLE quality_plans (
  id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id         uuid NOT NULL REFERENCES tenants (id),
  code              text NOT NULL CHECK (code ~ '^[A-Za-z0-9_.-]{1,64}$'),
  name              text NOT NULL,
  inspection_type   text NOT NULL CHECK (inspection_type IN ('incoming', 'in_process', 'final', 'first_article', 'patrol')),
  standard_id       uuid NOT NULL,
  -- The items of the standard the plan inspects (codes); all of them when empty.
  item_codes        text[] NOT NULL DEFAULT '{}',
  sampling          text NOT NULL CHECK (sampling IN ('full', 'fixed', 'aql')),
  sample_size       integer CHECK (sample_size > 0),
  accept_number     integer CHECK (accept_number >= 0),
  aql               text,
  inspection_level  text CHECK (inspection_level IN ('S-1', 'S-2', 'S-3', 'S-4', 'I', 'II', 'III')),
  -- Patrol plans: every N hours or N pieces.
  every_hours       numeric CHECK (every_hours > 0),
  every_pieces      integer CHECK (every_pieces > 0),
  status            text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'retired')),
  created_at        timestamptz(3) NOT NULL DEFAULT now(),
  CHECK (sampling <> 'fixed' OR (sample_size IS NOT NULL AND accept_number IS NOT NULL)),
  CHECK (sampling <> 'aql' OR (aql IS NOT NULL AND inspection_level IS NOT NULL)),
  UNIQUE (tenant_id, code),
  UNIQUE (tenant_id, id),
  FOREIGN KEY (tenant_id, standard_id) REFERENCES quality_standards (tenant_id, id)
);

-- Where a supplier's material stands under the AQL switching rules (GB/T 2828.1 9.3).
CREATE TABLE quality_switching_states (
  tenant_id             uuid NOT NULL REFERENCES tenants (id),
  supplier_id           uuid NOT NULL,
  material_id           uuid NOT NULL,
  severity              text NOT NULL CHECK (severity IN ('normal', 'tightened', 'reduced', 'discontinued')),
  recent                boolean[] NOT NULL DEFAULT '{}',
  accepted_run          integer NOT NULL DEFAULT 0,
  tightened_rejections  integer NOT NULL DEFAULT 0,
  score                 integer NOT NULL DEFAULT 0,
  updated_at            timestamptz(3) NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, supplier_id, material_id),
  FOREIGN KEY (tenant_id, supplier_id) REFERENCES partners (tenant_id, id),
  FOREIGN KEY (tenant_id, material_id) REFERENCES materials (tenant_id, id)
);

CREATE TABLE quality_inspections (
  id                   uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id            uuid NOT NULL REFERENCES tenants (id),
  doc_no               text NOT NULL,
  inspection_type      text NOT NULL CHECK (inspection_type IN ('incoming', 'in_process', 'final', 'first_article', 'patrol')),
  plan_id              uuid NOT NULL,
  material_id          uuid NOT NULL,
  source_kind          text NOT NULL CHECK (source_kind IN ('manual', 'purchase_receipt', 'production_order')),
  receipt_id           uuid,
  receipt_line_id      uuid,
  production_order_id  uuid,
  supplier_id          uuid,
  -- Where the lot lies in stock (in-stock lots: quarantine and scrap move it through the ledger).
  warehouse_id         uuid,
  batch_no             text,
  lot_size             numeric NOT NULL CHECK (lot_size > 0),
  severity             text CHECK (severity IN ('normal', 'tightened', 'reduced')),
  code_letter          text,
  sample_size          integer NOT NULL CHECK (sample_size > 0),
  accept_number        integer NOT NULL CHECK (accept_number >= 0),
  reject_number        integer NOT NULL CHECK (reject_number > accept_number),
  status               text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'judged', 'closed')),
  defectives           integer,
  judgement            text CHECK (judgement IN ('good', 'defective', 'scrap')),
  judgement_reason     text,
  judged_by            text,
  judged_at            timestamptz(3),
  -- A review overturning the automatic judgement keeps the original and the reason.
  automatic_judgement  text CHECK (automatic_judgement IN ('good', 'defective', 'scrap')),
  review_reason        text,
  reviewed_by          text,
  reviewed_at          timestamptz(3),
  -- Of the lot: the quantity judged rejected (the whole lot, or the defectives of a full inspection) and what is disposed so far.
  rejected_quantity    numeric,
  disposed_accepted    numeric NOT NULL DEFAULT 0,
  disposed_rejected    numeric NOT NULL DEFAULT 0,
  version              integer NOT NULL DEFAULT 1,
  created_by           text NOT NULL,
  created_at           timestamptz(3) NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, id),
  FOREIGN KEY (tenant_id, plan_id) REFERENCES quality_plans (tenant_id, id),
  FOREIGN KEY (tenant_id, material_id) REFERENCES materials (tenant_id, id),
  FOREIGN KEY (tenant_id, receipt_id) REFERENCES purchase_receipts (tenant_id, id),
  FOREIGN KEY (tenant_id, receipt_line_id) REFERENCES purchase_receipt_lines (tenant_id, id),
  FOREIGN KEY (tenant_id, production_order_id) REFERENCES production_orders (tenant_id, id),
  FOREIGN KEY (tenant_id, supplier_id) REFERENCES partners (tenant_id, id),
  FOREIGN KEY (tenant_id, warehouse_id) REFERENCES warehouses (tenant_id, id)
);
CREATE INDEX quality_inspections_by_created ON quality_inspections (tenant_id, created_at, id);
CREATE INDEX quality_inspections_by_receipt_line ON quality_inspections (tenant_id, receipt_line_id) WHERE receipt_line_id IS NOT NULL;

CREATE TABLE quality_inspection_results (
  tenant_id     uuid NOT NULL REFERENCES tenants (id),
  inspection_id uuid NOT NULL,
  sample_no     integer NOT NULL CHECK (sample_no > 0),
  item_code     text NOT NULL,
  value         numeric,
  passed        boolean NOT NULL,
  defect_code   text,
  recorded_by   text NOT NULL,
  recorded_at   timestamptz(3) NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, inspection_id, sample_no, item_code),
  FOREIGN KEY (tenant_id, inspection_id) REFERENCES quality_inspections (tenant_id, id),
  FOREIGN KEY (tenant_id, defect_code) REFERENCES quality_defect_codes (tenant_id, code)
);

CREATE TABLE quality_dispositions (
  id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id           uuid NOT NULL REFERENCES tenants (id),
  inspection_id       uuid NOT NULL,
  line_no             integer NOT NULL CHECK (line_no > 0),
  kind                text NOT NULL CHECK (kind IN ('accept', 'return', 'quarantine', 'rework', 'concession', 'scrap')),
  quantity            numeric NOT NULL CHECK (quantity > 0),
  warehouse_id        uuid,
  production_order_id uuid,
  approved_by         text,
  reason              text NOT NULL DEFAULT '',
  -- The documents that carried the stock effect: purchasing's inbound or return, or none (ledger source is this row).
  purchase_inbound_id uuid,
  purchase_return_id  uuid,
  created_by          text NOT NULL,
  created_at          timestamptz(3) NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, id),
  FOREIGN KEY (tenant_id, inspection_id) REFERENCES quality_inspections (tenant_id, id),
  FOREIGN KEY (tenant_id, warehouse_id) REFERENCES warehouses (tenant_id, id),
  FOREIGN KEY (tenant_id, production_order_id) REFERENCES production_orders (tenant_id, id),
  FOREIGN KEY (tenant_id, purchase_inbound_id) REFERENCES purchase_inbounds (tenant_id, id),
  FOREIGN KEY (tenant_id, purchase_return_id) REFERENCES purchase_returns (tenant_id, id),
  CHECK (kind <> 'concession' OR approved_by IS NOT NULL),
  CHECK (kind <> 'rework' OR production_order_id IS NOT NULL)
);
CREATE INDEX quality_dispositions_by_inspection ON quality_dispositions (tenant_id, inspection_id);

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['quality_defect_codes', 'quality_standards', 'quality_standard_items', 'quality_plans', 'quality_switching_states',
                           'quality_inspections', 'quality_inspection_results', 'quality_dispositions'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY tenant_isolation ON %I USING (tenant_id = mes_current_tenant()) WITH CHECK (tenant_id = mes_current_tenant())', t);
  END LOOP;
END $$;

GRANT SELECT, INSERT, UPDATE ON quality_defect_codes, quality_standards, quality_plans, quality_switching_states, quality_inspections TO mes_app;
GRANT SELECT, INSERT ON quality_standard_items TO mes_app;
GRANT SELECT, INSERT ON quality_inspection_results, quality_dispositions TO mes_app;
