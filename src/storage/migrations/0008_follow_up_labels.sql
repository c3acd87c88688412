-- Every follow-up carries the names it is shown with: its contact's, the contact's company's,
-- and its deal's title and value. `today` on the large book (7,500 lines due) joined a
-- contact, a company and a deal to each line, one random page each: two thirds of the
-- query's time went to those lookups. With the labels in the open-rows index, the daily list
-- reads one index range and nothing else. Kept by triggers from the rows they copy (renames
-- are rare; a contact's follow-ups are a handful), so every writer, undo and import alike,
-- leaves them right; `db check` recomputes them.
ALTER TABLE follow_ups ADD COLUMN contact_name TEXT NOT NULL DEFAULT '';
ALTER TABLE follow_ups ADD COLUMN company_name TEXT;
ALTER TABLE follow_ups ADD COLUMN deal_title TEXT;
ALTER TABLE follow_ups ADD COLUMN deal_value_cents INTEGER;
ALTER TABLE follow_ups ADD COLUMN deal_currency TEXT;

UPDATE follow_ups SET (contact_name, company_name) =
  (SELECT c.name, co.name FROM contacts c LEFT JOIN companies co ON co.id = c.company_id
   WHERE c.id = follow_ups.contact_id);
UPDATE follow_ups SET (deal_title, deal_value_cents, deal_currency) =
  (SELECT d.title, d.value_cents, d.currency FROM deals d WHERE d.id = follow_ups.deal_id)
WHERE deal_id IS NOT NULL;

DROP INDEX follow_ups_open;
CREATE INDEX follow_ups_open ON follow_ups(
  due_date, due_at IS NOT NULL, due_at, id,
  contact_id, deal_id, kind, text, every, done_at, version,
  contact_name, company_name, deal_title, deal_value_cents, deal_currency
) WHERE status = 'open';

CREATE TRIGGER follow_ups_labels_ai AFTER INSERT ON follow_ups BEGIN
  UPDATE follow_ups SET (contact_name, company_name, deal_title, deal_value_cents, deal_currency) =
    (SELECT c.name, co.name, d.title, d.value_cents, d.currency
     FROM contacts c LEFT JOIN companies co ON co.id = c.company_id
     LEFT JOIN deals d ON d.id = new.deal_id
     WHERE c.id = new.contact_id)
  WHERE id = new.id;
END;
CREATE TRIGGER follow_ups_labels_au AFTER UPDATE OF contact_id, deal_id ON follow_ups BEGIN
  UPDATE follow_ups SET (contact_name, company_name, deal_title, deal_value_cents, deal_currency) =
    (SELECT c.name, co.name, d.title, d.value_cents, d.currency
     FROM contacts c LEFT JOIN companies co ON co.id = c.company_id
     LEFT JOIN deals d ON d.id = new.deal_id
     WHERE c.id = new.contact_id)
  WHERE id = new.id;
END;
-- (A contact's other columns change all day, its last contact with every call logged: the
-- WHEN keeps those from rewriting its follow-ups.)
CREATE TRIGGER contacts_labels_au AFTER UPDATE OF name, company_id ON contacts
  WHEN old.name IS NOT new.name OR old.company_id IS NOT new.company_id BEGIN
  UPDATE follow_ups SET contact_name = new.name,
    company_name = (SELECT name FROM companies WHERE id = new.company_id)
  WHERE contact_id = new.id;
END;
CREATE TRIGGER companies_labels_au AFTER UPDATE OF name ON companies
  WHEN old.name IS NOT new.name BEGIN
  UPDATE follow_ups SET company_name = new.name
  WHERE contact_id IN (SELECT id FROM contacts WHERE company_id = new.id);
END;
CREATE TRIGGER deals_labels_au AFTER UPDATE OF title, value_cents, currency ON deals
  WHEN old.title IS NOT new.title OR old.value_cents IS NOT new.value_cents
    OR old.currency IS NOT new.currency BEGIN
  UPDATE follow_ups SET deal_title = new.title, deal_value_cents = new.value_cents,
    deal_currency = new.currency
  WHERE deal_id = new.id;
END;
