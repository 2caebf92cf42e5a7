#!/usr/bin/env bash
# Prints the path of a Python >= 3.12 (Django 6.1 needs it): $PYTHON if set, else the first found on
# PATH, else one installed by pyenv. Debian 13 ships 3.13 as python3; on Debian 12 it installs nothing and
# says what to do.
set -euo pipefail
ok() { "$1" -c 'import sys, venv; sys.exit(0 if sys.version_info >= (3, 12) else 1)' 2>/dev/null; }
candidates=()
[ -n "${PYTHON:-}" ] && candidates+=("$PYTHON")
for v in python3.14 python3.13 python3.12 python3; do command -v "$v" >/dev/null 2>&1 && candidates+=("$(command -v "$v")"); done
root="${PYENV_ROOT:-$HOME/.pyenv}"
for p in "$root"/versions/3.14*/bin/python3 "$root"/versions/3.13*/bin/python3 "$root"/versions/3.12*/bin/python3; do
  [ -x "$p" ] && candidates+=("$p")
done
for c in "${candidates[@]}"; do
  if ok "$c"; then echo "$c"; exit 0; fi
done
echo "Waardewerk needs Python 3.12 or newer with the venv module (Django 6.1). Install it (Debian 13: apt-get install python3 python3-venv) or set PYTHON=/path/to/python3.12." >&2
exit 1
