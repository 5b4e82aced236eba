-- Data import (S1-7.3-a): legacy spreadsheets into master data, opening stock and open documents.
--
-- An import job keeps the uploaded file as it came, so a job whose process was killed can be
-- resumed from the file and its progress: rows are written in chunks, each chunk in one
-- transaction together with the job's written_rows, so the progress never says more or less
-- than what is committed. Each row is keyed by its natural key (a material's code, a bin's
-- warehouse and code): a row whose key is already there is counted unchanged, not written again.

CREATE TABLE import_jobs (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id      uuid NOT NULL REFERENCES tenants (id),
  kind           text NOT NULL,
  file_name      text NOT NULL,
  format         text NOT NULL CHECK (format IN ('csv', 'xlsx')),
  encoding       text NOT NULL,
  content        bytea NOT NULL,
  sha256         text NOT NULL,
  dry_run        boolean NOT NULL,
  status         text NOT NULL CHECK (status IN ('invalid', 'validated', 'writing', 'done', 'failed')),
  sheets         jsonb NOT NULL DEFAULT '[]',
  total_rows     integer NOT NULL DEFAULT 0,
  written_rows   integer NOT NULL DEFAULT 0,
  unchanged_rows integer NOT NULL DEFAULT 0,
  errors         jsonb NOT NULL DEFAULT '[]',
  created_by     text NOT NULL,
  created_by_user uuid,
  validate_ms    integer NOT NULL DEFAULT 0,
  write_ms       integer NOT NULL DEFAULT 0,
  created_at     timestamptz(3) NOT NULL DEFAULT now(),
  updated_at     timestamptz(3) NOT NULL DEFAULT now(),
  finished_at    timestamptz(3),
  CHECK (written_rows + unchanged_rows <= total_rows)
);
CREATE INDEX import_jobs_by_tenant ON import_jobs (tenant_id, created_at DESC, id DESC);

ALTER TABLE import_jobs ENABLE ROW LEVEL SECURITY;
ALTER TABLE import_jobs FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON import_jobs USING (tenant_id = mes_current_tenant()) WITH CHECK (tenant_id = mes_current_tenant());

GRANT SELECT, INSERT, UPDATE ON import_jobs TO mes_app;

-- Open documents back-filled from a legacy system (S1-7.3-a) are known by their legacy number:
-- which document a legacy number became, so a second import of the same file creates none again.
CREATE TABLE import_documents (
  tenant_id   uuid NOT NULL REFERENCES tenants (id),
  kind        text NOT NULL,
  legacy_no   text NOT NULL,
  document_id uuid NOT NULL,
  job_id      uuid NOT NULL,
  created_at  timestamptz(3) NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, kind, legacy_no),
  FOREIGN KEY (job_id) REFERENCES import_jobs (id)
);

ALTER TABLE import_documents ENABLE ROW LEVEL SECURITY;
ALTER TABLE import_documents FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON import_documents USING (tenant_id = mes_current_tenant()) WITH CHECK (tenant_id = mes_current_tenant());

GRANT SELECT, INSERT ON import_documents TO mes_app;
