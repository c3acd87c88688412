#!/usr/bin/env bash
# A team's day on one server (issue 22): REPS simulated reps, each a process logging in as
# their own PostgreSQL login, work their own part of a generated book at once: calls with an
# outcome, notes, deal moves, snoozes, searches and their daily list, STEPS of them each.
# Afterwards the book is checked: every command succeeded, every note and every move of every
# rep is in the book (no lost change), `db check` is clean. Prints p50/p99 per command as a
# markdown table for BENCHMARKS.md; the raw timings stay in $DIR.
#
#   bash bench/team-load.sh                  # 20 reps on the 1/10 book
#   LEVEL=1 REPS=20 STEPS=60 bash bench/team-load.sh   # the full book (slow to generate)
#   LEVEL=1 GEN_ONLY=1 bash bench/team-load.sh; LEVEL=1 REUSE=1 bash bench/team-load.sh
set -euo pipefail
cd "$(dirname "$0")/.."

DIR=${DIR:-/tmp/bench/team}
LEVEL=${LEVEL:-10}
REPS=${REPS:-20}
STEPS=${STEPS:-40}
PASSWORD=team-load-pw
export SALESDESK_NOW="${SALESDESK_NOW:-2026-11-23T09:00:00+00:00}" TZ=UTC
mkdir -p "$DIR"
cargo build --release --bins --examples -q
BIN=${CARGO_TARGET_DIR:-$PWD/target}/release
S=$BIN/salesdesk G=$BIN/examples/generate

CLUSTER="$DIR/cluster"
if [ ! -S "$CLUSTER/.s.PGSQL.5432" ]; then
  rm -rf "$CLUSTER" && mkdir -p "$CLUSTER"
  bash scripts/pg-cluster.sh start "$CLUSTER" >&2
fi
DB=team_load_$LEVEL
sql() { psql -h "$CLUSTER" -U postgres -qAtX -v ON_ERROR_STOP=1 "$@"; }
as_rep() { echo "postgres://$1:$PASSWORD@/$DB?host=$CLUSTER"; }
OWNER="postgres://postgres@/$DB?host=$CLUSTER"

c=$((200000 / LEVEL)) d=$((50000 / LEVEL)) f=$((500000 / LEVEL)) n=$((2000000 / LEVEL))
reps=()
for k in $(seq -w 1 "$REPS"); do reps+=("loadrep$k"); done
# REUSE=1 works on the book a former run made (generating the full book takes ~25 min);
# GEN_ONLY=1 makes the book and stops, so the day can run later on a quiet machine.
if [ "${REUSE:-0}" = 1 ] && [ "$(sql -c "SELECT count(*) FROM users WHERE login LIKE 'loadrep%'" "$DB" 2>/dev/null || true)" = "$REPS" ]; then
  echo "reusing the book $DB ($(sql -c "SELECT count(*) FROM contacts" "$DB") contacts)" >&2
  "$S" --db "$OWNER" db migrate >&2
else
  echo "generating $c contacts, $d deals, $f follow-ups, $n notes on the server…" >&2
  sql -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" postgres
  sql -c "CREATE DATABASE $DB" postgres
  "$S" --db "$OWNER" db init >/dev/null
  "$G" --db "$OWNER" --contacts "$c" --deals "$d" --follow-ups "$f" --notes "$n" --seed 1 2>/dev/null

  # The team, and the book shared out: rep k owns the contacts whose id is k modulo REPS,
  # with their deals and follow-ups.
  for r in "${reps[@]}"; do
    sql -c "DROP ROLE IF EXISTS $r" postgres 2>/dev/null || true
    echo "$PASSWORD" | "$S" --db "$OWNER" team add "$r" --role rep --password-stdin >/dev/null
  done
  sql "$DB" <<SQL
UPDATE contacts SET owner = 'loadrep' || lpad((1 + id % $REPS)::text, ${#REPS}, '0');
UPDATE deals d SET owner = c.owner FROM contacts c WHERE c.id = d.contact_id;
UPDATE follow_ups f SET owner = c.owner FROM contacts c WHERE c.id = f.contact_id;
VACUUM ANALYZE;
SQL
fi
[ "${GEN_ONLY:-0}" = 1 ] && { echo "the book $DB is ready" >&2; exit 0; }
notes_before=$(sql -c "SELECT coalesce(max(id), 0) FROM notes" "$DB")
events_before=$(sql -c "SELECT coalesce(max(id), 0) FROM deal_events" "$DB")

# One rep's day: STEPS rounds of a call, a note, a move of one of their open deals, a snooze
# of one of their open follow-ups, a search and their list, each timed.
work() {
  local rep=$1 db out contacts deals follow_ups i cmd t0 t1 rc
  db=$(as_rep "$rep")
  out="$DIR/times-$rep"
  : >"$out"
  mapfile -t contacts < <(sql -c "SELECT id FROM contacts WHERE owner = '$rep' ORDER BY id LIMIT $STEPS" "$DB")
  # Each deal with the stage it goes to: the next of Qualified and Proposal from where it is.
  mapfile -t deals < <(sql -F ' ' -c "SELECT id, CASE WHEN stage = 'Qualified' THEN 'Proposal' ELSE 'Qualified' END
                                    FROM deals WHERE owner = '$rep' AND status = 'open' ORDER BY id LIMIT $STEPS" "$DB")
  mapfile -t follow_ups < <(sql -c "SELECT id FROM follow_ups WHERE owner = '$rep' AND status = 'open' ORDER BY id LIMIT $STEPS" "$DB")
  for ((i = 0; i < STEPS; i++)); do
    local who=${contacts[i % ${#contacts[@]}]}
    for cmd in call note move snooze search today; do
      local args=()
      case $cmd in
        call) args=(note "$who" "load call $rep $i" --kind call --outcome connected) ;;
        note) args=(note "$who" "load note $rep $i") ;;
        move) [ ${#deals[@]} -gt 0 ] || continue
              local deal_stage
              read -ra deal_stage <<<"${deals[i % ${#deals[@]}]}"
              args=(deal move "${deal_stage[0]}" "${deal_stage[1]}") ;;
        snooze) [ ${#follow_ups[@]} -gt 0 ] || continue
                args=(snooze "${follow_ups[i % ${#follow_ups[@]}]}" "+$((1 + i % 5))d") ;;
        search) args=(search pricing) ;;
        today) args=(today) ;;
      esac
      t0=$(date +%s%N)
      rc=0
      "$S" --db "$db" "${args[@]}" >/dev/null 2>>"$DIR/errors-$rep" || rc=$?
      t1=$(date +%s%N)
      echo "$cmd $(((t1 - t0) / 1000)) $rc" >>"$out"
      if [ "$cmd" = move ] && [ "$rc" = 0 ]; then echo "${args[2]} ${args[3]}" >>"$DIR/moves-$rep"; fi
    done
  done
}

echo "$REPS reps × $STEPS rounds, load $(cut -d' ' -f1 /proc/loadavg) before…" >&2
rm -f "$DIR"/times-* "$DIR"/errors-* "$DIR"/moves-*
start=$(date +%s%N)
for r in "${reps[@]}"; do work "$r" & done
wait
secs=$(( ($(date +%s%N) - start) / 1000000000 ))

# Nothing lost: every call and note each rep logged, and every move, is in the book.
python3 - "$DIR" "$REPS" "$secs" <<'PY' || exit 1
import glob, os, statistics, sys
d, reps, secs = sys.argv[1], int(sys.argv[2]), sys.argv[3]
times, failed = {}, 0
for p in glob.glob(os.path.join(d, "times-*")):
    for line in open(p):
        cmd, us, rc = line.split()
        times.setdefault(cmd, []).append(int(us) / 1000)
        failed += rc != "0"
def pct(v, p):
    v = sorted(v)
    return v[min(len(v) - 1, int(round(p / 100 * (len(v) - 1))))]
print(f"{reps} reps at once, {sum(map(len, times.values()))} commands in {secs} s, {failed} failed\n")
print("| command | runs | p50 ms | p99 ms | max ms |\n|---|---:|---:|---:|---:|")
for cmd in ["call", "note", "move", "snooze", "search", "today"]:
    v = times.get(cmd, [])
    if v:
        print(f"| {cmd} | {len(v)} | {pct(v, 50):.1f} | {pct(v, 99):.1f} | {max(v):.1f} |")
if failed:
    sys.exit(f"{failed} commands failed: see {d}/errors-*")
PY
want_notes=$(cat "$DIR"/times-* | awk '($1 == "call" || $1 == "note") && $3 == 0' | wc -l)
got_notes=$(sql -c "SELECT count(*) FROM notes WHERE id > $notes_before AND author LIKE 'loadrep%'" "$DB")
# Each deal was moved once, to the stage asked: it must be there (a move to the stage it was
# already in records no event, so the events alone cannot tell).
moved=$(cat "$DIR"/moves-* 2>/dev/null | wc -l)
misplaced=0
while read -r deal stage; do
  [ "$(sql -c "SELECT stage FROM deals WHERE id = $deal" "$DB")" = "$stage" ] || misplaced=$((misplaced + 1))
done < <(cat "$DIR"/moves-* 2>/dev/null)
events=$(sql -c "SELECT count(*) FROM deal_events WHERE id > $events_before AND by_user LIKE 'loadrep%'" "$DB")
echo
echo "notes logged $want_notes, in the book $got_notes; deals moved $moved ($events stage events), misplaced $misplaced"
[ "$want_notes" = "$got_notes" ] || { echo "lost notes" >&2; exit 1; }
[ "$misplaced" = 0 ] || { echo "lost moves" >&2; exit 1; }
"$S" --db "$OWNER" db check >/dev/null && echo "db check: ok"
