#!/usr/bin/env bash
# Set up (a venv with the project) and run the main job: ingest seeds/ into
# the catalog (biblio.db here unless --db / $BIBLIO_DB say otherwise).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip >/dev/null 2>&1 || true
.venv/bin/python -m pip install --quiet -e .
.venv/bin/biblio "$@" build
