#!/usr/bin/env bash
# How salesdesk's cost grows with the book: generates the large book of the scale issue
# (200,000 contacts, 50,000 deals, 500,000 follow-ups, 2,000,000 notes) and its 1/10 and
# 1/100 cuts, times the daily commands on each with hyperfine beside examples/sql.rs running
# the equivalent SQL on the same file, runs the TUI benches on each book, and prints one
# markdown table per part, ready for BENCHMARKS.md.
#
#   bash scripts/bench-scale.sh                  # all three sizes, into /tmp/bench/scale
#   bash scripts/bench-scale.sh /data/scale      # another folder
#   LEVELS="100 10" bash scripts/bench-scale.sh  # only the 1/100 and 1/10 books
#   REGEN=1 bash scripts/bench-scale.sh          # regenerate books that are already there
#   NO_TUI=1 bash scripts/bench-scale.sh         # leave out the divan benches
#
# A book already in the folder is reused when it was generated with the same sizes, seed and
# clock (a stamp file beside it says so). Runs unattended; the full size needs ~1 GB of disk
# per book copy and a few minutes.
set -euo pipefail
cd "$(dirname "$0")/.."

DIR=${1:-/tmp/bench/scale}
LEVELS=${LEVELS:-"100 10 1"}
RUNS=${RUNS:-20}
export SALESDESK_NOW="${SALESDESK_NOW:-2026-11-23T09:00:00+00:00}" TZ=UTC
TODAY=${SALESDESK_NOW:0:10}
mkdir -p "$DIR"

command -v hyperfine >/dev/null || {
  echo "installing hyperfine" >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq hyperfine >/dev/null
}
echo "building…" >&2
cargo build --release --bins --examples -q
BIN=${CARGO_TARGET_DIR:-$PWD/target}/release
S=$BIN/salesdesk Q=$BIN/examples/sql G=$BIN/examples/generate

# The floors: the SQL each command needs, with nothing else (no formatting, no migration
# check, read-only). `today` runs the due list and the reconnect list.
DUE_SQL="SELECT f.id, f.contact_id, f.contact_name, f.company_name, f.deal_id, f.deal_title, f.deal_value_cents, f.deal_currency, f.kind, f.text, f.due_date, f.due_at, f.every, f.done_at, f.version FROM follow_ups f WHERE f.status = 'open' AND f.due_date <= '$TODAY' ORDER BY f.due_date, f.due_at IS NOT NULL, f.due_at, f.id"
RECONNECT_SQL="SELECT c.id, c.name, co.name, c.cadence_days, CAST(julianday('$TODAY') - julianday(date(coalesce(c.last_contacted_at, c.created_at), 'localtime')) AS INTEGER) AS days FROM contacts c LEFT JOIN companies co ON co.id = c.company_id WHERE c.cadence_days IS NOT NULL AND c.archived = 0 AND c.open_follow_ups = 0 AND julianday('$TODAY') - julianday(date(coalesce(c.last_contacted_at, c.created_at), 'localtime')) >= c.cadence_days ORDER BY days - c.cadence_days DESC, c.name_key"
BRIEF_SQL="SELECT (SELECT count(*) FROM follow_ups WHERE status = 'open' AND due_date < '$TODAY'), (SELECT count(*) FROM follow_ups WHERE status = 'open' AND due_date = '$TODAY'), (SELECT count(*) FROM contacts c WHERE c.cadence_days IS NOT NULL AND c.archived = 0 AND c.open_follow_ups = 0 AND julianday('$TODAY') - julianday(date(coalesce(c.last_contacted_at, c.created_at), 'localtime')) >= c.cadence_days)"
fts_sql() { echo "SELECT rowid, bm25(notes_fts) FROM notes_fts WHERE notes_fts MATCH '\"$1\"*' ORDER BY rank LIMIT 20"; }

OUT="$DIR/scale.md"
RAW="$DIR/raw"
mkdir -p "$RAW"
{
  echo "Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)," \
    "$(free -g | awk '/Mem:/{print $2}') GB; $(uname -sr); $(date -u '+%F %H:%M') UTC."
  echo "Load average at start: $(cut -d' ' -f1-3 /proc/loadavg). hyperfine -N, warm cache, $RUNS runs" \
    "($((RUNS / 2)) for report); SALESDESK_NOW=$SALESDESK_NOW TZ=UTC."
  echo
} >"$OUT"

sizes() { # divisor → contacts deals follow-ups notes
  local d=$1
  echo $((200000 / d)) $((50000 / d)) $((500000 / d)) $((2000000 / d))
}

label() { case $1 in 1) echo "full" ;; *) echo "1/$1" ;; esac; }

# Generation, reused when the stamp matches: same sizes, clock, generator and schema.
CODE=$(cat examples/generate.rs src/storage/migrations/*.sql | sha1sum | cut -c1-12)
declare -A BOOK GEN
for L in $LEVELS; do
  read -r c d f n <<<"$(sizes "$L")"
  B="$DIR/book-$L.db"
  stamp="contacts=$c deals=$d follow-ups=$f notes=$n seed=1 now=$SALESDESK_NOW code=$CODE"
  BOOK[$L]=$B
  if [ "${REGEN:-0}" != 1 ] && [ -f "$B" ] && [ "$(cat "$B.stamp" 2>/dev/null)" = "$stamp" ]; then
    GEN[$L]="(reused)"
    echo "reusing $(label "$L") book $B" >&2
    continue
  fi
  rm -f "$B" "$B-wal" "$B-shm" "$B.stamp"
  echo "generating the $(label "$L") book: $c contacts, $d deals, $f follow-ups, $n notes…" >&2
  /usr/bin/time -f "%e %U %S %M" -o "$RAW/gen-$L.time" \
    "$G" --db "$B" --contacts "$c" --deals "$d" --follow-ups "$f" --notes "$n" --seed 1 2>"$RAW/gen-$L.log"
  read -r wall user sys rss <"$RAW/gen-$L.time"
  GEN[$L]="${wall} s wall, ${user} s user + ${sys} s sys, $((rss / 1024)) MB peak"
  echo "$stamp" >"$B.stamp"
done

{
  echo "## Books"
  echo
  echo "| book | contacts | deals | follow-ups | notes | file | overdue · today · reconnect | \`today\` lines | generated in |"
  echo "|---|---:|---:|---:|---:|---:|---|---:|---|"
  for L in $LEVELS; do
    read -r c d f n <<<"$(sizes "$L")"
    B=${BOOK[$L]}
    echo "| $(label "$L") | $c | $d | $f | $n | $(($(stat -c %s "$B") / 1048576)) MB | $("$S" --db "$B" today --brief) | $("$S" --db "$B" today | wc -l) | ${GEN[$L]} |"
  done
  echo
} >>"$OUT"

# One hyperfine run per command and book; the JSON keeps mean, min, user and system time.
measure() { # key, runs, command…
  local key=$1 runs=$2
  shift 2
  hyperfine -N --warmup 3 --runs "$runs" --export-json "$RAW/$key.json" "$@" >/dev/null 2>"$RAW/$key.err" ||
    { echo "hyperfine failed for $key: $(cat "$RAW/$key.err")" >&2; return 1; }
}

CMDS="today brief acme pricing report remind"
# The reminders pass with nothing to send (what it costs every minute): a first pass, printing,
# sends what is due at SALESDESK_NOW and the morning summary; the timed ones are the rest.
RCFG="$DIR/remind.toml"
printf '[remind]\nvia = ["print"]\n' >"$RCFG"
for L in $LEVELS; do
  B=${BOOK[$L]}
  echo "timing the $(label "$L") book…" >&2
  "$S" --db "$B" --config "$RCFG" remind >/dev/null
  measure "today-$L" "$RUNS" "$S --db $B today"
  measure "today-sql-$L" "$RUNS" "$Q $B \"$DUE_SQL\" \"$RECONNECT_SQL\""
  measure "brief-$L" "$RUNS" "$S --db $B today --brief"
  measure "brief-sql-$L" "$RUNS" "$Q $B \"$BRIEF_SQL\""
  measure "acme-$L" "$RUNS" "$S --db $B search acme"
  measure "acme-sql-$L" "$RUNS" "$Q $B \"$(fts_sql acme)\""
  measure "pricing-$L" "$RUNS" "$S --db $B search pricing"
  measure "pricing-sql-$L" "$RUNS" "$Q $B \"$(fts_sql pricing)\""
  measure "report-$L" $((RUNS / 2)) "$S --db $B report"
  measure "remind-$L" "$RUNS" "$S --db $B --config $RCFG remind"
done

python3 - "$RAW" "$LEVELS" >>"$OUT" <<'EOF'
import json, os, sys
raw, levels = sys.argv[1], sys.argv[2].split()
label = lambda l: "full" if l == "1" else f"1/{l}"
rows = [
    ("today", "`salesdesk today`", "due list + reconnect", 20, True),
    ("brief", "`salesdesk today --brief`", "the three counts", 10, False),
    ("acme", "`salesdesk search acme` (rare word)", "FTS5 match, ranked, 20", 30, True),
    ("pricing", "`salesdesk search pricing` (a third of notes)", "FTS5 match, ranked, 20", 100, False),
    ("report", "`salesdesk report`", None, 200, False),
    ("remind", "`salesdesk remind` (nothing to send)", None, 10, False),
]
def load(key):
    p = os.path.join(raw, key + ".json")
    if not os.path.exists(p):
        return None
    return json.load(open(p))["results"][0]
def ms(r):
    return f"{r['mean']*1000:.1f}" if r else "—"
def cpu(r):
    return f"{(r['user'] + r['system'])*1000:.1f}" if r else "—"
print("## The daily commands: mean wall [ms] (CPU user+sys [ms]); floor = examples/sql.rs on the same file")
print()
head = "| command | budget |" + "".join(f" {label(l)} | {label(l)} floor | ratio |" for l in levels)
print(head)
print("|---|---:|" + "---:|---:|---:|" * len(levels))
verdicts = []
for key, name, floor, budget, within2 in rows:
    cells = []
    for l in levels:
        a, f = load(f"{key}-{l}"), load(f"{key}-sql-{l}")
        floor = f"{ms(f)} ({cpu(f)})" if f else "—"
        ratio = f"{a['mean'] / f['mean']:.2f}×" if a and f else "—"
        cells.append(f" {ms(a)} ({cpu(a)}) | {floor} | {ratio} |")
        if l == "1" and a:
            ok = a["mean"] * 1000 < budget and (not within2 or not f or a["mean"] < 2 * f["mean"])
            verdicts.append(f"- {name}: {a['mean']*1000:.1f} ms against {budget} ms"
                            + (f", {a['mean']/f['mean']:.2f}× the floor (budget 2×)" if within2 and f else "")
                            + (": **within budget**" if ok else ": **over budget**"))
    print(f"| {name} | {budget} ms |" + "".join(cells))
print()
print("Floors: " + "; ".join(f"{k}: {fl}" for k, _, fl, _, _ in rows if fl) + ".")
if verdicts:
    print()
    print("On the full book:")
    print("\n".join(verdicts))
print()
EOF

if [ "${NO_TUI:-0}" != 1 ]; then
  for L in $LEVELS; do
    echo "TUI benches on the $(label "$L") book…" >&2
    for bench in tui contacts; do
      SALESDESK_BENCH_BOOK=${BOOK[$L]} cargo bench -q --bench "$bench" -- --color never \
        >"$RAW/divan-$bench-$L.txt" 2>"$RAW/divan-$bench-$L.err" ||
        echo "cargo bench --bench $bench failed on the $(label "$L") book; see $RAW/divan-$bench-$L.err" >&2
    done
  done
  python3 - "$RAW" "$LEVELS" >>"$OUT" <<'EOF'
import os, re, sys
raw, levels = sys.argv[1], sys.argv[2].split()
label = lambda l: "full" if l == "1" else f"1/{l}"
def parse(path):
    """divan's tree → {bench name: (fastest, median)}; argument rows are 'bench/arg'."""
    out, parents, col = {}, [], None
    if not os.path.exists(path):
        return out
    for line in open(path, encoding="utf-8"):
        line = line.rstrip("\n")
        if "fastest" in line:
            col = line.index("fastest")  # the columns line up under the header
            continue
        if col is None or "│" not in line:
            continue
        m = re.match(r"^([│├╰─ ]*)(.*)$", line[:col])
        depth = max(len(m.group(1)) // 3, 1)
        name = m.group(2).strip()
        cells = [c.strip() for c in line[col:].split("│")]
        parents = parents[: depth - 1] + [name]
        if not cells[0]:
            continue  # a group: its rows follow, one level down
        out["/".join(parents)] = (cells[0], cells[2] if len(cells) > 2 else "")
    return out
for bench in ("tui", "contacts"):
    data = {l: parse(os.path.join(raw, f"divan-{bench}-{l}.txt")) for l in levels}
    names = []
    for l in levels:
        for n in data[l]:
            if n not in names:
                names.append(n)
    if not names:
        continue
    print(f"## `cargo bench --bench {bench}` on each book (fastest / median)")
    print()
    if bench == "contacts":
        print("`filter_*` score 200,000 names the bench makes in memory, whatever the book;")
        print("the other rows drive the app on the book.")
        print()
    print("| bench |" + "".join(f" {label(l)} |" for l in levels))
    print("|---|" + "---:|" * len(levels))
    for n in names:
        print(f"| `{n}` |" + "".join(
            f" {data[l][n][0]} / {data[l][n][1]} |" if n in data[l] else " — |" for l in levels))
    print()
EOF
fi

echo "Load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)." >>"$OUT"
echo "Raw hyperfine JSON and divan output: $RAW." >>"$OUT"
cat "$OUT"
