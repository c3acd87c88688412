-- The SQLite functions the PostgreSQL schema provides (instr, json_array_length, julianday,
-- date(…, 'localtime'), total), each call once a line: scripts/pg-schema-diff.sh runs them on both
-- engines in three time zones and compares.
SELECT julianday('2026-11-23T09:00:00Z');
SELECT julianday('2026-11-23');
SELECT julianday('2026-11-23T09:00:00');
SELECT julianday('2026-11-23T09:00:00+02:00');
SELECT julianday('2026-11-23T09:00:00.500Z');
SELECT julianday('2026-12-01') - julianday('2026-11-23T09:00:00Z');
SELECT date('2026-11-23T03:00:00Z', 'localtime');
SELECT date('2026-11-23T23:30:00Z', 'localtime');
SELECT date('2026-11-23', 'localtime');
SELECT date('2026-07-01T03:30:00Z', 'localtime');
SELECT CAST(julianday('2026-12-04') - julianday(date('2026-11-20T02:00:00Z', 'localtime')) AS INTEGER);
SELECT total(x) FROM (SELECT 1 AS x WHERE 1 = 0) t;
SELECT total(x) FROM (SELECT 3 AS x UNION ALL SELECT NULL UNION ALL SELECT 4) t;
SELECT total(x) FROM (SELECT 1.5 AS x UNION ALL SELECT 2.25) t;
SELECT instr('ana pereira', 'per'), instr('ana', 'x');
SELECT json_array_length('[1,2,3]'), json_array_length('[]'), json_array_length('{"a":1}');
