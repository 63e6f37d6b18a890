#!/usr/bin/env bash
# 'make lab': JupyterLab on the project, with the project's Jupyter settings (.jupyter/, which the
# Makefile points Jupyter at). Once the server listens, prints one line: the address to open, and
# the SSH tunnel that reaches it from another machine. Jupyter's own log shows only warnings.
#
#   LAB_PORT   the port to try first (default 8888; Jupyter takes the next free one if it is busy)
#   LAB_ARGS   more options for 'jupyter lab', e.g. --Application.log_level=INFO (the whole log)
#
# Usage: tools/lab.sh [jupyter lab options]
set -u
cd "$(dirname "$0")/.." || exit 2

# The port through the environment (Jupyter reads JUPYTER_PORT), so that a --port in LAB_ARGS still wins.
export JUPYTER_PORT="${LAB_PORT:-${JUPYTER_PORT:-8888}}"
if ! [[ $JUPYTER_PORT =~ ^[0-9]{1,5}$ ]] || ((10#$JUPYTER_PORT < 1 || 10#$JUPYTER_PORT > 65535)); then
  echo "lab: LAB_PORT='$JUPYTER_PORT' is not a port: give a number from 1 to 65535, e.g. make lab LAB_PORT=8888" >&2
  exit 2
fi
args=()
[ "$(id -u)" -eq 0 ] && args+=(--allow-root)
# A token of our own unless one is given: Jupyter would otherwise print a block of its own with it.
[ -n "${JUPYTER_TOKEN:-}" ] || export JUPYTER_TOKEN="$(.venv/bin/python -c 'import secrets; print(secrets.token_hex(24))')"

# The server writes its address into the runtime folder once it listens (jpserver-<pid>.json);
# 'exec' below keeps this shell's pid for it.
info="${JUPYTER_RUNTIME_DIR:?}/jpserver-$$.json"
rm -f "$info"
(
  server=$$
  for _ in $(seq 600); do
    kill -0 "$server" 2>/dev/null || exit 0
    if [ -s "$info" ] && .venv/bin/python - "$info" "$(id -un)" "$(hostname -f 2>/dev/null || hostname)" <<'PY'; then exit 0; fi
import json, sys
try:
    server = json.load(open(sys.argv[1], encoding="utf-8"))
except ValueError:  # still being written
    sys.exit(1)
port, user, host = server["port"], sys.argv[2], sys.argv[3]
address = f"http://localhost:{port}{server['base_url']}lab/tree/notebooks?token={server['token']}"
print(f"lab: open {address}  (from another machine: ssh -N -L {port}:localhost:{port} {user}@{host}, then open it there; Ctrl-C stops Lab)", flush=True)
PY
    sleep 0.2
  done
) &
# LAB_ARGS is split into words, nothing else: no globbing, no expansion.
read -ra extra <<<"${LAB_ARGS:-}"
exec .venv/bin/jupyter lab "${args[@]}" "${extra[@]}" "$@"
