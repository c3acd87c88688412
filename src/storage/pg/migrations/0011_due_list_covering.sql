-- salesdesk on PostgreSQL, migration 11: the daily list reads its open follow-ups from an index
-- alone, the text included, whoever's list it is.
--
-- A follow-up's text has no length bound, and a B-tree entry must fit in ~2.7 kB, so the open
-- follow-ups' indexes left it out and `today` fetched every due row from the table for it; a
-- list cut to its owner (every member's own list, a one-person book's too) went through
-- follow_ups_owner_open, which carried nothing but its keys. On the full generated book the
-- due list (4,483 rows) was most of `today`'s time on a server. text_head is the text when it
-- fits beside the row's labels (2,000 bytes in all: the rest of an entry is ~300 bytes of
-- numbers, dates and a login), else NULL, and both indexes carry it with every column the list
-- reads; the list reads the table for the rare text that does not fit (storage::follow_ups).
--
-- The planner's estimate of the open follow-ups due by a date multiplied the share of open
-- ones by the share due by then, as if independent; but nearly all past ones are done: on the
-- full book it expected 125,862 rows of 4,484 due, and 154,000 overdue of 318, so it counted
-- the overdue (`today --brief`) with parallel workers (~5 ms to start them) and compiled the
-- due list (JIT, 6–20 ms). The statistics of the pairs (status, due date) give it the real
-- counts; sampled wide, as a book has a few hundred days with follow-ups due.
INSERT INTO schema_migrations(version, name, sqlite_user_version, applied_at)
VALUES (11, '0011_due_list_covering', 15, to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'));

ALTER TABLE follow_ups ADD COLUMN text_head TEXT COLLATE "C" GENERATED ALWAYS AS (
  CASE WHEN octet_length(text) + octet_length(contact_name) + coalesce(octet_length(company_name), 0)
            + coalesce(octet_length(deal_title), 0) + coalesce(octet_length(seq_name), 0) <= 2000
       THEN text END
) STORED;

DROP INDEX IF EXISTS follow_ups_open;
CREATE INDEX follow_ups_open ON follow_ups(due_date, (due_at IS NOT NULL), due_at, id)
  INCLUDE (contact_id, deal_id, kind, every, done_at, version,
           contact_name, company_name, deal_title, deal_value_cents, deal_currency,
           seq_id, seq_name, seq_step, seq_steps, owner, text_head)
  WHERE status = 'open';
DROP INDEX IF EXISTS follow_ups_owner_open;
CREATE INDEX follow_ups_owner_open ON follow_ups(owner, due_date, (due_at IS NOT NULL), due_at, id)
  INCLUDE (contact_id, deal_id, kind, every, done_at, version,
           contact_name, company_name, deal_title, deal_value_cents, deal_currency,
           seq_id, seq_name, seq_step, seq_steps, text_head)
  WHERE status = 'open';

CREATE STATISTICS follow_ups_status_due (mcv) ON status, due_date FROM follow_ups;
ALTER STATISTICS follow_ups_status_due SET STATISTICS 1000;
ANALYZE follow_ups;
