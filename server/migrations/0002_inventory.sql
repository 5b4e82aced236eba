-- Master data and the stock ledger (S1-5.4.3, S1-5.4.4-a).
--
-- Quantities are numeric, exact; the API speaks them as decimal strings. Stock is the sum of
-- immutable movements; stock_balances is that sum kept per (material, warehouse, bin, batch,
-- serial) in the same transaction as each movement, with the row lock of its upsert serialising
-- concurrent postings to one balance.

CREATE TABLE units (
  tenant_id  uuid NOT NULL REFERENCES tenants (id),
  code       text NOT NULL,
  name       text NOT NULL,
  -- How many decimals a quantity in this unit may have; 0 makes it a whole-number unit.
  decimals   smallint NOT NULL CHECK (decimals BETWEEN 0 AND 6),
  rounding   text NOT NULL DEFAULT 'half_up' CHECK (rounding IN ('half_up', 'half_even', 'up', 'down')),
  created_at timestamptz(3) NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, code)
);

CREATE TABLE features (
  id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id  uuid NOT NULL REFERENCES tenants (id),
  code       text NOT NULL,
  name       text NOT NULL,
  -- [{"code": "RED", "name": "Red"}, …]: the values a variant may take.
  "values"   jsonb NOT NULL,
  created_at timestamptz(3) NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, code)
);

-- One engine numbers materials, variants, batches, serials and documents.
CREATE TABLE coding_rules (
  tenant_id   uuid NOT NULL REFERENCES tenants (id),
  code        text NOT NULL,
  description text NOT NULL DEFAULT '',
  -- Literal text and tokens: {yyyy} {yy} {mm} {dd} {seq:N} {material} {feature:CODE}.
  pattern     text NOT NULL,
  reset       text NOT NULL DEFAULT 'never' CHECK (reset IN ('never', 'yearly', 'monthly', 'daily')),
  created_at  timestamptz(3) NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, code)
);

CREATE TABLE coding_sequences (
  tenant_id  uuid NOT NULL,
  rule_code  text NOT NULL,
  period     text NOT NULL,
  last_value bigint NOT NULL,
  PRIMARY KEY (tenant_id, rule_code, period),
  FOREIGN KEY (tenant_id, rule_code) REFERENCES coding_rules (tenant_id, code)
);

CREATE TABLE materials (
  id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id          uuid NOT NULL REFERENCES tenants (id),
  code               text NOT NULL,
  name               text NOT NULL,
  specification      text NOT NULL DEFAULT '',
  category           text NOT NULL DEFAULT '',
  base_unit          text NOT NULL,
  purchase_unit      text,
  sales_unit         text,
  stock_unit         text,
  production_unit    text,
  tracking           text NOT NULL DEFAULT 'none' CHECK (tracking IN ('none', 'batch', 'serial')),
  track_expiry       boolean NOT NULL DEFAULT false,
  -- Production parameters (S1-5.4.4-a).
  issue_type         text NOT NULL DEFAULT 'manual' CHECK (issue_type IN ('manual', 'backflush')),
  include_in_kitting boolean NOT NULL DEFAULT true,
  default_routing    text,
  -- Variants (S1-5.4.3-d): a template names its variant features and coding rule; a variant
  -- points at its template and carries one value per feature.
  variant_of         uuid,
  variant_features   text[] NOT NULL DEFAULT '{}',
  variant_rule       text,
  feature_values     jsonb NOT NULL DEFAULT '{}'::jsonb,
  status             text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'blocked')),
  version            integer NOT NULL DEFAULT 1,
  created_at         timestamptz(3) NOT NULL DEFAULT now(),
  updated_at         timestamptz(3) NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, code),
  UNIQUE (tenant_id, id),
  FOREIGN KEY (tenant_id, base_unit) REFERENCES units (tenant_id, code),
  FOREIGN KEY (tenant_id, purchase_unit) REFERENCES units (tenant_id, code),
  FOREIGN KEY (tenant_id, sales_unit) REFERENCES units (tenant_id, code),
  FOREIGN KEY (tenant_id, stock_unit) REFERENCES units (tenant_id, code),
  FOREIGN KEY (tenant_id, production_unit) REFERENCES units (tenant_id, code),
  FOREIGN KEY (tenant_id, variant_of) REFERENCES materials (tenant_id, id),
  FOREIGN KEY (tenant_id, variant_rule) REFERENCES coding_rules (tenant_id, code)
);
CREATE UNIQUE INDEX materials_one_variant_per_values ON materials (tenant_id, variant_of, feature_values) WHERE variant_of IS NOT NULL;

-- 1 from_unit = factor to_unit; global when material_id is null, per material otherwise.
CREATE TABLE unit_conversions (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id   uuid NOT NULL REFERENCES tenants (id),
  material_id uuid,
  from_unit   text NOT NULL,
  to_unit     text NOT NULL,
  factor      numeric NOT NULL CHECK (factor > 0),
  created_at  timestamptz(3) NOT NULL DEFAULT now(),
  UNIQUE NULLS NOT DISTINCT (tenant_id, material_id, from_unit, to_unit),
  FOREIGN KEY (tenant_id, material_id) REFERENCES materials (tenant_id, id),
  FOREIGN KEY (tenant_id, from_unit) REFERENCES units (tenant_id, code),
  FOREIGN KEY (tenant_id, to_unit) REFERENCES units (tenant_id, code),
  CHECK (from_unit <> to_unit)
);

CREATE TABLE warehouses (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id      uuid NOT NULL REFERENCES tenants (id),
  code           text NOT NULL,
  name           text NOT NULL,
  kind           text NOT NULL DEFAULT 'normal' CHECK (kind IN ('normal', 'quarantine', 'wip')),
  allow_negative boolean NOT NULL DEFAULT false,
  status         text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'blocked')),
  version        integer NOT NULL DEFAULT 1,
  created_at     timestamptz(3) NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, code),
  UNIQUE (tenant_id, id)
);

CREATE TABLE bins (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id    uuid NOT NULL,
  warehouse_id uuid NOT NULL,
  code         text NOT NULL,
  name         text NOT NULL DEFAULT '',
  created_at   timestamptz(3) NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, warehouse_id, code),
  UNIQUE (tenant_id, id),
  FOREIGN KEY (tenant_id, warehouse_id) REFERENCES warehouses (tenant_id, id)
);

CREATE TABLE batches (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id       uuid NOT NULL,
  material_id     uuid NOT NULL,
  batch_no        text NOT NULL,
  production_date date,
  expiry_date     date,
  supplier_batch  text,
  received_at     timestamptz(3) NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, material_id, batch_no),
  UNIQUE (tenant_id, id),
  FOREIGN KEY (tenant_id, material_id) REFERENCES materials (tenant_id, id)
);

CREATE TABLE serials (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id   uuid NOT NULL,
  material_id uuid NOT NULL,
  serial_no   text NOT NULL,
  batch_id    uuid,
  created_at  timestamptz(3) NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, material_id, serial_no),
  UNIQUE (tenant_id, id),
  FOREIGN KEY (tenant_id, material_id) REFERENCES materials (tenant_id, id),
  FOREIGN KEY (tenant_id, batch_id) REFERENCES batches (tenant_id, id)
);

CREATE TABLE stock_movements (
  id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  tenant_id        uuid NOT NULL,
  movement_type    text NOT NULL CHECK (movement_type IN (
                     'purchase_in', 'purchase_return', 'sales_out', 'sales_return', 'issue', 'return',
                     'production_in', 'transfer_out', 'transfer_in', 'count_gain', 'count_loss', 'other_in', 'other_out')),
  material_id      uuid NOT NULL,
  warehouse_id     uuid NOT NULL,
  bin_id           uuid,
  batch_id         uuid,
  serial_id        uuid,
  -- Signed, in the material's base unit: receipts positive, issues negative.
  quantity         numeric NOT NULL CHECK (quantity <> 0),
  entered_quantity numeric NOT NULL,
  entered_unit     text NOT NULL,
  source_type      text NOT NULL,
  source_id        uuid NOT NULL,
  source_line      integer NOT NULL,
  occurred_at      timestamptz(3) NOT NULL DEFAULT now(),
  posted_by        text NOT NULL,
  FOREIGN KEY (tenant_id, material_id) REFERENCES materials (tenant_id, id),
  FOREIGN KEY (tenant_id, warehouse_id) REFERENCES warehouses (tenant_id, id),
  FOREIGN KEY (tenant_id, bin_id) REFERENCES bins (tenant_id, id),
  FOREIGN KEY (tenant_id, batch_id) REFERENCES batches (tenant_id, id),
  FOREIGN KEY (tenant_id, serial_id) REFERENCES serials (tenant_id, id)
);
CREATE INDEX stock_movements_by_material_time ON stock_movements (tenant_id, material_id, occurred_at);
CREATE INDEX stock_movements_by_time ON stock_movements (tenant_id, occurred_at);
CREATE INDEX stock_movements_by_source ON stock_movements (tenant_id, source_type, source_id);
CREATE INDEX stock_movements_by_serial ON stock_movements (tenant_id, serial_id) WHERE serial_id IS NOT NULL;

CREATE FUNCTION mes_ledger_is_append_only() RETURNS trigger
  LANGUAGE plpgsql
  AS $$ BEGIN RAISE EXCEPTION 'stock_movements is append-only: correct with a compensating movement' USING ERRCODE = 'insufficient_privilege'; END $$;
CREATE TRIGGER stock_movements_append_only BEFORE UPDATE OR DELETE ON stock_movements
  FOR EACH ROW EXECUTE FUNCTION mes_ledger_is_append_only();

CREATE TABLE stock_balances (
  tenant_id    uuid NOT NULL,
  material_id  uuid NOT NULL,
  warehouse_id uuid NOT NULL,
  bin_id       uuid,
  batch_id     uuid,
  serial_id    uuid,
  quantity     numeric NOT NULL,
  updated_at   timestamptz(3) NOT NULL DEFAULT now(),
  CONSTRAINT stock_balances_key UNIQUE NULLS NOT DISTINCT (tenant_id, material_id, warehouse_id, bin_id, batch_id, serial_id),
  FOREIGN KEY (tenant_id, material_id) REFERENCES materials (tenant_id, id),
  FOREIGN KEY (tenant_id, warehouse_id) REFERENCES warehouses (tenant_id, id)
);
CREATE INDEX stock_balances_by_warehouse ON stock_balances (tenant_id, warehouse_id, material_id);

CREATE TABLE safety_stocks (
  tenant_id    uuid NOT NULL,
  material_id  uuid NOT NULL,
  -- Null: across all warehouses.
  warehouse_id uuid,
  quantity     numeric NOT NULL CHECK (quantity >= 0),
  CONSTRAINT safety_stocks_key UNIQUE NULLS NOT DISTINCT (tenant_id, material_id, warehouse_id),
  FOREIGN KEY (tenant_id, material_id) REFERENCES materials (tenant_id, id),
  FOREIGN KEY (tenant_id, warehouse_id) REFERENCES warehouses (tenant_id, id)
);

-- Other in/out, transfers and backflush transfers (S1-5.4.3-a, S1-5.4.3-c).
CREATE TABLE stock_documents (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id    uuid NOT NULL REFERENCES tenants (id),
  doc_no       text NOT NULL,
  doc_type     text NOT NULL CHECK (doc_type IN ('other_in', 'other_out', 'transfer', 'backflush_transfer')),
  status       text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'posted')),
  reason       text NOT NULL DEFAULT '',
  -- A posted document is corrected only by a compensating document that reverses it.
  reverses_id  uuid UNIQUE,
  created_by   text NOT NULL,
  posted_by    text,
  posted_at    timestamptz(3),
  version      integer NOT NULL DEFAULT 1,
  created_at   timestamptz(3) NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, doc_no),
  UNIQUE (tenant_id, id),
  FOREIGN KEY (tenant_id, reverses_id) REFERENCES stock_documents (tenant_id, id)
);

CREATE TABLE stock_document_lines (
  tenant_id        uuid NOT NULL,
  document_id      uuid NOT NULL,
  line_no          integer NOT NULL,
  material_id      uuid NOT NULL,
  quantity         numeric NOT NULL CHECK (quantity > 0),
  unit             text NOT NULL,
  base_quantity    numeric NOT NULL CHECK (base_quantity > 0),
  warehouse_id     uuid NOT NULL,
  bin_id           uuid,
  to_warehouse_id  uuid,
  to_bin_id        uuid,
  batch_no         text,
  serial_no        text,
  production_date  date,
  expiry_date      date,
  supplier_batch   text,
  PRIMARY KEY (tenant_id, document_id, line_no),
  FOREIGN KEY (tenant_id, document_id) REFERENCES stock_documents (tenant_id, id),
  FOREIGN KEY (tenant_id, material_id) REFERENCES materials (tenant_id, id),
  FOREIGN KEY (tenant_id, warehouse_id) REFERENCES warehouses (tenant_id, id),
  FOREIGN KEY (tenant_id, bin_id) REFERENCES bins (tenant_id, id),
  FOREIGN KEY (tenant_id, to_warehouse_id) REFERENCES warehouses (tenant_id, id),
  FOREIGN KEY (tenant_id, to_bin_id) REFERENCES bins (tenant_id, id)
);

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['units', 'features', 'coding_rules', 'coding_sequences', 'materials', 'unit_conversions', 'warehouses',
                           'bins', 'batches', 'serials', 'stock_movements', 'stock_balances', 'safety_stocks', 'stock_documents',
                           'stock_document_lines'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY tenant_isolation ON %I USING (tenant_id = mes_current_tenant()) WITH CHECK (tenant_id = mes_current_tenant())', t);
  END LOOP;
END $$;

-- What the code does and no more: master data is never deleted (it is referenced by the ledger),
-- the ledger and document lines are never changed.
GRANT SELECT, INSERT ON units, unit_conversions, bins, batches, serials, stock_movements, stock_document_lines TO mes_app;
GRANT SELECT, INSERT, UPDATE ON features, materials, warehouses, safety_stocks, coding_rules, coding_sequences, stock_balances, stock_documents TO mes_app;
