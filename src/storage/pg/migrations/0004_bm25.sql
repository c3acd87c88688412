-- salesdesk on PostgreSQL, migration 4: search ranked by bm25 exactly as SQLite's FTS5 ranks
-- it (issue 21), so that both engines list the same hits in the same order.
--
-- FTS5's bm25 (fts5_aux.c, fts5Bm25Function), for a query of phrases i (here: each word as a
-- prefix) and a row of D tokens in a table of N rows averaging avgdl tokens:
--   IDF_i = ln((N - n_i + 0.5) / (n_i + 0.5)), or 1e-6 where that is not above 0,
--           n_i being the rows that match phrase i alone;
--   f_i   = the sum, over the phrase's hits in the row (every token that starts with the
--           word), of the weight of the column the hit is in;
--   bm25  = -sum_i IDF_i * (f_i * (k1 + 1)) / (f_i + k1 * (1 - b + b * D / avgdl)),
--           k1 = 1.2, b = 0.75, summed in the query's word order, in double precision.
-- Here each of these is computed in the same operations in the same order (float8 is the
-- same IEEE double as C's, ln() is the C library's log()), so equal books give bit-equal
-- scores and the same order, ties included (both engines break them by id).
--
-- * A row's tokens and its hits come from its document: each position in the tsvector is one
--   token, its weight letter the column (A, B, C, D stand for the column weights 10, 4, 2, 1
--   that search.rs gives bm25; all 1 where it gives none). The tokens are kept in the search
--   rows (`len`, a generated column); a word's weighted hits are what ts_rank_cd adds up for a
--   query of that one word without normalisation: each hit is a cover of its own, scoring its
--   position's weight (search.rs builds the sum; see server_bm25 there). What a document
--   cannot hold differs from SQLite: a word over 2,047 bytes (not in the document), text past
--   250,000 characters (not indexed, see salesdesk_doc), more than 255 repeats of one word in
--   a text or positions past 16,383 (the tsvector keeps neither): only long notes reach these.
-- * N and the tokens of a table: search_totals, kept by statement triggers on the search
--   tables (and on companies, whose documents are an expression index). A transaction adds up
--   its changes in transaction-local settings and writes them once, at commit (a deferred
--   trigger): a load or an undo that writes a search row at a time would otherwise update one
--   row of search_totals hundreds of thousands of times in one transaction.
-- * n_i: counted through the documents' GIN index when the query runs, by the book's owner
--   (FTS5 counts every row; a rep's ranking does not depend on which private notes they see).
INSERT INTO schema_migrations(version, name, sqlite_user_version, applied_at)
VALUES (4, '0004_bm25', 14, to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'));

-- The tokens of a document: its positions.
CREATE FUNCTION salesdesk_doc_length(doc tsvector) RETURNS bigint
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT coalesce(sum(cardinality(e.positions)), 0)::bigint FROM unnest(doc) e
$$;

-- Each search row's tokens, kept with it whatever writes it (triggers, bulk indexers).
ALTER TABLE contact_search ADD COLUMN len BIGINT GENERATED ALWAYS AS (salesdesk_doc_length(doc)) STORED;
ALTER TABLE deal_search ADD COLUMN len BIGINT GENERATED ALWAYS AS (salesdesk_doc_length(doc)) STORED;
ALTER TABLE note_search ADD COLUMN len BIGINT GENERATED ALWAYS AS (salesdesk_doc_length(doc)) STORED;

-- Rows and tokens of each searched table, as FTS5's "averages" record holds them.
CREATE TABLE search_totals (
  tbl    TEXT COLLATE "C" PRIMARY KEY CHECK (tbl IN ('companies', 'contacts', 'deals', 'notes')),
  rows   BIGINT NOT NULL,
  tokens BIGINT NOT NULL
);
INSERT INTO search_totals(tbl, rows, tokens)
SELECT 'companies', count(*), coalesce(sum(salesdesk_doc_length(salesdesk_doc(name))), 0)::bigint FROM companies
UNION ALL
SELECT 'contacts', count(*), coalesce(sum(len), 0)::bigint FROM contact_search
UNION ALL
SELECT 'deals', count(*), coalesce(sum(len), 0)::bigint FROM deal_search
UNION ALL
SELECT 'notes', count(*), coalesce(sum(len), 0)::bigint FROM note_search;

-- One row per transaction that has changes to write into search_totals at commit.
CREATE TABLE search_totals_pending (
  xid BIGINT NOT NULL DEFAULT txid_current()
);

-- The transaction's changes so far to table `t`'s totals ("rows tokens", in the setting
-- salesdesk.totals_<t>), or NULL.
CREATE FUNCTION salesdesk_totals_pending(t text) RETURNS bigint[]
LANGUAGE sql STABLE AS $$
  SELECT string_to_array(nullif(current_setting('salesdesk.totals_' || t, true), ''), ' ')::bigint[]
$$;

-- Adds a statement's change to the transaction's, and has it written at commit.
CREATE FUNCTION salesdesk_totals_add(t text, drows bigint, dtokens bigint) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  cur bigint[] := coalesce(salesdesk_totals_pending(t), ARRAY[0, 0]::bigint[]);
BEGIN
  IF drows = 0 AND dtokens = 0 THEN
    RETURN;
  END IF;
  PERFORM set_config('salesdesk.totals_' || t,
                     (cur[1] + drows)::text || ' ' || (cur[2] + dtokens)::text, true);
  IF coalesce(current_setting('salesdesk.totals_due', true), '') <> '1' THEN
    PERFORM set_config('salesdesk.totals_due', '1', true);
    INSERT INTO search_totals_pending DEFAULT VALUES;
  END IF;
END $$;

-- At commit (or at SET CONSTRAINTS … IMMEDIATE): the transaction's changes into search_totals.
CREATE FUNCTION search_totals_flush() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  t text;
  d bigint[];
BEGIN
  FOREACH t IN ARRAY ARRAY['companies', 'contacts', 'deals', 'notes'] LOOP
    d := salesdesk_totals_pending(t);
    IF d IS NOT NULL THEN
      UPDATE search_totals SET rows = rows + d[1], tokens = tokens + d[2] WHERE tbl = t;
      PERFORM set_config('salesdesk.totals_' || t, '', true);
    END IF;
  END LOOP;
  PERFORM set_config('salesdesk.totals_due', '', true);
  DELETE FROM search_totals_pending WHERE xid = txid_current();
  RETURN NULL;
END $$;
CREATE CONSTRAINT TRIGGER search_totals_flush AFTER INSERT ON search_totals_pending
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION search_totals_flush();

-- Statement triggers on the search tables (TG_ARGV[0]: whose totals) and on companies.
CREATE FUNCTION search_totals_added() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM salesdesk_totals_add(TG_ARGV[0], count(*), coalesce(sum(len), 0)::bigint)
  FROM added;
  RETURN NULL;
END $$;
CREATE FUNCTION search_totals_removed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM salesdesk_totals_add(TG_ARGV[0], -count(*), -coalesce(sum(len), 0)::bigint)
  FROM removed;
  RETURN NULL;
END $$;
CREATE FUNCTION search_totals_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM salesdesk_totals_add(TG_ARGV[0], 0,
    (SELECT coalesce(sum(len), 0)::bigint FROM added)
    - (SELECT coalesce(sum(len), 0)::bigint FROM removed));
  RETURN NULL;
END $$;
DO $$
DECLARE
  s text[];
BEGIN
  FOREACH s SLICE 1 IN ARRAY ARRAY[['contact_search', 'contacts'], ['deal_search', 'deals'],
                                   ['note_search', 'notes']] LOOP
    EXECUTE format('CREATE TRIGGER %I AFTER INSERT ON %I REFERENCING NEW TABLE AS added
                    FOR EACH STATEMENT EXECUTE FUNCTION search_totals_added(%L)',
                   s[1] || '_totals_ai', s[1], s[2]);
    EXECUTE format('CREATE TRIGGER %I AFTER DELETE ON %I REFERENCING OLD TABLE AS removed
                    FOR EACH STATEMENT EXECUTE FUNCTION search_totals_removed(%L)',
                   s[1] || '_totals_ad', s[1], s[2]);
    EXECUTE format('CREATE TRIGGER %I AFTER UPDATE ON %I
                    REFERENCING OLD TABLE AS removed NEW TABLE AS added
                    FOR EACH STATEMENT EXECUTE FUNCTION search_totals_changed(%L)',
                   s[1] || '_totals_au', s[1], s[2]);
  END LOOP;
END $$;

CREATE FUNCTION companies_totals_ai() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM salesdesk_totals_add('companies', count(*),
                               coalesce(sum(salesdesk_doc_length(salesdesk_doc(name))), 0)::bigint)
  FROM added;
  RETURN NULL;
END $$;
CREATE TRIGGER companies_totals_ai AFTER INSERT ON companies REFERENCING NEW TABLE AS added
  FOR EACH STATEMENT EXECUTE FUNCTION companies_totals_ai();
CREATE FUNCTION companies_totals_ad() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM salesdesk_totals_add('companies', -count(*),
                               -coalesce(sum(salesdesk_doc_length(salesdesk_doc(name))), 0)::bigint)
  FROM removed;
  RETURN NULL;
END $$;
CREATE TRIGGER companies_totals_ad AFTER DELETE ON companies REFERENCING OLD TABLE AS removed
  FOR EACH STATEMENT EXECUTE FUNCTION companies_totals_ad();
CREATE FUNCTION companies_totals_au() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM salesdesk_totals_add('companies', 0,
    (SELECT coalesce(sum(salesdesk_doc_length(salesdesk_doc(name))), 0)::bigint FROM added)
    - (SELECT coalesce(sum(salesdesk_doc_length(salesdesk_doc(name))), 0)::bigint FROM removed));
  RETURN NULL;
END $$;
CREATE TRIGGER companies_totals_au AFTER UPDATE ON companies
  REFERENCING OLD TABLE AS removed NEW TABLE AS added
  FOR EACH STATEMENT EXECUTE FUNCTION companies_totals_au();

-- What bm25 needs of a query on table `tbl` (companies, contacts, deals, notes): its words,
-- each one's IDF, and the table's average row length in tokens. Run by the book's owner (see
-- above); the transaction's own changes not yet written to search_totals count too.
CREATE FUNCTION salesdesk_bm25_stats(tbl text, q text,
                                     OUT terms tsquery[], OUT idf double precision[],
                                     OUT avgdl double precision)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path FROM CURRENT AS $$
DECLARE
  n bigint;
  tokens bigint;
  d bigint[] := salesdesk_totals_pending(tbl);
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
    EXECUTE CASE tbl
      WHEN 'companies' THEN 'SELECT count(*) FROM companies WHERE salesdesk_doc(name) @@ $1'
      WHEN 'contacts' THEN 'SELECT count(*) FROM contact_search WHERE doc @@ $1'
      WHEN 'deals' THEN 'SELECT count(*) FROM deal_search WHERE doc @@ $1'
      ELSE 'SELECT count(*) FROM note_search WHERE doc @@ $1' END
    INTO hits USING (quote_literal(w) || ':*')::tsquery;
    -- log(x) <= 0 exactly where x <= 1: FTS5's floor, without a log of a non-positive x.
    x := ((n - hits)::float8 + 0.5::float8) / (hits::float8 + 0.5::float8);
    terms := terms || (quote_literal(w) || ':*')::tsquery;
    idf := idf || CASE WHEN x > 1 THEN ln(x) ELSE 1e-6::float8 END;
  END LOOP;
END $$;

-- db check: how many searched tables' totals disagree with their rows (0 when all agree).
CREATE FUNCTION salesdesk_totals_mismatches() RETURNS bigint
LANGUAGE sql STABLE AS $$
  SELECT count(*) FROM (
    SELECT 'companies' AS tbl, count(*) AS rows,
           coalesce(sum(salesdesk_doc_length(salesdesk_doc(name))), 0)::bigint AS tokens
    FROM companies
    UNION ALL
    SELECT 'contacts', count(*), coalesce(sum(len), 0)::bigint FROM contact_search
    UNION ALL
    SELECT 'deals', count(*), coalesce(sum(len), 0)::bigint FROM deal_search
    UNION ALL
    SELECT 'notes', count(*), coalesce(sum(len), 0)::bigint FROM note_search) x
  FULL JOIN search_totals t ON t.tbl = x.tbl
  WHERE (t.rows, t.tokens) IS DISTINCT FROM (x.rows, x.tokens)
$$;

-- The new triggers, the stats reader and the check run as the book's owner (FTS5's counts
-- are of every row; a rep's row-level security would hide private notes), as 0003 made the
-- other triggers.
DO $$
DECLARE f regprocedure;
BEGIN
  FOR f IN
    SELECT p.oid::regprocedure FROM pg_proc p
    WHERE p.pronamespace = current_schema()::regnamespace
      AND (p.prorettype = 'trigger'::regtype OR p.proname LIKE 'salesdesk\_index\_%'
           OR p.proname IN ('salesdesk_bm25_stats', 'salesdesk_totals_mismatches'))
  LOOP
    EXECUTE format('ALTER FUNCTION %s SECURITY DEFINER SET search_path = %I, pg_temp',
                   f, current_schema());
  END LOOP;
END $$;

-- A book whose team was set up before this step: its groups get their rights on the new tables.
SELECT salesdesk_team_setup()
WHERE EXISTS (SELECT FROM pg_roles WHERE rolname = salesdesk_team_group('team'));
