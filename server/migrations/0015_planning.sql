-- Production planning (S1-5.4.4-e, -k, S1-5.4.1-f, S1-5.4.2-f): planning parameters of materials,
-- recorded MRP runs (inputs, demand, planned orders with their pegging) and kitting allocations.

-- How a material is planned. procurement null: made when it has a manufacturing BOM in effect,
-- bought otherwise. Lead time in calendar days (a bought material without one takes its preferred
-- supplier's). Lot sizing: lot_for_lot (the net requirement of a day), fixed (lots of fixed_lot),
-- min_multiple (at least min_lot, in multiples of lot_multiple).
CREATE TABLE material_planning (
  tenant_id      uuid NOT NULL REFERENCES tenants (id),
  material_id    uuid NOT NULL,
  procurement    text CHECK (procurement IN ('make', 'buy')),
  lead_time_days integer CHECK (lead_time_days BETWEEN 0 AND 3650),
  lot_sizing     text NOT NULL DEFAULT 'lot_for_lot' CHECK (lot_sizing IN ('lot_for_lot', 'fixed', 'min_multiple')),
  fixed_lot      numeric CHECK (fixed_lot > 0),
  min_lot        numeric CHECK (min_lot > 0),
  lot_multiple   numeric CHECK (lot_multiple > 0),
  version        integer NOT NULL DEFAULT 1,
  updated_by     text NOT NULL,
  updated_at     timestamptz(3) NOT NULL DEFAULT now(),
  CHECK (lot_sizing <> 'fixed' OR fixed_lot IS NOT NULL),
  PRIMARY KEY (tenant_id, material_id),
  FOREIGN KEY (tenant_id, material_id) REFERENCES materials (tenant_id, id)
);

-- A run is a fact: what it was asked (inputs), what it read (demand) and what it planned.
-- input_digest and result_digest are SHA-256 of the canonical inputs and results: two runs on the
-- same data have the same result_digest.
CREATE TABLE mrp_runs (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id      uuid NOT NULL REFERENCES tenants (id),
  doc_no         text NOT NULL,
  as_of          date NOT NULL,
  inputs         jsonb NOT NULL,
  input_digest   text NOT NULL,
  result_digest  text NOT NULL,
  material_count integer NOT NULL,
  demand_count   integer NOT NULL,
  planned_count  integer NOT NULL,
  duration_ms    integer NOT NULL,
  created_by     text NOT NULL,
  created_at     timestamptz(3) NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, doc_no),
  UNIQUE (tenant_id, id)
);
CREATE INDEX mrp_runs_by_time ON mrp_runs (tenant_id, created_at);

-- Per material with demand or supply: the netting (base unit). net = what planned orders cover.
CREATE TABLE mrp_run_materials (
  tenant_id    uuid NOT NULL REFERENCES tenants (id),
  run_id       uuid NOT NULL,
  material_id  uuid NOT NULL,
  level        integer NOT NULL,
  procurement  text NOT NULL CHECK (procurement IN ('make', 'buy')),
  gross        numeric NOT NULL,
  on_hand      numeric NOT NULL,
  open_supply  numeric NOT NULL,
  safety_stock numeric NOT NULL,
  net          numeric NOT NULL,
  planned      numeric NOT NULL,
  PRIMARY KEY (tenant_id, run_id, material_id),
  FOREIGN KEY (tenant_id, run_id) REFERENCES mrp_runs (tenant_id, id)
);

-- Every demand element the run netted: independent (sales order lines, tasks, safety stock) and
-- dependent (components of open production orders and of the run's planned orders). Written once,
-- in bulk, by the run that computed them: no foreign key (a check per row would add a third to the
-- time a large run takes to record).
CREATE TABLE mrp_demands (
  tenant_id     uuid NOT NULL REFERENCES tenants (id),
  run_id        uuid NOT NULL,
  seq           integer NOT NULL,
  material_id   uuid NOT NULL,
  due_date      date NOT NULL,
  quantity      numeric NOT NULL CHECK (quantity > 0),
  source        text NOT NULL CHECK (source IN ('sales_order_line', 'task', 'safety_stock', 'production_order', 'planned_order')),
  source_id     uuid,
  source_ref    text NOT NULL,
  mto_no        text,
  parent_line   integer,
  PRIMARY KEY (tenant_id, run_id, seq)
);

-- Planned orders: make (firmed into production orders) or buy (purchase suggestions, firmed into
-- purchase orders). firmed_* name the document once firmed.
CREATE TABLE mrp_planned_orders (
  tenant_id     uuid NOT NULL REFERENCES tenants (id),
  run_id        uuid NOT NULL,
  line_no       integer NOT NULL,
  material_id   uuid NOT NULL,
  kind          text NOT NULL CHECK (kind IN ('make', 'buy')),
  level         integer NOT NULL,
  quantity      numeric NOT NULL CHECK (quantity > 0),
  start_date    date NOT NULL,
  due_date      date NOT NULL,
  late          boolean NOT NULL,
  mto_no        text,
  sales_order_line_id uuid,
  supplier_id   uuid,
  -- Pegging: the demand elements (mrp_demands.seq) it covers and how much of each, in step.
  peg_seqs      integer[] NOT NULL,
  peg_quantities numeric[] NOT NULL,
  firmed_id     uuid,
  firmed_doc_no text,
  firmed_by     text,
  firmed_at     timestamptz(3),
  PRIMARY KEY (tenant_id, run_id, line_no),
  FOREIGN KEY (tenant_id, run_id) REFERENCES mrp_runs (tenant_id, id)
);

-- Kitting (齐套): stock set aside for a released order's component (component base unit). The
-- sum over a material never exceeds its ledger balance: allocations of a material queue on a lock.
CREATE TABLE production_allocations (
  tenant_id    uuid NOT NULL REFERENCES tenants (id),
  component_id uuid NOT NULL,
  order_id     uuid NOT NULL,
  material_id  uuid NOT NULL,
  quantity     numeric NOT NULL CHECK (quantity >= 0),
  updated_by   text NOT NULL,
  updated_at   timestamptz(3) NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, component_id),
  FOREIGN KEY (tenant_id, component_id) REFERENCES production_order_components (tenant_id, id),
  FOREIGN KEY (tenant_id, order_id) REFERENCES production_orders (tenant_id, id),
  FOREIGN KEY (tenant_id, material_id) REFERENCES materials (tenant_id, id)
);
CREATE INDEX production_allocations_by_material ON production_allocations (tenant_id, material_id);

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['material_planning', 'mrp_runs', 'mrp_run_materials', 'mrp_demands', 'mrp_planned_orders', 'production_allocations'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY tenant_isolation ON %I USING (tenant_id = mes_current_tenant()) WITH CHECK (tenant_id = mes_current_tenant())', t);
  END LOOP;
END $$;

GRANT SELECT, INSERT, UPDATE ON material_planning, production_allocations TO mes_app;
-- A run's results are facts; only firming marks a planned order (and numbering names the run).
GRANT SELECT, INSERT ON mrp_run_materials, mrp_demands TO mes_app;
GRANT SELECT, INSERT, UPDATE ON mrp_runs, mrp_planned_orders TO mes_app;
