#!/usr/bin/env bash
# Creates tests/servers/.venv with the pinned packages of tests/servers/requirements.txt
# (FastAPI demo API, uvicorn, httpbin, gunicorn). Idempotent: when the venv exists and the
# requirements (and the Python version) are unchanged since the last install, it does nothing.
#
# Env: SEXTANT_PYTHON=/path/to/python3 picks the interpreter (default: python3 on PATH).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
servers="$root/tests/servers"
venv="$servers/.venv"
req="$servers/requirements.txt"
stamp="$venv/.requirements.sha256"
python="${SEXTANT_PYTHON:-python3}"

# Two runs at once (say a developer and a test script) must not install over each other.
mkdir -p "$servers"
if command -v flock >/dev/null 2>&1; then
  exec 9>"$servers/.setup.lock"
  flock 9
fi

# Locust (exported load tests) in a venv of its own: its gevent needs greenlet>=3.2, httpbin's
# metadata says greenlet<3.0 (see requirements-locust.txt). Same rules: pinned, reinstalled on change.
lvenv="$servers/.venv-locust"
lreq="$servers/requirements-locust.txt"
lstamp="$lvenv/.requirements.sha256"
lwant="$({ "$python" -c 'import sys; print(sys.version)'; cat "$lreq"; } | sha256sum | cut -d' ' -f1)"
if ! { [ -x "$lvenv/bin/python" ] && "$lvenv/bin/python" -c '' 2>/dev/null \
       && [ -f "$lstamp" ] && [ "$(cat "$lstamp")" = "$lwant" ]; }; then
  if [ -e "$lvenv" ] && ! "$lvenv/bin/python" -c '' 2>/dev/null; then
    rm -rf "$lvenv"
  fi
  [ -x "$lvenv/bin/python" ] || "$python" -m venv "$lvenv"
  echo "setup-python: installing tests/servers/requirements-locust.txt" >&2
  rm -f "$lstamp"
  "$lvenv/bin/python" -m pip install --quiet --disable-pip-version-check --no-input -r "$lreq"
  "$lvenv/bin/python" -c 'import locust, gevent, zmq, httpx'
  echo "$lwant" > "$lstamp"
fi

want="$({ "$python" -c 'import sys; print(sys.version)'; cat "$req"; } | sha256sum | cut -d' ' -f1)"

if [ -x "$venv/bin/python" ] && "$venv/bin/python" -c '' 2>/dev/null \
   && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  exit 0
fi

# A venv whose interpreter no longer runs (Python moved or was upgraded) is rebuilt from scratch.
if [ -e "$venv" ] && ! "$venv/bin/python" -c '' 2>/dev/null; then
  rm -rf "$venv"
fi
if [ ! -x "$venv/bin/python" ]; then
  if ! "$python" -c 'import venv, ensurepip' 2>/dev/null; then
    echo "setup-python: $python cannot make venvs (on Debian: apt-get install python3-venv)" >&2
    exit 1
  fi
  echo "setup-python: creating $venv" >&2
  "$python" -m venv "$venv"
fi

echo "setup-python: installing tests/servers/requirements.txt" >&2
rm -f "$stamp"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-input -r "$req"
# Fail here, not in a test, if something is missing.
"$venv/bin/python" -c 'import fastapi, uvicorn, pydantic, python_multipart, httpbin, gunicorn, flask'
echo "$want" > "$stamp"
