-- Business partners (S1-5.4.1-a, S1-5.4.2-a): customers and suppliers share one shape, told apart
-- by kind; the sales and purchasing organisations are groups and the people in them.

CREATE TABLE org_groups (
  id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id  uuid NOT NULL REFERENCES tenants (id),
  kind       text NOT NULL CHECK (kind IN ('sales', 'purchasing')),
  code       text NOT NULL,
  name       text NOT NULL,
  created_at timestamptz(3) NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, kind, code),
  UNIQUE (tenant_id, id)
);

CREATE TABLE org_people (
  id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id  uuid NOT NULL REFERENCES tenants (id),
  -- A salesperson belongs to a sales group, a buyer to a purchasing group.
  kind       text NOT NULL CHECK (kind IN ('sales', 'purchasing')),
  code       text NOT NULL,
  name       text NOT NULL,
  group_id   uuid,
  created_at timestamptz(3) NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, kind, code),
  UNIQUE (tenant_id, id),
  FOREIGN KEY (tenant_id, group_id) REFERENCES org_groups (tenant_id, id)
);

CREATE TABLE partners (
  id                      uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id               uuid NOT NULL REFERENCES tenants (id),
  kind                    text NOT NULL CHECK (kind IN ('customer', 'supplier')),
  code                    text NOT NULL,
  name                    text NOT NULL,
  address                 text NOT NULL DEFAULT '',
  tax_number              text,
  -- 统一社会信用代码, validated with its check character before it gets here.
  uscc                    text,
  bank_accounts           jsonb NOT NULL DEFAULT '[]'::jsonb,
  settlement_method       text NOT NULL DEFAULT 'transfer' CHECK (settlement_method IN ('cash', 'transfer', 'acceptance_bill', 'credit')),
  settlement_days         integer NOT NULL DEFAULT 0 CHECK (settlement_days BETWEEN 0 AND 365),
  -- The salesperson (customers) or buyer (suppliers) in charge, and their group.
  person_id               uuid,
  group_id                uuid,
  -- Customers: how far a delivery may exceed the ordered quantity, in percent.
  over_delivery_tolerance numeric NOT NULL DEFAULT 0 CHECK (over_delivery_tolerance BETWEEN 0 AND 100),
  status                  text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'blocked')),
  version                 integer NOT NULL DEFAULT 1,
  created_at              timestamptz(3) NOT NULL DEFAULT now(),
  updated_at              timestamptz(3) NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, kind, code),
  UNIQUE (tenant_id, id),
  FOREIGN KEY (tenant_id, person_id) REFERENCES org_people (tenant_id, id),
  FOREIGN KEY (tenant_id, group_id) REFERENCES org_groups (tenant_id, id)
);
CREATE UNIQUE INDEX partners_one_per_uscc ON partners (tenant_id, kind, uscc) WHERE uscc IS NOT NULL;

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['org_groups', 'org_people', 'partners'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY tenant_isolation ON %I USING (tenant_id = mes_current_tenant()) WITH CHECK (tenant_id = mes_current_tenant())', t);
  END LOOP;
END $$;

GRANT SELECT, INSERT ON org_groups, org_people TO mes_app;
GRANT SELECT, INSERT, UPDATE ON partners TO mes_app;
