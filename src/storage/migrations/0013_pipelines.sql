-- Several pipelines, renewals and referrals. A deal belongs to one pipeline: the deals of a
-- book from before are in `sales`, the name the old single `[pipeline]` goes by. The board
-- and `deal list --pipeline` read one pipeline's deals through deals_pipeline.
ALTER TABLE deals ADD COLUMN pipeline TEXT NOT NULL DEFAULT 'sales';
-- The migration cannot read the config: the first command that opens the book with it moves
-- these deals to the config's first pipeline when that is not `sales`, then drops the mark
-- (`Db::settle_pipeline_upgrade`).
INSERT INTO meta(key, value) SELECT 'deals_to_first_pipeline', 'sales'
  WHERE EXISTS (SELECT 1 FROM deals);
CREATE INDEX deals_pipeline ON deals(pipeline, status, stage);

-- The report per pipeline reads the same indexes as before, each with the pipeline added:
-- open deals grouped by currency, pipeline and stage, closed ones per pipeline.
DROP INDEX deals_open_value;
CREATE INDEX deals_open_value ON deals(status, currency, pipeline, stage, expected_close, value_cents);
DROP INDEX deals_closed;
CREATE INDEX deals_closed ON deals(closed_at, status, currency, value_cents, created_at, pipeline)
  WHERE closed_at IS NOT NULL;

-- Who referred whom: a contact's referrer, and the contacts one referred (a merge or a purge
-- of the referrer repoints or clears it; no foreign key, so undoing and restoring in any
-- order never trips on it).
ALTER TABLE contacts ADD COLUMN referred_by INTEGER;
CREATE INDEX contacts_referred_by ON contacts(referred_by) WHERE referred_by IS NOT NULL;
