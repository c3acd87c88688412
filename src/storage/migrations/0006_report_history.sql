-- `report` under 200 ms on a large book: each figure read from one range of a covering index.

-- When each stage-history event's stay ended: the `at` of the deal's next event (by time,
-- then id), NULL while it is the deal's latest. Days in stage then reads the stays that ended
-- in the period from one index range, where it ran a window over the history of every deal
-- touched in the period. Kept by triggers, so it stays right in whatever order rows arrive
-- (import, undo) and needs no bookkeeping from the code that writes events.
ALTER TABLE deal_events ADD COLUMN ended_at TEXT;
UPDATE deal_events SET ended_at =
  (SELECT n.at FROM deal_events n
   WHERE n.deal_id = deal_events.deal_id AND (n.at, n.id) > (deal_events.at, deal_events.id)
   ORDER BY n.at, n.id LIMIT 1);
CREATE INDEX deal_events_ended ON deal_events(ended_at, event, stage, at);

-- An event written or removed changes only its own end and its predecessor's (the deal's
-- events are a list in (at, id) order), so each trigger seeks those one or two rows rather
-- than recomputing the deal; a row is written only when its end changes (a new latest
-- event, the common case, writes just its predecessor). A change of time or deal is rare:
-- both deals are recomputed.
CREATE TRIGGER deal_events_ended_ai AFTER INSERT ON deal_events BEGIN
  UPDATE deal_events SET ended_at =
    (SELECT n.at FROM deal_events n
     WHERE n.deal_id = new.deal_id AND (n.at, n.id) > (new.at, new.id)
     ORDER BY n.at, n.id LIMIT 1)
  WHERE id = new.id AND ended_at IS NOT
    (SELECT n.at FROM deal_events n
     WHERE n.deal_id = new.deal_id AND (n.at, n.id) > (new.at, new.id)
     ORDER BY n.at, n.id LIMIT 1);
  UPDATE deal_events SET ended_at = new.at
  WHERE id = (SELECT p.id FROM deal_events p
              WHERE p.deal_id = new.deal_id AND (p.at, p.id) < (new.at, new.id)
              ORDER BY p.at DESC, p.id DESC LIMIT 1)
    AND ended_at IS NOT new.at;
END;
CREATE TRIGGER deal_events_ended_ad AFTER DELETE ON deal_events BEGIN
  UPDATE deal_events SET ended_at =
    (SELECT n.at FROM deal_events n
     WHERE n.deal_id = old.deal_id AND (n.at, n.id) > (old.at, old.id)
     ORDER BY n.at, n.id LIMIT 1)
  WHERE id = (SELECT p.id FROM deal_events p
              WHERE p.deal_id = old.deal_id AND (p.at, p.id) < (old.at, old.id)
              ORDER BY p.at DESC, p.id DESC LIMIT 1);
END;
CREATE TRIGGER deal_events_ended_au AFTER UPDATE OF id, deal_id, at ON deal_events BEGIN
  UPDATE deal_events SET ended_at =
    (SELECT n.at FROM deal_events n
     WHERE n.deal_id = deal_events.deal_id AND (n.at, n.id) > (deal_events.at, deal_events.id)
     ORDER BY n.at, n.id LIMIT 1)
  WHERE deal_id IN (old.deal_id, new.deal_id) AND ended_at IS NOT
    (SELECT n.at FROM deal_events n
     WHERE n.deal_id = deal_events.deal_id AND (n.at, n.id) > (deal_events.at, deal_events.id)
     ORDER BY n.at, n.id LIMIT 1);
END;

-- Won and lost in the period: the closed deals' figures from the index, the rows never read
-- (the old `deals_closed` had `closed_at` alone; its other users only need that prefix).
DROP INDEX deals_closed;
CREATE INDEX deals_closed ON deals(closed_at, status, currency, value_cents, created_at)
  WHERE closed_at IS NOT NULL;

-- Won money per lead source: the won deals' contacts and values, then each contact's source,
-- both from indexes, where it read 10,000 deal rows and as many contact rows (the wide ones).
CREATE INDEX deals_won_contact ON deals(contact_id, currency, value_cents) WHERE status = 'won';
CREATE INDEX contacts_id_source ON contacts(id, source);
