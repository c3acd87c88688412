-- What the reminders pass sent: bookkeeping, not a change (no undo entry, no version bump).
-- A follow-up is sent once per due instant, so the key is the follow-up and the instant it
-- was due (UTC): a snoozed one has a new key and is sent again. The morning summary of a day
-- is follow-up 0 and the date. A row with no sent_at is a claim a pass holds while it
-- delivers: two passes at once cannot both claim it; a failed delivery removes its claim.
CREATE TABLE reminders_sent (
  follow_up_id INTEGER NOT NULL,
  due_at       TEXT NOT NULL,
  claimed_at   TEXT NOT NULL,
  sent_at      TEXT,
  PRIMARY KEY (follow_up_id, due_at)
) WITHOUT ROWID;
CREATE INDEX reminders_sent_at ON reminders_sent(sent_at) WHERE sent_at IS NOT NULL;

-- A pass asks for the timed follow-ups due in a span of instants, whatever their local date.
CREATE INDEX follow_ups_open_at ON follow_ups(due_at) WHERE status = 'open' AND due_at IS NOT NULL;
