#!/usr/bin/env bash
# `make run`: the background-task worker next to the development web server; stopping one stops both.
# Usage: scripts/run.sh BIN HOST:PORT
set -euo pipefail
bin="$1"
address="$2"
"$bin/waardewerk" worker --no-startup-delay &
worker=$!
trap 'kill "$worker" 2>/dev/null || true; wait "$worker" 2>/dev/null || true' EXIT INT TERM
"$bin/waardewerk" runserver "$address"
