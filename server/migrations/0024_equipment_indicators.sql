-- Equipment indicators (S1-5.4.6-f): the OEE quality rate sums the work reports that named a
-- machine and ended in a period, so production's reports are found by machine and end time.
CREATE INDEX production_work_reports_by_equipment ON production_work_reports (tenant_id, equipment_code, ended_at) WHERE equipment_code IS NOT NULL;
