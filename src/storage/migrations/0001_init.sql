-- salesdesk schema, version 1. Append-only: later changes go in 0002_….sql.
-- Times are UTC RFC 3339 text (`2026-11-23T09:00:00Z`) so text order is time order; dates
-- are local `YYYY-MM-DD`. Every editable row carries `version`, bumped on each change, so an
-- edit based on a stale read is refused. AUTOINCREMENT: ids are never reused.

CREATE TABLE meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE companies (
  id         INTEGER PRIMARY KEY AUTOINCREMENT,
  name       TEXT NOT NULL,
  name_key   TEXT NOT NULL,            -- folded name: one company per spelling
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  version    INTEGER NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX companies_name_key ON companies(name_key);

CREATE TABLE contacts (
  id                INTEGER PRIMARY KEY AUTOINCREMENT,
  name              TEXT NOT NULL,
  name_key          TEXT NOT NULL,     -- folded, for references
  company_id        INTEGER REFERENCES companies(id),
  title             TEXT,
  emails            TEXT NOT NULL DEFAULT '[]',  -- JSON arrays: the row is whole, so undo
  phones            TEXT NOT NULL DEFAULT '[]',  -- restores it in one piece; contact_keys
  tags              TEXT NOT NULL DEFAULT '[]',  -- indexes them for lookups
  source            TEXT,
  status            TEXT NOT NULL DEFAULT 'lead' CHECK (status IN ('lead','prospect','customer','repeat')),
  temperature       TEXT CHECK (temperature IN ('hot','warm','cold')),
  cadence_days      INTEGER CHECK (cadence_days > 0),
  archived          INTEGER NOT NULL DEFAULT 0,
  linkedin_url      TEXT,
  connected_on      TEXT,
  last_contacted_at TEXT,              -- derived from notes by triggers below
  created_at        TEXT NOT NULL,
  updated_at        TEXT NOT NULL,
  version           INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX contacts_name_key ON contacts(name_key);
CREATE INDEX contacts_company ON contacts(company_id);
CREATE INDEX contacts_cadence ON contacts(cadence_days) WHERE cadence_days IS NOT NULL AND archived = 0;

-- Emails (lowercased), phones (digits) and tags (folded), kept in step with contacts.
CREATE TABLE contact_keys (
  contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
  kind       TEXT NOT NULL CHECK (kind IN ('email','phone','tag')),
  key        TEXT NOT NULL
);
CREATE INDEX contact_keys_key ON contact_keys(kind, key);
CREATE INDEX contact_keys_contact ON contact_keys(contact_id);

CREATE TABLE deals (
  id               INTEGER PRIMARY KEY AUTOINCREMENT,
  title            TEXT NOT NULL,
  contact_id       INTEGER NOT NULL REFERENCES contacts(id),
  value_cents      INTEGER NOT NULL DEFAULT 0,
  currency         TEXT NOT NULL,
  stage            TEXT NOT NULL,
  status           TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open','won','lost')),
  lost_reason      TEXT,
  expected_close   TEXT,
  closed_at        TEXT,
  stage_entered_at TEXT NOT NULL,
  created_at       TEXT NOT NULL,
  updated_at       TEXT NOT NULL,
  version          INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX deals_status_stage ON deals(status, stage);
CREATE INDEX deals_contact ON deals(contact_id, status);
CREATE INDEX deals_closed ON deals(closed_at) WHERE closed_at IS NOT NULL;

-- Every stage change, win, loss and reopening, with its time: the reports' source.
CREATE TABLE deal_events (
  id      INTEGER PRIMARY KEY AUTOINCREMENT,
  deal_id INTEGER NOT NULL REFERENCES deals(id),
  event   TEXT NOT NULL CHECK (event IN ('stage','won','lost','reopened')),
  stage   TEXT NOT NULL,
  at      TEXT NOT NULL,
  version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX deal_events_deal ON deal_events(deal_id, at);

CREATE TABLE follow_ups (
  id         INTEGER PRIMARY KEY AUTOINCREMENT,
  contact_id INTEGER NOT NULL REFERENCES contacts(id),
  deal_id    INTEGER REFERENCES deals(id),
  kind       TEXT NOT NULL DEFAULT 'call' CHECK (kind IN ('call','email','meeting','task')),
  text       TEXT NOT NULL DEFAULT '',
  due_date   TEXT NOT NULL,            -- local date; for a timed one, the date of due_at
  due_at     TEXT,                     -- UTC instant when timed, NULL when all-day
  every      TEXT,                     -- repeat interval, e.g. '2w'
  status     TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open','done','cancelled')),
  done_at    TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  version    INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX follow_ups_open_due ON follow_ups(due_date, due_at) WHERE status = 'open';
CREATE INDEX follow_ups_contact ON follow_ups(contact_id, status);
CREATE INDEX follow_ups_deal ON follow_ups(deal_id) WHERE deal_id IS NOT NULL;

CREATE TABLE notes (
  id         INTEGER PRIMARY KEY AUTOINCREMENT,
  contact_id INTEGER NOT NULL REFERENCES contacts(id),
  deal_id    INTEGER REFERENCES deals(id),
  kind       TEXT NOT NULL DEFAULT 'note' CHECK (kind IN ('call','email','meeting','note')),
  outcome    TEXT CHECK (outcome IN ('connected','voicemail','no-answer')),
  body       TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  version    INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX notes_contact ON notes(contact_id, created_at);
CREATE INDEX notes_deal ON notes(deal_id, created_at) WHERE deal_id IS NOT NULL;
CREATE INDEX notes_created ON notes(created_at);

-- The undo log: one entry per command, with the rows it touched as they were before and
-- the version each had after. A barrier (import, restore, demo, purge) ends what undo reaches.
CREATE TABLE undo_log (
  id      INTEGER PRIMARY KEY AUTOINCREMENT,
  at      TEXT NOT NULL,
  kind    TEXT NOT NULL CHECK (kind IN ('change','barrier')),
  summary TEXT NOT NULL,
  undone  INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE undo_rows (
  undo_id       INTEGER NOT NULL REFERENCES undo_log(id) ON DELETE CASCADE,
  seq           INTEGER NOT NULL,
  tbl           TEXT NOT NULL,
  row_id        INTEGER NOT NULL,
  before        TEXT,                  -- JSON object; NULL when the command created the row
  after_version INTEGER,               -- NULL when the command deleted the row
  PRIMARY KEY (undo_id, seq)
) WITHOUT ROWID;

-- Full-text indexes. secure-delete is on from the start so a purge leaves no token behind.
CREATE VIRTUAL TABLE notes_fts USING fts5(
  body, content='notes', content_rowid='id', tokenize='unicode61 remove_diacritics 2'
);
INSERT INTO notes_fts(notes_fts, rank) VALUES ('secure-delete', 1);

-- Contacts by words (name, company, title, emails, tags), prefix-searchable.
CREATE VIRTUAL TABLE contacts_fts USING fts5(
  name, company, title, emails, phones, tags,
  content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 2'
);
INSERT INTO contacts_fts(contacts_fts, rank) VALUES ('secure-delete', 1);

-- Substrings of names, emails and phone numbers ("4567" inside "+1 555 123-4567").
CREATE VIRTUAL TABLE contacts_tri USING fts5(
  name, emails, phones,
  content='', contentless_delete=1, tokenize='trigram remove_diacritics 1'
);
INSERT INTO contacts_tri(contacts_tri, rank) VALUES ('secure-delete', 1);

CREATE VIRTUAL TABLE companies_fts USING fts5(
  name, content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 2'
);
INSERT INTO companies_fts(companies_fts, rank) VALUES ('secure-delete', 1);

CREATE VIRTUAL TABLE deals_fts USING fts5(
  title, contact, company,
  content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 2'
);
INSERT INTO deals_fts(deals_fts, rank) VALUES ('secure-delete', 1);

-- Triggers keep the derived tables in step with whatever writes the rows (ops, undo, import).

CREATE TRIGGER contacts_ai AFTER INSERT ON contacts BEGIN
  INSERT INTO contact_keys(contact_id, kind, key)
    SELECT new.id, 'email', lower(trim(value)) FROM json_each(new.emails);
  INSERT INTO contact_keys(contact_id, kind, key)
    SELECT new.id, 'phone', replace(replace(replace(replace(replace(replace(replace(value,' ',''),'-',''),'(',''),')',''),'.',''),'+',''),'/','')
    FROM json_each(new.phones);
  INSERT INTO contact_keys(contact_id, kind, key)
    SELECT new.id, 'tag', lower(trim(value)) FROM json_each(new.tags);
END;

-- The *_fts_ai triggers only index new rows: a bulk load (storage::bulk) suspends them and
-- indexes everything it added in one statement at the end, which is many times faster.
CREATE TRIGGER contacts_fts_ai AFTER INSERT ON contacts BEGIN
  INSERT INTO contacts_fts(rowid, name, company, title, emails, phones, tags) VALUES (
    new.id, new.name, (SELECT name FROM companies WHERE id = new.company_id), new.title,
    (SELECT group_concat(value, ' ') FROM json_each(new.emails)),
    (SELECT group_concat(value, ' ') FROM json_each(new.phones)),
    (SELECT group_concat(value, ' ') FROM json_each(new.tags)));
  INSERT INTO contacts_tri(rowid, name, emails, phones) VALUES (
    new.id, new.name,
    (SELECT group_concat(value, ' ') FROM json_each(new.emails)),
    (SELECT group_concat(value || ' ' || replace(replace(replace(replace(replace(replace(value,' ',''),'-',''),'(',''),')',''),'.',''),'+',''), ' ') FROM json_each(new.phones)));
END;

CREATE TRIGGER contacts_ad AFTER DELETE ON contacts BEGIN
  DELETE FROM contacts_fts WHERE rowid = old.id;
  DELETE FROM contacts_tri WHERE rowid = old.id;
END;

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
    new.id, new.name, (SELECT name FROM companies WHERE id = new.company_id), new.title,
    (SELECT group_concat(value, ' ') FROM json_each(new.emails)),
    (SELECT group_concat(value, ' ') FROM json_each(new.phones)),
    (SELECT group_concat(value, ' ') FROM json_each(new.tags)));
  INSERT INTO contacts_tri(rowid, name, emails, phones) VALUES (
    new.id, new.name,
    (SELECT group_concat(value, ' ') FROM json_each(new.emails)),
    (SELECT group_concat(value || ' ' || replace(replace(replace(replace(replace(replace(value,' ',''),'-',''),'(',''),')',''),'.',''),'+',''), ' ') FROM json_each(new.phones)));
  -- the contact's name shows in its deals' index too
  DELETE FROM deals_fts WHERE rowid IN (SELECT id FROM deals WHERE contact_id = new.id);
  INSERT INTO deals_fts(rowid, title, contact, company)
    SELECT d.id, d.title, new.name, (SELECT name FROM companies WHERE id = new.company_id)
    FROM deals d WHERE d.contact_id = new.id;
END;

CREATE TRIGGER companies_fts_ai AFTER INSERT ON companies BEGIN
  INSERT INTO companies_fts(rowid, name) VALUES (new.id, new.name);
END;
CREATE TRIGGER companies_ad AFTER DELETE ON companies BEGIN
  DELETE FROM companies_fts WHERE rowid = old.id;
END;
CREATE TRIGGER companies_au AFTER UPDATE OF name ON companies BEGIN
  DELETE FROM companies_fts WHERE rowid = old.id;
  INSERT INTO companies_fts(rowid, name) VALUES (new.id, new.name);
  DELETE FROM contacts_fts WHERE rowid IN (SELECT id FROM contacts WHERE company_id = new.id);
  INSERT INTO contacts_fts(rowid, name, company, title, emails, phones, tags)
    SELECT c.id, c.name, new.name, c.title,
      (SELECT group_concat(value, ' ') FROM json_each(c.emails)),
      (SELECT group_concat(value, ' ') FROM json_each(c.phones)),
      (SELECT group_concat(value, ' ') FROM json_each(c.tags))
    FROM contacts c WHERE c.company_id = new.id;
END;

CREATE TRIGGER deals_fts_ai AFTER INSERT ON deals BEGIN
  INSERT INTO deals_fts(rowid, title, contact, company)
    SELECT new.id, new.title, c.name, (SELECT name FROM companies WHERE id = c.company_id)
    FROM contacts c WHERE c.id = new.contact_id;
END;
CREATE TRIGGER deals_ad AFTER DELETE ON deals BEGIN
  DELETE FROM deals_fts WHERE rowid = old.id;
END;
CREATE TRIGGER deals_au AFTER UPDATE OF title, contact_id ON deals BEGIN
  DELETE FROM deals_fts WHERE rowid = old.id;
  INSERT INTO deals_fts(rowid, title, contact, company)
    SELECT new.id, new.title, c.name, (SELECT name FROM companies WHERE id = c.company_id)
    FROM contacts c WHERE c.id = new.contact_id;
END;

CREATE TRIGGER notes_fts_ai AFTER INSERT ON notes BEGIN
  INSERT INTO notes_fts(rowid, body) VALUES (new.id, new.body);
END;
CREATE TRIGGER notes_ai AFTER INSERT ON notes BEGIN
  UPDATE contacts SET last_contacted_at = new.created_at
    WHERE id = new.contact_id AND new.kind IN ('call','email','meeting')
      AND (last_contacted_at IS NULL OR last_contacted_at < new.created_at);
END;
CREATE TRIGGER notes_ad AFTER DELETE ON notes BEGIN
  INSERT INTO notes_fts(notes_fts, rowid, body) VALUES ('delete', old.id, old.body);
  UPDATE contacts SET last_contacted_at = (
      SELECT max(created_at) FROM notes
      WHERE contact_id = old.contact_id AND kind IN ('call','email','meeting'))
    WHERE id = old.contact_id AND old.kind IN ('call','email','meeting');
END;
CREATE TRIGGER notes_au AFTER UPDATE OF body, kind, contact_id, created_at ON notes BEGIN
  INSERT INTO notes_fts(notes_fts, rowid, body) VALUES ('delete', old.id, old.body);
  INSERT INTO notes_fts(rowid, body) VALUES (new.id, new.body);
  UPDATE contacts SET last_contacted_at = (
      SELECT max(created_at) FROM notes
      WHERE contact_id = contacts.id AND kind IN ('call','email','meeting'))
    WHERE id IN (old.contact_id, new.contact_id);
END;
