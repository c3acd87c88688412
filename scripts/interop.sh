#!/usr/bin/env bash
# Interoperability, checked by real programs: the .ics that `salesdesk export` writes is
# imported by calcurse, and the .vcf read back by abook. A program that is not installed is
# skipped with a message (Debian: `apt-get install calcurse abook`).
#
# Usage: scripts/interop.sh            (builds the debug binary with cargo)
#        SALESDESK_BIN=path scripts/interop.sh
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -z "${SALESDESK_BIN:-}" ]; then
  cargo build --quiet --bin salesdesk
  SALESDESK_BIN="${CARGO_TARGET_DIR:-target}/debug/salesdesk"
fi
bin="$(cd "$(dirname "$SALESDESK_BIN")" && pwd)/$(basename "$SALESDESK_BIN")"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export SALESDESK_NOW=2026-11-23T09:00:00+00:00 TZ=UTC SALESDESK_CONFIG="$work/none.toml"
sd() { "$bin" --db "$work/book.db" "$@"; }

sd contact add --name "Ana Pereira" --company "Acme, Inc." --email ana@acme.example --phone "+1 555 0100" >/dev/null
sd contact add --name "José Álvarez" --email jose@globex.example --title CTO >/dev/null
sd contact add --name "Bo Li" --email bo@li.example --email bo.li@home.example >/dev/null
sd follow-up ana tomorrow send pricing >/dev/null
sd follow-up jose fri 3pm "call back; about the contract, v2" >/dev/null
sd follow-up bo mon check in >/dev/null
sd done 3 >/dev/null
sd export --format ics -o "$work/follow-ups.ics" >/dev/null
sd export --format vcf -o "$work/contacts.vcf" >/dev/null

passed=0 failed=0 skipped=0
ok() { echo "ok: $*"; passed=$((passed + 1)); }
fail() { echo "FAILED: $*" >&2; failed=$((failed + 1)); }
skip() { echo "skip: $*"; skipped=$((skipped + 1)); }

if command -v calcurse >/dev/null 2>&1; then
  mkdir -p "$work/calcurse"
  report="$(calcurse -D "$work/calcurse" -i "$work/follow-ups.ics" 2>&1)" || true
  apts="$(cat "$work/calcurse/apts" 2>/dev/null || true)"
  if grep -q "1 app / 1 event / 0 todos / 0 skipped" <<<"$report" \
    && grep -q "11/24/2026 \[1\] .*Call Ana Pereira (Acme, Inc.): send pricing" <<<"$apts" \
    && grep -q "11/27/2026 @ 15:00 -> 11/27/2026 @ 15:30.*!Call José Álvarez: call back; about the contract, v2" <<<"$apts"; then
    ok "calcurse -i imported the all-day and the timed follow-up (with its alarm)"
  else
    fail "calcurse -i: $report"$'\n'"$apts"
  fi
else
  skip "calcurse not installed (apt-get install calcurse)"
fi

if command -v abook >/dev/null 2>&1; then
  csv="$(abook --convert --informat vcard --infile "$work/contacts.vcf" --outformat csv --outfile - 2>&1)" || true
  if grep -q '"Ana Pereira","ana@acme.example","+1 555 0100"' <<<"$csv" \
    && grep -q '"José Álvarez","jose@globex.example"' <<<"$csv" \
    && grep -q '"Bo Li","bo@li.example,bo.li@home.example"' <<<"$csv"; then
    ok "abook read the vCard 4.0 export (names, emails, phones)"
  else
    fail "abook --convert --informat vcard: $csv"
  fi
else
  skip "abook not installed (apt-get install abook)"
fi

echo "interop: $passed ok, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
