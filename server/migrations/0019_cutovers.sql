-- Go-live cutover (S1-7.2, S1-7.3): one record per cutover of a tenant, its ordered steps and
-- readiness checks with who ran them, when, for how long and with what result, and the backup
-- point taken before the trial data is cleaned, so a rollback restores the tenant exactly.
--
-- While a cutover is frozen the request pipeline refuses the tenant's writes (423 TENANT_FROZEN)
-- except the cutover's own; at most one cutover of a tenant is open (planned, running or failed).

CREATE TABLE cutovers (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id       uuid NOT NULL REFERENCES tenants (id),
  status          text NOT NULL CHECK (status IN ('planned', 'running', 'failed', 'completed', 'rolled_back')),
  frozen          boolean NOT NULL DEFAULT false,
  note            text,
  planned_by      text NOT NULL,
  backup          jsonb,
  backup_manifest jsonb,
  reconciliation  jsonb,
  rollback        jsonb,
  go_live_at      timestamptz(3),
  created_at      timestamptz(3) NOT NULL DEFAULT now(),
  updated_at      timestamptz(3) NOT NULL DEFAULT now(),
  finished_at     timestamptz(3),
  CHECK (NOT frozen OR status IN ('running', 'failed'))
);
CREATE UNIQUE INDEX cutovers_one_open ON cutovers (tenant_id) WHERE status IN ('planned', 'running', 'failed');
CREATE INDEX cutovers_by_tenant ON cutovers (tenant_id, created_at DESC, id DESC);

CREATE TABLE cutover_steps (
  tenant_id   uuid NOT NULL REFERENCES tenants (id),
  cutover_id  uuid NOT NULL REFERENCES cutovers (id),
  seq         integer NOT NULL,
  key         text NOT NULL,
  kind        text NOT NULL CHECK (kind IN ('step', 'check')),
  state       text NOT NULL CHECK (state IN ('pending', 'running', 'passed', 'failed', 'warning', 'not_applicable')),
  actor       text,
  started_at  timestamptz(3),
  finished_at timestamptz(3),
  duration_ms integer,
  result      jsonb,
  PRIMARY KEY (cutover_id, key)
);

-- The backup point: the tenant's backup (the backups module's per-tenant dump, secrets
-- included so keys and passwords work after a rollback) as its compressed files, in order. It is
-- deleted when the cutover completes or rolls back. Its bytes hold password and key hashes, so a
-- backup of the instance carries them only when encrypted (the column is marked mes:secret).
CREATE TABLE cutover_backup_chunks (
  tenant_id  uuid NOT NULL REFERENCES tenants (id),
  cutover_id uuid NOT NULL REFERENCES cutovers (id),
  file       text NOT NULL,
  seq        integer NOT NULL,
  chunk      bytea NOT NULL,
  PRIMARY KEY (cutover_id, file, seq)
);
COMMENT ON COLUMN cutover_backup_chunks.chunk IS 'mes:secret';

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['cutovers', 'cutover_steps', 'cutover_backup_chunks'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY tenant_isolation ON %I USING (tenant_id = mes_current_tenant()) WITH CHECK (tenant_id = mes_current_tenant())', t);
  END LOOP;
END $$;

GRANT SELECT, INSERT, UPDATE ON cutovers TO mes_app;
GRANT SELECT, INSERT, UPDATE ON cutover_steps TO mes_app;
GRANT SELECT, INSERT, DELETE ON cutover_backup_chunks TO mes_app;
