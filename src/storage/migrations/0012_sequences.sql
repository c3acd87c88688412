-- Sequences (issue 19): a contact worked through a named series of follow-ups.
--
-- An enrolment copies the sequence's steps when it starts (a later config change affects
-- later starts only), and points at the step it is on. Each step is an ordinary follow-up
-- that carries its enrolment, its step and the number of steps (fixed for the enrolment), so
-- `today` reads the label `new-lead 2/3` from the open-rows index like any other column.
CREATE TABLE sequence_enrollments (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  contact_id  INTEGER NOT NULL REFERENCES contacts(id),
  deal_id     INTEGER REFERENCES deals(id),
  name        TEXT NOT NULL,
  steps       TEXT NOT NULL,             -- JSON array of {after, kind, text}, copied at start
  stop_on     TEXT NOT NULL DEFAULT '["connected","replied","won","lost"]',
  step        INTEGER NOT NULL DEFAULT 1, -- the step under way (1-based)
  status      TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active','finished','stopped')),
  stop_reason TEXT,                      -- connected, replied, won, lost, cancelled, archived, merged, stopped
  started_at  TEXT NOT NULL,
  ended_at    TEXT,
  updated_at  TEXT NOT NULL,
  version     INTEGER NOT NULL DEFAULT 1
);
-- A contact is in at most one sequence at a time.
CREATE UNIQUE INDEX sequence_enrollments_active ON sequence_enrollments(contact_id)
  WHERE status = 'active';
CREATE INDEX sequence_enrollments_contact ON sequence_enrollments(contact_id, status);
CREATE INDEX sequence_enrollments_name ON sequence_enrollments(name, status);

-- No foreign key on seq_id: a purge deletes a person's rows in any order.
ALTER TABLE follow_ups ADD COLUMN seq_id INTEGER;
ALTER TABLE follow_ups ADD COLUMN seq_name TEXT;
ALTER TABLE follow_ups ADD COLUMN seq_step INTEGER;
ALTER TABLE follow_ups ADD COLUMN seq_steps INTEGER;
CREATE INDEX follow_ups_seq ON follow_ups(seq_id, status) WHERE seq_id IS NOT NULL;

DROP INDEX follow_ups_open;
CREATE INDEX follow_ups_open ON follow_ups(
  due_date, due_at IS NOT NULL, due_at, id,
  contact_id, deal_id, kind, text, every, done_at, version,
  contact_name, company_name, deal_title, deal_value_cents, deal_currency,
  seq_id, seq_name, seq_step, seq_steps
) WHERE status = 'open';
