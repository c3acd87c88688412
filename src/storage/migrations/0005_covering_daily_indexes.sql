-- The daily list reads every open follow-up due through today, in the list's order. The
-- index on (due_date, due_at) found them but sent each to the table (one random page a row)
-- and sorted them afterwards. This one holds the list's order and every column the list
-- reads from follow_ups, so the rows come out of one index range already sorted: on a book
-- of 500,000 follow-ups that halves the pages `today` touches. Open rows only: done ones
-- never appear in the daily list.
DROP INDEX follow_ups_open_due;
CREATE INDEX follow_ups_open ON follow_ups(
  due_date, due_at IS NOT NULL, due_at, id,
  contact_id, deal_id, kind, text, every, done_at, version
) WHERE status = 'open';

-- The contacts to reconnect with: `today --brief` counts them at every shell prompt and
-- `today` lists them. The partial index found them, but SQLite does not take a partial
-- index's own WHERE terms as columns it holds, so each entry sent it to the contact's row
-- (for `archived` and `open_follow_ups`, and for the list the name and company): thousands of
-- random pages on a large book. Holding those columns too makes the count and the list read
-- this small index alone (contacts with a cadence and nothing scheduled, a few percent).
DROP INDEX contacts_reconnect;
CREATE INDEX contacts_reconnect ON contacts(
  cadence_days, last_contacted_at, created_at, archived, open_follow_ups,
  name_key, name, company_id
) WHERE cadence_days IS NOT NULL AND archived = 0 AND open_follow_ups = 0;
