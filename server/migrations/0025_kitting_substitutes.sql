-- Kitting with substitutes (S1-5.4.4-k): a component may have stock of its BOM line's alternates
-- allocated besides its own, so an allocation is one row per order component and material.
ALTER TABLE production_allocations DROP CONSTRAINT production_allocations_pkey;
ALTER TABLE production_allocations ADD PRIMARY KEY (tenant_id, component_id, material_id);
