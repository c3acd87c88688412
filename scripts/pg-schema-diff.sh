#!/usr/bin/env bash
# Proves the PostgreSQL schema (src/storage/pg/migrations/, applied in order) equal to the
# SQLite book's, differentially: the same writes (tests/pg/triggers.sql) go to a fresh SQLite book
# made by salesdesk and to a fresh PostgreSQL database made by the migration; then both are
# compared:
#   1. shape: each table's columns in order, integer columns BIGINT, text columns COLLATE "C",
#      SQLite's index names all present;
#   2. rows: every table dumped (tests/pg/dump.sql), derived columns included, diffed;
#   3. db check's derived-data checks, in one SQL text for both engines: all zero;
#   4. the search indexes' content: each row's words (and column weight) from FTS5's vocabulary
#      next to the words of its tsvector;
#   5. search results: the same queries through FTS5 (bm25) and through tsvector/pg_trgm: the
#      same hits must come back (orders here are ts_rank's, only reported; the server's bm25
#      order, equal to SQLite's, is compared by scripts/pg-search-agree.sh).
#   6. 2-5 again on two books salesdesk wrote itself, copied row by row (ids kept, derived
#      columns left to the triggers) into PostgreSQL: the demo book (deals with history,
#      follow-ups, notes) and a generated import of 2,000 contacts (whose SQLite search
#      indexes were filled by storage::bulk, not by the triggers), the import loaded twice:
#      through the triggers, and as a bulk load (triggers suspended, salesdesk_index_*).
#   7. two writers at once under READ COMMITTED (tests/pg/races.sh): the derived columns and
#      search rows still agree with their definitions.
#   0. (first) the SQLite functions the schema provides (tests/pg/shims.sql), in three time
#      zones.
# Exit 0 when 0-4 and 7 and the hit sets of 5 and 6 agree.
#
# Usage: scripts/pg-schema-diff.sh [--keep]
#   SALESDESK_BIN  the salesdesk binary that makes the SQLite book (default target/debug/salesdesk)
#   PGHOST         a running server's socket folder or host, where databases may be created;
#                  without it a throwaway cluster is started (initdb/pg_ctl; as root through
#                  setpriv as the postgres user) and stopped at the end.
#   PGUSER         default postgres.
#   DB_LOCALE      the databases' locale (default C.UTF-8; try C: a C-locale database's own
#                  lower() and text search leave non-ASCII letters alone, the schema's do not)
# The book's FTS5 tables need SQLite 3.43 or newer (contentless_delete); when the system's
# library is older, the SQLite side runs on one built from the amalgamation that rusqlite
# bundles (cargo's registry), once, cached under target/pg-schema-diff/.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
bin=${SALESDESK_BIN:-$root/target/debug/salesdesk}
keep=${1:-}
work=$(mktemp -d)
chmod 755 "$work"
cluster=""
export PGUSER=${PGUSER:-postgres}
locale=${DB_LOCALE:-C.UTF-8}
export PGOPTIONS="-c client_min_messages=warning"

cleanup() {
  if [[ -n $cluster ]]; then
    as_pg "$(pg_bin)/pg_ctl" -D "$cluster/data" -m fast stop >/dev/null || true
  fi
  if [[ $keep == --keep ]]; then echo "kept: $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1; }
as_pg() {
  if [[ $(id -u) == 0 ]]; then setpriv --reuid=postgres --regid=postgres --clear-groups "$@"; else "$@"; fi
}

start_cluster() {
  cluster=$work/pg
  mkdir -p "$cluster"
  [[ $(id -u) == 0 ]] && chown postgres: "$cluster"
  as_pg "$(pg_bin)/initdb" -D "$cluster/data" --auth=trust --no-sync -E UTF8 --locale=C.UTF-8 \
    -U postgres >/dev/null
  as_pg "$(pg_bin)/pg_ctl" -D "$cluster/data" -w -l "$cluster/log" start -o \
    "-c listen_addresses='' -k $cluster -c fsync=off -c full_page_writes=off -c synchronous_commit=off" \
    >/dev/null
  export PGHOST=$cluster
}

# A SQLite library with contentless_delete, for python3's sqlite3 module.
sqlite_env() {
  if python3 -c 'import sqlite3,sys; sys.exit(sqlite3.sqlite_version_info < (3, 43))'; then
    return
  fi
  local lib=$root/target/pg-schema-diff
  if [[ ! -f $lib/libsqlite3.so.0 ]]; then
    local src
    src=$(ls -d "${CARGO_HOME:-$HOME/.cargo}"/registry/src/*/libsqlite3-sys-*/sqlite3 | sort -V | tail -1)
    mkdir -p "$lib"
    echo "building SQLite from $src (once)" >&2
    gcc -shared -fPIC -O1 -o "$lib/libsqlite3.so.0" "$src/sqlite3.c" \
      -DSQLITE_DEFAULT_FOREIGN_KEYS=1 -DSQLITE_ENABLE_FTS5 -DSQLITE_ENABLE_JSON1 \
      -DSQLITE_THREADSAFE=1 -DHAVE_USLEEP=1 -lpthread -lm -ldl
  fi
  export LD_LIBRARY_PATH=$lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
}

# sq exec|dump BOOK FILE: runs a script on the book (foreign keys on, as the app opens it),
# or each statement of FILE printing rows as psql -At does (NULL as <null>).
cat >"$work/sq.py" <<'EOF'
import sqlite3, sys
mode, book, path = sys.argv[1:4]
c = sqlite3.connect(book, isolation_level=None)
c.execute("PRAGMA foreign_keys = ON")
sql = open(path, encoding="utf-8").read()
if mode == "exec":
    c.executescript(sql)
else:
    out = sys.stdout
    sql = "\n".join(l for l in sql.splitlines() if not l.lstrip().startswith("--"))
    for stmt in [s for s in sql.split(";\n") if s.strip()]:
        for row in c.execute(stmt):
            out.write("|".join("<null>" if v is None else str(v) for v in row) + "\n")
EOF
sq() { python3 "$work/sq.py" "$@"; }
pgdb=salesdesk_diff
pq() { psql -X -q -v ON_ERROR_STOP=1 -d "$pgdb" "$@"; }
pq_rows() { pq -At -F '|' -P null='<null>' "$@"; }


status=0
compare() { # name: diff $work/name.sqlite $work/name.pg
  if diff -u "$work/$1.sqlite" "$work/$1.pg" >"$work/$1.diff"; then
    echo "ok    $1 ($(wc -l <"$work/$1.sqlite") lines)"
  else
    echo "DIFF  $1"; head -40 "$work/$1.diff"; status=1
  fi
}
newdb() { # a fresh database with the migrations applied, in order
  pgdb=$1
  psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $pgdb" \
    -c "CREATE DATABASE $pgdb TEMPLATE template0 ENCODING 'UTF8' LOCALE '$locale'"
  for m in "$root"/src/storage/pg/migrations/*.sql; do pq -f "$m"; done
}

tables="meta companies contacts contact_keys deals deal_events follow_ups notes undo_log undo_rows undo_ranges reminders_sent sequence_enrollments"

# 1. Shape: columns in order, types, SQLite's index names.
shape() { # book tag
  for t in $tables; do
    echo "SELECT '$t', group_concat(name, ',') FROM (SELECT name FROM pragma_table_info('$t') ORDER BY cid);"
  done >"$work/cols.sqlite.sql"
  sq dump "$1" "$work/cols.sqlite.sql" >"$work/$2columns.sqlite"
  for t in $tables; do
    # follow_ups.text_head: the server's own, a copy of a short text its indexes can carry
    echo "SELECT '$t', string_agg(column_name, ',' ORDER BY ordinal_position) FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = '$t' AND NOT (table_name = 'follow_ups' AND column_name = 'text_head');"
  done >"$work/cols.pg.sql"
  pq_rows -f "$work/cols.pg.sql" >"$work/$2columns.pg"
  compare "$2columns"
  echo "SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name;" >"$work/ix.sql"
  sq dump "$1" "$work/ix.sql" >"$work/$2indexes.sqlite"
  pq_rows -c "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema()
    AND indexname NOT LIKE '%_pkey' AND indexname NOT IN
    ('contact_search_doc', 'contact_search_subs', 'deal_search_doc', 'note_search_doc', 'companies_search',
     -- a team's reads cut to an owner (a personal SQLite book is not cut): the server's own
     'contacts_owner', 'contacts_owner_source', 'deals_owner', 'follow_ups_owner_open',
     'notes_author_created', 'undo_log_by_user')
    ORDER BY indexname COLLATE \"C\"" >"$work/$2indexes.pg"
  compare "$2indexes"
  pq_rows -c "SELECT table_name || '.' || column_name || ' ' || data_type || coalesce(' ' || collation_name, '')
    FROM information_schema.columns WHERE table_schema = current_schema()
    AND table_name IN ($(printf "'%s'," $tables | sed 's/,$//'))
    AND NOT (data_type = 'bigint' OR (data_type = 'text' AND collation_name = 'C'))" >"$work/$2types.pg"
  : >"$work/$2types.sqlite"
  compare "$2types"
}

# 2. Rows: every table, derived columns included.
rows() { # book tag
  sq dump "$1" "$root/tests/pg/dump.sql" >"$work/$2rows.sqlite"
  pq_rows -f "$root/tests/pg/dump.sql" >"$work/$2rows.pg"
  compare "$2rows"
}

# 3. db check's derived checks (storage::derived), written once for both engines, and the
# id counters (sqlite_sequence, id_sequences).
cat >"$work/check.sql" <<'EOF'
SELECT 'open_follow_ups', count(*) FROM contacts c WHERE c.open_follow_ups !=
  (SELECT count(*) FROM follow_ups f WHERE f.contact_id = c.id AND f.status = 'open');
SELECT 'last_contacted_at', count(*) FROM contacts c WHERE coalesce(c.last_contacted_at, '') !=
  coalesce((SELECT max(created_at) FROM notes n
            WHERE n.contact_id = c.id AND n.kind IN ('call', 'email', 'meeting')), '');
SELECT 'ended_at', count(*) FROM deal_events e WHERE e.ended_at IS DISTINCT FROM
  (SELECT n.at FROM deal_events n
   WHERE n.deal_id = e.deal_id AND (n.at, n.id) > (e.at, e.id)
   ORDER BY n.at, n.id LIMIT 1);
SELECT 'labels', count(*) FROM follow_ups f JOIN contacts c ON c.id = f.contact_id
  LEFT JOIN companies co ON co.id = c.company_id LEFT JOIN deals d ON d.id = f.deal_id
WHERE f.contact_name IS DISTINCT FROM c.name OR f.company_name IS DISTINCT FROM co.name
  OR f.deal_title IS DISTINCT FROM d.title OR f.deal_value_cents IS DISTINCT FROM d.value_cents
  OR f.deal_currency IS DISTINCT FROM d.currency;
SELECT 'seq_labels', count(*) FROM follow_ups f JOIN sequence_enrollments e ON e.id = f.seq_id
WHERE f.seq_name IS DISTINCT FROM e.name OR f.seq_steps IS DISTINCT FROM json_array_length(e.steps)
  OR f.contact_id IS DISTINCT FROM e.contact_id;
SELECT 'seq_open_steps', count(*) FROM sequence_enrollments e WHERE e.status = 'active'
  AND (SELECT count(*) FROM follow_ups f WHERE f.seq_id = e.id AND f.status = 'open') > 1;
EOF
checks() { # book tag [ids]
  cp "$work/check.sql" "$work/check.sqlite.sql"; cp "$work/check.sql" "$work/check.pg.sql"
  echo "SELECT 'dangling', count(*) FROM pragma_foreign_key_check;" >>"$work/check.sqlite.sql"
  echo "SELECT 'dangling', count(*) FROM foreign_key_check;" >>"$work/check.pg.sql"
  if [[ ${3:-} == ids ]]; then
    echo "SELECT name, seq FROM sqlite_sequence WHERE seq > 0 ORDER BY name;" >>"$work/check.sqlite.sql"
    echo "SELECT name, seq FROM id_sequences ORDER BY name;" >>"$work/check.pg.sql"
  fi
  sq dump "$1" "$work/check.sqlite.sql" >"$work/$2check.sqlite"
  pq_rows -f "$work/check.pg.sql" >"$work/$2check.pg"
  compare "$2check"
  if head -7 "$work/$2check.sqlite" | grep -qv '|0$'; then
    echo "FAIL  a derived check is not zero"; status=1
  fi
}

# 4. The search indexes' words, by row and column weight (A..D as in the migration). The
# vocabulary tables live as long as their connection: made and read in one run.
cat >"$work/words.sqlite.sql" <<'EOF'
CREATE VIRTUAL TABLE temp.v_contacts USING fts5vocab(main, contacts_fts, instance);
CREATE VIRTUAL TABLE temp.v_deals USING fts5vocab(main, deals_fts, instance);
CREATE VIRTUAL TABLE temp.v_companies USING fts5vocab(main, companies_fts, instance);
CREATE VIRTUAL TABLE temp.v_notes USING fts5vocab(main, notes_fts, instance);
SELECT DISTINCT 'contact', doc, CASE col WHEN 'name' THEN 'A' WHEN 'company' THEN 'B'
  WHEN 'title' THEN 'C' WHEN 'emails' THEN 'C' ELSE 'D' END AS w, term FROM temp.v_contacts ORDER BY 2, 3, 4;
SELECT DISTINCT 'deal', doc, CASE col WHEN 'title' THEN 'A' ELSE 'C' END, term FROM temp.v_deals ORDER BY 2, 3, 4;
SELECT DISTINCT 'company', doc, 'D', term FROM temp.v_companies ORDER BY 2, 3, 4;
SELECT DISTINCT 'note', doc, 'D', term FROM temp.v_notes ORDER BY 2, 3, 4
EOF
cat >"$work/words.pg.sql" <<'EOF'
SELECT DISTINCT 'contact', s.contact_id, w, u.lexeme COLLATE "C" FROM contact_search s, unnest(s.doc) u, unnest(u.weights) w ORDER BY 2, 3, 4;
SELECT DISTINCT 'deal', s.deal_id, w, u.lexeme COLLATE "C" FROM deal_search s, unnest(s.doc) u, unnest(u.weights) w ORDER BY 2, 3, 4;
SELECT DISTINCT 'company', c.id, w, u.lexeme COLLATE "C" FROM companies c, unnest(salesdesk_doc(c.name)) u, unnest(u.weights) w ORDER BY 2, 3, 4;
SELECT DISTINCT 'note', s.note_id, w, u.lexeme COLLATE "C" FROM note_search s, unnest(s.doc) u, unnest(u.weights) w ORDER BY 2, 3, 4;
EOF
words() { # book tag
  sq dump "$1" "$work/words.sqlite.sql" >"$work/$2words.sqlite"
  pq_rows -f "$work/words.pg.sql" >"$work/$2words.pg"
  compare "$2words"
}

# 5. Searches: each query is what search::words makes of what a user types (folded words,
# one space between), in the SQL of search.rs and its PostgreSQL form. Hit sets must agree;
# the orders are compared.
search() { # book tag queries-file substring-queries-file
  : >"$work/search.sqlite.sql"; : >"$work/search.pg.sql"
  while IFS= read -r q; do
    fq=$(for w in $q; do printf '"%s"* ' "$w"; done)
    cat >>"$work/search.sqlite.sql" <<EOF
SELECT 'contacts', '$q', coalesce(group_concat(id, ' '), '') FROM (SELECT rowid AS id FROM contacts_fts WHERE contacts_fts MATCH '$fq' ORDER BY bm25(contacts_fts, 10.0, 4.0, 2.0, 2.0, 1.0, 1.0), rowid);
SELECT 'companies', '$q', coalesce(group_concat(id, ' '), '') FROM (SELECT rowid AS id FROM companies_fts WHERE companies_fts MATCH '$fq' ORDER BY bm25(companies_fts), rowid);
SELECT 'deals', '$q', coalesce(group_concat(id, ' '), '') FROM (SELECT rowid AS id FROM deals_fts WHERE deals_fts MATCH '$fq' ORDER BY bm25(deals_fts, 10.0, 2.0, 2.0), rowid);
SELECT 'notes', '$q', coalesce(group_concat(id, ' '), '') FROM (SELECT rowid AS id FROM notes_fts WHERE notes_fts MATCH '$fq' ORDER BY bm25(notes_fts), rowid DESC);
EOF
    cat >>"$work/search.pg.sql" <<EOF
SELECT 'contacts', '$q', coalesce(string_agg(id::text, ' ' ORDER BY r, id), '') FROM (SELECT s.contact_id AS id, -ts_rank(s.doc, q) AS r FROM contact_search s, salesdesk_prefix_query('$q') q WHERE s.doc @@ q) x;
SELECT 'companies', '$q', coalesce(string_agg(id::text, ' ' ORDER BY r, id), '') FROM (SELECT c.id, -ts_rank(salesdesk_doc(c.name), q) AS r FROM companies c, salesdesk_prefix_query('$q') q WHERE salesdesk_doc(c.name) @@ q) x;
SELECT 'deals', '$q', coalesce(string_agg(id::text, ' ' ORDER BY r, id), '') FROM (SELECT s.deal_id AS id, -ts_rank(s.doc, q) AS r FROM deal_search s, salesdesk_prefix_query('$q') q WHERE s.doc @@ q) x;
SELECT 'notes', '$q', coalesce(string_agg(id::text, ' ' ORDER BY r, id DESC), '') FROM (SELECT s.note_id AS id, -ts_rank(s.doc, q) AS r FROM note_search s, salesdesk_prefix_query('$q') q WHERE s.doc @@ q) x;
EOF
  done <"$3"
  while IFS= read -r q; do
    short=0; for w in $q; do (( ${#w} < 3 )) && short=1; done
    if (( short )); then
      # search::substring_ids: a word under three letters falls back to the folded names.
      cond=$(for w in $q; do printf " AND instr(name_key, '%s') > 0" "$w"; done)
      echo "SELECT 'substr', '$q', coalesce(group_concat(id, ' '), '') FROM (SELECT id FROM contacts WHERE true$cond ORDER BY id) x;" >>"$work/search.sqlite.sql"
      echo "SELECT 'substr', '$q', coalesce(string_agg(id::text, ' '), '') FROM (SELECT id FROM contacts WHERE true$cond ORDER BY id) x;" >>"$work/search.pg.sql"
    else
      tq=$(for w in $q; do printf '"%s" ' "$w"; done)
      cond=$(for w in $q; do printf " AND subs LIKE '%%%s%%'" "$w"; done)
      echo "SELECT 'substr', '$q', coalesce(group_concat(id, ' '), '') FROM (SELECT rowid AS id FROM contacts_tri WHERE contacts_tri MATCH '$tq' ORDER BY rowid);" >>"$work/search.sqlite.sql"
      echo "SELECT 'substr', '$q', coalesce(string_agg(id::text, ' '), '') FROM (SELECT contact_id AS id FROM contact_search WHERE true$cond ORDER BY contact_id) x;" >>"$work/search.pg.sql"
    fi
  done <"$4"
  sq dump "$1" "$work/search.sqlite.sql" >"$work/$2search.sqlite"
  pq_rows -f "$work/search.pg.sql" >"$work/$2search.pg"
  for e in sqlite pg; do # hit sets: ids sorted
    python3 -c 'import sys
for l in sys.stdin:
    k, q, ids = l.rstrip("\n").split("|")
    print(k, q, " ".join(sorted(ids.split(), key=int)), sep="|")' <"$work/$2search.$e" >"$work/$2hits.$e"
  done
  compare "$2hits"
  paste -d'|' "$work/$2search.sqlite" <(cut -d'|' -f3 "$work/$2search.pg") >"$work/$2order"
  awk -F'|' 'split($3, a, " ") > 1 { n++; if ($3 == $4) same++; split($4, b, " "); if (a[1] == b[1]) first++ }
    END { printf "      order: of %d searches with 2+ hits, %d in bm25 order, %d with bm25 first hit first\n", n, same, first }' "$work/$2order"
}

sqlite_env
[[ -n ${PGHOST:-} ]] || start_cluster

# 0. The SQLite functions the schema provides, in three time zones (date(…, 'localtime') is
# the process's zone on SQLite, the session's TimeZone on PostgreSQL).
echo "== tests/pg/shims.sql"
newdb salesdesk_diff
for tz in America/New_York Asia/Kolkata UTC; do
  z=${tz//\//-}
  TZ=$tz sq dump ":memory:" "$root/tests/pg/shims.sql" >"$work/shims-$z.sqlite"
  PGOPTIONS="$PGOPTIONS -c TimeZone=$tz" pq_rows -f "$root/tests/pg/shims.sql" >"$work/shims-$z.pg"
  # Floats as numbers: SQLite prints 0.0 where PostgreSQL prints 0.
  for e in sqlite pg; do
    awk -F'|' -v OFS='|' '{ for (i = 1; i <= NF; i++) if ($i ~ /^-?[0-9.]+$/) $i = sprintf("%.9f", $i); print }' \
      "$work/shims-$z.$e" >"$work/shims-$z.n.$e"; mv "$work/shims-$z.n.$e" "$work/shims-$z.$e"
  done
  compare "shims-$z"
done

# The writes of tests/pg/triggers.sql.
echo "== tests/pg/triggers.sql on a new book"
book=$work/book.db
SALESDESK_NOW=2026-12-04T09:00:00Z "$bin" --db "$book" db check >/dev/null 2>&1
sq exec "$book" "$root/tests/pg/triggers.sql"
newdb salesdesk_diff
pq -f "$root/tests/pg/triggers.sql"
shape "$book" ""
rows "$book" ""
checks "$book" "" ids
words "$book" ""
cat >"$work/queries" <<'EOF'
ana
jose
alv
bjorn
odegard
strasse
zoe
иван
ivan
acme
acm inc
ana acm
acme com
ana acme com
555
4567
1234567
vip
nandu
pilot
renewal 2027
fjord
elite
aesir
lodz
письмо
import
marten
aero
son
head purch
cto
berlin
0101
nomatch
EOF
printf '%s\n' silva lvar reira 4567 5551234 15551234567 "acme com" gard ван "123 45" ab tr "mar aer" 0101 "de st" >"$work/subs"
search "$book" "" "$work/queries" "$work/subs"
echo "      where the orders differ (kind|query|SQLite bm25|PostgreSQL ts_rank):"
awk -F'|' '$3 != $4 { print "        " $0; d++ } END { if (!d) print "        (none)" }' "$work/order"

# 6. Books salesdesk wrote, copied into PostgreSQL as restore would write them.
cat >"$work/copy.py" <<'EOF'
# INSERTs of a book's rows with their ids, derived columns left out (storage::undo DERIVED).
# With --bulk, as storage::bulk would load them: the search and key triggers suspended, the
# rows indexed at the end by salesdesk_index_* and salesdesk_contact_keys.
import sqlite3, sys
bulk = "--bulk" in sys.argv
SUSPENDED = [("contacts", "contacts_ai"), ("contacts", "contacts_fts_ai"),
             ("deals", "deals_fts_ai"), ("notes", "notes_fts_ai")]
DERIVED = {("contacts", "last_contacted_at"), ("contacts", "open_follow_ups"),
           ("deal_events", "ended_at"), ("follow_ups", "contact_name"),
           ("follow_ups", "company_name"), ("follow_ups", "deal_title"),
           ("follow_ups", "deal_value_cents"), ("follow_ups", "deal_currency")}
c = sqlite3.connect(sys.argv[1])
def lit(v):
    return "NULL" if v is None else repr(v) if isinstance(v, (int, float)) else "'" + v.replace("'", "''") + "'"
print("BEGIN;")
if bulk:
    for t, name in SUSPENDED:
        print(f"ALTER TABLE {t} DISABLE TRIGGER {name};")
for t in ["meta", "companies", "contacts", "deals", "deal_events", "follow_ups", "notes",
          "sequence_enrollments", "undo_log", "undo_rows", "undo_ranges", "reminders_sent"]:
    cols = [r[1] for r in c.execute(f"PRAGMA table_info({t})") if (t, r[1]) not in DERIVED]
    rows = c.execute(f"SELECT {', '.join(cols)} FROM {t} ORDER BY 1, 2").fetchall()
    for i in range(0, len(rows), 500):
        values = ",\n".join("(" + ", ".join(lit(v) for v in r) + ")" for r in rows[i:i + 500])
        print(f"INSERT INTO {t}({', '.join(cols)}) VALUES\n{values};")
if bulk:
    print("""INSERT INTO contact_keys(contact_id, kind, key)
  SELECT c.id, k.kind, k.key FROM contacts c, salesdesk_contact_keys(c.emails, c.phones, c.tags) k
  ORDER BY c.id;""")
    for t in ["contacts", "deals", "notes"]:
        print(f"SELECT salesdesk_index_{t}(0, (SELECT coalesce(max(id), 0) FROM {t}));")
    for t, name in SUSPENDED:
        print(f"ALTER TABLE {t} ENABLE TRIGGER {name};")
print("COMMIT;")
EOF
cat >"$work/queries.py" <<'EOF'
# Searches from a book's own words: every word of the names, companies and titles (folded
# as text::fold does), its first three letters, and pairs of them.
import sqlite3, sys, unicodedata
def fold(s):
    s = "".join(ch for ch in unicodedata.normalize("NFD", s) if not unicodedata.combining(ch)).lower()
    for a, b in [("ø", "o"), ("æ", "ae"), ("œ", "oe"), ("ß", "ss"), ("ł", "l"), ("đ", "d"), ("ð", "d"), ("þ", "th"), ("ı", "i")]:
        s = s.replace(a, b)
    return "".join(ch if ch.isalnum() else " " for ch in s).split()
c = sqlite3.connect(sys.argv[1])
words = sorted({w for (t,) in c.execute("SELECT name FROM contacts UNION SELECT name FROM companies UNION SELECT title FROM deals") for w in fold(t)})
qs = set(words) | {w[:3] for w in words if len(w) > 3}
qs |= {a + " " + b for a, b in zip(words[::7], words[3::7])}
open(sys.argv[2], "w").write("\n".join(sorted(qs)) + "\n")
subs = {w[1:5] for w in words if len(w) >= 5} | {"555", "0000", "example com", "com"}
open(sys.argv[3], "w").write("\n".join(sorted(subs)) + "\n")
EOF
copied() { # tag book [--bulk]
  echo "== $1, copied ${3:+(bulk: triggers suspended, salesdesk_index_*)}"
  newdb "salesdesk_diff_${1//-/_}"
  python3 "$work/copy.py" "$2" ${3:-} >"$work/$1.sql"
  pq -f "$work/$1.sql" >/dev/null
  rows "$2" "$1-"
  checks "$2" "$1-"
  words "$2" "$1-"
  python3 "$work/queries.py" "$2" "$work/$1-queries" "$work/$1-subs"
  search "$2" "$1-" "$work/$1-queries" "$work/$1-subs"
}
SALESDESK_NOW=2026-12-04T09:00:00Z "$bin" --db "$work/demo.db" demo >/dev/null 2>&1
copied demo "$work/demo.db"
python3 "$root/scripts/gen-contacts.py" 2000 >"$work/contacts.csv"
SALESDESK_NOW=2026-12-04T09:00:00Z "$bin" --db "$work/import.db" import "$work/contacts.csv" >/dev/null 2>&1
copied import "$work/import.db"
copied import-bulk "$work/import.db" --bulk

# 7. Two writers at once (tests/pg/races.sh): every derived check ends at 0.
echo "== tests/pg/races.sh (two writers at once, READ COMMITTED)"
newdb salesdesk_diff_races
PGDATABASE=$pgdb "$root/tests/pg/races.sh" "$pgdb" >"$work/races.pg"
sed 's/|.*/|0/' "$work/races.pg" >"$work/races.sqlite"
compare races
exit $status
