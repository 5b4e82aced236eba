-- Telemetry rollups and retention, alarm notification and escalation (issue 13): per machine and number point, the readings of each
-- minute and each hour summed up (count, min, max, sum for the average, and the last reading by
-- time), so reports over long periods read a few rows instead of every reading, and the raw
-- monthly partitions can be dropped after the retention period while the rollups stay.
--
-- The rollups are filled incrementally by the housekeeping job: readings received since the
-- tenant's mark (received_at, set when the row is written) are aggregated and merged into the
-- buckets they fall in, late readings included; the mark moves in the same transaction, under a
-- row lock, so every reading is counted once whichever replica runs the job.

CREATE TABLE telemetry_rollups_minute (
  tenant_id    uuid NOT NULL REFERENCES tenants (id),
  equipment_id uuid NOT NULL,
  point        text NOT NULL,
  bucket       timestamptz(3) NOT NULL,
  n            bigint NOT NULL,
  min_value    double precision NOT NULL,
  max_value    double precision NOT NULL,
  sum_value    double precision NOT NULL,
  last_ts      timestamptz(3) NOT NULL,
  last_seq     bigint NOT NULL,
  last_value   double precision NOT NULL,
  PRIMARY KEY (tenant_id, equipment_id, point, bucket),
  FOREIGN KEY (tenant_id, equipment_id) REFERENCES equipment (tenant_id, id)
);

CREATE TABLE telemetry_rollups_hour (LIKE telemetry_rollups_minute INCLUDING ALL);
ALTER TABLE telemetry_rollups_hour ADD FOREIGN KEY (tenant_id) REFERENCES tenants (id);
ALTER TABLE telemetry_rollups_hour ADD FOREIGN KEY (tenant_id, equipment_id) REFERENCES equipment (tenant_id, id);

-- How far each tenant's readings are rolled up: every reading received before rolled_to is in.
CREATE TABLE telemetry_rollup_marks (
  tenant_id  uuid PRIMARY KEY REFERENCES tenants (id),
  rolled_to  timestamptz NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- The job finds new readings by received_at: a BRIN index (rows arrive in received_at order) costs
-- the ingest next to nothing.
CREATE INDEX telemetry_readings_by_received ON telemetry_readings USING brin (received_at);

-- Alarm notification (S1-5.4.6-d): who is told of an alarm, by grade and optionally by rule kind,
-- level by level. Level 1 is told when the alarm is raised; when nobody acknowledged it within the
-- level's timeout, the next level is told (escalation). Each message sent or failed is a notice.
CREATE TABLE equipment_alarm_routes (
  tenant_id           uuid NOT NULL REFERENCES tenants (id),
  grade               text NOT NULL CHECK (grade IN ('critical', 'major', 'minor', 'warning')),
  level               integer NOT NULL CHECK (level BETWEEN 1 AND 9),
  -- Only alarms of these rule kinds; null: every kind.
  kinds               text[] CHECK (kinds <@ ARRAY['threshold', 'trend', 'fault']),
  recipients          text[] NOT NULL CHECK (cardinality(recipients) BETWEEN 1 AND 50),
  -- Unacknowledged this long after this level was told: the next level is told.
  ack_timeout_minutes integer NOT NULL CHECK (ack_timeout_minutes BETWEEN 1 AND 10080),
  PRIMARY KEY (tenant_id, grade, level)
);

ALTER TABLE equipment_alarms ADD COLUMN notified_level integer NOT NULL DEFAULT 0;
ALTER TABLE equipment_alarms ADD COLUMN notified_at timestamptz(3);
-- The notifier's work: alarms not acknowledged yet.
CREATE INDEX equipment_alarms_unacknowledged ON equipment_alarms (tenant_id, raised_at) WHERE acknowledged_at IS NULL;

CREATE TABLE equipment_alarm_notices (
  id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id  uuid NOT NULL REFERENCES tenants (id),
  alarm_id   uuid NOT NULL,
  level      integer NOT NULL,
  channel    text NOT NULL CHECK (channel IN ('email')),
  recipients text[] NOT NULL,
  outcome    text NOT NULL CHECK (outcome IN ('sent', 'failed')),
  error      text,
  message_id text,
  at         timestamptz(3) NOT NULL DEFAULT now(),
  FOREIGN KEY (tenant_id, alarm_id) REFERENCES equipment_alarms (tenant_id, id)
);
CREATE INDEX equipment_alarm_notices_by_alarm ON equipment_alarm_notices (tenant_id, alarm_id, at);

-- Stored batch answers are swept after a week (housekeeping): a true replay is refused by the
-- signature's 300 s window long before; a gateway resending an old batch after that gets a fresh
-- answer (its records are duplicates by seq, stored once either way).
CREATE INDEX gateway_batches_by_received ON gateway_batches (tenant_id, received_at);
GRANT DELETE ON gateway_batches TO mes_app;

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['telemetry_rollups_minute', 'telemetry_rollups_hour', 'telemetry_rollup_marks', 'equipment_alarm_routes', 'equipment_alarm_notices'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY tenant_isolation ON %I USING (tenant_id = mes_current_tenant()) WITH CHECK (tenant_id = mes_current_tenant())', t);
  END LOOP;
END $$;

GRANT SELECT, INSERT, UPDATE ON telemetry_rollups_minute, telemetry_rollups_hour, telemetry_rollup_marks TO mes_app;
GRANT SELECT, INSERT, DELETE ON equipment_alarm_routes TO mes_app;
GRANT SELECT, INSERT ON equipment_alarm_notices TO mes_app;
