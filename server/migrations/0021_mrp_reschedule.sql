-- MRP reschedule messages (S1-5.4.4-k): open supply dated later than the need it covers gets a
-- reschedule-in suggestion. They are part of a run's result, kept with the run like its planned
-- orders, so a run read later shows what it said then.
ALTER TABLE mrp_runs ADD COLUMN reschedule_messages jsonb NOT NULL DEFAULT '[]'::jsonb;
