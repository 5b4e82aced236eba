-- Hardening (issue 10): what a shipped expired batch and a count against moved stock need.

-- A sales outbound line that ships an expired batch was chosen so on purpose, with a reason
-- (allowExpired); FIFO never picks one, and posting refuses a line whose batch expired unless it
-- carries this reason.
ALTER TABLE sales_outbound_lines ADD COLUMN expired_reason text;

-- A count line is compared with the book when it was first counted: the balance at the snapshot
-- plus everything that moved at that place since. Null until the line is counted.
ALTER TABLE count_lines ADD COLUMN book_at_count numeric;

-- A receipt into an existing batch fills in a date the batch was received without (it never
-- changes one: a different date is refused with BATCH_ATTRIBUTES_DIFFER before anything is written).
GRANT UPDATE (production_date, expiry_date, supplier_batch) ON batches TO mes_app;
