-- salesdesk on PostgreSQL, migration 9: a report cut to its owner (every member's report is
-- their own figures by default, a one-person book's included) reads that owner's rows from
-- indexes alone.
--
-- The report counts each week's notes by kind and outcome, and its sources by the contacts'
-- source and status. Cut to an author or owner, those read the period's notes and every
-- contact from the tables and dropped the others' (SQLite's personal book is not cut): on the
-- full generated book the report took 4.7 s on the server, 13 week counts of 100–750 ms and
-- the sources 670 ms. With these indexes each is a range of the owner's entries: 0.66 s.
INSERT INTO schema_migrations(version, name, sqlite_user_version, applied_at)
VALUES (9, '0009_report_owner_indexes', 15, to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'));

CREATE INDEX notes_author_created ON notes(author, created_at) INCLUDE (kind, outcome);
CREATE INDEX contacts_owner_source ON contacts(owner, source, status);
