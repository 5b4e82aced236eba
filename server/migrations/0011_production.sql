-- Production (S1-5.4.4): engineering data (material parameters, routings, BOMs, process drawings)
-- and production orders with their own copies of operations and component requirements.
--
-- Engineering versions (BOM and routing revisions) go draft → released → obsolete. Only a draft
-- changes; releasing revision n closes the version it supersedes at n's effective_from and makes
-- it obsolete, so at any date at most one version of a BOM or routing is in effect, and an
-- explosion "as of" a past date finds the version that was in effect then.

-- ------------------------------------------------------------------ routings (S1-5.4.4-c)

CREATE TABLE routings (
  id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id  uuid NOT NULL REFERENCES tenants (id),
  code       text NOT NULL,
  name       text NOT NULL,
  created_at timestamptz(3) NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, code),
  UNIQUE (tenant_id, id)
);

CREATE TABLE routing_versions (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id      uuid NOT NULL REFERENCES tenants (id),
  routing_id     uuid NOT NULL,
  revision       integer NOT NULL CHECK (revision > 0),
  status         text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'released', 'obsolete')),
  effective_from date NOT NULL,
  -- Exclusive; null: open-ended.
  effective_to   date CHECK (effective_to IS NULL OR effective_to > effective_from),
  remark         text NOT NULL DEFAULT '',
  version        integer NOT NULL DEFAULT 1,
  created_by     text NOT NULL,
  released_by    text,
  released_at    timestamptz(3),
  obsoleted_at   timestamptz(3),
  created_at     timestamptz(3) NOT NULL DEFAULT now(),
  updated_at     timestamptz(3) NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, routing_id, revision),
  UNIQUE (tenant_id, id),
  FOREIGN KEY (tenant_id, routing_id) REFERENCES routings (tenant_id, id)
);
-- One revision at a time is being worked on.
CREATE UNIQUE INDEX routing_versions_one_draft ON routing_versions (tenant_id, routing_id) WHERE status = 'draft';

-- Times in minutes (exact decimals); run_minutes per base unit of the product made.
CREATE TABLE routing_operations (
  tenant_id        uuid NOT NULL REFERENCES tenants (id),
  version_id       uuid NOT NULL,
  seq              integer NOT NULL CHECK (seq > 0),
  name             text NOT NULL,
  description      text NOT NULL DEFAULT '',
  work_centre_id   uuid NOT NULL,
  setup_minutes    numeric NOT NULL DEFAULT 0 CHECK (setup_minutes >= 0),
  run_minutes      numeric NOT NULL CHECK (run_minutes >= 0),
  queue_minutes    numeric NOT NULL DEFAULT 0 CHECK (queue_minutes >= 0),
  move_minutes     numeric NOT NULL DEFAULT 0 CHECK (move_minutes >= 0),
  inspection_point boolean NOT NULL DEFAULT false,
  -- What to inspect, in words; inspection_ref names the quality module's inspection plan.
  inspection_text  text NOT NULL DEFAULT '',
  inspection_ref   text,
  PRIMARY KEY (tenant_id, version_id, seq),
  FOREIGN KEY (tenant_id, version_id) REFERENCES routing_versions (tenant_id, id),
  FOREIGN KEY (tenant_id, work_centre_id) REFERENCES work_centres (tenant_id, id)
);
CREATE INDEX routing_operations_by_work_centre ON routing_operations (tenant_id, work_centre_id);

-- Work centres that may do the operation instead; null times: the primary's.
CREATE TABLE routing_operation_alternates (
  tenant_id      uuid NOT NULL REFERENCES tenants (id),
  version_id     uuid NOT NULL,
  seq            integer NOT NULL,
  priority       smallint NOT NULL CHECK (priority > 0),
  work_centre_id uuid NOT NULL,
  setup_minutes  numeric CHECK (setup_minutes >= 0),
  run_minutes    numeric CHECK (run_minutes >= 0),
  PRIMARY KEY (tenant_id, version_id, seq, work_centre_id),
  UNIQUE (tenant_id, version_id, seq, priority),
  FOREIGN KEY (tenant_id, version_id, seq) REFERENCES routing_operations (tenant_id, version_id, seq) ON DELETE CASCADE,
  FOREIGN KEY (tenant_id, work_centre_id) REFERENCES work_centres (tenant_id, id)
);

-- ------------------------------------------------------------------ material parameters (S1-5.4.4-a)

-- Issue type gains its backflush point: by operation (when the operation consuming the component
-- reports) or on receipt (when the finished quantity is received). Before, 'backflush' named no
-- point; with no operation to tie it to, the receipt is the point it can only have meant.
-- A default routing now names a routing that exists: codes materials already carry become routings
-- (without revisions yet), so no material loses its value.
ALTER TABLE materials DROP CONSTRAINT materials_issue_type_check;

-- Data changes run tenant by tenant: row-level security is FORCE'd on the owner too.
DO $$
DECLARE t uuid;
BEGIN
  FOR t IN SELECT id FROM tenants LOOP
    PERFORM set_config('mes.tenant_id', t::text, true);
    UPDATE materials SET issue_type = 'backflush_receipt' WHERE issue_type = 'backflush';
    INSERT INTO routings (tenant_id, code, name)
      SELECT DISTINCT tenant_id, default_routing, default_routing FROM materials WHERE default_routing IS NOT NULL
      ON CONFLICT DO NOTHING;
  END LOOP;
  PERFORM set_config('mes.tenant_id', '', true);
END $$;

ALTER TABLE materials ADD CONSTRAINT materials_issue_type_check CHECK (issue_type IN ('manual', 'backflush_operation', 'backflush_receipt'));
ALTER TABLE materials ADD CONSTRAINT materials_default_routing_fkey FOREIGN KEY (tenant_id, default_routing) REFERENCES routings (tenant_id, code);

-- ------------------------------------------------------------------ BOMs (S1-5.4.4-b)

-- One BOM per product and type; its revisions over time are bom_versions.
CREATE TABLE boms (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id   uuid NOT NULL REFERENCES tenants (id),
  material_id uuid NOT NULL,
  bom_type    text NOT NULL CHECK (bom_type IN ('engineering', 'process', 'manufacturing', 'sales')),
  created_at  timestamptz(3) NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, material_id, bom_type),
  UNIQUE (tenant_id, id),
  FOREIGN KEY (tenant_id, material_id) REFERENCES materials (tenant_id, id)
);

CREATE TABLE bom_versions (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id      uuid NOT NULL REFERENCES tenants (id),
  bom_id         uuid NOT NULL,
  revision       integer NOT NULL CHECK (revision > 0),
  status         text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'released', 'obsolete')),
  effective_from date NOT NULL,
  effective_to   date CHECK (effective_to IS NULL OR effective_to > effective_from),
  remark         text NOT NULL DEFAULT '',
  version        integer NOT NULL DEFAULT 1,
  created_by     text NOT NULL,
  released_by    text,
  released_at    timestamptz(3),
  obsoleted_at   timestamptz(3),
  created_at     timestamptz(3) NOT NULL DEFAULT now(),
  updated_at     timestamptz(3) NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, bom_id, revision),
  UNIQUE (tenant_id, id),
  FOREIGN KEY (tenant_id, bom_id) REFERENCES boms (tenant_id, id)
);
CREATE UNIQUE INDEX bom_versions_one_draft ON bom_versions (tenant_id, bom_id) WHERE status = 'draft';
CREATE INDEX bom_versions_in_effect ON bom_versions (tenant_id, bom_id, effective_from) WHERE status <> 'draft';

-- Usage per one base unit of the parent: quantity as entered in unit, base_quantity the same in the
-- component's base unit, exactly. Scrap adds scrap_rate percent on top. operation_seq is the
-- routing operation that consumes the component (null: the first).
CREATE TABLE bom_lines (
  tenant_id     uuid NOT NULL REFERENCES tenants (id),
  version_id    uuid NOT NULL,
  line_no       integer NOT NULL CHECK (line_no > 0),
  component_id  uuid NOT NULL,
  quantity      numeric NOT NULL CHECK (quantity > 0),
  unit          text NOT NULL,
  base_quantity numeric NOT NULL CHECK (base_quantity > 0),
  scrap_rate    numeric NOT NULL DEFAULT 0 CHECK (scrap_rate >= 0 AND scrap_rate < 100),
  operation_seq integer CHECK (operation_seq > 0),
  optional      boolean NOT NULL DEFAULT false,
  -- A phantom is built and consumed at once: explosions pass through to its own components.
  phantom       boolean NOT NULL DEFAULT false,
  position      text NOT NULL DEFAULT '',
  remark        text NOT NULL DEFAULT '',
  PRIMARY KEY (tenant_id, version_id, line_no),
  FOREIGN KEY (tenant_id, version_id) REFERENCES bom_versions (tenant_id, id),
  FOREIGN KEY (tenant_id, component_id) REFERENCES materials (tenant_id, id)
);
CREATE INDEX bom_lines_by_component ON bom_lines (tenant_id, component_id);

-- Components that may be used instead of the line's, by priority, in their own usage.
CREATE TABLE bom_line_alternates (
  tenant_id     uuid NOT NULL REFERENCES tenants (id),
  version_id    uuid NOT NULL,
  line_no       integer NOT NULL,
  priority      smallint NOT NULL CHECK (priority > 0),
  component_id  uuid NOT NULL,
  quantity      numeric NOT NULL CHECK (quantity > 0),
  unit          text NOT NULL,
  base_quantity numeric NOT NULL CHECK (base_quantity > 0),
  PRIMARY KEY (tenant_id, version_id, line_no, component_id),
  UNIQUE (tenant_id, version_id, line_no, priority),
  FOREIGN KEY (tenant_id, version_id, line_no) REFERENCES bom_lines (tenant_id, version_id, line_no) ON DELETE CASCADE,
  FOREIGN KEY (tenant_id, component_id) REFERENCES materials (tenant_id, id)
);
CREATE INDEX bom_line_alternates_by_component ON bom_line_alternates (tenant_id, component_id);

-- A released or obsolete version's content is a fact: its lines and operations never change.
CREATE FUNCTION mes_engineering_draft_only() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
DECLARE
  vid uuid := CASE WHEN TG_OP = 'DELETE' THEN OLD.version_id ELSE NEW.version_id END;
  tid uuid := CASE WHEN TG_OP = 'DELETE' THEN OLD.tenant_id ELSE NEW.tenant_id END;
  st text;
BEGIN
  EXECUTE format('SELECT status FROM %I WHERE tenant_id = $1 AND id = $2', TG_ARGV[0]) INTO st USING tid, vid;
  IF st IS DISTINCT FROM 'draft' THEN
    RAISE EXCEPTION '% of a % version cannot change: create a new revision', TG_TABLE_NAME, coalesce(st, 'missing') USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END $$;
CREATE TRIGGER bom_lines_draft_only BEFORE INSERT OR UPDATE OR DELETE ON bom_lines
  FOR EACH ROW EXECUTE FUNCTION mes_engineering_draft_only('bom_versions');
CREATE TRIGGER bom_line_alternates_draft_only BEFORE INSERT OR UPDATE OR DELETE ON bom_line_alternates
  FOR EACH ROW EXECUTE FUNCTION mes_engineering_draft_only('bom_versions');
CREATE TRIGGER routing_operations_draft_only BEFORE INSERT OR UPDATE OR DELETE ON routing_operations
  FOR EACH ROW EXECUTE FUNCTION mes_engineering_draft_only('routing_versions');
CREATE TRIGGER routing_operation_alternates_draft_only BEFORE INSERT OR UPDATE OR DELETE ON routing_operation_alternates
  FOR EACH ROW EXECUTE FUNCTION mes_engineering_draft_only('routing_versions');

-- ------------------------------------------------------------------ process drawings (S1-5.4.4-d)

-- A drawing (product, machining or inspection drawing) and its revisions. The files live in the
-- database, so a backup holds them with the data that refers to them.
CREATE TABLE drawings (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id        uuid NOT NULL REFERENCES tenants (id),
  code             text NOT NULL,
  name             text NOT NULL,
  kind             text NOT NULL CHECK (kind IN ('product', 'machining', 'inspection')),
  -- What it is a drawing of: a product, an operation of a routing, an inspection (a quality plan).
  material_id      uuid,
  routing_id       uuid,
  operation_seq    integer CHECK (operation_seq > 0),
  inspection_ref   text,
  current_revision integer NOT NULL DEFAULT 0,
  version          integer NOT NULL DEFAULT 1,
  created_by       text NOT NULL,
  created_at       timestamptz(3) NOT NULL DEFAULT now(),
  updated_at       timestamptz(3) NOT NULL DEFAULT now(),
  CHECK (operation_seq IS NULL OR routing_id IS NOT NULL),
  UNIQUE (tenant_id, code),
  UNIQUE (tenant_id, id),
  FOREIGN KEY (tenant_id, material_id) REFERENCES materials (tenant_id, id),
  FOREIGN KEY (tenant_id, routing_id) REFERENCES routings (tenant_id, id)
);
CREATE INDEX drawings_by_material ON drawings (tenant_id, material_id) WHERE material_id IS NOT NULL;
CREATE INDEX drawings_by_operation ON drawings (tenant_id, routing_id, operation_seq) WHERE routing_id IS NOT NULL;

CREATE TABLE drawing_revisions (
  tenant_id    uuid NOT NULL REFERENCES tenants (id),
  drawing_id   uuid NOT NULL,
  revision     integer NOT NULL CHECK (revision > 0),
  file_name    text NOT NULL,
  content_type text NOT NULL,
  size_bytes   integer NOT NULL CHECK (size_bytes > 0),
  sha256       text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  content      bytea NOT NULL,
  note         text NOT NULL DEFAULT '',
  uploaded_by  text NOT NULL,
  uploaded_at  timestamptz(3) NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, drawing_id, revision),
  FOREIGN KEY (tenant_id, drawing_id) REFERENCES drawings (tenant_id, id),
  CHECK (octet_length(content) = size_bytes)
);

-- ------------------------------------------------------------------ production orders (S1-5.4.4-e)

CREATE TABLE production_orders (
  id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id           uuid NOT NULL REFERENCES tenants (id),
  doc_no              text NOT NULL,
  material_id         uuid NOT NULL,
  quantity            numeric NOT NULL CHECK (quantity > 0),
  unit                text NOT NULL,
  base_quantity       numeric NOT NULL CHECK (base_quantity > 0),
  bom_version_id      uuid,
  routing_version_id  uuid,
  workshop_id         uuid,
  line_id             uuid,
  planned_start       date NOT NULL,
  planned_finish      date NOT NULL,
  due_date            date,
  -- Where the demand came from (S1-5.4.4-e): a task entered by hand, a sales order line (MTO),
  -- a safety-stock shortfall or an MRP run (source_ref names the run).
  source              text NOT NULL DEFAULT 'manual' CHECK (source IN ('manual', 'sales_demand', 'safety_stock', 'mrp')),
  source_ref          text,
  -- Make to order: the sales order line, its order and (as the MTO number) the order's number.
  sales_order_line_id uuid,
  sales_order_id      uuid,
  sales_order_line_no integer,
  mto_no              text,
  priority            smallint NOT NULL DEFAULT 5 CHECK (priority BETWEEN 1 AND 9),
  include_optional    boolean NOT NULL DEFAULT false,
  status              text NOT NULL DEFAULT 'planned' CHECK (status IN ('planned', 'released', 'in_progress', 'completed', 'closed', 'cancelled')),
  -- Product base unit; execution keeps them under the order's row lock.
  received_base       numeric NOT NULL DEFAULT 0 CHECK (received_base >= 0),
  scrapped_base       numeric NOT NULL DEFAULT 0 CHECK (scrapped_base >= 0),
  remark              text NOT NULL DEFAULT '',
  version             integer NOT NULL DEFAULT 1,
  created_by          text NOT NULL,
  created_by_user     uuid NOT NULL,
  approved_by         text,
  approved_at         timestamptz(3),
  released_by         text,
  released_at         timestamptz(3),
  started_at          timestamptz(3),
  completed_at        timestamptz(3),
  closed_at           timestamptz(3),
  cancelled_at        timestamptz(3),
  cancel_reason       text,
  created_at          timestamptz(3) NOT NULL DEFAULT now(),
  updated_at          timestamptz(3) NOT NULL DEFAULT now(),
  CHECK (planned_finish >= planned_start),
  CHECK (source <> 'sales_demand' OR sales_order_line_id IS NOT NULL),
  UNIQUE (tenant_id, doc_no),
  UNIQUE (tenant_id, id),
  FOREIGN KEY (tenant_id, material_id) REFERENCES materials (tenant_id, id),
  FOREIGN KEY (tenant_id, bom_version_id) REFERENCES bom_versions (tenant_id, id),
  FOREIGN KEY (tenant_id, routing_version_id) REFERENCES routing_versions (tenant_id, id),
  FOREIGN KEY (tenant_id, workshop_id) REFERENCES workshops (tenant_id, id),
  FOREIGN KEY (tenant_id, workshop_id, line_id) REFERENCES production_lines (tenant_id, workshop_id, id),
  FOREIGN KEY (tenant_id, sales_order_line_id) REFERENCES sales_order_lines (tenant_id, id),
  FOREIGN KEY (tenant_id, sales_order_id) REFERENCES sales_orders (tenant_id, id)
);
CREATE INDEX production_orders_by_status ON production_orders (tenant_id, status, created_at);
CREATE INDEX production_orders_by_due ON production_orders (tenant_id, due_date);
CREATE INDEX production_orders_by_material ON production_orders (tenant_id, material_id);
CREATE INDEX production_orders_by_workshop ON production_orders (tenant_id, workshop_id, status);
CREATE INDEX production_orders_by_sales_order ON production_orders (tenant_id, sales_order_id) WHERE sales_order_id IS NOT NULL;

-- The order's own copy of its routing, made at release: later engineering changes leave it be.
-- Quantities in the product's base unit; planned_minutes = setup + run × order quantity.
CREATE TABLE production_order_operations (
  id                          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id                   uuid NOT NULL REFERENCES tenants (id),
  order_id                    uuid NOT NULL,
  seq                         integer NOT NULL CHECK (seq > 0),
  name                        text NOT NULL,
  description                 text NOT NULL DEFAULT '',
  work_centre_id              uuid NOT NULL,
  station_id                  uuid,
  setup_minutes               numeric NOT NULL,
  run_minutes                 numeric NOT NULL,
  queue_minutes               numeric NOT NULL,
  move_minutes                numeric NOT NULL,
  planned_minutes             numeric NOT NULL,
  inspection_point            boolean NOT NULL,
  inspection_text             text NOT NULL,
  inspection_ref              text,
  -- [{workCentreId, workCentreCode, priority, setupMinutes, runMinutes}] as the routing had them.
  alternates                  jsonb NOT NULL DEFAULT '[]'::jsonb,
  status                      text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'in_progress', 'paused', 'completed')),
  good_quantity               numeric NOT NULL DEFAULT 0 CHECK (good_quantity >= 0),
  scrap_quantity              numeric NOT NULL DEFAULT 0 CHECK (scrap_quantity >= 0),
  pending_inspection_quantity numeric NOT NULL DEFAULT 0 CHECK (pending_inspection_quantity >= 0),
  planned_start               timestamptz(3),
  planned_finish              timestamptz(3),
  actual_start                timestamptz(3),
  actual_finish               timestamptz(3),
  UNIQUE (tenant_id, order_id, seq),
  UNIQUE (tenant_id, id),
  FOREIGN KEY (tenant_id, order_id) REFERENCES production_orders (tenant_id, id),
  FOREIGN KEY (tenant_id, work_centre_id) REFERENCES work_centres (tenant_id, id),
  FOREIGN KEY (tenant_id, station_id) REFERENCES stations (tenant_id, id)
);
CREATE INDEX production_order_operations_by_work_centre ON production_order_operations (tenant_id, work_centre_id, status);

-- The order's own component requirements, made at release from the exploded BOM (phantoms blown
-- through). Quantities in the component's base unit: standard = per_unit × order quantity exactly,
-- required = standard rounded up to the base unit's decimals (what can be issued).
CREATE TABLE production_order_components (
  id                   uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id            uuid NOT NULL REFERENCES tenants (id),
  order_id             uuid NOT NULL,
  line_no              integer NOT NULL CHECK (line_no > 0),
  material_id          uuid NOT NULL,
  operation_seq        integer,
  bom_version_id       uuid NOT NULL,
  bom_line_no          integer NOT NULL,
  -- Codes of the phantom assemblies this requirement was blown through, outermost first.
  via_phantoms         text[] NOT NULL DEFAULT '{}',
  per_unit             numeric NOT NULL CHECK (per_unit > 0),
  scrap_rate           numeric NOT NULL,
  standard_quantity    numeric NOT NULL CHECK (standard_quantity > 0),
  required_quantity    numeric NOT NULL CHECK (required_quantity > 0),
  issue_type           text NOT NULL CHECK (issue_type IN ('manual', 'backflush_operation', 'backflush_receipt')),
  include_in_kitting   boolean NOT NULL,
  optional             boolean NOT NULL,
  -- [{materialId, materialCode, priority, perUnit}] as the BOM had them.
  alternates           jsonb NOT NULL DEFAULT '[]'::jsonb,
  issued_quantity      numeric NOT NULL DEFAULT 0 CHECK (issued_quantity >= 0),
  backflushed_quantity numeric NOT NULL DEFAULT 0 CHECK (backflushed_quantity >= 0),
  returned_quantity    numeric NOT NULL DEFAULT 0 CHECK (returned_quantity >= 0),
  UNIQUE (tenant_id, order_id, line_no),
  UNIQUE (tenant_id, id),
  FOREIGN KEY (tenant_id, order_id) REFERENCES production_orders (tenant_id, id),
  FOREIGN KEY (tenant_id, order_id, operation_seq) REFERENCES production_order_operations (tenant_id, order_id, seq),
  FOREIGN KEY (tenant_id, material_id) REFERENCES materials (tenant_id, id),
  FOREIGN KEY (tenant_id, bom_version_id) REFERENCES bom_versions (tenant_id, id)
);
CREATE INDEX production_order_components_by_material ON production_order_components (tenant_id, material_id);

-- Business review of production orders when the tenant asks for it (S1-5.1.5).
ALTER TABLE tenant_settings ADD COLUMN production_order_approval boolean NOT NULL DEFAULT false;

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['routings', 'routing_versions', 'routing_operations', 'routing_operation_alternates', 'boms', 'bom_versions', 'bom_lines',
                           'bom_line_alternates', 'drawings', 'drawing_revisions', 'production_orders', 'production_order_operations',
                           'production_order_components'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY tenant_isolation ON %I USING (tenant_id = mes_current_tenant()) WITH CHECK (tenant_id = mes_current_tenant())', t);
  END LOOP;
END $$;

GRANT SELECT, INSERT, UPDATE ON routings, routing_versions, boms, bom_versions, drawings, production_orders, production_order_operations,
  production_order_components TO mes_app;
-- A draft's lines and operations are replaced when it is edited (the triggers keep released ones).
GRANT SELECT, INSERT, DELETE ON routing_operations, routing_operation_alternates, bom_lines, bom_line_alternates TO mes_app;
-- An uploaded revision is a fact.
GRANT SELECT, INSERT ON drawing_revisions TO mes_app;
