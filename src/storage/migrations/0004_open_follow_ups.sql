-- How many open follow-ups each contact has, kept by triggers: the reconnect list (contacts
-- whose cadence lapsed with nothing scheduled) becomes one scan of a small partial index,
-- where it probed the follow-ups of every contact with a cadence. Recomputed rather than
-- counted up and down, so it stays right whatever order rows are written in (undo included).
ALTER TABLE contacts ADD COLUMN open_follow_ups INTEGER NOT NULL DEFAULT 0;
UPDATE contacts SET open_follow_ups =
  (SELECT count(*) FROM follow_ups f WHERE f.contact_id = contacts.id AND f.status = 'open');

DROP INDEX contacts_reconnect;
CREATE INDEX contacts_reconnect ON contacts(cadence_days, last_contacted_at, created_at)
  WHERE cadence_days IS NOT NULL AND archived = 0 AND open_follow_ups = 0;

CREATE TRIGGER follow_ups_open_ai AFTER INSERT ON follow_ups WHEN new.status = 'open' BEGIN
  UPDATE contacts SET open_follow_ups =
    (SELECT count(*) FROM follow_ups WHERE contact_id = new.contact_id AND status = 'open')
  WHERE id = new.contact_id;
END;
CREATE TRIGGER follow_ups_open_ad AFTER DELETE ON follow_ups WHEN old.status = 'open' BEGIN
  UPDATE contacts SET open_follow_ups =
    (SELECT count(*) FROM follow_ups WHERE contact_id = old.contact_id AND status = 'open')
  WHERE id = old.contact_id;
END;
CREATE TRIGGER follow_ups_open_au AFTER UPDATE OF status, contact_id ON follow_ups
  WHEN old.status = 'open' OR new.status = 'open' BEGIN
  UPDATE contacts SET open_follow_ups =
    (SELECT count(*) FROM follow_ups WHERE contact_id = contacts.id AND status = 'open')
  WHERE id IN (old.contact_id, new.contact_id);
END;
