#!/usr/bin/env bash
# docmine needs Python >= 3.11 with venv; say exactly what is missing instead of failing later.
set -euo pipefail
if ! command -v python3 >/dev/null; then
  echo "python3 is missing: install Python 3.11 or newer (Debian/Ubuntu: apt-get install python3 python3-venv)" >&2
  exit 1
fi
if ! python3 -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
  echo "docmine needs Python >= 3.11; python3 is $(python3 -V 2>&1)" >&2
  exit 1
fi
if ! python3 -c 'import venv, ensurepip' 2>/dev/null; then
  echo "python3 cannot create virtual environments: install python3-venv (apt-get install python3-venv)" >&2
  exit 1
fi
