#!/usr/bin/env bash
# The README's pictures of the desk: drives the real binary on the demo book in a private tmux
# server at a fixed size and clock, captures each screen with its colours
# (`tmux capture-pane -e`) and renders it to an SVG in docs/images/ with rich (PyPI).
#
#   bash scripts/screenshots.sh              # Today, the board, a contact, Reports
#   COLS=120 ROWS=36 bash scripts/screenshots.sh
#   SALESDESK_BIN=path/to/salesdesk bash scripts/screenshots.sh   # a binary already built
#
# Installs what it lacks: tmux (apt) and rich (pip, into a virtualenv under
# ${XDG_CACHE_HOME:-~/.cache}/salesdesk-screenshots). CI only parses this script: pictures are
# made again by hand after a change to what the desk draws, and committed.
set -euo pipefail
cd "$(dirname "$0")/.."

COLS=${COLS:-100}
ROWS=${ROWS:-30}
OUT=docs/images
# The demo book is dated relative to now: a fixed now gives the same pictures every time.
export SALESDESK_NOW=${SALESDESK_NOW:-2026-11-23T09:00:00+00:00} TZ=UTC
unset SALESDESK_DB NO_COLOR

if ! command -v tmux >/dev/null; then
  echo "installing tmux" >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq tmux >/dev/null
fi
venv=${XDG_CACHE_HOME:-$HOME/.cache}/salesdesk-screenshots/venv
if ! "$venv/bin/python" -c 'import rich' 2>/dev/null; then
  echo "installing rich into $venv" >&2
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet rich
fi

if [ -z "${SALESDESK_BIN:-}" ]; then
  cargo build --quiet --release --bin salesdesk
  target=${CARGO_TARGET_DIR:-target}
  case $target in /*) ;; *) target=$PWD/$target ;; esac
  SALESDESK_BIN=$target/release/salesdesk
fi
bin=$SALESDESK_BIN

work=$(mktemp -d)
sock=salesdesk-shots-$$
cleanup() {
  tmux -L "$sock" kill-server 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
printf '' >"$work/config.toml"
"$bin" --db "$work/book.db" --config "$work/config.toml" demo >/dev/null 2>&1

tmux -L "$sock" -f /dev/null new-session -d -s desk -x "$COLS" -y "$ROWS" \
  "env TERM=tmux-256color SALESDESK_NOW=$SALESDESK_NOW TZ=UTC $bin --db $work/book.db --config $work/config.toml"
tmux -L "$sock" set-option -g status off >/dev/null

# Waits until the screen shows TEXT (polling, never a fixed sleep), then a little more so
# the frame after it has settled.
wait_for() {
  local text=$1 i
  for i in $(seq 1 100); do
    if tmux -L "$sock" capture-pane -p -t desk | grep -qF -- "$text"; then
      sleep 0.3
      return 0
    fi
    sleep 0.1
  done
  echo "the desk never showed \"$text\"; the screen was:" >&2
  tmux -L "$sock" capture-pane -p -t desk >&2
  exit 1
}
keys() { tmux -L "$sock" send-keys -t desk "$@"; }

# Renders the pane as it is now to $OUT/NAME.svg.
shot() {
  local name=$1 title=$2
  tmux -L "$sock" capture-pane -p -e -N -t desk >"$work/$name.ansi"
  "$venv/bin/python" - "$work/$name.ansi" "$OUT/$name.svg" "$title" "$COLS" <<'PY'
import io
import re
import sys

from rich.console import Console
from rich.text import Text

src, dest, title, cols = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
with open(src, encoding="utf-8") as f:
    lines = f.read().rstrip("\n").split("\n")
console = Console(record=True, width=cols, file=io.StringIO(), force_terminal=True,
                  color_system="truecolor", legacy_windows=False)
for line in lines:
    console.print(Text.from_ansi(line), end="\n", no_wrap=True, overflow="crop", crop=True)
svg = console.export_svg(title=title)
# Self-contained: no web fonts fetched from elsewhere; the first monospace font the viewer has.
svg = re.sub(r"@font-face \{.*?\}\s*", "", svg, flags=re.S)
svg = svg.replace("font-family: Fira Code, monospace;",
                  "font-family: 'Fira Code', 'DejaVu Sans Mono', Menlo, Consolas, monospace;")
with open(dest, "w", encoding="utf-8") as f:
    f.write(svg)
PY
  echo "$OUT/$name.svg" >&2
}

mkdir -p "$OUT"
wait_for "OVERDUE ("
shot today "salesdesk — Today"

keys 2
wait_for "Negotiation ("
shot pipeline "salesdesk — Pipeline"

keys 3
wait_for "Last contact"
keys / "ana pereira" Enter
wait_for "1 of 26"
keys Enter
wait_for "Head of Operations"
shot contact "salesdesk — a contact"

keys 4
wait_for "Win rate"
shot reports "salesdesk — Reports"

keys q
