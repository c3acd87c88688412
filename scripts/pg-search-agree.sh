#!/usr/bin/env bash
# The same book on SQLite and on a PostgreSQL server, a few hundred searches, each one's JSON
# compared byte for byte: search must list the same hits in the same order on both engines
# (the server computes FTS5's bm25 the same way: storage::search::server_bm25, migration
# 0004_bm25). The book: N generated contacts (scripts/gen-contacts.py), two import fixtures,
# 60 deals and 60 notes; the queries: sampled words of the book, two- and three-letter
# prefixes, two-word queries and a few common words.
#
#   bash scripts/pg-cluster.sh start /tmp/pg && eval "$(bash scripts/pg-cluster.sh env /tmp/pg)"
#   SALESDESK_BIN=target/debug/salesdesk bash scripts/pg-search-agree.sh   # N=2000 by default
#
# Prints "searches: S, equal: E" and the queries that differ; exit 1 when any does.
set -euo pipefail
cd "$(dirname "$0")/.."
S=${SALESDESK_BIN:-${CARGO_TARGET_DIR:-target}/debug/salesdesk}
H=${SALESDESK_TEST_PG_HOST:?start a cluster with scripts/pg-cluster.sh and eval its env}
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
export SALESDESK_NOW=2026-11-23T09:00:00+00:00 TZ=UTC
psql -h "$H" -U postgres -qc "DROP DATABASE IF EXISTS search_agree WITH (FORCE)" postgres >/dev/null 2>&1
psql -h "$H" -U postgres -qc "CREATE DATABASE search_agree" postgres >/dev/null
PG="postgres://postgres@/search_agree?host=$H"
LITE=$W/book.db
python3 scripts/gen-contacts.py "${N:-2000}" >"$W/c.csv"
for db in "$LITE" "$PG"; do
  if [ "$db" = "$PG" ]; then "$S" --db "$db" db init >/dev/null; fi
  "$S" --db "$db" import "$W/c.csv" >/dev/null 2>&1
  "$S" --db "$db" import tests/fixtures/google.csv >/dev/null 2>&1
  "$S" --db "$db" import tests/fixtures/cards.vcf >/dev/null 2>&1
  for i in $(seq 1 60); do
    "$S" --db "$db" deal add --title "Deal $((i % 7)) renewal pilot $((i * 37 % 101))" \
      --contact "#$((i * 31 % 2000 + 1))" >/dev/null
    "$S" --db "$db" note "#$((i * 17 % 2000 + 1))" \
      "called about the pilot $((i % 5)) and pricing renewal $((i % 3)) carla demo" >/dev/null
  done
  "$S" --db "$db" db check >/dev/null
done
python3 - "$W/c.csv" >"$W/queries" <<'PY'
import csv, random, re, sys, unicodedata
random.seed(7)
rows = list(csv.reader(open(sys.argv[1])))[1:]
def words(t):
    t = unicodedata.normalize('NFKD', t.lower())
    t = ''.join(c for c in t if not unicodedata.combining(c))
    return [w for w in re.split(r'[^0-9a-z]+', t) if w]
vocab = sorted({w for r in rows for f in r for w in words(f)})
qs = set(random.sample(vocab, min(150, len(vocab))))
qs |= {w[:2] for w in random.sample(vocab, 40)} | {w[:3] for w in random.sample(vocab, 40)}
for r in random.sample(rows, 80):
    ws = [w for f in r for w in words(f)]
    if len(ws) >= 2:
        a, b = random.sample(ws, 2)
        qs.add(a + ' ' + b[:max(2, len(b) - 1)])
qs |= {'pilot', 'renewal', 'pricing', 'deal', 'demo', 'carla', 'pilot renewal', 'renewal carla',
       'company', 'example', '555', 'ceo', 'a', 'co'}
print('\n'.join(sorted(qs)))
PY
n=0 same=0
while IFS= read -r q; do
  n=$((n + 1))
  # shellcheck disable=SC2086 # each word its own argument, as typed
  a=$("$S" --db "$LITE" search $q --json --limit 200)
  # shellcheck disable=SC2086
  b=$("$S" --db "$PG" search $q --json --limit 200)
  if [ "$a" = "$b" ]; then same=$((same + 1)); else echo "differs: $q"; fi
done <"$W/queries"
psql -h "$H" -U postgres -qc "DROP DATABASE IF EXISTS search_agree WITH (FORCE)" postgres >/dev/null 2>&1
echo "searches: $n, equal: $same"
[ "$n" = "$same" ]
