-- The reconnect list reads only these columns of contacts with a cadence: a covering index
-- answers `today` and `today --brief` without touching the contact rows.
DROP INDEX contacts_cadence;
CREATE INDEX contacts_reconnect ON contacts(cadence_days, last_contacted_at, created_at)
  WHERE cadence_days IS NOT NULL AND archived = 0;
