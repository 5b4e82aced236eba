-- Purchasing (S1-5.4.2-b … g): what is bought from whom, purchase orders, receiving, the incoming
-- inspection gate, purchase inbounds into stock and purchase returns. Quantities are exact numeric;
-- base_* columns are in the material's base unit. Stock moves only through the ledger
-- (stock_movements with source_type purchase_inbound / purchase_return); received goods waiting for
-- inspection are NOT stock.

-- Which supplier sells which material: the supplier's own code, price, lead time, and the one
-- preferred supplier per material that purchase suggestions order from.
CREATE TABLE supplier_materials (
  id                     uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id              uuid NOT NULL REFERENCES tenants (id),
  supplier_id            uuid NOT NULL,
  material_id            uuid NOT NULL,
  supplier_material_code text,
  price                  numeric CHECK (price >= 0),
  lead_time_days         integer NOT NULL DEFAULT 0 CHECK (lead_time_days BETWEEN 0 AND 3650),
  preferred              boolean NOT NULL DEFAULT false,
  version                integer NOT NULL DEFAULT 1,
  created_at             timestamptz(3) NOT NULL DEFAULT now(),
  updated_at             timestamptz(3) NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, supplier_id, material_id),
  UNIQUE (tenant_id, id),
  FOREIGN KEY (tenant_id, supplier_id) REFERENCES partners (tenant_id, id),
  FOREIGN KEY (tenant_id, material_id) REFERENCES materials (tenant_id, id)
);
CREATE UNIQUE INDEX supplier_materials_one_preferred ON supplier_materials (tenant_id, material_id) WHERE preferred;

CREATE TABLE purchase_orders (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id       uuid NOT NULL REFERENCES tenants (id),
  doc_no          text NOT NULL,
  supplier_id     uuid NOT NULL,
  buyer_id        uuid,
  group_id        uuid,
  demand_source   text NOT NULL DEFAULT 'manual' CHECK (demand_source IN ('manual', 'shortage', 'safety_stock', 'production')),
  demand_ref      text,
  remarks         text NOT NULL DEFAULT '',
  status          text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'approved', 'receiving', 'closed', 'cancelled')),
  version         integer NOT NULL DEFAULT 1,
  created_by      text NOT NULL,
  created_by_user uuid NOT NULL,
  approved_by     text,
  approved_at     timestamptz(3),
  closed_reason   text,
  created_at      timestamptz(3) NOT NULL DEFAULT now(),
  updated_at      timestamptz(3) NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, doc_no),
  UNIQUE (tenant_id, id),
  FOREIGN KEY (tenant_id, supplier_id) REFERENCES partners (tenant_id, id),
  FOREIGN KEY (tenant_id, buyer_id) REFERENCES org_people (tenant_id, id),
  FOREIGN KEY (tenant_id, group_id) REFERENCES org_groups (tenant_id, id)
);
CREATE INDEX purchase_orders_by_supplier ON purchase_orders (tenant_id, supplier_id, created_at);
CREATE INDEX purchase_orders_by_time ON purchase_orders (tenant_id, created_at, id);

-- Order lines are never deleted: a line dropped from an order is marked cancelled. The received,
-- accepted and rejected totals are kept here under the line's row lock, so two receipts against
-- one line cannot pass its tolerance together.
CREATE TABLE purchase_order_lines (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id     uuid NOT NULL,
  order_id      uuid NOT NULL,
  line_no       integer NOT NULL,
  material_id   uuid NOT NULL,
  quantity      numeric NOT NULL CHECK (quantity > 0),
  unit          text NOT NULL,
  base_quantity numeric NOT NULL CHECK (base_quantity > 0),
  price         numeric CHECK (price >= 0),
  tax_rate      numeric CHECK (tax_rate >= 0 AND tax_rate <= 100),
  needed_by     date,
  mto_number    text,
  features      jsonb NOT NULL DEFAULT '{}'::jsonb,
  cancelled     boolean NOT NULL DEFAULT false,
  received_base numeric NOT NULL DEFAULT 0,
  accepted_base numeric NOT NULL DEFAULT 0,
  rejected_base numeric NOT NULL DEFAULT 0,
  UNIQUE (tenant_id, order_id, line_no),
  UNIQUE (tenant_id, id),
  FOREIGN KEY (tenant_id, order_id) REFERENCES purchase_orders (tenant_id, id),
  FOREIGN KEY (tenant_id, material_id) REFERENCES materials (tenant_id, id),
  FOREIGN KEY (tenant_id, unit) REFERENCES units (tenant_id, code)
);
CREATE INDEX purchase_order_lines_by_material ON purchase_order_lines (tenant_id, material_id);

CREATE TABLE purchase_receipts (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id       uuid NOT NULL REFERENCES tenants (id),
  doc_no          text NOT NULL,
  order_id        uuid NOT NULL,
  supplier_id     uuid NOT NULL,
  status          text NOT NULL DEFAULT 'pending_inspection' CHECK (status IN ('pending_inspection', 'inspected')),
  remarks         text NOT NULL DEFAULT '',
  created_by      text NOT NULL,
  created_by_user uuid NOT NULL,
  created_at      timestamptz(3) NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, doc_no),
  UNIQUE (tenant_id, id),
  FOREIGN KEY (tenant_id, order_id) REFERENCES purchase_orders (tenant_id, id),
  FOREIGN KEY (tenant_id, supplier_id) REFERENCES partners (tenant_id, id)
);
CREATE INDEX purchase_receipts_by_order ON purchase_receipts (tenant_id, order_id);
CREATE INDEX purchase_receipts_pending ON purchase_receipts (tenant_id, created_at) WHERE status = 'pending_inspection';

-- A serial-tracked material is received one piece per line, each with its serial.
CREATE TABLE purchase_receipt_lines (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id       uuid NOT NULL,
  receipt_id      uuid NOT NULL,
  line_no         integer NOT NULL,
  order_line_id   uuid NOT NULL,
  material_id     uuid NOT NULL,
  quantity        numeric NOT NULL CHECK (quantity > 0),
  unit            text NOT NULL,
  base_quantity   numeric NOT NULL CHECK (base_quantity > 0),
  accepted_base   numeric NOT NULL DEFAULT 0 CHECK (accepted_base >= 0),
  rejected_base   numeric NOT NULL DEFAULT 0 CHECK (rejected_base >= 0),
  batch_no        text,
  serial_no       text,
  supplier_batch  text,
  production_date date,
  expiry_date     date,
  CHECK (accepted_base + rejected_base <= base_quantity),
  UNIQUE (tenant_id, receipt_id, line_no),
  UNIQUE (tenant_id, id),
  FOREIGN KEY (tenant_id, receipt_id) REFERENCES purchase_receipts (tenant_id, id),
  FOREIGN KEY (tenant_id, order_line_id) REFERENCES purchase_order_lines (tenant_id, id),
  FOREIGN KEY (tenant_id, material_id) REFERENCES materials (tenant_id, id)
);
CREATE INDEX purchase_receipt_lines_by_order_line ON purchase_receipt_lines (tenant_id, order_line_id);

CREATE TABLE purchase_inbounds (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id   uuid NOT NULL REFERENCES tenants (id),
  doc_no      text NOT NULL,
  receipt_id  uuid NOT NULL,
  order_id    uuid NOT NULL,
  supplier_id uuid NOT NULL,
  created_by  text NOT NULL,
  created_at  timestamptz(3) NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, doc_no),
  UNIQUE (tenant_id, id),
  FOREIGN KEY (tenant_id, receipt_id) REFERENCES purchase_receipts (tenant_id, id),
  FOREIGN KEY (tenant_id, order_id) REFERENCES purchase_orders (tenant_id, id),
  FOREIGN KEY (tenant_id, supplier_id) REFERENCES partners (tenant_id, id)
);

-- returned_base grows, under the line's row lock, as returns take goods back to the supplier.
CREATE TABLE purchase_inbound_lines (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id       uuid NOT NULL,
  inbound_id      uuid NOT NULL,
  line_no         integer NOT NULL,
  receipt_line_id uuid NOT NULL,
  order_line_id   uuid NOT NULL,
  material_id     uuid NOT NULL,
  base_quantity   numeric NOT NULL CHECK (base_quantity > 0),
  warehouse_id    uuid NOT NULL,
  bin_id          uuid,
  batch_no        text,
  serial_no       text,
  returned_base   numeric NOT NULL DEFAULT 0 CHECK (returned_base >= 0 AND returned_base <= base_quantity),
  UNIQUE (tenant_id, inbound_id, line_no),
  UNIQUE (tenant_id, id),
  FOREIGN KEY (tenant_id, inbound_id) REFERENCES purchase_inbounds (tenant_id, id),
  FOREIGN KEY (tenant_id, receipt_line_id) REFERENCES purchase_receipt_lines (tenant_id, id),
  FOREIGN KEY (tenant_id, order_line_id) REFERENCES purchase_order_lines (tenant_id, id),
  FOREIGN KEY (tenant_id, material_id) REFERENCES materials (tenant_id, id),
  FOREIGN KEY (tenant_id, warehouse_id) REFERENCES warehouses (tenant_id, id),
  FOREIGN KEY (tenant_id, bin_id) REFERENCES bins (tenant_id, id)
);

-- source_kind: 'inbound' (goods taken back out of stock), 'receipt' (rejected at incoming
-- inspection: never in stock, no movement) or 'none' (no source document).
CREATE TABLE purchase_returns (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id   uuid NOT NULL REFERENCES tenants (id),
  doc_no      text NOT NULL,
  source_kind text NOT NULL CHECK (source_kind IN ('inbound', 'receipt', 'none')),
  source_id   uuid,
  order_id    uuid,
  supplier_id uuid NOT NULL,
  reason      text NOT NULL DEFAULT '',
  created_by  text NOT NULL,
  created_at  timestamptz(3) NOT NULL DEFAULT now(),
  CHECK ((source_kind = 'none') = (source_id IS NULL)),
  UNIQUE (tenant_id, doc_no),
  UNIQUE (tenant_id, id),
  FOREIGN KEY (tenant_id, order_id) REFERENCES purchase_orders (tenant_id, id),
  FOREIGN KEY (tenant_id, supplier_id) REFERENCES partners (tenant_id, id)
);

CREATE TABLE purchase_return_lines (
  tenant_id      uuid NOT NULL,
  return_id      uuid NOT NULL,
  line_no        integer NOT NULL,
  source_line_id uuid,
  order_line_id  uuid,
  material_id    uuid NOT NULL,
  quantity       numeric NOT NULL CHECK (quantity > 0),
  unit           text NOT NULL,
  base_quantity  numeric NOT NULL CHECK (base_quantity > 0),
  warehouse_id   uuid,
  bin_id         uuid,
  batch_no       text,
  serial_no      text,
  PRIMARY KEY (tenant_id, return_id, line_no),
  FOREIGN KEY (tenant_id, return_id) REFERENCES purchase_returns (tenant_id, id),
  FOREIGN KEY (tenant_id, order_line_id) REFERENCES purchase_order_lines (tenant_id, id),
  FOREIGN KEY (tenant_id, material_id) REFERENCES materials (tenant_id, id),
  FOREIGN KEY (tenant_id, warehouse_id) REFERENCES warehouses (tenant_id, id),
  FOREIGN KEY (tenant_id, bin_id) REFERENCES bins (tenant_id, id)
);
CREATE INDEX purchase_return_lines_by_order_line ON purchase_return_lines (tenant_id, order_line_id) WHERE order_line_id IS NOT NULL;

-- One record per receipt line and inspection (the quality module will extend it).
CREATE TABLE incoming_inspections (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id       uuid NOT NULL REFERENCES tenants (id),
  receipt_id      uuid NOT NULL,
  receipt_line_id uuid NOT NULL,
  accepted_base   numeric NOT NULL CHECK (accepted_base >= 0),
  rejected_base   numeric NOT NULL CHECK (rejected_base >= 0),
  inspector       text NOT NULL,
  remarks         text NOT NULL DEFAULT '',
  inbound_id      uuid,
  return_id       uuid,
  created_by      text NOT NULL,
  created_at      timestamptz(3) NOT NULL DEFAULT now(),
  CHECK (accepted_base + rejected_base > 0),
  UNIQUE (tenant_id, id),
  FOREIGN KEY (tenant_id, receipt_id) REFERENCES purchase_receipts (tenant_id, id),
  FOREIGN KEY (tenant_id, receipt_line_id) REFERENCES purchase_receipt_lines (tenant_id, id),
  FOREIGN KEY (tenant_id, inbound_id) REFERENCES purchase_inbounds (tenant_id, id),
  FOREIGN KEY (tenant_id, return_id) REFERENCES purchase_returns (tenant_id, id)
);
CREATE INDEX incoming_inspections_by_receipt ON incoming_inspections (tenant_id, receipt_id);

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['supplier_materials', 'purchase_orders', 'purchase_order_lines', 'purchase_receipts', 'purchase_receipt_lines',
                           'purchase_inbounds', 'purchase_inbound_lines', 'purchase_returns', 'purchase_return_lines', 'incoming_inspections'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY tenant_isolation ON %I USING (tenant_id = mes_current_tenant()) WITH CHECK (tenant_id = mes_current_tenant())', t);
  END LOOP;
END $$;

-- Documents change state (and take their number last, in the same transaction); lines keep running
-- totals. Returns and inspection records are facts: insert-only. Nothing is deleted.
GRANT SELECT, INSERT, UPDATE ON supplier_materials, purchase_orders, purchase_order_lines, purchase_receipts, purchase_receipt_lines,
  purchase_inbounds, purchase_inbound_lines, purchase_returns TO mes_app;
GRANT SELECT, INSERT ON purchase_return_lines, incoming_inspections TO mes_app;
