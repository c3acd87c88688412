#!/usr/bin/env bash
# salesdesk beside the tools people bend into a CRM: taskwarrior (follow-ups as tasks) and
# abook (contacts). From nothing: builds, generates books of 10,000 and 100,000 follow-ups,
# loads the same items into the peers, times the due list, a text search and adding one item
# in each with hyperfine, and prints one markdown table with the ratios.
#
#   bash scripts/bench-peers.sh                 # both sizes, into /tmp/salesdesk-peers
#   SIZES="10000" WORK=/tmp/p bash scripts/bench-peers.sh
#
# Everything the peers read and write lives in WORK: taskwarrior gets its own TASKRC and
# TASKDATA, abook its own address book file; the user's own are never touched.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
for tool in hyperfine task abook python3; do
  command -v "$tool" >/dev/null || missing+=("$tool")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing what the benchmark needs: ${missing[*]}" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq hyperfine taskwarrior abook python3 >/dev/null
fi
cargo build --release --bins --examples -q
BIN=${CARGO_TARGET_DIR:-$PWD/target}/release
S=$BIN/salesdesk Q=$BIN/examples/sql G=$BIN/examples/generate
export SALESDESK_NOW="${SALESDESK_NOW:-2026-11-23T09:00:00+00:00}" TZ=UTC
# The peers get the same "today" as salesdesk: explicit dates, never their own clock.
TODAY=${SALESDESK_NOW:0:10}
TOMORROW=$(date -u -d "$TODAY + 1 day" +%F)
WORK=${WORK:-/tmp/salesdesk-peers}
SIZES=${SIZES:-"10000 100000"}
RUNS=${RUNS:-20}
mkdir -p "$WORK"
OUT="$WORK/table.md"

mean_ms() {
  python3 -c "import json,sys; r=json.load(open(sys.argv[1]))['results'][0]; print(f\"{r['mean']*1000:.1f} ± {r['stddev']*1000:.1f}\")" "$1"
}
ratio() {
  python3 -c "import json,sys; a,b=(json.load(open(p))['results'][0]['mean'] for p in sys.argv[1:]); print(f'{b/a:.1f}×')" "$1" "$2"
}

{
  echo "Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem:/{print $2}') GB;" \
    "load average at start: $(cut -d' ' -f1-3 /proc/loadavg); $(date -u +%F)."
  echo "salesdesk $("$S" --version | cut -d' ' -f2), taskwarrior $(task --version), $(hyperfine --version)." \
    "hyperfine -N, warm cache, $RUNS runs salesdesk, $((RUNS / 2 > 5 ? RUNS / 2 : 5)) runs the peer."
  echo
  echo "| follow-ups | what | salesdesk [ms] | peer | peer [ms] | peer / salesdesk |"
  echo "|---:|---|---:|---|---:|---:|"
} > "$OUT"

for N in $SIZES; do
  D="$WORK/$N"
  rm -rf "$D"
  mkdir -p "$D"
  DB="$D/book.db"
  echo "generating a book of $N follow-ups…" >&2
  "$G" --db "$DB" --contacts $((N / 5)) --deals $((N / 10)) --follow-ups "$N" --notes "$N" --seed 1 2>"$D/generate.log"

  # Every follow-up as a task (open ones pending, done completed, cancelled deleted), due on
  # its day, tagged with its kind; the contact's name in the description, as people write it.
  export TASKRC="$D/taskrc" TASKDATA="$D/task"
  mkdir -p "$TASKDATA"
  printf 'data.location=%s\nconfirmation=off\nverbose=nothing\nnews.version=2.6.2\n' "$TASKDATA" >"$TASKRC"
  "$Q" "$DB" "SELECT f.text || ' with ' || c.name, f.due_date, f.kind, f.status FROM follow_ups f JOIN contacts c ON c.id = f.contact_id ORDER BY f.id" |
    python3 -c '
import json, sys
for line in sys.stdin:
    text, due, kind, status = line.rstrip("\n").split("\t")
    st = {"open": "pending", "done": "completed", "cancelled": "deleted"}[status]
    t = {"description": text, "due": due.replace("-", "") + "T000000Z", "status": st,
         "tags": [kind], "entry": "20260901T000000Z"}
    if st != "pending":
        t["end"] = due.replace("-", "") + "T170000Z"
    print(json.dumps(t))' >"$D/tasks.json"
  echo "loading $N tasks into taskwarrior…" >&2
  task import "$D/tasks.json" >"$D/task-import.log" 2>&1
  # The same contacts as an abook address book.
  "$Q" "$DB" "SELECT c.name, json_extract(c.emails, '\$[0]'), json_extract(c.phones, '\$[0]') FROM contacts c ORDER BY c.id" |
    python3 -c '
import sys
print("[format]\nprogram=abook\nversion=0.6.1\n")
for i, line in enumerate(sys.stdin):
    name, email, phone = line.rstrip("\n").split("\t")
    print(f"[{i}]\nname={name}\nemail={email}\nphone={phone}\n")' >"$D/addressbook"

  run() { # what, salesdesk command, peer name, peer command; SHELL_MODE=1 runs both in bash
    local a="$D/a.json" b="$D/b.json" how=(-N)
    [ "${SHELL_MODE:-0}" = 1 ] && how=(--shell=bash)
    hyperfine "${how[@]}" --warmup 3 --runs "$RUNS" --export-json "$a" "$2" >/dev/null
    hyperfine "${how[@]}" --warmup 1 --runs $((RUNS / 2 > 5 ? RUNS / 2 : 5)) --export-json "$b" "$4" >/dev/null
    echo "| $N | $1 | $(mean_ms "$a") | $3 | $(mean_ms "$b") | $(ratio "$a" "$b") |" >>"$OUT"
    echo "  $1: done" >&2
  }
  run "due list: overdue and today" "$S --db $DB today" \
    "task" "task due.before:$TOMORROW status:pending list"
  run "text search \"renewal\"" "$S --db $DB search renewal" \
    "task" "task /renewal/ list"
  run "add one follow-up" "$S --db $DB follow-up 1 tomorrow call back" \
    "task" "task add call back due:$TOMORROW"
  run "find a contact \"nguyen\"" "$S --db $DB contact list --search nguyen" \
    "abook" "abook --datafile $D/addressbook --mutt-query nguyen"
  # abook adds the sender of a mail read on stdin, so this row runs both through bash (whose
  # start hyperfine subtracts); each run adds a new address.
  SHELL_MODE=1 run "add one contact" \
    "$S --db $DB contact add --name 'Pat Example' --email pat\$RANDOM@example.org" \
    "abook" "printf 'From: Pat Example <pat%s@example.org>\\n\\nhi\\n' \$RANDOM | abook --datafile $D/addressbook --add-email-quiet"
done
cat >>"$OUT" <<'EOF'

What each row runs: salesdesk's due list prints overdue, today and the contacts to reconnect
with; taskwarrior's `list` report of pending tasks due before tomorrow. The text search is
salesdesk's `search` (contacts, companies, deals and notes through FTS5, ranked, the best 20)
against taskwarrior's regular expression over its tasks' descriptions (every match listed).
Each add is one item written and synced to disk. Adding grows the books by a few rows over
the runs, which changes nothing measurable.
EOF
cat "$OUT"
