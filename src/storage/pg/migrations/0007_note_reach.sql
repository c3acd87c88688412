-- salesdesk on PostgreSQL, migration 7: the newest notes read further for a search whose
-- matches are common but not common enough to fill a window among the newest notes.
--
-- 0005 reads the newest `newest` notes (40,000) for the newest `lim` (2,000) matches, and when
-- they hold fewer goes through the words' index, which fetches every match before it can
-- take the newest: `pricing contract` matches 60,285 of 2,000,000 notes, 1,134 of the newest
-- 40,000, and took 1.5 s that way. Now, when the newest notes hold some matches but not a
-- window, the density they show says how far newest first a window should reach (and half
-- as far again); when that is not much further than there are matches to fetch through the
-- index (reading a note newest first costs about a microsecond, fetching a match through the
-- index some twenty), the notes are read that far, and if they hold a window it is the
-- window. Either way the answer is the same: the newest `lim` matches the reader may see.
INSERT INTO schema_migrations(version, name, sqlite_user_version, applied_at)
VALUES (7, '0007_note_reach', 14, to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'));

CREATE OR REPLACE FUNCTION salesdesk_note_matches(q tsquery, newest bigint, lim bigint)
RETURNS TABLE(note_id bigint, doc tsvector, len bigint)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path FROM CURRENT AS $$
DECLARE
  me text := session_user;
  everyone boolean;
  found bigint;
  notes bigint;
  reach bigint := newest;
BEGIN
  SELECT r.rolsuper OR r.rolbypassrls OR pg_has_role(me, c.relowner, 'MEMBER')
         OR EXISTS (SELECT FROM users u WHERE u.login = me AND u.role = 'manager')
    INTO everyone
    FROM pg_roles r, pg_class c
   WHERE r.rolname = me AND c.oid = 'note_search'::regclass;
  everyone := coalesce(everyone, false);
  SELECT count(*) INTO found FROM (
    SELECT 1 FROM (SELECT s.doc, s.private, s.author FROM note_search s
                   ORDER BY s.note_id DESC LIMIT newest) r
    WHERE r.doc @@ q AND (everyone OR r.private = 0 OR r.author = me)
    LIMIT lim) x;
  IF found > 0 AND found < lim THEN
    SELECT t.rows INTO notes FROM search_totals t WHERE t.tbl = 'notes';
    reach := ceil(newest::numeric * lim / found * 1.5)::bigint;
    -- Matches to fetch through the index at this density, each ~20 times a note read.
    IF reach < coalesce(notes, 0) AND reach < 20 * (found * coalesce(notes, 0) / newest) THEN
      SELECT count(*) INTO found FROM (
        SELECT 1 FROM (SELECT s.doc, s.private, s.author FROM note_search s
                       ORDER BY s.note_id DESC LIMIT reach) r
        WHERE r.doc @@ q AND (everyone OR r.private = 0 OR r.author = me)
        LIMIT lim) x;
    END IF;
  END IF;
  -- Which way was taken, for the tests (transaction-local, read with current_setting).
  PERFORM set_config('salesdesk.note_way',
                     CASE WHEN found < lim THEN 'index' WHEN reach > newest THEN 'reach'
                          ELSE 'newest' END, true);
  IF found = lim THEN
    RETURN QUERY
      SELECT r.note_id, r.doc, r.len FROM (
        SELECT s.note_id, s.doc, s.len, s.private, s.author FROM note_search s
        ORDER BY s.note_id DESC LIMIT reach) r
      WHERE r.doc @@ q AND (everyone OR r.private = 0 OR r.author = me)
      ORDER BY r.note_id DESC LIMIT lim;
  ELSE
    -- OFFSET 0: the matches first, through the index, then the newest of them (else the
    -- planner may walk every note newest first looking for a rare word's few).
    RETURN QUERY
      SELECT x.note_id, x.doc, x.len FROM (
        SELECT s.note_id, s.doc, s.len FROM note_search s
        WHERE s.doc @@ q AND (everyone OR s.private = 0 OR s.author = me) OFFSET 0) x
      ORDER BY x.note_id DESC LIMIT lim;
  END IF;
END $$;

-- Every function that runs as the book's owner looks names up in the book's schema only, then
-- pg_temp: with the default path ("$user", public) a session's own temporary tables come
-- first, so a rep could have shadowed `users` with a temporary table naming them a manager
-- and read others' private notes through salesdesk_note_matches. 0003 and 0004 pinned their
-- functions so; 0005 and 0006 did not, and here every one is (a later migration that adds
-- such a function pins it too).
DO $$
DECLARE f regprocedure;
BEGIN
  FOR f IN
    SELECT p.oid::regprocedure FROM pg_proc p
    WHERE p.pronamespace = current_schema()::regnamespace AND p.prosecdef
  LOOP
    EXECUTE format('ALTER FUNCTION %s SET search_path = %I, pg_temp', f, current_schema());
  END LOOP;
END $$;

-- A book whose team was set up before this step: its groups get their rights on the function.
SELECT salesdesk_team_setup()
WHERE EXISTS (SELECT FROM pg_roles WHERE rolname = salesdesk_team_group('team'));
