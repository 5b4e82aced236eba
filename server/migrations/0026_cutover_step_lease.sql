-- A cutover step's runner and heartbeat (S1-7.3-a): a step left `running` by a process that was
-- killed (kill -9 mid-step) is recognised by its heartbeat going stale, and is then run again or
-- rolled back instead of blocking the cutover for ever. The table keeps its RLS (0019).
ALTER TABLE cutover_steps ADD COLUMN runner text;
ALTER TABLE cutover_steps ADD COLUMN heartbeat_at timestamptz(3);
