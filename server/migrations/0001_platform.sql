-- Platform: tenancy, identity, audit, idempotency.
--
-- Timestamps are stored to the millisecond (timestamptz(3)), the precision the API speaks, so a
-- time read back from JSON compares equal to the stored one (keyset cursors depend on it).
--
-- The application runs as the role mes_app, which owns nothing. Every tenant-owned table carries
-- tenant_id and a FORCE'd row-level-security policy keyed on the transaction-local setting
-- mes.tenant_id, so a query that forgets its tenant scope sees no rows instead of every row.

DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'mes_app') THEN
    CREATE ROLE mes_app NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
  END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN
  NULL; -- another database on this cluster created it a moment ago
END $$;

DO $$
BEGIN
  IF NOT pg_has_role(current_user, 'mes_app', 'MEMBER') THEN
    EXECUTE format('GRANT mes_app TO %I', current_user);
  END IF;
END $$;

CREATE FUNCTION mes_current_tenant() RETURNS uuid
  LANGUAGE sql STABLE
  AS $$ SELECT nullif(current_setting('mes.tenant_id', true), '')::uuid $$;

CREATE FUNCTION mes_is_platform() RETURNS boolean
  LANGUAGE sql STABLE
  AS $$ SELECT coalesce(current_setting('mes.platform', true), '') = 'on' $$;

CREATE TABLE plans (
  code                text PRIMARY KEY,
  name                text NOT NULL,
  requests_per_second integer CHECK (requests_per_second > 0),
  burst               integer CHECK (burst > 0),
  max_concurrent      integer CHECK (max_concurrent > 0)
);

INSERT INTO plans (code, name, requests_per_second, burst, max_concurrent) VALUES
  ('basic',     'Basic',       20,   40,   4),
  ('standard',  'Standard',   100,  200,  16),
  ('premium',   'Premium',    500, 1000,  64),
  ('unlimited', 'Unlimited', NULL, NULL, NULL);

-- Tenants are the platform's table, not a tenant's: RLS lets a tenant see itself and the
-- platform admin see all, but is not FORCE'd, so the owner's SECURITY DEFINER lookups work.
CREATE TABLE tenants (
  id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  slug       text NOT NULL UNIQUE,
  name       text NOT NULL,
  plan_code  text NOT NULL REFERENCES plans (code),
  status     text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended')),
  settings   jsonb NOT NULL DEFAULT '{}'::jsonb,
  version    integer NOT NULL DEFAULT 1,
  created_at timestamptz(3) NOT NULL DEFAULT now(),
  updated_at timestamptz(3) NOT NULL DEFAULT now()
);
ALTER TABLE tenants ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenants_visible ON tenants
  USING (id = mes_current_tenant() OR mes_is_platform())
  WITH CHECK (mes_is_platform());

CREATE TABLE roles (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id   uuid NOT NULL REFERENCES tenants (id),
  name        text NOT NULL,
  description text NOT NULL DEFAULT '',
  permissions text[] NOT NULL,
  builtin     boolean NOT NULL DEFAULT false,
  created_at  timestamptz(3) NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, name),
  UNIQUE (tenant_id, id)
);

CREATE TABLE users (
  id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id         uuid NOT NULL REFERENCES tenants (id),
  username          text NOT NULL,
  display_name      text NOT NULL,
  email             text,
  password_hash     text,
  is_platform_admin boolean NOT NULL DEFAULT false,
  status            text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
  version           integer NOT NULL DEFAULT 1,
  created_at        timestamptz(3) NOT NULL DEFAULT now(),
  updated_at        timestamptz(3) NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, username),
  UNIQUE (tenant_id, id)
);

CREATE TABLE user_roles (
  tenant_id uuid NOT NULL,
  user_id   uuid NOT NULL,
  role_id   uuid NOT NULL,
  PRIMARY KEY (tenant_id, user_id, role_id),
  FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE,
  FOREIGN KEY (tenant_id, role_id) REFERENCES roles (tenant_id, id) ON DELETE CASCADE
);

CREATE TABLE api_keys (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id   uuid NOT NULL,
  user_id     uuid NOT NULL,
  name        text NOT NULL,
  secret_hash text NOT NULL,
  permissions text[] NOT NULL,
  expires_at  timestamptz(3),
  revoked_at  timestamptz(3),
  created_at  timestamptz(3) NOT NULL DEFAULT now(),
  FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id)
);
CREATE INDEX api_keys_by_user ON api_keys (tenant_id, user_id);

-- Append-only, hash-chained per tenant. audit_heads holds each chain's tip: updating it takes a
-- row lock, which serialises appends within a tenant and lets verification see a cut-off tail.
CREATE TABLE audit_log (
  tenant_id   uuid NOT NULL REFERENCES tenants (id),
  seq         bigint NOT NULL,
  occurred_at timestamptz(3) NOT NULL,
  actor_type  text NOT NULL,
  actor_id    text,
  action      text NOT NULL,
  resource    text NOT NULL,
  outcome     text NOT NULL CHECK (outcome IN ('success', 'denied', 'rejected', 'error')),
  status_code integer NOT NULL,
  request_id  text,
  trace_id    text,
  details     jsonb NOT NULL DEFAULT '{}'::jsonb,
  prev_hash   text NOT NULL,
  hash        text NOT NULL,
  PRIMARY KEY (tenant_id, seq)
);

CREATE TABLE audit_heads (
  tenant_id uuid PRIMARY KEY REFERENCES tenants (id),
  last_seq  bigint NOT NULL,
  last_hash text NOT NULL
);

CREATE FUNCTION mes_audit_is_append_only() RETURNS trigger
  LANGUAGE plpgsql
  AS $$ BEGIN RAISE EXCEPTION 'audit_log is append-only' USING ERRCODE = 'insufficient_privilege'; END $$;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION mes_audit_is_append_only();

CREATE TABLE idempotency_keys (
  tenant_id     uuid NOT NULL REFERENCES tenants (id),
  key           text NOT NULL,
  request_hash  text NOT NULL,
  status_code   integer NOT NULL,
  response_body jsonb,
  created_at    timestamptz(3) NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, key)
);

CREATE TABLE platform_settings (
  key   text PRIMARY KEY,
  value text NOT NULL
);

-- Row-level security on every tenant-owned table.
ALTER TABLE roles ENABLE ROW LEVEL SECURITY;            ALTER TABLE roles FORCE ROW LEVEL SECURITY;
ALTER TABLE users ENABLE ROW LEVEL SECURITY;            ALTER TABLE users FORCE ROW LEVEL SECURITY;
ALTER TABLE user_roles ENABLE ROW LEVEL SECURITY;       ALTER TABLE user_roles FORCE ROW LEVEL SECURITY;
ALTER TABLE api_keys ENABLE ROW LEVEL SECURITY;         ALTER TABLE api_keys FORCE ROW LEVEL SECURITY;
ALTER TABLE audit_log ENABLE ROW LEVEL SECURITY;        ALTER TABLE audit_log FORCE ROW LEVEL SECURITY;
ALTER TABLE audit_heads ENABLE ROW LEVEL SECURITY;      ALTER TABLE audit_heads FORCE ROW LEVEL SECURITY;
ALTER TABLE idempotency_keys ENABLE ROW LEVEL SECURITY; ALTER TABLE idempotency_keys FORCE ROW LEVEL SECURITY;

CREATE POLICY tenant_isolation ON roles
  USING (tenant_id = mes_current_tenant()) WITH CHECK (tenant_id = mes_current_tenant());
CREATE POLICY tenant_isolation ON users
  USING (tenant_id = mes_current_tenant()) WITH CHECK (tenant_id = mes_current_tenant());
CREATE POLICY tenant_isolation ON user_roles
  USING (tenant_id = mes_current_tenant()) WITH CHECK (tenant_id = mes_current_tenant());
CREATE POLICY tenant_isolation ON api_keys
  USING (tenant_id = mes_current_tenant()) WITH CHECK (tenant_id = mes_current_tenant());
CREATE POLICY tenant_isolation ON audit_log
  USING (tenant_id = mes_current_tenant()) WITH CHECK (tenant_id = mes_current_tenant());
CREATE POLICY tenant_isolation ON audit_heads
  USING (tenant_id = mes_current_tenant()) WITH CHECK (tenant_id = mes_current_tenant());
CREATE POLICY tenant_isolation ON idempotency_keys
  USING (tenant_id = mes_current_tenant()) WITH CHECK (tenant_id = mes_current_tenant());

-- Login names a tenant by slug before any tenant is set: the one lookup that must see across
-- tenants, kept to returning an id.
CREATE FUNCTION mes_tenant_id_by_slug(p_slug text) RETURNS uuid
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public
  AS $$ SELECT id FROM tenants WHERE slug = p_slug AND status = 'active' $$;

GRANT USAGE ON SCHEMA public TO mes_app;
GRANT SELECT ON plans TO mes_app;
GRANT SELECT, INSERT, UPDATE ON tenants TO mes_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON roles, users, user_roles TO mes_app;
GRANT SELECT, INSERT, UPDATE ON api_keys TO mes_app;
GRANT SELECT, INSERT ON audit_log TO mes_app;
GRANT SELECT, INSERT, UPDATE ON audit_heads TO mes_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON idempotency_keys TO mes_app;
GRANT SELECT, INSERT ON platform_settings TO mes_app;
GRANT EXECUTE ON FUNCTION mes_current_tenant(), mes_is_platform(), mes_tenant_id_by_slug(text) TO mes_app;
