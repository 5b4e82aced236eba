-- What every business document shares (S1-5.1.5, S1-5.3.5): the tenant's review rules, a history
-- of each approved document's versions, and the outbox its state changes are published from.

-- One row per tenant; absent means the defaults.
CREATE TABLE tenant_settings (
  tenant_id            uuid PRIMARY KEY REFERENCES tenants (id),
  -- Business review (审核): nobody approves a document they created.
  forbid_self_approval boolean NOT NULL DEFAULT false,
  version              integer NOT NULL DEFAULT 1,
  updated_at           timestamptz(3) NOT NULL DEFAULT now()
);

-- A document changed after approval keeps each approved state: version n is what was approved
-- (or changed) as version n, whole, as the API showed it.
CREATE TABLE document_versions (
  tenant_id  uuid NOT NULL REFERENCES tenants (id),
  doc_type   text NOT NULL,
  doc_id     uuid NOT NULL,
  version    integer NOT NULL CHECK (version > 0),
  reason     text NOT NULL DEFAULT '',
  snapshot   jsonb NOT NULL,
  changed_by text NOT NULL,
  changed_at timestamptz(3) NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, doc_type, doc_id, version)
);

-- Transactional outbox: an event row commits with the change it reports. seq is per tenant and
-- taken under outbox_heads' row lock at the very end of the transaction, so a tenant's events
-- become visible in seq order and a consumer reading "after seq N" never skips one that commits late.
CREATE TABLE outbox_heads (
  tenant_id uuid PRIMARY KEY REFERENCES tenants (id),
  last_seq  bigint NOT NULL
);

CREATE TABLE outbox_events (
  tenant_id      uuid NOT NULL REFERENCES tenants (id),
  seq            bigint NOT NULL,
  -- <aggregate>.<what happened>: sales_order.approved, purchase_receipt.posted …
  event_type     text NOT NULL,
  aggregate_type text NOT NULL,
  aggregate_id   uuid NOT NULL,
  payload        jsonb NOT NULL,
  occurred_at    timestamptz(3) NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, seq)
);
CREATE INDEX outbox_events_by_aggregate ON outbox_events (tenant_id, aggregate_type, aggregate_id, seq);

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['tenant_settings', 'document_versions', 'outbox_heads', 'outbox_events'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY tenant_isolation ON %I USING (tenant_id = mes_current_tenant()) WITH CHECK (tenant_id = mes_current_tenant())', t);
  END LOOP;
END $$;

GRANT SELECT, INSERT, UPDATE ON tenant_settings, outbox_heads TO mes_app;
-- History and events are facts: insert-only.
GRANT SELECT, INSERT ON document_versions, outbox_events TO mes_app;
