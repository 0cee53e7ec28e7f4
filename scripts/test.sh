#!/usr/bin/env bash
# Set up (a venv with the project and its test extras) and run every check:
# ruff, mypy --strict, then the test suite. CI runs exactly this (.ci/run).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip >/dev/null 2>&1 || true
.venv/bin/python -m pip install --quiet -e ".[test]"
# biber checks the BibTeX exports (pandoc comes with the test extra pypandoc-binary)
if ! command -v biber >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then
    echo "== installing biber (Debian)"
    apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends biber >/dev/null
  else
    echo "biber is missing and this is not root: install Debian's biber (sudo apt-get install biber)" >&2
    exit 1
  fi
fi
echo "== ruff"
.venv/bin/ruff check src tests
echo "== mypy"
.venv/bin/mypy
echo "== pytest"
.venv/bin/python -m pytest "$@"
