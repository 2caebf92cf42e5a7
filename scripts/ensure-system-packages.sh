#!/usr/bin/env bash
# PDF reports need WeasyPrint's system libraries (Pango, HarfBuzz) and a font, and `waardewerk backup`/`restore`
# on PostgreSQL need pg_dump and pg_restore (postgresql-client): installs Debian's packages when missing.
# Checked with dpkg, so a machine that has them needs no root and no network.
set -euo pipefail
PACKAGES=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b fonts-dejavu-core postgresql-client)
if ! command -v dpkg-query >/dev/null; then
  echo "Not a Debian system: install Pango, HarfBuzz and a font (docs/reports.md) and PostgreSQL's client tools (docs/operations.md) yourself." >&2
  exit 0
fi
missing=()
for package in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done
if [ ${#missing[@]} -eq 0 ]; then exit 0; fi
echo "Installing Debian packages for the PDF reports and backups: ${missing[*]}..."
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
