#!/usr/bin/env bash
# SQLite and PostgreSQL side by side on the same generated book (examples/generate writes to
# either, same sizes and seed): the daily commands timed with hyperfine on both, a 100,000-row
# CSV import into an empty book of each, and the TUI's key → frame (benches/tui.rs) on both.
# The server is a throwaway cluster of scripts/pg-cluster.sh over a local socket.
#
#   bash scripts/bench-pg.sh                 # the 1/10 book (20,000 contacts, 200,000 notes)
#   LEVEL=100 bash scripts/bench-pg.sh       # the 1/100 book
#   LEVEL=1 bash scripts/bench-pg.sh         # the full book of the scale issue (slow to make)
#   NO_TUI=1 NO_IMPORT=1 bash scripts/bench-pg.sh
#   GEN_ONLY=1 LEVEL=1 bash scripts/bench-pg.sh   # make the books and stop: time them later,
#                                                 # on a quiet machine
#
# Prints markdown tables for BENCHMARKS.md; the raw hyperfine JSON stays in $DIR/raw.
set -euo pipefail
cd "$(dirname "$0")/.."

DIR=${DIR:-/tmp/bench/pg}
LEVEL=${LEVEL:-10}
RUNS=${RUNS:-20}
export SALESDESK_NOW="${SALESDESK_NOW:-2026-11-23T09:00:00+00:00}" TZ=UTC
mkdir -p "$DIR/raw"
command -v hyperfine >/dev/null || {
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq hyperfine >/dev/null
}
cargo build --release --bins --examples -q
BIN=${CARGO_TARGET_DIR:-$PWD/target}/release
S=$BIN/salesdesk G=$BIN/examples/generate

c=$((200000 / LEVEL)) d=$((50000 / LEVEL)) f=$((500000 / LEVEL)) n=$((2000000 / LEVEL))
CLUSTER="$DIR/cluster"
if [ ! -S "$CLUSTER/.s.PGSQL.5432" ]; then
  rm -rf "$CLUSTER" && mkdir -p "$CLUSTER"
  bash scripts/pg-cluster.sh start "$CLUSTER" >&2
fi
ADMIN="postgres://postgres@/postgres?host=$CLUSTER"
address() { echo "postgres://postgres@/$1?host=$CLUSTER"; }
fresh_db() { # name → address of a new empty book
  psql -h "$CLUSTER" -U postgres -qc "DROP DATABASE IF EXISTS $1 WITH (FORCE)" postgres >/dev/null
  psql -h "$CLUSTER" -U postgres -qc "CREATE DATABASE $1" postgres >/dev/null
  "$S" --db "$(address "$1")" db init >/dev/null
  address "$1"
}

# A book as autovacuum leaves it: statistics, and the visibility map that lets an index answer
# alone. The checkpoint first: the cluster commits without waiting for the disk, and a page
# whose rows' commit is not yet on disk is not marked visible.
settle() { # database
  psql -h "$CLUSTER" -U postgres -qc "CHECKPOINT" -c "VACUUM ANALYZE" "$1" >/dev/null
}

LITE="$DIR/book-$LEVEL.db"
PG=$(address "book_$LEVEL")
# Made again when the generator changes; a newer schema is brought to the books by migrating
# them below (generating the full book on the server takes half an hour).
stamp="$c $d $f $n $(sha1sum <examples/generate.rs | cut -c1-12)"
if [ "$(cat "$DIR/book-$LEVEL.stamp" 2>/dev/null)" != "$stamp" ]; then
  rm -f "$LITE" "$LITE-wal" "$LITE-shm"
  echo "generating $c contacts, $d deals, $f follow-ups, $n notes in SQLite…" >&2
  /usr/bin/time -f "%e" -o "$DIR/raw/gen-lite" "$G" --db "$LITE" --contacts "$c" --deals "$d" \
    --follow-ups "$f" --notes "$n" --seed 1 2>/dev/null
  echo "…and on the server…" >&2
  PG=$(fresh_db "book_$LEVEL")
  /usr/bin/time -f "%e" -o "$DIR/raw/gen-pg" "$G" --db "$PG" --contacts "$c" --deals "$d" \
    --follow-ups "$f" --notes "$n" --seed 1 2>/dev/null
  settle "book_$LEVEL"
  echo "$stamp" >"$DIR/book-$LEVEL.stamp"
fi
# Books made by an older salesdesk: the file migrates as it opens; the server's is migrated
# and settled when it was behind.
"$S" --db "$LITE" today --brief >/dev/null
if ! "$S" --db "$PG" db migrate | grep -q "is at schema"; then settle "book_$LEVEL"; fi
[ "${GEN_ONLY:-0}" = 1 ] && { echo "the books of 1/$LEVEL are ready" >&2; exit 0; }

measure() { # key runs command
  hyperfine -N --warmup 3 --runs "$2" --export-json "$DIR/raw/$1.json" "$3" >/dev/null 2>&1
}
for e in lite pg; do
  db=$LITE; [ $e = pg ] && db=$PG
  echo "timing $e…" >&2
  measure "today-$e" "$RUNS" "$S --db $db today"
  measure "brief-$e" "$RUNS" "$S --db $db today --brief"
  measure "acme-$e" "$RUNS" "$S --db $db search acme"
  measure "pricing-$e" "$RUNS" "$S --db $db search pricing"
  measure "report-$e" $((RUNS / 2)) "$S --db $db report"
done

if [ "${NO_IMPORT:-0}" != 1 ]; then
  CSV="$DIR/contacts-100k.csv"
  [ -f "$CSV" ] || python3 scripts/gen-contacts.py 100000 >"$CSV"
  for e in lite pg; do
    echo "importing 100,000 rows into $e…" >&2
    for i in 1 2 3; do
      if [ $e = lite ]; then
        rm -f "$DIR/import.db"*
        db="$DIR/import.db"
        "$S" --db "$db" db init >/dev/null 2>&1
      else
        db=$(fresh_db import_bench)
      fi
      /usr/bin/time -f "%e %M" -o "$DIR/raw/import-$e-$i" "$S" --db "$db" import "$CSV" >/dev/null
    done
  done
fi

if [ "${NO_TUI:-0}" != 1 ]; then
  for e in lite pg; do
    db=$LITE; [ $e = pg ] && db=$PG
    echo "TUI benches on $e…" >&2
    SALESDESK_BENCH_BOOK=$db cargo bench -q --bench tui -- key_move key_open_contact key_done_undo answer_open_contact answer_done_undo \
      >"$DIR/raw/tui-$e.txt" 2>&1 || true
  done
fi

python3 - "$DIR/raw" "$LEVEL" "$c" "$n" <<'EOF'
import json, os, sys, re
raw, level, c, n = sys.argv[1:]
def ms(key):
    p = os.path.join(raw, key + ".json")
    if not os.path.exists(p):
        return "–"
    r = json.load(open(p))["results"][0]
    return f"{r['mean'] * 1000:.1f} ± {r['stddev'] * 1000:.1f} (min {r['min'] * 1000:.1f})"
print(f"Book: 1/{level} ({c} contacts, {n} notes); load {open('/proc/loadavg').read().split()[0]} at the end.\n")
print("| command | SQLite ms | PostgreSQL ms (local socket) | PostgreSQL budget |")
print("|---|---:|---:|---:|")
for key, name, budget in [("today", "`today`", "40"), ("brief", "`today --brief`", "20"),
                          ("acme", "`search acme` (rare)", "–"), ("pricing", "`search pricing` (common)", "150"),
                          ("report", "`report`", "–")]:
    print(f"| {name} | {ms(key + '-lite')} | {ms(key + '-pg')} | {budget} |")
imp = []
for e in ("lite", "pg"):
    runs = []
    for i in (1, 2, 3):
        p = os.path.join(raw, f"import-{e}-{i}")
        if os.path.exists(p):
            w, m = open(p).read().split()
            runs.append((float(w), int(m) // 1024))
    if runs:
        imp.append((e, runs))
if imp:
    print("\n| import of 100,000 CSV rows | wall s (3 runs) | peak MB |\n|---|---|---:|")
    for e, runs in imp:
        print(f"| {'SQLite' if e == 'lite' else 'PostgreSQL'} | {', '.join(f'{w:.2f}' for w, _ in runs)} | {max(m for _, m in runs)} |")
for e in ("lite", "pg"):
    p = os.path.join(raw, f"tui-{e}.txt")
    if os.path.exists(p):
        print(f"\nTUI on {'SQLite' if e == 'lite' else 'PostgreSQL'} (divan, median):\n```")
        for line in open(p):
            if re.search(r"(key|answer)_(move|open_contact|done_undo)", line):
                print(line.rstrip())
        print("```")
EOF
