-- salesdesk on PostgreSQL, migration 10: the first ranking's functions, unused since search
-- ranks by FTS5's bm25 (migration 4, `storage::search::server_bm25`), taken away.
INSERT INTO schema_migrations(version, name, sqlite_user_version, applied_at)
VALUES (10, '0010_drop_old_rank', 15, to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'));

DROP FUNCTION IF EXISTS salesdesk_rank(tsvector, tsquery[], real[]);
DROP FUNCTION IF EXISTS salesdesk_prefix_terms(text);
