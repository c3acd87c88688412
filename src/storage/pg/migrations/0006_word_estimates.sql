-- salesdesk on PostgreSQL, migration 6: a common word's IDF among the notes from the table's
-- statistics instead of counting its rows at every search.
--
-- 0004 counts n_i, the rows a word matches, through the documents' GIN index. For a rare word
-- that is a few pages; for a common one it reads most of the table (the bitmap needs every
-- matching row rechecked): `pricing`, in 665,853 of 2,000,000 notes, cost ~300 ms a search
-- against a budget of 150 ms for the whole command. ANALYZE (autovacuum runs it) keeps, per
-- document column, its most common words with the share of rows holding each
-- (pg_stats.most_common_elems / most_common_elem_freqs), sampled from 30,000 rows: within
-- about 1% of the count for `pricing`.
--
-- So a word the statistics say is in at least `salesdesk.bm25_exact_below` notes (5,000
-- unless that setting, a whole number, says otherwise; a test lowers it) takes its n_i from
-- them: the share of the common word it starts, times the notes, or where it starts several
-- (`pri`: price, pricing) their shares added up, at most every note (an over-estimate where
-- notes hold more than one of them). Below that, or with no statistics yet, or on a table of
-- fewer rows, n_i is counted as before. Only notes: they are ranked among themselves (search
-- puts them after every other kind), so a search of one word orders its notes exactly as
-- before (its IDF scales each note's score alike); contacts, companies and deals, which are
-- ranked against each other, are always counted. What this gives up: on a book with a word
-- in 5,000 notes or more, a search of several words ranks notes by an IDF near FTS5's exact
-- one, so near-ties may order differently from the same book on SQLite, and may change after
-- an ANALYZE. A smaller book, every book the conformance tests compare, ranks as before.
INSERT INTO schema_migrations(version, name, sqlite_user_version, applied_at)
VALUES (6, '0006_word_estimates', 14, to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'));

-- The rows of `tbl`'s search table (of `rows` in all) that hold a word starting with `w`, as
-- the statistics estimate it (above); NULL when they list no such word.
CREATE FUNCTION salesdesk_word_estimate(tbl text, w text, rows bigint) RETURNS bigint
LANGUAGE sql STABLE SECURITY DEFINER SET search_path FROM CURRENT AS $$
  SELECT least(round(sum(x.f) * rows)::bigint, rows)
  FROM pg_stats s,
       unnest(s.most_common_elems::text::text[], s.most_common_elem_freqs) x(e, f)
  WHERE s.schemaname = current_schema()
    AND s.tablename = CASE tbl WHEN 'contacts' THEN 'contact_search'
                               WHEN 'deals' THEN 'deal_search'
                               WHEN 'notes' THEN 'note_search' END
    AND s.attname = 'doc' AND NOT s.inherited
    AND x.e IS NOT NULL AND starts_with(x.e, w)
  HAVING count(*) > 0
$$;

-- 0004's salesdesk_bm25_stats, taking a common word's n_i from the statistics (above).
CREATE OR REPLACE FUNCTION salesdesk_bm25_stats(tbl text, q text,
                                                OUT terms tsquery[], OUT idf double precision[],
                                                OUT avgdl double precision)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path FROM CURRENT AS $$
DECLARE
  n bigint;
  tokens bigint;
  d bigint[] := salesdesk_totals_pending(tbl);
  bound text := current_setting('salesdesk.bm25_exact_below', true);
  exact_below bigint := CASE WHEN bound ~ '^[0-9]{1,18}$' THEN bound::bigint ELSE 5000 END;
  w text;
  hits bigint;
  x double precision;
BEGIN
  SELECT t.rows, t.tokens INTO n, tokens FROM search_totals t WHERE t.tbl = salesdesk_bm25_stats.tbl;
  n := coalesce(n, 0) + coalesce(d[1], 0);
  tokens := coalesce(tokens, 0) + coalesce(d[2], 0);
  -- No rows: nothing matches, the average is never used.
  avgdl := CASE WHEN n > 0 THEN tokens::float8 / n::float8 ELSE 1 END;
  terms := '{}';
  idf := '{}';
  FOR w IN SELECT v FROM regexp_split_to_table(salesdesk_words(q), ' ') v WHERE v <> '' LOOP
    hits := NULL;
    IF tbl = 'notes' AND n >= exact_below THEN
      hits := salesdesk_word_estimate(tbl, w, n);
      IF hits < exact_below THEN
        hits := NULL;
      END IF;
    END IF;
    IF hits IS NULL THEN
      EXECUTE CASE tbl
        WHEN 'companies' THEN 'SELECT count(*) FROM companies WHERE salesdesk_doc(name) @@ $1'
        WHEN 'contacts' THEN 'SELECT count(*) FROM contact_search WHERE doc @@ $1'
        WHEN 'deals' THEN 'SELECT count(*) FROM deal_search WHERE doc @@ $1'
        ELSE 'SELECT count(*) FROM note_search WHERE doc @@ $1' END
      INTO hits USING (quote_literal(w) || ':*')::tsquery;
    END IF;
    -- log(x) <= 0 exactly where x <= 1: FTS5's floor, without a log of a non-positive x.
    x := ((n - hits)::float8 + 0.5::float8) / (hits::float8 + 0.5::float8);
    terms := terms || (quote_literal(w) || ':*')::tsquery;
    idf := idf || CASE WHEN x > 1 THEN ln(x) ELSE 1e-6::float8 END;
  END LOOP;
END $$;

-- A book whose team was set up before this step: its groups get their rights on the new function.
SELECT salesdesk_team_setup()
WHERE EXISTS (SELECT FROM pg_roles WHERE rolname = salesdesk_team_group('team'));
