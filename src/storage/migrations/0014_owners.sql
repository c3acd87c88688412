-- Owners (issue 22). On a server each contact, deal and follow-up has an owner, each note an
-- author and may be private, and each change and deal event records who made it. A personal
-- book has one user, `me`, who owns everything: the columns are here so the two engines keep
-- one schema and an export says the same on both; nothing else changes on SQLite.
ALTER TABLE contacts ADD COLUMN owner TEXT NOT NULL DEFAULT 'me';
ALTER TABLE deals ADD COLUMN owner TEXT NOT NULL DEFAULT 'me';
ALTER TABLE follow_ups ADD COLUMN owner TEXT NOT NULL DEFAULT 'me';
ALTER TABLE notes ADD COLUMN author TEXT NOT NULL DEFAULT 'me';
ALTER TABLE notes ADD COLUMN private INTEGER NOT NULL DEFAULT 0 CHECK (private IN (0, 1));
ALTER TABLE deal_events ADD COLUMN by_user TEXT NOT NULL DEFAULT 'me';
ALTER TABLE undo_log ADD COLUMN by_user TEXT NOT NULL DEFAULT 'me';

-- The daily list reads its rows from this index alone: it now carries the owner it shows.
DROP INDEX follow_ups_open;
CREATE INDEX follow_ups_open ON follow_ups(
  due_date, due_at IS NOT NULL, due_at, id,
  contact_id, deal_id, kind, text, every, done_at, version,
  contact_name, company_name, deal_title, deal_value_cents, deal_currency,
  seq_id, seq_name, seq_step, seq_steps, owner
) WHERE status = 'open';

-- Who gave a contact, deal or follow-up to whom, when: a row's reassignments are its
-- history, shown with the deal's moves and on the contact's timeline. Undone with the change
-- that made them.
CREATE TABLE reassignments (
  id         INTEGER PRIMARY KEY AUTOINCREMENT,
  tbl        TEXT NOT NULL CHECK (tbl IN ('contacts', 'deals', 'follow_ups')),
  row_id     INTEGER NOT NULL,
  from_owner TEXT NOT NULL,
  to_owner   TEXT NOT NULL,
  by_user    TEXT NOT NULL DEFAULT 'me',
  at         TEXT NOT NULL,
  version    INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX reassignments_row ON reassignments(tbl, row_id, at);
