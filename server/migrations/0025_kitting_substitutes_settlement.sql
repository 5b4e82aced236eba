-- Kitting with substitutes (S1-5.4.4-k): a component may have stock of its BOM line's alternates
-- allocated besides its own, so an allocation is one row per order component and material.
ALTER TABLE production_allocations DROP CONSTRAINT production_allocations_pkey;
ALTER TABLE production_allocations ADD PRIMARY KEY (tenant_id, component_id, material_id);

-- Pending-inspection settlement (S1-5.4.4-h, S1-5.4.5-c): when quality judges the in-process
-- inspection a work report started, the report's pending-inspection quantity is settled into good
-- and scrap on its operation. The report keeps what was reported and records the settlement, so
-- the operation's good, scrap and pending stay the sums of its reports (reported + settled).
ALTER TABLE production_work_reports
  ADD COLUMN settled_good          numeric NOT NULL DEFAULT 0 CHECK (settled_good >= 0),
  ADD COLUMN settled_scrap         numeric NOT NULL DEFAULT 0 CHECK (settled_scrap >= 0),
  ADD COLUMN settled_inspection_id uuid,
  ADD COLUMN settled_inspection_no text,
  ADD COLUMN settled_at            timestamptz(3),
  ADD CONSTRAINT production_work_reports_settled_within_pending CHECK (settled_good + settled_scrap <= pending_inspection_quantity);
