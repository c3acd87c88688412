-- Outcomes that fit the kind of note: an email replied, a meeting held or a no-show. SQLite
-- cannot change a CHECK in place, so the table is rebuilt with its ids, indexes and triggers;
-- the AUTOINCREMENT counter is carried over so no note id is ever handed out twice.
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
INSERT INTO sqlite_sequence(name, seq) SELECT 'notes_new', seq FROM sqlite_sequence WHERE name = 'notes';
INSERT INTO notes_new(id, contact_id, deal_id, kind, outcome, body, created_at, updated_at, version)
  SELECT id, contact_id, deal_id, kind, outcome, body, created_at, updated_at, version FROM notes;
DROP TABLE notes;
ALTER TABLE notes_new RENAME TO notes;

CREATE INDEX notes_contact ON notes(contact_id, created_at);
CREATE INDEX notes_deal ON notes(deal_id, created_at) WHERE deal_id IS NOT NULL;
CREATE INDEX notes_created ON notes(created_at);
CREATE INDEX notes_kind_created ON notes(kind, outcome, created_at);

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
