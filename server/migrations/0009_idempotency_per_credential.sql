-- Idempotency keys belong to the credential that sent them (an API key, or the user behind a
-- login token), not to the whole tenant: two integrations of one tenant that happen to pick the
-- same Idempotency-Key each get their own result. Rows from before keep credential '' and expire
-- with the usual retention.
ALTER TABLE idempotency_keys ADD COLUMN credential text NOT NULL DEFAULT '';
ALTER TABLE idempotency_keys DROP CONSTRAINT idempotency_keys_pkey;
ALTER TABLE idempotency_keys ADD PRIMARY KEY (tenant_id, credential, key);
