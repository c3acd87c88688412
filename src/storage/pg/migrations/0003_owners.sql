-- salesdesk on PostgreSQL, migration 3: owners, and the rights the server enforces (issue 22).
-- Each contact, deal and follow-up has an owner, each note an author and may be private, each
-- change and deal event records who made it: the login that wrote it, by default. SQLite's
-- 0014_owners adds the same columns (its single user is `me`).
INSERT INTO schema_migrations(version, name, sqlite_user_version, applied_at)
VALUES (3, '0003_owners', 14, to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'));

-- Rows from before belong to the login that upgrades the book: its first manager.
ALTER TABLE contacts ADD COLUMN owner TEXT COLLATE "C" NOT NULL DEFAULT current_user;
ALTER TABLE deals ADD COLUMN owner TEXT COLLATE "C" NOT NULL DEFAULT current_user;
ALTER TABLE follow_ups ADD COLUMN owner TEXT COLLATE "C" NOT NULL DEFAULT current_user;
ALTER TABLE notes ADD COLUMN author TEXT COLLATE "C" NOT NULL DEFAULT current_user;
ALTER TABLE notes ADD COLUMN private BIGINT NOT NULL DEFAULT 0 CHECK (private IN (0, 1));
ALTER TABLE deal_events ADD COLUMN by_user TEXT COLLATE "C" NOT NULL DEFAULT current_user;
ALTER TABLE undo_log ADD COLUMN by_user TEXT COLLATE "C" NOT NULL DEFAULT current_user;

-- A rep's day: their open follow-ups by due date; their deals; their own undo entries.
DROP INDEX IF EXISTS follow_ups_open;
CREATE INDEX follow_ups_open ON follow_ups(due_date, (due_at IS NOT NULL), due_at, id)
  INCLUDE (contact_id, deal_id, kind, every, done_at, version,
           contact_name, company_name, deal_title, deal_value_cents, deal_currency,
           seq_id, seq_name, seq_step, seq_steps, owner)
  WHERE status = 'open';
CREATE INDEX follow_ups_owner_open ON follow_ups(owner, due_date, (due_at IS NOT NULL), due_at, id)
  WHERE status = 'open';
CREATE INDEX deals_owner ON deals(owner, status);
CREATE INDEX contacts_owner ON contacts(owner);
CREATE INDEX undo_log_by_user ON undo_log(by_user, id);

-- Whether the session's login is one of the book's managers. `users` is readable by the team
-- and changed by managers only, so a rep cannot make this true for themselves.
CREATE FUNCTION salesdesk_is_manager() RETURNS boolean
LANGUAGE sql STABLE AS $$
  SELECT EXISTS (SELECT FROM users WHERE login = current_user AND role = 'manager')
$$;

-- Whether the session's login may change a row owned by `owner`: its own, or any for a manager.
CREATE FUNCTION salesdesk_may_change(owner text) RETURNS boolean
LANGUAGE sql STABLE AS $$
  SELECT owner = current_user OR salesdesk_is_manager()
$$;

------------------------------------------------------------------------------------------
-- Row-level security: the server refuses what the client would, so psql is held to it too.
-- The book's owner (who ran `db init`) and superusers are not subject to it, as PostgreSQL
-- has it; everyone `team add` puts on the book is.
------------------------------------------------------------------------------------------

-- Contacts, deals and follow-ups: the team reads all; a rep writes their own, a manager all.
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['contacts', 'deals', 'follow_ups'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY team_reads ON %I FOR SELECT USING (true)', t);
    EXECUTE format('CREATE POLICY owner_adds ON %I FOR INSERT
                    WITH CHECK (salesdesk_may_change(owner))', t);
    EXECUTE format('CREATE POLICY owner_changes ON %I FOR UPDATE
                    USING (salesdesk_may_change(owner)) WITH CHECK (salesdesk_may_change(owner))', t);
    EXECUTE format('CREATE POLICY owner_removes ON %I FOR DELETE
                    USING (salesdesk_may_change(owner))', t);
  END LOOP;
END $$;

-- Notes: a private note is read by its author and the managers only; a note is changed by its
-- author (or a manager).
ALTER TABLE notes ENABLE ROW LEVEL SECURITY;
CREATE POLICY readers ON notes FOR SELECT
  USING (private = 0 OR author = current_user OR (SELECT salesdesk_is_manager()));
CREATE POLICY author_adds ON notes FOR INSERT WITH CHECK (salesdesk_may_change(author));
CREATE POLICY author_changes ON notes FOR UPDATE
  USING (salesdesk_may_change(author)) WITH CHECK (salesdesk_may_change(author));
CREATE POLICY author_removes ON notes FOR DELETE USING (salesdesk_may_change(author));

-- A note's search row is read by those who read the note (the policy's subquery is itself
-- held to the notes' policy), so a private note's words are found by no one else. Search rows
-- are written only by the triggers and indexers below, which run as the book's owner.
ALTER TABLE note_search ENABLE ROW LEVEL SECURITY;
CREATE POLICY readers ON note_search FOR SELECT
  USING (EXISTS (SELECT FROM notes n WHERE n.id = note_search.note_id));

-- A deal's history is written with the deal: by those who may change the deal.
ALTER TABLE deal_events ENABLE ROW LEVEL SECURITY;
CREATE POLICY team_reads ON deal_events FOR SELECT USING (true);
CREATE POLICY deal_writers ON deal_events FOR ALL
  USING (EXISTS (SELECT FROM deals d WHERE d.id = deal_id AND salesdesk_may_change(d.owner)))
  WITH CHECK (EXISTS (SELECT FROM deals d WHERE d.id = deal_id AND salesdesk_may_change(d.owner)));

-- Undo images hold rows as they were (a private note's body too): each user sees and undoes
-- only their own changes, managers included.
ALTER TABLE undo_log ENABLE ROW LEVEL SECURITY;
CREATE POLICY own_changes ON undo_log FOR ALL
  USING (by_user = current_user) WITH CHECK (by_user = current_user);
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['undo_rows', 'undo_ranges'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY own_changes ON %I FOR ALL
                    USING (EXISTS (SELECT FROM undo_log u WHERE u.id = undo_id))
                    WITH CHECK (EXISTS (SELECT FROM undo_log u WHERE u.id = undo_id))', t);
  END LOOP;
END $$;

-- The triggers that keep derived data (a contact's last touch from the notes, follow-ups'
-- labels from their contact and deal, the search rows, ids kept ahead) run with the book
-- owner's rights: a rep's note on a colleague's contact still moves that contact's last
-- touch, and a count never misses a row the rep may not read. So do the bulk indexers an
-- import calls. `search_path` is pinned so a caller's own objects cannot stand in.
DO $$
DECLARE f regprocedure;
BEGIN
  FOR f IN
    SELECT p.oid::regprocedure FROM pg_proc p
    WHERE p.pronamespace = current_schema()::regnamespace
      AND (p.prorettype = 'trigger'::regtype OR p.proname LIKE 'salesdesk\_index\_%')
  LOOP
    EXECUTE format('ALTER FUNCTION %s SECURITY DEFINER SET search_path = %I, pg_temp',
                   f, current_schema());
  END LOOP;
END $$;

-- A purge erases a person from every undo image, whoever's (the law does not wait for each
-- colleague's log to roll over): run by a manager's `contact purge`, as the book's owner,
-- since no one else may read another's undo log. The caller is the session's login.
CREATE FUNCTION salesdesk_forget_undo() RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
DECLARE gone bigint;
BEGIN
  IF NOT EXISTS (SELECT FROM users WHERE login = session_user AND role = 'manager') THEN
    RAISE EXCEPTION 'only a manager can purge a contact; % is not a manager of this book',
                    session_user USING ERRCODE = 'insufficient_privilege';
  END IF;
  DELETE FROM undo_rows;
  DELETE FROM undo_ranges;
  DELETE FROM undo_log;
  GET DIAGNOSTICS gone = ROW_COUNT;
  RETURN gone;
END $$;
