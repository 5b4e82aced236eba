-- Backups (S1-8.4, S1-8.2): which columns hold secrets, and the drills a server ran.
--
-- A column whose comment is 'mes:secret' (or whose name holds "secret" or "password") is written
-- into a backup only when the backup is encrypted; an unencrypted backup carries a redaction
-- marker instead (docs/backup.md). New modules mark their secret columns the same way.
COMMENT ON COLUMN users.password_hash IS 'mes:secret';
COMMENT ON COLUMN api_keys.secret_hash IS 'mes:secret';
COMMENT ON COLUMN platform_settings.value IS 'mes:secret';

-- A drill the server ran on request (POST /v1/backup-drills): backup, restore into a scratch
-- database, checks, measured recovery time. Platform rows, visible only to platform-scoped
-- transactions, like tenants.
CREATE TABLE backup_drills (
  id           uuid PRIMARY KEY,
  status       text NOT NULL CHECK (status IN ('running', 'passed', 'failed')),
  requested_by text NOT NULL,
  scope        jsonb NOT NULL,
  started_at   timestamptz(3) NOT NULL DEFAULT now(),
  finished_at  timestamptz(3),
  result       jsonb
);
CREATE INDEX backup_drills_by_start ON backup_drills (started_at DESC, id);
ALTER TABLE backup_drills ENABLE ROW LEVEL SECURITY;
CREATE POLICY platform_only ON backup_drills USING (mes_is_platform()) WITH CHECK (mes_is_platform());

GRANT SELECT, INSERT, UPDATE ON backup_drills TO mes_app;
