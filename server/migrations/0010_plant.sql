-- The plant model (shared by production and, later, equipment): plant → workshop → production
-- line → work centre → station, and the calendars that give each work centre its working time.
--
-- Calendars: a weekly pattern of shifts (weekday 1 = Monday … 7 = Sunday) and exceptions by date.
-- A date with an exception works only the shifts listed for that date (none: a holiday), otherwise
-- the shifts of its weekday. A shift whose end is not after its start runs past midnight and counts
-- on the day it starts. A work centre's calendar is its own, else its line's, its workshop's, and
-- finally its plant's (a plant must have one).

CREATE TABLE calendars (
  id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id  uuid NOT NULL REFERENCES tenants (id),
  code       text NOT NULL,
  name       text NOT NULL,
  version    integer NOT NULL DEFAULT 1,
  created_at timestamptz(3) NOT NULL DEFAULT now(),
  updated_at timestamptz(3) NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, code),
  UNIQUE (tenant_id, id)
);

CREATE TABLE calendar_shifts (
  tenant_id     uuid NOT NULL REFERENCES tenants (id),
  calendar_id   uuid NOT NULL,
  -- Exactly one of: the weekday of the weekly pattern, or the date of an exception.
  weekday       smallint CHECK (weekday BETWEEN 1 AND 7),
  on_date       date,
  shift_no      smallint NOT NULL CHECK (shift_no > 0),
  name          text NOT NULL DEFAULT '',
  start_time    time(0) NOT NULL,
  end_time      time(0) NOT NULL,
  break_minutes integer NOT NULL DEFAULT 0 CHECK (break_minutes >= 0),
  CHECK ((weekday IS NULL) <> (on_date IS NULL)),
  CONSTRAINT calendar_shifts_key UNIQUE NULLS NOT DISTINCT (tenant_id, calendar_id, weekday, on_date, shift_no),
  FOREIGN KEY (tenant_id, calendar_id) REFERENCES calendars (tenant_id, id)
);

CREATE TABLE calendar_exceptions (
  tenant_id   uuid NOT NULL REFERENCES tenants (id),
  calendar_id uuid NOT NULL,
  on_date     date NOT NULL,
  reason      text NOT NULL DEFAULT '',
  PRIMARY KEY (tenant_id, calendar_id, on_date),
  FOREIGN KEY (tenant_id, calendar_id) REFERENCES calendars (tenant_id, id)
);

CREATE TABLE plants (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id   uuid NOT NULL REFERENCES tenants (id),
  code        text NOT NULL,
  name        text NOT NULL,
  address     text NOT NULL DEFAULT '',
  -- Shift times are local to the plant.
  time_zone   text NOT NULL,
  calendar_id uuid NOT NULL,
  status      text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'blocked')),
  version     integer NOT NULL DEFAULT 1,
  created_at  timestamptz(3) NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, code),
  UNIQUE (tenant_id, id),
  FOREIGN KEY (tenant_id, calendar_id) REFERENCES calendars (tenant_id, id)
);

CREATE TABLE workshops (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id   uuid NOT NULL REFERENCES tenants (id),
  plant_id    uuid NOT NULL,
  code        text NOT NULL,
  name        text NOT NULL,
  calendar_id uuid,
  status      text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'blocked')),
  version     integer NOT NULL DEFAULT 1,
  created_at  timestamptz(3) NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, code),
  UNIQUE (tenant_id, id),
  FOREIGN KEY (tenant_id, plant_id) REFERENCES plants (tenant_id, id),
  FOREIGN KEY (tenant_id, calendar_id) REFERENCES calendars (tenant_id, id)
);

CREATE TABLE production_lines (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id   uuid NOT NULL REFERENCES tenants (id),
  workshop_id uuid NOT NULL,
  code        text NOT NULL,
  name        text NOT NULL,
  calendar_id uuid,
  status      text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'blocked')),
  version     integer NOT NULL DEFAULT 1,
  created_at  timestamptz(3) NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, code),
  UNIQUE (tenant_id, id),
  -- What a reference to (workshop, line) checks: the line is in that workshop.
  UNIQUE (tenant_id, workshop_id, id),
  FOREIGN KEY (tenant_id, workshop_id) REFERENCES workshops (tenant_id, id),
  FOREIGN KEY (tenant_id, calendar_id) REFERENCES calendars (tenant_id, id)
);

-- Where work is done and capacity is counted: parallel_count identical machines (machine hours) or
-- people (labour hours) working the calendar's shifts at efficiency percent.
CREATE TABLE work_centres (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id      uuid NOT NULL REFERENCES tenants (id),
  workshop_id    uuid NOT NULL,
  -- A work centre may serve a whole workshop (a moulding shop) rather than one line.
  line_id        uuid,
  code           text NOT NULL,
  name           text NOT NULL,
  capacity_unit  text NOT NULL CHECK (capacity_unit IN ('machine_hours', 'labour_hours')),
  parallel_count integer NOT NULL DEFAULT 1 CHECK (parallel_count BETWEEN 1 AND 10000),
  efficiency     numeric NOT NULL DEFAULT 100 CHECK (efficiency > 0 AND efficiency <= 200),
  calendar_id    uuid,
  status         text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'blocked')),
  version        integer NOT NULL DEFAULT 1,
  created_at     timestamptz(3) NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, code),
  UNIQUE (tenant_id, id),
  FOREIGN KEY (tenant_id, workshop_id) REFERENCES workshops (tenant_id, id),
  FOREIGN KEY (tenant_id, workshop_id, line_id) REFERENCES production_lines (tenant_id, workshop_id, id),
  FOREIGN KEY (tenant_id, calendar_id) REFERENCES calendars (tenant_id, id)
);
CREATE INDEX work_centres_by_workshop ON work_centres (tenant_id, workshop_id, line_id);

CREATE TABLE stations (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id      uuid NOT NULL REFERENCES tenants (id),
  work_centre_id uuid NOT NULL,
  code           text NOT NULL,
  name           text NOT NULL,
  status         text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'blocked')),
  version        integer NOT NULL DEFAULT 1,
  created_at     timestamptz(3) NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, code),
  UNIQUE (tenant_id, id),
  FOREIGN KEY (tenant_id, work_centre_id) REFERENCES work_centres (tenant_id, id)
);
CREATE INDEX stations_by_work_centre ON stations (tenant_id, work_centre_id);

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['calendars', 'calendar_shifts', 'calendar_exceptions', 'plants', 'workshops', 'production_lines', 'work_centres', 'stations'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY tenant_isolation ON %I USING (tenant_id = mes_current_tenant()) WITH CHECK (tenant_id = mes_current_tenant())', t);
  END LOOP;
END $$;

-- The plant model is master data: changed, never deleted (orders and equipment refer to it). A
-- calendar's shifts and exceptions are replaced as a whole when it changes.
GRANT SELECT, INSERT, UPDATE ON calendars, plants, workshops, production_lines, work_centres, stations TO mes_app;
GRANT SELECT, INSERT, DELETE ON calendar_shifts, calendar_exceptions TO mes_app;
