#!/usr/bin/env bash
# Fails when docs/MANUAL.md has fallen behind the program: a subcommand that `salesdesk --help`
# (or a command's own --help) lists, a long flag of any command, or a TUI action of
# src/tui/action.rs that the manual does not name.
#
#   bash scripts/check-manual.sh                       # builds the debug binary with cargo
#   SALESDESK_BIN=path/to/salesdesk bash scripts/check-manual.sh
set -euo pipefail
cd "$(dirname "$0")/.."

manual=docs/MANUAL.md
if [ -z "${SALESDESK_BIN:-}" ]; then
  cargo build --quiet --bin salesdesk
  SALESDESK_BIN=${CARGO_TARGET_DIR:-target}/debug/salesdesk
fi
bin=$SALESDESK_BIN
missing=()

# The subcommands a help text lists under "Commands:", without clap's own `help`. A name
# stands two spaces in; a description wrapped to the terminal's width goes on deeper.
subcommands() {
  "$bin" "$@" --help | awk '/^Commands:/ {on = 1; next} on && /^$/ {exit} on && /^  [a-z]/ {print $1}' \
    | grep -vx help || true
}

# Each command path ("contact add", "today") with its long flags.
check_command() {
  local path=("$@")
  local flag
  for flag in $("$bin" "${path[@]}" --help | grep -oE '^ {2,6}(-[a-zA-Z], )?--[a-z][a-z-]*' \
    | grep -oE -- '--[a-z][a-z-]*' | sort -u); do
    case $flag in --help | --version | --db | --config) continue ;; esac
    grep -qF -- "$flag" "$manual" || missing+=("flag $flag of \`salesdesk ${path[*]}\`")
  done
}

for top in $(subcommands); do
  grep -qE "salesdesk $top\b|\`$top[ \`]" "$manual" || missing+=("command \`salesdesk $top\`")
  check_command "$top"
  for sub in $(subcommands "$top"); do
    grep -qE "\`($top $sub|salesdesk $top $sub)[ \`]" "$manual" \
      || missing+=("command \`salesdesk $top $sub\`")
    check_command "$top" "$sub"
  done
done
check_command

# Every action the [keys] table can rebind, by the name the config uses.
for action in $(grep -oE '^ +[A-Za-z]+ = "[a-z0-9_]+"' src/tui/action.rs | grep -oE '"[a-z0-9_]+"' | tr -d '"'); do
  grep -qF "\`$action\`" "$manual" || missing+=("key action \`$action\`")
done

if [ ${#missing[@]} -gt 0 ]; then
  echo "docs/MANUAL.md does not mention:" >&2
  printf '  %s\n' "${missing[@]}" >&2
  exit 1
fi
echo "docs/MANUAL.md names every command, flag and key action"
