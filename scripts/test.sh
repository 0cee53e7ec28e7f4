#!/usr/bin/env bash
# Set up (a venv with the project and its test extras) and run every check:
# ruff, mypy --strict, then the test suite twice: on SQLite, then on PostgreSQL.
# CI runs exactly this (.ci/run).
#
# PostgreSQL: $BIBLIO_TEST_PG_URL names a server (e.g. postgresql+psycopg://me:pw@db.example/postgres;
# the tests create and drop a database per test there). Without it this script starts a
# throwaway cluster (initdb in a temporary folder, a unix socket, no TCP), installing
# Debian's postgresql first when root, and stops it at exit.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip >/dev/null 2>&1 || true
.venv/bin/python -m pip install --quiet -e ".[test]"

apt_install() {
  apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

# The tests check outputs with real tools: biber (the BibTeX exports) and Chromium (printing the
# reading lists' HTML). pandoc and Typst come from PyPI with the project itself.
missing=()
command -v biber >/dev/null 2>&1 || missing+=(biber)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "== installing ${missing[*]} (Debian)"
    apt_install "${missing[@]}"
  else
    echo "missing ${missing[*]} and this is not root: sudo apt-get install ${missing[*]}" >&2
    exit 1
  fi
fi

pg_bindir() {
  # Debian keeps the server programs out of PATH, one folder per major version
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  if [ -n "$dir" ] && [ -x "$dir/initdb" ]; then
    echo "$dir"
  elif command -v initdb >/dev/null 2>&1; then
    dirname "$(command -v initdb)"
  fi
}

PG_DIR=""
PG_BIN=""
as_pg() {
  # initdb and postgres refuse to run as root: root runs them as the postgres user
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
stop_pg() {
  if [ -n "$PG_DIR" ]; then
    as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$PG_DIR"
  fi
}

start_pg() {
  PG_BIN=$(pg_bindir)
  if [ -z "$PG_BIN" ]; then
    if [ "$(id -u)" = 0 ]; then
      echo "== installing PostgreSQL (Debian)"
      apt_install postgresql
      PG_BIN=$(pg_bindir)
    fi
    if [ -z "$PG_BIN" ]; then
      echo "PostgreSQL is missing and this is not root: set BIBLIO_TEST_PG_URL to a server" \
        "(postgresql+psycopg://user:password@host/postgres) or install Debian's postgresql" >&2
      exit 1
    fi
  fi
  PG_DIR=$(mktemp -d /tmp/biblio-pg.XXXXXX)
  trap stop_pg EXIT
  if [ "$(id -u)" = 0 ]; then chown postgres "$PG_DIR"; fi
  # an ICU collation (PostgreSQL 15+) orders text unlike SQLite: the tests catch any ORDER BY on text
  if ! as_pg "$PG_BIN/initdb" -D "$PG_DIR/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 \
      --locale-provider=icu --icu-locale=en-US >"$PG_DIR/initdb.log" 2>&1; then
    rm -rf "$PG_DIR/data"
    as_pg "$PG_BIN/initdb" -D "$PG_DIR/data" -U postgres --auth=trust -E UTF8 >"$PG_DIR/initdb.log" 2>&1 \
      || { cat "$PG_DIR/initdb.log" >&2; exit 1; }
  fi
  # a throwaway cluster: no TCP, no fsync (nothing here outlives the run)
  as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 60 \
    -o "-k $PG_DIR -c listen_addresses='' -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
    start >/dev/null || { cat "$PG_DIR/server.log" >&2; exit 1; }
  BIBLIO_TEST_PG_URL="postgresql+psycopg://postgres@/postgres?host=$PG_DIR"
  echo "== PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') started in $PG_DIR"
}

echo "== ruff"
.venv/bin/ruff check src tests
echo "== mypy"
.venv/bin/mypy
echo "== pytest on SQLite"
start=$SECONDS
BIBLIO_TEST_DB_URL="" .venv/bin/python -m pytest "$@"
echo "== SQLite run: $((SECONDS - start)) s"
if [ -z "${BIBLIO_TEST_PG_URL:-}" ]; then
  start_pg
fi
echo "== pytest on PostgreSQL"
start=$SECONDS
BIBLIO_TEST_DB_URL="$BIBLIO_TEST_PG_URL" .venv/bin/python -m pytest "$@"
echo "== PostgreSQL run: $((SECONDS - start)) s"
