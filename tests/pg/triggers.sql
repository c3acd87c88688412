-- The same writes for both engines: run by scripts/pg-schema-diff.sh against a fresh SQLite
-- book (sqlite3, foreign keys on, as the app opens it) and against a database made by
-- src/storage/pg/migrations/0001_book.sql (psql, ON_ERROR_STOP). Portable SQL only: no
-- statement may fail (a failed INSERT spends an id on PostgreSQL and not on SQLite), ids are
-- the engines' own (both count from 1) or written out, as undo and import write them.
-- Afterwards every table is dumped from both and diffed (tests/pg/dump.sql).

-- Companies, one with letters FTS5's remove_diacritics leaves alone (ø).
INSERT INTO companies(name, name_key, created_at, updated_at) VALUES
  ('Acme', 'acme', '2026-11-01T09:00:00Z', '2026-11-01T09:00:00Z');
INSERT INTO companies(name, name_key, created_at, updated_at) VALUES
  ('Globex Corporation', 'globex corporation', '2026-11-01T09:00:00Z', '2026-11-01T09:00:00Z'),
  ('Bjørn & Søn', 'bjorn & son', '2026-11-01T09:00:00Z', '2026-11-01T09:00:00Z');

-- Contacts with a company, emails, phones and tags (contact_keys, search rows).
INSERT INTO contacts(name, name_key, company_id, title, emails, phones, tags, source, status,
                     cadence_days, created_at, updated_at)
VALUES ('Ana Pereira', 'ana pereira', 1, 'Head of Purchasing',
        '["Ana@Acme.com", " ana.p@gmail.com "]', '["+1 (555) 123-4567"]', '["VIP", " Lead "]',
        'referral', 'prospect', 30, '2026-11-02T10:00:00Z', '2026-11-02T10:00:00Z');
INSERT INTO contacts(name, name_key, company_id, title, emails, phones, tags, created_at, updated_at)
VALUES ('José Álvarez', 'jose alvarez', 2, 'CTO', '["jose@globex.example"]',
        '["+34 600-12-34-56", "91.555.0101"]', '["Ñandú", "vip"]',
        '2026-11-02T11:00:00Z', '2026-11-02T11:00:00Z');
INSERT INTO contacts(name, name_key, company_id, emails, phones, tags, cadence_days, created_at, updated_at)
VALUES ('Bjørn Ødegård', 'bjorn odegard', 3, '["bjorn@son.no"]', '["+47 22 33 44 55"]', '[]', 14,
        '2026-11-03T08:00:00Z', '2026-11-03T08:00:00Z'),
       ('Zoë Straße', 'zoe strasse', NULL, '[]', '["030/1234567"]', '["Straße"]', NULL,
        '2026-11-03T09:00:00Z', '2026-11-03T09:00:00Z'),
       ('Иван Петров', 'иван петров', NULL, '["ivan@example.ru"]', '[]', '["Клиент"]', 7,
        '2026-11-03T10:00:00Z', '2026-11-03T10:00:00Z');

-- Deals (search rows with the contact's name and company).
INSERT INTO deals(title, contact_id, value_cents, currency, stage, stage_entered_at, created_at, updated_at)
VALUES ('Pilot rollout', 1, 500000, 'USD', 'Lead', '2026-11-02T10:00:00Z', '2026-11-02T10:00:00Z', '2026-11-02T10:00:00Z');
INSERT INTO deals(title, contact_id, value_cents, currency, stage, stage_entered_at, created_at, updated_at, pipeline)
VALUES ('Renewal 2027', 2, 120000, 'EUR', 'Due', '2026-11-02T11:00:00Z', '2026-11-02T11:00:00Z', '2026-11-02T11:00:00Z', 'renewals'),
       ('Fjord expansion', 3, 90000, 'NOK', 'Lead', '2026-11-03T08:00:00Z', '2026-11-03T08:00:00Z', '2026-11-03T08:00:00Z', 'sales');

-- Stage history: one at a time, then several in one statement out of time order (two of
-- the same second, ordered by id).
INSERT INTO deal_events(deal_id, event, stage, at) VALUES (1, 'stage', 'Lead', '2026-11-02T10:00:00Z');
INSERT INTO deal_events(deal_id, event, stage, at) VALUES (1, 'stage', 'Qualified', '2026-11-05T10:00:00Z');
INSERT INTO deal_events(deal_id, event, stage, at) VALUES
  (2, 'stage', 'Due', '2026-11-02T11:00:00Z'),
  (1, 'won', 'Proposal', '2026-11-20T10:00:00Z'),
  (1, 'stage', 'Proposal', '2026-11-10T10:00:00Z'),
  (1, 'stage', 'Negotiation', '2026-11-10T10:00:00Z'),
  (3, 'stage', 'Lead', '2026-11-03T08:00:00Z');
-- The deal moves stage; a reopening; an event removed; one moved in time, one to another deal.
UPDATE deals SET stage = 'Qualified', stage_entered_at = '2026-11-21T09:00:00Z', version = version + 1 WHERE id = 3;
INSERT INTO deal_events(deal_id, event, stage, at) VALUES (3, 'stage', 'Qualified', '2026-11-21T09:00:00Z');
UPDATE deals SET status = 'won', closed_at = '2026-11-20T10:00:00Z', version = version + 1 WHERE id = 1;
INSERT INTO deal_events(deal_id, event, stage, at) VALUES (1, 'reopened', 'Proposal', '2026-11-22T10:00:00Z');
UPDATE deals SET status = 'open', closed_at = NULL, version = version + 1 WHERE id = 1;
DELETE FROM deal_events WHERE id = 6;
UPDATE deal_events SET at = '2026-11-25T00:00:00Z', version = version + 1 WHERE id = 1;
UPDATE deal_events SET deal_id = 2 WHERE id = 5;
-- Several events of one deal moved at once.
UPDATE deal_events SET at = substr(at, 1, 9) || '6' || substr(at, 11) WHERE deal_id = 3;

-- Follow-ups: labels from contact, company and deal; open counts.
INSERT INTO follow_ups(contact_id, deal_id, kind, text, due_date, due_at, created_at, updated_at)
VALUES (1, 1, 'call', 'Call about pricing', '2026-12-04', '2026-12-04T14:00:00Z', '2026-11-02T10:00:00Z', '2026-11-02T10:00:00Z');
INSERT INTO follow_ups(contact_id, kind, text, due_date, every, created_at, updated_at)
VALUES (1, 'email', 'Send the deck', '2026-12-05', '2w', '2026-11-02T10:00:00Z', '2026-11-02T10:00:00Z');
INSERT INTO follow_ups(contact_id, deal_id, kind, text, due_date, created_at, updated_at) VALUES
  (2, 2, 'meeting', 'Renewal review', '2026-12-06', '2026-11-02T11:00:00Z', '2026-11-02T11:00:00Z'),
  (3, NULL, 'task', 'Fjord visit', '2026-12-07', '2026-11-03T08:00:00Z', '2026-11-03T08:00:00Z'),
  (4, NULL, 'call', 'Zoë: intro', '2026-12-08', '2026-11-03T09:00:00Z', '2026-11-03T09:00:00Z'),
  (5, NULL, 'call', 'Иван', '2026-12-09', '2026-11-03T10:00:00Z', '2026-11-03T10:00:00Z');
-- Done, snoozed, cancelled, moved to another contact, given a deal, its deal taken away.
UPDATE follow_ups SET status = 'done', done_at = '2026-12-04T15:00:00Z', version = version + 1 WHERE id = 1;
UPDATE follow_ups SET due_date = '2026-12-12', due_at = '2026-12-12T09:30:00Z', version = version + 1 WHERE id = 2;
UPDATE follow_ups SET status = 'cancelled', version = version + 1 WHERE id = 6;
UPDATE follow_ups SET contact_id = 2 WHERE id = 5;
UPDATE follow_ups SET deal_id = 3 WHERE id = 4;
UPDATE follow_ups SET deal_id = NULL, contact_id = 3 WHERE id = 3;
-- A done one reopened (status back to open), and several done in one statement.
UPDATE follow_ups SET status = 'open', done_at = NULL WHERE id = 1;
INSERT INTO follow_ups(contact_id, text, due_date, created_at, updated_at) VALUES
  (3, 'one', '2026-12-10', '2026-11-04T08:00:00Z', '2026-11-04T08:00:00Z'),
  (3, 'two', '2026-12-11', '2026-11-04T08:00:00Z', '2026-11-04T08:00:00Z');
UPDATE follow_ups SET status = 'done', done_at = '2026-12-04T16:00:00Z' WHERE contact_id = 3 AND status = 'open';
-- Labels hand-set by a writer are put right by the labels trigger when contact or deal is set.
UPDATE follow_ups SET contact_id = 1, contact_name = 'wrong', deal_title = 'wrong' WHERE id = 7;
-- A follow-up inserted already done (no open count change), one deleted while open.
INSERT INTO follow_ups(contact_id, deal_id, text, due_date, status, done_at, created_at, updated_at)
VALUES (2, 2, 'already done', '2026-11-30', 'done', '2026-11-30T12:00:00Z', '2026-11-30T12:00:00Z', '2026-11-30T12:00:00Z');
DELETE FROM follow_ups WHERE id = 5;

-- Notes: last contact from calls, emails and meetings only.
INSERT INTO notes(contact_id, deal_id, kind, outcome, body, created_at, updated_at)
VALUES (1, 1, 'call', 'connected', 'Talked pricing with Ana; she wants the Élite plan.', '2026-11-06T10:00:00Z', '2026-11-06T10:00:00Z');
INSERT INTO notes(contact_id, kind, body, created_at, updated_at)
VALUES (1, 'note', 'Internal: Ana prefers mornings', '2026-11-07T10:00:00Z', '2026-11-07T10:00:00Z'),
       (1, 'email', 'Sent the Straße proposal', '2026-11-04T10:00:00Z', '2026-11-04T10:00:00Z'),
       (2, 'meeting', 'Met José at the Æsir conference, Łódź', '2026-11-08T10:00:00Z', '2026-11-08T10:00:00Z'),
       (3, 'call', 'Voicemail for Bjørn', '2026-11-09T10:00:00Z', '2026-11-09T10:00:00Z'),
       (3, 'call', 'Bjørn called back: fjord expansion on', '2026-11-10T10:00:00Z', '2026-11-10T10:00:00Z'),
       (5, 'email', 'Письмо Ивану', '2026-11-11T10:00:00Z', '2026-11-11T10:00:00Z');
-- The newest call removed; a note moved to another contact; one turned into a call; one moved in time.
DELETE FROM notes WHERE id = 6;
UPDATE notes SET contact_id = 4 WHERE id = 4;
UPDATE notes SET kind = 'call', version = version + 1 WHERE id = 2;
UPDATE notes SET created_at = '2026-10-01T10:00:00Z' WHERE id = 1;
UPDATE notes SET body = 'Voicemail for Bjørn (again)' WHERE id = 5;
-- An older call does not move the last contact back.
INSERT INTO notes(contact_id, kind, body, created_at, updated_at)
VALUES (1, 'call', 'An old call, logged late', '2026-10-15T10:00:00Z', '2026-10-15T10:00:00Z');

-- Renames: a contact, a company, a deal's title and value and currency; a contact to
-- another company; the same name written again (no label rewrite).
UPDATE contacts SET name = 'Ana P. Silva', name_key = 'ana p. silva', version = version + 1 WHERE id = 1;
UPDATE companies SET name = 'Acme Inc', name_key = 'acme inc', version = version + 1 WHERE id = 1;
UPDATE deals SET value_cents = 750000, version = version + 1 WHERE id = 1;
UPDATE deals SET title = 'Renewal 2027 (3 years)', currency = 'USD' WHERE id = 2;
UPDATE contacts SET company_id = 1 WHERE id = 4;
UPDATE contacts SET name = 'José Álvarez' WHERE id = 2;
UPDATE companies SET name = 'Globex Corporation' WHERE id = 2;
-- A deal moved to another contact; a contact's emails, phones and tags rewritten.
UPDATE deals SET contact_id = 4 WHERE id = 3;
UPDATE contacts SET emails = '["zoe@strasse.de"]', phones = '["+49 30 1234567"]', tags = '["Berlin", "VIP"]' WHERE id = 4;
UPDATE contacts SET archived = 1, cadence_days = 60 WHERE id = 3;

-- Sequences: an enrolment and its steps (labels written by the code, not by triggers).
INSERT INTO sequence_enrollments(contact_id, name, steps, started_at, updated_at)
VALUES (5, 'new-lead', '[{"after":"0d","kind":"call","text":"Intro"},{"after":"3d","kind":"email","text":"Follow up"}]',
        '2026-11-12T10:00:00Z', '2026-11-12T10:00:00Z');
INSERT INTO follow_ups(contact_id, kind, text, due_date, created_at, updated_at, seq_id, seq_name, seq_step, seq_steps)
VALUES (5, 'call', 'Intro', '2026-11-12', '2026-11-12T10:00:00Z', '2026-11-12T10:00:00Z', 1, 'new-lead', 1, 2);
UPDATE follow_ups SET status = 'done', done_at = '2026-11-12T11:00:00Z' WHERE seq_id = 1 AND seq_step = 1;
INSERT INTO follow_ups(contact_id, kind, text, due_date, created_at, updated_at, seq_id, seq_name, seq_step, seq_steps)
VALUES (5, 'email', 'Follow up', '2026-11-15', '2026-11-12T11:00:00Z', '2026-11-12T11:00:00Z', 1, 'new-lead', 2, 2);
UPDATE sequence_enrollments SET step = 2, version = version + 1 WHERE id = 1;
UPDATE sequence_enrollments SET status = 'stopped', stop_reason = 'replied', ended_at = '2026-11-13T10:00:00Z' WHERE id = 1;
UPDATE follow_ups SET status = 'cancelled' WHERE seq_id = 1 AND status = 'open';
INSERT INTO sequence_enrollments(contact_id, deal_id, name, steps, started_at, updated_at)
VALUES (2, 2, 'renewal', '[{"after":"0d","kind":"task","text":"Check usage"}]', '2026-11-14T10:00:00Z', '2026-11-14T10:00:00Z');

-- Undo: a deleted follow-up and a deleted note put back with their ids (below the counter),
-- without their derived columns (the triggers recompute them).
INSERT INTO follow_ups(id, contact_id, deal_id, kind, text, due_date, due_at, every, status, done_at,
                       created_at, updated_at, version)
VALUES (5, 2, NULL, 'call', 'Zoë: intro', '2026-12-08', NULL, NULL, 'open', NULL,
        '2026-11-03T09:00:00Z', '2026-11-03T09:00:00Z', 2);
INSERT INTO notes(id, contact_id, deal_id, kind, outcome, body, created_at, updated_at, version)
VALUES (6, 3, NULL, 'call', NULL, 'Bjørn called back: fjord expansion on', '2026-11-10T10:00:00Z', '2026-11-10T10:00:00Z', 2);
INSERT INTO deal_events(id, deal_id, event, stage, at, version)
VALUES (6, 1, 'stage', 'Negotiation', '2026-11-10T10:00:00Z', 2);

-- Import: rows with ids above the counters; the next rows without ids come after them.
INSERT INTO companies(id, name, name_key, created_at, updated_at) VALUES
  (40, 'Ünïcode Ltd', 'unicode ltd', '2026-11-15T10:00:00Z', '2026-11-15T10:00:00Z');
INSERT INTO contacts(id, name, name_key, company_id, emails, phones, tags, created_at, updated_at, referred_by)
VALUES (100, 'Mårten Ærø', 'marten aero', 40, '["marten@unicode.example"]', '["+46 (0)8-123 45 67"]', '["import"]',
        '2026-11-15T10:00:00Z', '2026-11-15T10:00:00Z', 1),
       (101, 'Ann Other', 'ann other', NULL, '[]', '[]', '[]', '2026-11-15T10:00:00Z', '2026-11-15T10:00:00Z', NULL);
INSERT INTO contacts(name, name_key, created_at, updated_at)
VALUES ('After Import', 'after import', '2026-11-16T10:00:00Z', '2026-11-16T10:00:00Z');
INSERT INTO deals(id, title, contact_id, value_cents, currency, stage, stage_entered_at, created_at, updated_at)
VALUES (50, 'Imported deal', 100, 1000, 'SEK', 'Lead', '2026-11-15T10:00:00Z', '2026-11-15T10:00:00Z', '2026-11-15T10:00:00Z');
INSERT INTO follow_ups(contact_id, deal_id, text, due_date, created_at, updated_at)
VALUES (100, 50, 'Call Mårten', '2026-12-20', '2026-11-16T10:00:00Z', '2026-11-16T10:00:00Z');
INSERT INTO notes(contact_id, kind, body, created_at, updated_at)
VALUES (100, 'meeting', 'Fika with Mårten', '2026-11-16T11:00:00Z', '2026-11-16T11:00:00Z');
-- The imported company renamed: its contact's labels and search row follow.
UPDATE companies SET name = 'Unicode AB', name_key = 'unicode ab' WHERE id = 40;

-- Deletes: a deal and what hangs on it; a contact and what hangs on it (keys cascade).
DELETE FROM follow_ups WHERE deal_id = 50;
DELETE FROM deal_events WHERE deal_id = 3;
UPDATE follow_ups SET deal_id = NULL WHERE deal_id = 3;
DELETE FROM deals WHERE id = 3;
DELETE FROM follow_ups WHERE contact_id = 101;
DELETE FROM contacts WHERE id = 101;

-- Bookkeeping tables without triggers.
INSERT INTO meta(key, value) VALUES ('deals_to_first_pipeline', 'sales');
INSERT INTO undo_log(at, kind, summary) VALUES ('2026-11-20T10:00:00Z', 'change', 'note on Ana Pereira');
INSERT INTO undo_rows(undo_id, seq, tbl, row_id, before, after_version)
VALUES (1, 0, 'notes', 1, NULL, 1), (1, 1, 'contacts', 1, '{"id":1,"name":"Ana Pereira"}', 2);
INSERT INTO undo_log(at, kind, summary) VALUES ('2026-11-21T10:00:00Z', 'change', 'import');
INSERT INTO undo_ranges(undo_id, tbl, above, upto, rows, version_sum) VALUES (2, 'contacts', 5, 101, 2, 2);
UPDATE undo_log SET undone = 1 WHERE id = 1;
INSERT INTO reminders_sent(follow_up_id, due_at, via, claimed_at, sent_at)
VALUES (1, '2026-12-04T14:00:00Z', 'desktop', '2026-12-04T14:00:05Z', '2026-12-04T14:00:06Z'),
       (0, '2026-12-04', 'print', '2026-12-04T08:00:00Z', NULL);
