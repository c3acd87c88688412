-- The pipeline board shows each open deal's next follow-up and, failing that, its
-- contact's. Both were found through indexes on deal_id and (contact_id, status) that sent
-- every follow-up to its row (for its status, due date and time) and then sorted: on the
-- large book (35,000 open deals, 500,000 follow-ups) reading the board took most of a
-- second. These hold the open ones alone, in due order, with every column the board reads.
CREATE INDEX follow_ups_deal_next ON follow_ups(deal_id, due_date, due_at IS NOT NULL, due_at)
  WHERE status = 'open' AND deal_id IS NOT NULL;
-- (SQLite does not count a partial index's own WHERE terms as columns it holds: status and
-- deal_id are repeated so that the rows are never visited.)
CREATE INDEX follow_ups_contact_next ON follow_ups(contact_id, due_date, due_at, status, deal_id)
  WHERE status = 'open' AND deal_id IS NULL;
