-- What the reminders pass sent: bookkeeping, not a change (no undo entry, no version bump).
-- A follow-up is sent once per due instant and way of delivery, so the key is the follow-up,
-- the instant it was due (UTC) and the way (`desktop`, `print`, `command`): a snoozed one has
-- a new key and is sent again, and a way that failed is tried again without the others
-- sending twice. The morning summary of a day is follow-up 0 and the date. A row with no
-- sent_at is a claim a pass holds while it delivers: two passes at once cannot both hold it;
-- a failed delivery removes it; one left by a pass that died is taken over when stale.
CREATE TABLE reminders_sent (
  follow_up_id INTEGER NOT NULL,
  due_at       TEXT NOT NULL,
  via          TEXT NOT NULL,
  claimed_at   TEXT NOT NULL,
  sent_at      TEXT,
  PRIMARY KEY (follow_up_id, due_at, via)
) WITHOUT ROWID;
CREATE INDEX reminders_sent_at ON reminders_sent(sent_at) WHERE sent_at IS NOT NULL;

-- A pass asks for the timed follow-ups due in a span of instants, whatever their local date.
CREATE INDEX follow_ups_open_at ON follow_ups(due_at) WHERE status = 'open' AND due_at IS NOT NULL;
