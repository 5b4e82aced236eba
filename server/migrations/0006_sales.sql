-- Sales (S1-5.4.1-b to -g): orders with versions after approval, delivery plans many-to-many with
-- order lines, sales outbounds from a plan and sales returns, both posting to the stock ledger.
-- Quantities: what was entered (quantity, unit) and its exact base-unit value (base_quantity).
-- Running totals (planned, shipped, returned) live on the lines and change only under the order
-- lines' row locks (SELECT … FOR UPDATE in id order), so two shipments cannot over-ship a line.

CREATE TABLE sales_orders (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id       uuid NOT NULL REFERENCES tenants (id),
  doc_no          text NOT NULL,
  customer_id     uuid NOT NULL,
  order_date      date NOT NULL DEFAULT current_date,
  status          text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'approved', 'in_delivery', 'closed', 'cancelled')),
  remark          text NOT NULL DEFAULT '',
  version         integer NOT NULL DEFAULT 1,
  created_by      text NOT NULL,
  created_by_user uuid NOT NULL,
  approved_by     text,
  approved_at     timestamptz(3),
  closed_at       timestamptz(3),
  close_reason    text,
  created_at      timestamptz(3) NOT NULL DEFAULT now(),
  updated_at      timestamptz(3) NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, doc_no),
  UNIQUE (tenant_id, id),
  FOREIGN KEY (tenant_id, customer_id) REFERENCES partners (tenant_id, id)
);
CREATE INDEX sales_orders_by_customer ON sales_orders (tenant_id, customer_id, created_at);
CREATE INDEX sales_orders_by_status ON sales_orders (tenant_id, status, created_at);

CREATE TABLE sales_order_lines (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id     uuid NOT NULL REFERENCES tenants (id),
  order_id      uuid NOT NULL,
  line_no       integer NOT NULL CHECK (line_no > 0),
  material_id   uuid NOT NULL,
  quantity      numeric NOT NULL CHECK (quantity > 0),
  unit          text NOT NULL,
  base_quantity numeric NOT NULL CHECK (base_quantity > 0),
  -- Per `unit`, before tax; tax_rate in percent.
  price         numeric NOT NULL CHECK (price >= 0),
  tax_rate      numeric NOT NULL CHECK (tax_rate >= 0),
  net_amount    numeric NOT NULL,
  tax_amount    numeric NOT NULL,
  gross_amount  numeric NOT NULL,
  delivery_date date NOT NULL,
  shipped_base  numeric NOT NULL DEFAULT 0,
  returned_base numeric NOT NULL DEFAULT 0,
  UNIQUE (tenant_id, order_id, line_no),
  UNIQUE (tenant_id, id),
  FOREIGN KEY (tenant_id, order_id) REFERENCES sales_orders (tenant_id, id),
  FOREIGN KEY (tenant_id, material_id) REFERENCES materials (tenant_id, id)
);
CREATE INDEX sales_order_lines_by_material ON sales_order_lines (tenant_id, material_id);

CREATE TABLE delivery_plans (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id       uuid NOT NULL REFERENCES tenants (id),
  doc_no          text NOT NULL,
  customer_id     uuid NOT NULL,
  status          text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'partially_shipped', 'shipped', 'cancelled')),
  -- The latest plan: what the delivery documents show.
  planned_date    date NOT NULL,
  address         text NOT NULL DEFAULT '',
  consignee_name  text NOT NULL DEFAULT '',
  consignee_phone text NOT NULL DEFAULT '',
  remark          text NOT NULL DEFAULT '',
  version         integer NOT NULL DEFAULT 1,
  created_by      text NOT NULL,
  created_by_user uuid NOT NULL,
  created_at      timestamptz(3) NOT NULL DEFAULT now(),
  updated_at      timestamptz(3) NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, doc_no),
  UNIQUE (tenant_id, id),
  FOREIGN KEY (tenant_id, customer_id) REFERENCES partners (tenant_id, id)
);

CREATE TABLE delivery_plan_lines (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id     uuid NOT NULL REFERENCES tenants (id),
  plan_id       uuid NOT NULL,
  line_no       integer NOT NULL CHECK (line_no > 0),
  order_line_id uuid NOT NULL,
  quantity      numeric NOT NULL CHECK (quantity > 0),
  unit          text NOT NULL,
  base_quantity numeric NOT NULL CHECK (base_quantity > 0),
  shipped_base  numeric NOT NULL DEFAULT 0,
  UNIQUE (tenant_id, plan_id, line_no),
  UNIQUE (tenant_id, plan_id, order_line_id),
  UNIQUE (tenant_id, id),
  FOREIGN KEY (tenant_id, plan_id) REFERENCES delivery_plans (tenant_id, id),
  FOREIGN KEY (tenant_id, order_line_id) REFERENCES sales_order_lines (tenant_id, id)
);
CREATE INDEX delivery_plan_lines_by_order_line ON delivery_plan_lines (tenant_id, order_line_id);

CREATE TABLE sales_outbounds (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id       uuid NOT NULL REFERENCES tenants (id),
  doc_no          text NOT NULL,
  plan_id         uuid NOT NULL,
  customer_id     uuid NOT NULL,
  warehouse_id    uuid NOT NULL,
  status          text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'posted')),
  created_by      text NOT NULL,
  created_by_user uuid NOT NULL,
  posted_by       text,
  posted_at       timestamptz(3),
  created_at      timestamptz(3) NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, doc_no),
  UNIQUE (tenant_id, id),
  FOREIGN KEY (tenant_id, plan_id) REFERENCES delivery_plans (tenant_id, id),
  FOREIGN KEY (tenant_id, customer_id) REFERENCES partners (tenant_id, id),
  FOREIGN KEY (tenant_id, warehouse_id) REFERENCES warehouses (tenant_id, id)
);
CREATE INDEX sales_outbounds_by_plan ON sales_outbounds (tenant_id, plan_id);

CREATE TABLE sales_outbound_lines (
  tenant_id     uuid NOT NULL REFERENCES tenants (id),
  outbound_id   uuid NOT NULL,
  line_no       integer NOT NULL CHECK (line_no > 0),
  plan_line_id  uuid NOT NULL,
  material_id   uuid NOT NULL,
  quantity      numeric NOT NULL CHECK (quantity > 0),
  unit          text NOT NULL,
  base_quantity numeric NOT NULL CHECK (base_quantity > 0),
  warehouse_id  uuid NOT NULL,
  bin_id        uuid,
  batch_no      text,
  serial_no     text,
  -- How the line was filled: the FIFO suggestion, a scan, or by hand.
  origin        text NOT NULL CHECK (origin IN ('fifo', 'scan', 'manual')),
  returned_base numeric NOT NULL DEFAULT 0,
  PRIMARY KEY (tenant_id, outbound_id, line_no),
  FOREIGN KEY (tenant_id, outbound_id) REFERENCES sales_outbounds (tenant_id, id),
  FOREIGN KEY (tenant_id, plan_line_id) REFERENCES delivery_plan_lines (tenant_id, id),
  FOREIGN KEY (tenant_id, material_id) REFERENCES materials (tenant_id, id),
  FOREIGN KEY (tenant_id, warehouse_id) REFERENCES warehouses (tenant_id, id),
  FOREIGN KEY (tenant_id, bin_id) REFERENCES bins (tenant_id, id)
);

CREATE TABLE sales_returns (
  id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id          uuid NOT NULL REFERENCES tenants (id),
  doc_no             text NOT NULL,
  customer_id        uuid NOT NULL,
  source_outbound_id uuid,
  warehouse_id       uuid NOT NULL,
  reason_code        text NOT NULL CHECK (reason_code IN ('demand_change', 'failed_inspection', 'other')),
  reason             text NOT NULL DEFAULT '',
  status             text NOT NULL DEFAULT 'posted' CHECK (status IN ('posted')),
  created_by         text NOT NULL,
  created_by_user    uuid NOT NULL,
  created_at         timestamptz(3) NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, doc_no),
  UNIQUE (tenant_id, id),
  FOREIGN KEY (tenant_id, customer_id) REFERENCES partners (tenant_id, id),
  FOREIGN KEY (tenant_id, source_outbound_id) REFERENCES sales_outbounds (tenant_id, id),
  FOREIGN KEY (tenant_id, warehouse_id) REFERENCES warehouses (tenant_id, id)
);

CREATE TABLE sales_return_lines (
  tenant_id        uuid NOT NULL REFERENCES tenants (id),
  return_id        uuid NOT NULL,
  line_no          integer NOT NULL CHECK (line_no > 0),
  outbound_line_no integer,
  order_line_id    uuid,
  material_id      uuid NOT NULL,
  quantity         numeric NOT NULL CHECK (quantity > 0),
  unit             text NOT NULL,
  base_quantity    numeric NOT NULL CHECK (base_quantity > 0),
  bin_id           uuid,
  batch_no         text,
  serial_no        text,
  PRIMARY KEY (tenant_id, return_id, line_no),
  FOREIGN KEY (tenant_id, return_id) REFERENCES sales_returns (tenant_id, id),
  FOREIGN KEY (tenant_id, order_line_id) REFERENCES sales_order_lines (tenant_id, id),
  FOREIGN KEY (tenant_id, material_id) REFERENCES materials (tenant_id, id),
  FOREIGN KEY (tenant_id, bin_id) REFERENCES bins (tenant_id, id)
);

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['sales_orders', 'sales_order_lines', 'delivery_plans', 'delivery_plan_lines', 'sales_outbounds', 'sales_outbound_lines',
                           'sales_returns', 'sales_return_lines'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY tenant_isolation ON %I USING (tenant_id = mes_current_tenant()) WITH CHECK (tenant_id = mes_current_tenant())', t);
  END LOOP;
END $$;

GRANT SELECT, INSERT, UPDATE ON sales_orders, delivery_plans, sales_outbounds, sales_outbound_lines TO mes_app;
-- Lines of a draft order or an open plan are replaced when it is edited (approved states are kept
-- in document_versions); a line that a plan or shipment refers to cannot go (foreign keys).
GRANT SELECT, INSERT, UPDATE, DELETE ON sales_order_lines, delivery_plan_lines TO mes_app;
-- A posted return is a fact: its lines are insert-only; the header is updated once, in the same
-- transaction, to take its document number last (the sequence lock is held to commit).
GRANT SELECT, INSERT, UPDATE ON sales_returns TO mes_app;
GRANT SELECT, INSERT ON sales_return_lines TO mes_app;
