#!/usr/bin/env bash
# salesdesk beside the tools people bend into a CRM: taskwarrior (follow-ups as tasks) and
# abook (contacts). From nothing: builds, generates books of 10,000 and 100,000 follow-ups,
# loads the same items into the peers, times the due list, a text search and adding one item
# in each with hyperfine, and prints one table with the ratios.
#
#   bash bench/peers.sh            # both sizes
#   SIZES="10000" bash bench/peers.sh
set -euo pipefail
cd "$(dirname "$0")/.."

for tool in hyperfine task abook python3; do
  if ! command -v "$tool" >/dev/null; then
    echo "installing what the benchmark needs (hyperfine taskwarrior abook)" >&2
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq hyperfine taskwarrior abook >/dev/null
    break
  fi
done
cargo build --release --bins --examples -q
export SALESDESK_NOW="${SALESDESK_NOW:-2026-11-23T09:00:00+00:00}" TZ=UTC
S=$PWD/target/release/salesdesk
Q=$PWD/target/release/examples/sql
G=$PWD/target/release/examples/generate
WORK=${WORK:-/tmp/salesdesk-peers}
mkdir -p "$WORK"
SIZES=${SIZES:-"10000 100000"}
OUT="$WORK/table.md"
echo "| follow-ups | what | salesdesk [ms] | peer | peer [ms] | peer / salesdesk |" > "$OUT"
echo "|---:|---|---:|---|---:|---:|" >> "$OUT"

mean_ms() { python3 -c "import json,sys; print(round(json.load(open(sys.argv[1]))['results'][0]['mean']*1000, 1))" "$1"; }

for N in $SIZES; do
  D="$WORK/$N"; rm -rf "$D"; mkdir -p "$D"
  DB="$D/book.db"
  "$G" --db "$DB" --contacts $((N / 5)) --deals $((N / 10)) --follow-ups "$N" --notes "$N" --seed 1 2>/dev/null

  # The same open follow-ups as taskwarrior tasks, the same contacts as an abook file.
  export TASKRC="$D/taskrc" TASKDATA="$D/task"
  mkdir -p "$TASKDATA"; printf 'data.location=%s\nconfirmation=off\nverbose=nothing\n' "$TASKDATA" > "$TASKRC"
  "$Q" "$DB" "SELECT f.text || ' with ' || c.name, f.due_date, f.kind, f.status FROM follow_ups f JOIN contacts c ON c.id = f.contact_id" \
    | python3 -c '
import json, sys
for line in sys.stdin:
    text, due, kind, status = line.rstrip("\n").split("\t")
    st = {"open": "pending", "done": "completed", "cancelled": "deleted"}[status]
    t = {"description": text, "due": due.replace("-", "") + "T000000Z", "status": st, "tags": [kind], "entry": "20260101T000000Z"}
    if st != "pending": t["end"] = "20261101T000000Z"
    print(json.dumps(t))' > "$D/tasks.json"
  task import "$D/tasks.json" >/dev/null 2>&1
  "$Q" "$DB" "SELECT c.name, json_extract(c.emails, '\$[0]'), json_extract(c.phones, '\$[0]') FROM contacts c" \
    | python3 -c '
import sys
print("[format]\nprogram=abook\nversion=0.6.1\n")
for i, line in enumerate(sys.stdin):
    name, email, phone = line.rstrip("\n").split("\t")
    print(f"[{i}]\nname={name}\nemail={email}\nphone={phone}\n")' > "$D/addressbook"

  run() { # name, salesdesk command, peer name, peer command
    hyperfine -N --warmup 3 --runs 15 --export-json "$D/a.json" "$2" >/dev/null 2>&1
    hyperfine -N --warmup 1 --runs 5 --export-json "$D/b.json" "$4" >/dev/null 2>&1
    local a b; a=$(mean_ms "$D/a.json"); b=$(mean_ms "$D/b.json")
    echo "| $N | $1 | $a | $3 | $b | $(python3 -c "print(f'{$b/$a:.1f}×')") |" >> "$OUT"
  }
  run "due today and overdue" "$S --db $DB today" "task" "task due.before:tomorrow status:pending list"
  run "text search \"pricing\"" "$S --db $DB search pricing" "task" "task /pricing/ list"
  run "find a contact \"nguyen\"" "$S --db $DB contact list --search nguyen" "abook" "abook --datafile $D/addressbook --mutt-query nguyen"
  # Adding: each run adds one item; the books grow by a few rows, which changes nothing measurable.
  run "add one follow-up" "$S --db $DB follow-up 1 tomorrow call back" "task" "task add call back due:tomorrow"
done
cat "$OUT"
