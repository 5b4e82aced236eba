-- Equipment (S1-5.4.6) and the edge gateways that feed it (S1-5.3.8, S1-4.2.3).
--
-- Equipment is master data placed in the plant model (workshop, and optionally line, work centre
-- and station). Its points carry a unit and running standards (min/max). Gateways are registered
-- with Ed25519 public keys; their device maps are versioned here and pulled by the gateway. Every
-- upload batch is kept by (gateway, batchSeq) with the hash of its body and the answer given, so a
-- resend gets the same answer. Readings go to telemetry_readings, range-partitioned by time
-- (monthly partitions created ahead by the server as readings arrive); (gateway, seq, ts) is
-- unique, so a record delivered twice is stored once.

CREATE TABLE gateways (
  id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id         uuid NOT NULL REFERENCES tenants (id),
  code              text NOT NULL CHECK (code ~ '^[A-Za-z0-9_.-]{1,64}$'),
  name              text NOT NULL,
  site_id           uuid,
  status            text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'blocked')),
  -- The highest record seq stored from this gateway (the batch answer's highestSeq).
  highest_seq       bigint NOT NULL DEFAULT 0,
  last_heartbeat_at timestamptz(3),
  last_status       jsonb,
  version           integer NOT NULL DEFAULT 1,
  created_at        timestamptz(3) NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, code),
  UNIQUE (tenant_id, id),
  FOREIGN KEY (tenant_id, site_id) REFERENCES plants (tenant_id, id)
);

-- A gateway's public keys: more than one while a key is being rotated; revoked keys stay listed.
CREATE TABLE gateway_keys (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id   uuid NOT NULL REFERENCES tenants (id),
  gateway_id  uuid NOT NULL,
  public_key  text NOT NULL,
  fingerprint text NOT NULL,
  created_at  timestamptz(3) NOT NULL DEFAULT now(),
  revoked_at  timestamptz(3),
  UNIQUE (tenant_id, gateway_id, fingerprint),
  FOREIGN KEY (tenant_id, gateway_id) REFERENCES gateways (tenant_id, id)
);

-- The device and point map, versioned: the gateway pulls the newest.
CREATE TABLE gateway_configs (
  tenant_id  uuid NOT NULL REFERENCES tenants (id),
  gateway_id uuid NOT NULL,
  version    integer NOT NULL CHECK (version > 0),
  devices    jsonb NOT NULL,
  created_at timestamptz(3) NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, gateway_id, version),
  FOREIGN KEY (tenant_id, gateway_id) REFERENCES gateways (tenant_id, id)
);

-- Every batch answered 200: a resend with the same body gets the stored answer, another body 409.
CREATE TABLE gateway_batches (
  tenant_id   uuid NOT NULL REFERENCES tenants (id),
  gateway_id  uuid NOT NULL,
  batch_seq   bigint NOT NULL,
  body_sha256 text NOT NULL,
  answer      jsonb NOT NULL,
  received_at timestamptz(3) NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, gateway_id, batch_seq),
  FOREIGN KEY (tenant_id, gateway_id) REFERENCES gateways (tenant_id, id)
);

-- Records the MES refused, counted per gateway, device and reason.
CREATE TABLE gateway_rejections (
  tenant_id  uuid NOT NULL REFERENCES tenants (id),
  gateway_id uuid NOT NULL,
  device     text NOT NULL,
  code       text NOT NULL,
  count      bigint NOT NULL,
  last_seq   bigint NOT NULL,
  last_at    timestamptz(3) NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, gateway_id, device, code),
  FOREIGN KEY (tenant_id, gateway_id) REFERENCES gateways (tenant_id, id)
);

CREATE TABLE equipment (
  id                      uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id               uuid NOT NULL REFERENCES tenants (id),
  -- The device name in the gateways' records.
  code                    text NOT NULL CHECK (code ~ '^[A-Za-z0-9_.-]{1,64}$'),
  name                    text NOT NULL,
  manufacturer            text NOT NULL DEFAULT '',
  model                   text NOT NULL DEFAULT '',
  serial_no               text NOT NULL DEFAULT '',
  build_date              date,
  workshop_id             uuid NOT NULL,
  line_id                 uuid,
  work_centre_id          uuid,
  station_id              uuid,
  -- The gateway the device is connected to (records from another gateway are refused; commands go there).
  gateway_id              uuid,
  -- Planned production time per day, in minutes (availability's denominator).
  available_minutes       integer CHECK (available_minutes BETWEEN 1 AND 1440),
  -- Ideal output per hour of run time (performance's denominator).
  target_output_per_hour  numeric CHECK (target_output_per_hour > 0),
  -- The counter point (cumulative output), the energy meter and the machine-state point (run/idle/down/setup).
  count_point             text,
  -- A cumulative energy meter point (kWh or the point's unit): energy per period.
  energy_point            text,
  state_point             text NOT NULL DEFAULT 'state',
  status                  text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'retired')),
  version                 integer NOT NULL DEFAULT 1,
  created_at              timestamptz(3) NOT NULL DEFAULT now(),
  updated_at              timestamptz(3) NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, code),
  UNIQUE (tenant_id, id),
  FOREIGN KEY (tenant_id, workshop_id) REFERENCES workshops (tenant_id, id),
  FOREIGN KEY (tenant_id, line_id) REFERENCES production_lines (tenant_id, id),
  FOREIGN KEY (tenant_id, work_centre_id) REFERENCES work_centres (tenant_id, id),
  FOREIGN KEY (tenant_id, station_id) REFERENCES stations (tenant_id, id),
  FOREIGN KEY (tenant_id, gateway_id) REFERENCES gateways (tenant_id, id)
);
CREATE INDEX equipment_by_workshop ON equipment (tenant_id, workshop_id);

-- The points of a machine with their running standards; replaced as a whole when changed.
CREATE TABLE equipment_points (
  tenant_id    uuid NOT NULL REFERENCES tenants (id),
  equipment_id uuid NOT NULL,
  point        text NOT NULL,
  data_type    text NOT NULL CHECK (data_type IN ('number', 'boolean', 'string')),
  unit         text,
  std_min      double precision,
  std_max      double precision,
  writable     boolean NOT NULL DEFAULT false,
  PRIMARY KEY (tenant_id, equipment_id, point),
  FOREIGN KEY (tenant_id, equipment_id) REFERENCES equipment (tenant_id, id)
);

-- Alarm rules per machine (S1-5.4.6-d): threshold (high/low with hysteresis), trend (change over a
-- window, per minute) or fault state (point equals a value).
CREATE TABLE equipment_alarm_rules (
  tenant_id    uuid NOT NULL REFERENCES tenants (id),
  equipment_id uuid NOT NULL,
  code         text NOT NULL,
  point        text NOT NULL,
  kind         text NOT NULL CHECK (kind IN ('threshold', 'trend', 'fault')),
  high         double precision,
  low          double precision,
  hysteresis   double precision NOT NULL DEFAULT 0,
  fault_value  jsonb,
  window_seconds integer CHECK (window_seconds > 0),
  max_per_minute double precision CHECK (max_per_minute > 0),
  grade        text NOT NULL CHECK (grade IN ('critical', 'major', 'minor', 'warning')),
  PRIMARY KEY (tenant_id, equipment_id, code),
  FOREIGN KEY (tenant_id, equipment_id) REFERENCES equipment (tenant_id, id)
);

-- The newest reading of every point of a machine.
CREATE TABLE equipment_latest (
  tenant_id    uuid NOT NULL REFERENCES tenants (id),
  equipment_id uuid NOT NULL,
  point        text NOT NULL,
  ts           timestamptz(3) NOT NULL,
  value        jsonb NOT NULL,
  quality      text NOT NULL,
  seq          bigint NOT NULL,
  PRIMARY KEY (tenant_id, equipment_id, point),
  FOREIGN KEY (tenant_id, equipment_id) REFERENCES equipment (tenant_id, id)
);

-- State history: one row per state period; the current one has no end.
CREATE TABLE equipment_states (
  tenant_id    uuid NOT NULL REFERENCES tenants (id),
  equipment_id uuid NOT NULL,
  state        text NOT NULL,
  started_at   timestamptz(3) NOT NULL,
  ended_at     timestamptz(3),
  PRIMARY KEY (tenant_id, equipment_id, started_at),
  FOREIGN KEY (tenant_id, equipment_id) REFERENCES equipment (tenant_id, id)
);

CREATE TABLE equipment_alarms (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id       uuid NOT NULL REFERENCES tenants (id),
  equipment_id    uuid NOT NULL,
  code            text NOT NULL,
  point           text NOT NULL,
  kind            text NOT NULL,
  grade           text NOT NULL,
  raised_at       timestamptz(3) NOT NULL,
  raised_value    jsonb NOT NULL,
  acknowledged_at timestamptz(3),
  acknowledged_by text,
  ack_note        text,
  cleared_at      timestamptz(3),
  cleared_value   jsonb,
  created_at      timestamptz(3) NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, id),
  FOREIGN KEY (tenant_id, equipment_id) REFERENCES equipment (tenant_id, id)
);
-- At most one uncleared alarm per rule: a flapping signal is not raised again until it cleared.
CREATE UNIQUE INDEX equipment_alarms_one_active ON equipment_alarms (tenant_id, equipment_id, code) WHERE cleared_at IS NULL;
CREATE INDEX equipment_alarms_by_time ON equipment_alarms (tenant_id, created_at, id);

-- Commands to devices (S1-5.2.4): queued, delivered with a heartbeat answer, then done or failed.
CREATE TABLE device_commands (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id    uuid NOT NULL REFERENCES tenants (id),
  equipment_id uuid NOT NULL,
  gateway_id   uuid NOT NULL,
  point        text NOT NULL,
  value        jsonb NOT NULL,
  status       text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'delivered', 'done', 'failed')),
  error        text,
  issued_by    text NOT NULL,
  issued_at    timestamptz(3) NOT NULL DEFAULT now(),
  delivered_at timestamptz(3),
  completed_at timestamptz(3),
  UNIQUE (tenant_id, id),
  FOREIGN KEY (tenant_id, equipment_id) REFERENCES equipment (tenant_id, id),
  FOREIGN KEY (tenant_id, gateway_id) REFERENCES gateways (tenant_id, id)
);
CREATE INDEX device_commands_pending ON device_commands (tenant_id, gateway_id) WHERE status IN ('queued', 'delivered');

-- Readings, partitioned by month of ts. Partitions are created by the server (as owner) before
-- the first reading of a month arrives; each has RLS enabled and forced with no policy of its
-- own, so it is reachable only through this table and its tenant policy.
CREATE TABLE telemetry_readings (
  tenant_id    uuid NOT NULL,
  gateway_id   uuid NOT NULL,
  equipment_id uuid NOT NULL,
  point        text NOT NULL,
  ts           timestamptz(3) NOT NULL,
  seq          bigint NOT NULL,
  num_value    double precision,
  bool_value   boolean,
  text_value   text,
  quality      text NOT NULL,
  unit         text,
  received_at  timestamptz(3) NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, gateway_id, seq, ts)
) PARTITION BY RANGE (ts);
CREATE INDEX telemetry_readings_by_point ON telemetry_readings (tenant_id, equipment_id, point, ts);

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['gateways', 'gateway_keys', 'gateway_configs', 'gateway_batches', 'gateway_rejections', 'equipment', 'equipment_points',
                           'equipment_alarm_rules', 'equipment_latest', 'equipment_states', 'equipment_alarms', 'device_commands', 'telemetry_readings'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY tenant_isolation ON %I USING (tenant_id = mes_current_tenant()) WITH CHECK (tenant_id = mes_current_tenant())', t);
  END LOOP;
END $$;

GRANT SELECT, INSERT, UPDATE ON gateways, gateway_keys, equipment, equipment_latest, equipment_states, equipment_alarms, device_commands, gateway_rejections TO mes_app;
GRANT SELECT, INSERT ON gateway_configs, gateway_batches, telemetry_readings TO mes_app;
GRANT SELECT, INSERT, DELETE ON equipment_points, equipment_alarm_rules TO mes_app;
