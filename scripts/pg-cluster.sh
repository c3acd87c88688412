#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests, for a developer and for CI (.ci/run):
#
#   scripts/pg-cluster.sh start DIR   # initdb + start; the socket is in DIR, no TCP at all
#   eval "$(scripts/pg-cluster.sh env DIR)"   # SALESDESK_TEST_PG and the password role
#   scripts/pg-cluster.sh stop DIR
#
# Debian's postgresql package (the newest /usr/lib/postgresql/*/bin). Run as root (CI), initdb
# and pg_ctl run as the `postgres` user, since PostgreSQL refuses to run as root; as a normal
# user they run as that user. fsync is off: the cluster is thrown away, and the tests go faster.
# Logins: `postgres` over the socket without a password, every other role with its password
# (scram-sha-256), so the tests can check password logins with the role `salesdesk_pw`; the
# role `salesdesk_rejected` is turned away by pg_hba.conf whatever its password.
set -euo pipefail

PW_ROLE=salesdesk_pw
PW_PASSWORD=salesdesk-test-pw
REJECTED_ROLE=salesdesk_rejected
TEST_DB=salesdesk_test

usage() {
  echo "usage: $0 start|stop|env DIR" >&2
  exit 2
}

[ $# -eq 2 ] || usage
cmd=$1
dir=$2

bin_dir() {
  local newest
  newest=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  if [ -z "$newest" ] || [ ! -x "$newest/pg_ctl" ]; then
    echo "$0: no PostgreSQL under /usr/lib/postgresql; install Debian's postgresql package" >&2
    exit 1
  fi
  echo "$newest"
}

# Runs a server program as the cluster's owner: `postgres` when we are root.
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    setpriv --reuid=postgres --regid=postgres --clear-groups -- "$@"
  else
    "$@"
  fi
}

# The folder's absolute path, so the socket address works from any working directory.
abs_dir() {
  mkdir -p "$dir"
  (cd "$dir" && pwd -P)
}

start() {
  local bin d
  bin=$(bin_dir)
  d=$(abs_dir)
  if [ -f "$d/data/postmaster.pid" ]; then
    echo "$0: a cluster already runs in $d (stop it first)" >&2
    exit 1
  fi
  if [ "$(id -u)" -eq 0 ]; then
    # The postgres user must reach the folder: a mktemp -d under /tmp is 0700 root's.
    chown postgres: "$d"
    chmod 0700 "$d"
    if ! as_owner test -w "$d"; then
      echo "$0: the postgres user cannot reach $d (a folder above it is private); use one under /tmp" >&2
      exit 1
    fi
  fi
  as_owner "$bin/initdb" -D "$d/data" -U postgres --auth-local=trust --auth-host=reject \
    --no-sync -E UTF8 --locale=C.UTF-8 >"$d/initdb.log" 2>&1 \
    || { cat "$d/initdb.log" >&2; exit 1; }
  cat >"$d/data/pg_hba.conf" <<EOF
# scripts/pg-cluster.sh: the superuser without a password, every other role with one;
# $REJECTED_ROLE is turned away here, for the tests of a pg_hba rejection.
local all postgres trust
local all $REJECTED_ROLE reject
local all all scram-sha-256
EOF
  as_owner "$bin/pg_ctl" -D "$d/data" -l "$d/server.log" -w -s \
    -o "-c listen_addresses='' -k $d -c fsync=off -c full_page_writes=off -c synchronous_commit=off -c password_encryption=scram-sha-256" \
    start || { cat "$d/server.log" >&2; exit 1; }
  local psql=("$bin/psql" -X -q -v ON_ERROR_STOP=1 -h "$d" -U postgres)
  "${psql[@]}" -d postgres -c "CREATE DATABASE $TEST_DB"
  "${psql[@]}" -d "$TEST_DB" <<EOF
CREATE EXTENSION IF NOT EXISTS unaccent;
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE ROLE $PW_ROLE LOGIN PASSWORD '$PW_PASSWORD';
CREATE ROLE $REJECTED_ROLE LOGIN PASSWORD '$PW_PASSWORD';
GRANT ALL ON DATABASE $TEST_DB TO $PW_ROLE;
EOF
  echo "PostgreSQL $("$bin/pg_ctl" --version | awk '{print $3}') runs with its socket in $d"
}

stop() {
  local bin d
  bin=$(bin_dir)
  d=$(abs_dir)
  if [ -f "$d/data/postmaster.pid" ]; then
    as_owner "$bin/pg_ctl" -D "$d/data" -m fast -w -s stop
  fi
}

env_lines() {
  local d
  d=$(abs_dir)
  echo "export SALESDESK_TEST_PG='postgres://postgres@/$TEST_DB?host=$d'"
  echo "export SALESDESK_TEST_PG_HOST='$d'"
  echo "export SALESDESK_TEST_PG_DB='$TEST_DB'"
  echo "export SALESDESK_TEST_PG_PW_USER='$PW_ROLE'"
  echo "export SALESDESK_TEST_PG_PW_PASSWORD='$PW_PASSWORD'"
  echo "export SALESDESK_TEST_PG_REJECTED_USER='$REJECTED_ROLE'"
}

case "$cmd" in
  start) start ;;
  stop) stop ;;
  env) env_lines ;;
  *) usage ;;
esac
