-- Folded search (issue 16) and outcomes that fit the kind.
--
-- FTS5's `remove_diacritics` takes marks off letters that decompose (é, ñ, å) but leaves
-- letters that are letters of their own: ø, æ, œ, ß, ł, đ, ð, þ, ı… so `bjorn` found no
-- Bjørn. What the indexes get is now folded first with `text::FOLDED_LETTERS`: `FOLD[x]`
-- below is expanded by `storage::migrate` into plain SQL replace() calls, so any SQLite
-- (a script, the sqlite3 shell) still writes the book. Queries are folded by `text::fold`.
--
-- notes_fts becomes contentless, like the other indexes: an index of folded text over an
-- external content table of unfolded text would fail FTS5's own integrity-check.
--
-- notes.outcome gains replied (email), held and no-show (meeting): SQLite changes a CHECK
-- only by rebuilding the table, so notes is copied into its new shape, ids and all.

-- Name keys: the old key is already lowercase without marks, so folding the letters on it
-- gives what `text::fold` now gives. Two companies whose names fold alike keep their keys
-- (the unique index), and are found as before.
UPDATE contacts SET name_key = FOLD[name_key] WHERE name_key <> FOLD[name_key];
UPDATE OR IGNORE companies SET name_key = FOLD[name_key] WHERE name_key <> FOLD[name_key];

-- Notes in their new shape.
CREATE TEMP TABLE desk16a_seq AS SELECT seq FROM sqlite_sequence WHERE name = 'notes';
CREATE TABLE notes_new (
  id         INTEGER PRIMARY KEY AUTOINCREMENT,
  contact_id INTEGER NOT NULL REFERENCES contacts(id),
  deal_id    INTEGER REFERENCES deals(id),
  kind       TEXT NOT NULL DEFAULT 'note' CHECK (kind IN ('call','email','meeting','note')),
  outcome    TEXT CHECK (outcome IN ('connected','voicemail','no-answer','replied','held','no-show')),
  body       TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  version    INTEGER NOT NULL DEFAULT 1
);
INSERT INTO notes_new(id, contact_id, deal_id, kind, outcome, body, created_at, updated_at, version)
  SELECT id, contact_id, deal_id, kind, outcome, body, created_at, updated_at, version FROM notes;
DROP TABLE notes_fts;
DROP TABLE notes;
ALTER TABLE notes_new RENAME TO notes;
-- Ids are never reused: the sequence goes on from where the old table's was.
UPDATE sqlite_sequence SET seq = max(seq, coalesce((SELECT seq FROM temp.desk16a_seq), 0))
  WHERE name = 'notes';
INSERT INTO sqlite_sequence(name, seq)
  SELECT 'notes', seq FROM temp.desk16a_seq
  WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'notes');
DROP TABLE temp.desk16a_seq;
CREATE INDEX notes_contact ON notes(contact_id, created_at);
CREATE INDEX notes_deal ON notes(deal_id, created_at) WHERE deal_id IS NOT NULL;
CREATE INDEX notes_created ON notes(created_at);
CREATE INDEX notes_kind_created ON notes(kind, outcome, created_at);

CREATE VIRTUAL TABLE notes_fts USING fts5(
  body, content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 2'
);
INSERT INTO notes_fts(notes_fts, rank) VALUES ('secure-delete', 1);
INSERT INTO notes_fts(rowid, body) SELECT id, FOLD[body] FROM notes;

CREATE TRIGGER notes_fts_ai AFTER INSERT ON notes BEGIN
  INSERT INTO notes_fts(rowid, body) VALUES (new.id, FOLD[new.body]);
END;
CREATE TRIGGER notes_ai AFTER INSERT ON notes BEGIN
  UPDATE contacts SET last_contacted_at = new.created_at
    WHERE id = new.contact_id AND new.kind IN ('call','email','meeting')
      AND (last_contacted_at IS NULL OR last_contacted_at < new.created_at);
END;
CREATE TRIGGER notes_ad AFTER DELETE ON notes BEGIN
  DELETE FROM notes_fts WHERE rowid = old.id;
  UPDATE contacts SET last_contacted_at = (
      SELECT max(created_at) FROM notes
      WHERE contact_id = old.contact_id AND kind IN ('call','email','meeting'))
    WHERE id = old.contact_id AND old.kind IN ('call','email','meeting');
END;
CREATE TRIGGER notes_au AFTER UPDATE OF body, kind, contact_id, created_at ON notes BEGIN
  DELETE FROM notes_fts WHERE rowid = old.id;
  INSERT INTO notes_fts(rowid, body) VALUES (new.id, FOLD[new.body]);
  UPDATE contacts SET last_contacted_at = (
      SELECT max(created_at) FROM notes
      WHERE contact_id = contacts.id AND kind IN ('call','email','meeting'))
    WHERE id IN (old.contact_id, new.contact_id);
END;

-- Contacts, companies and deals: the same triggers, indexing folded text.
DROP TRIGGER contacts_fts_ai;
CREATE TRIGGER contacts_fts_ai AFTER INSERT ON contacts BEGIN
  INSERT INTO contacts_fts(rowid, name, company, title, emails, phones, tags) VALUES (
    new.id, FOLD[new.name], (SELECT FOLD[name] FROM companies WHERE id = new.company_id), FOLD[new.title],
    (SELECT group_concat(value, ' ') FROM json_each(new.emails)),
    (SELECT group_concat(value, ' ') FROM json_each(new.phones)),
    (SELECT group_concat(value, ' ') FROM json_each(FOLD[new.tags])));
  INSERT INTO contacts_tri(rowid, name, emails, phones) VALUES (
    new.id, FOLD[new.name],
    (SELECT group_concat(value, ' ') FROM json_each(new.emails)),
    (SELECT group_concat(value || ' ' || replace(replace(replace(replace(replace(replace(value,' ',''),'-',''),'(',''),')',''),'.',''),'+',''), ' ') FROM json_each(new.phones)));
END;

DROP TRIGGER contacts_au;
CREATE TRIGGER contacts_au AFTER UPDATE OF name, company_id, title, emails, phones, tags ON contacts BEGIN
  DELETE FROM contact_keys WHERE contact_id = old.id;
  INSERT INTO contact_keys(contact_id, kind, key)
    SELECT new.id, 'email', lower(trim(value)) FROM json_each(new.emails);
  INSERT INTO contact_keys(contact_id, kind, key)
    SELECT new.id, 'phone', replace(replace(replace(replace(replace(replace(replace(value,' ',''),'-',''),'(',''),')',''),'.',''),'+',''),'/','')
    FROM json_each(new.phones);
  INSERT INTO contact_keys(contact_id, kind, key)
    SELECT new.id, 'tag', lower(trim(value)) FROM json_each(new.tags);
  DELETE FROM contacts_fts WHERE rowid = old.id;
  DELETE FROM contacts_tri WHERE rowid = old.id;
  INSERT INTO contacts_fts(rowid, name, company, title, emails, phones, tags) VALUES (
    new.id, FOLD[new.name], (SELECT FOLD[name] FROM companies WHERE id = new.company_id), FOLD[new.title],
    (SELECT group_concat(value, ' ') FROM json_each(new.emails)),
    (SELECT group_concat(value, ' ') FROM json_each(new.phones)),
    (SELECT group_concat(value, ' ') FROM json_each(FOLD[new.tags])));
  INSERT INTO contacts_tri(rowid, name, emails, phones) VALUES (
    new.id, FOLD[new.name],
    (SELECT group_concat(value, ' ') FROM json_each(new.emails)),
    (SELECT group_concat(value || ' ' || replace(replace(replace(replace(replace(replace(value,' ',''),'-',''),'(',''),')',''),'.',''),'+',''), ' ') FROM json_each(new.phones)));
  -- the contact's name shows in its deals' index too
  DELETE FROM deals_fts WHERE rowid IN (SELECT id FROM deals WHERE contact_id = new.id);
  INSERT INTO deals_fts(rowid, title, contact, company)
    SELECT d.id, FOLD[d.title], FOLD[new.name], (SELECT FOLD[name] FROM companies WHERE id = new.company_id)
    FROM deals d WHERE d.contact_id = new.id;
END;

DROP TRIGGER companies_fts_ai;
CREATE TRIGGER companies_fts_ai AFTER INSERT ON companies BEGIN
  INSERT INTO companies_fts(rowid, name) VALUES (new.id, FOLD[new.name]);
END;
DROP TRIGGER companies_au;
CREATE TRIGGER companies_au AFTER UPDATE OF name ON companies BEGIN
  DELETE FROM companies_fts WHERE rowid = old.id;
  INSERT INTO companies_fts(rowid, name) VALUES (new.id, FOLD[new.name]);
  DELETE FROM contacts_fts WHERE rowid IN (SELECT id FROM contacts WHERE company_id = new.id);
  INSERT INTO contacts_fts(rowid, name, company, title, emails, phones, tags)
    SELECT c.id, FOLD[c.name], FOLD[new.name], FOLD[c.title],
      (SELECT group_concat(value, ' ') FROM json_each(c.emails)),
      (SELECT group_concat(value, ' ') FROM json_each(c.phones)),
      (SELECT group_concat(value, ' ') FROM json_each(FOLD[c.tags]))
    FROM contacts c WHERE c.company_id = new.id;
END;

DROP TRIGGER deals_fts_ai;
CREATE TRIGGER deals_fts_ai AFTER INSERT ON deals BEGIN
  INSERT INTO deals_fts(rowid, title, contact, company)
    SELECT new.id, FOLD[new.title], FOLD[c.name], (SELECT FOLD[name] FROM companies WHERE id = c.company_id)
    FROM contacts c WHERE c.id = new.contact_id;
END;
DROP TRIGGER deals_au;
CREATE TRIGGER deals_au AFTER UPDATE OF title, contact_id ON deals BEGIN
  DELETE FROM deals_fts WHERE rowid = old.id;
  INSERT INTO deals_fts(rowid, title, contact, company)
    SELECT new.id, FOLD[new.title], FOLD[c.name], (SELECT FOLD[name] FROM companies WHERE id = c.company_id)
    FROM contacts c WHERE c.id = new.contact_id;
END;

-- Existing rows whose indexed text holds a folded letter, indexed again. Everything else
-- is indexed as it was: folding leaves plain text alone.
CREATE TEMP TABLE desk16a_refold AS
  SELECT c.id FROM contacts c LEFT JOIN companies co ON co.id = c.company_id
  WHERE FOLD[c.name] <> c.name OR FOLD[coalesce(c.title, '')] <> coalesce(c.title, '')
     OR FOLD[c.tags] <> c.tags OR FOLD[coalesce(co.name, '')] <> coalesce(co.name, '');
DELETE FROM contacts_fts WHERE rowid IN (SELECT id FROM temp.desk16a_refold);
DELETE FROM contacts_tri WHERE rowid IN (SELECT id FROM temp.desk16a_refold);
INSERT INTO contacts_fts(rowid, name, company, title, emails, phones, tags)
  SELECT c.id, FOLD[c.name], (SELECT FOLD[name] FROM companies WHERE id = c.company_id), FOLD[c.title],
    (SELECT group_concat(value, ' ') FROM json_each(c.emails)),
    (SELECT group_concat(value, ' ') FROM json_each(c.phones)),
    (SELECT group_concat(value, ' ') FROM json_each(FOLD[c.tags]))
  FROM contacts c WHERE c.id IN (SELECT id FROM temp.desk16a_refold);
INSERT INTO contacts_tri(rowid, name, emails, phones)
  SELECT c.id, FOLD[c.name],
    (SELECT group_concat(value, ' ') FROM json_each(c.emails)),
    (SELECT group_concat(value || ' ' || replace(replace(replace(replace(replace(replace(value,' ',''),'-',''),'(',''),')',''),'.',''),'+',''), ' ') FROM json_each(c.phones))
  FROM contacts c WHERE c.id IN (SELECT id FROM temp.desk16a_refold);

DELETE FROM companies_fts WHERE rowid IN (SELECT id FROM companies WHERE FOLD[name] <> name);
INSERT INTO companies_fts(rowid, name)
  SELECT id, FOLD[name] FROM companies WHERE FOLD[name] <> name;

DELETE FROM temp.desk16a_refold;
INSERT INTO temp.desk16a_refold
  SELECT d.id FROM deals d JOIN contacts c ON c.id = d.contact_id
    LEFT JOIN companies co ON co.id = c.company_id
  WHERE FOLD[d.title] <> d.title OR FOLD[c.name] <> c.name
     OR FOLD[coalesce(co.name, '')] <> coalesce(co.name, '');
DELETE FROM deals_fts WHERE rowid IN (SELECT id FROM temp.desk16a_refold);
INSERT INTO deals_fts(rowid, title, contact, company)
  SELECT d.id, FOLD[d.title], FOLD[c.name], (SELECT FOLD[name] FROM companies WHERE id = c.company_id)
  FROM deals d JOIN contacts c ON c.id = d.contact_id
  WHERE d.id IN (SELECT id FROM temp.desk16a_refold);
DROP TABLE temp.desk16a_refold;
