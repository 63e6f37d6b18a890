#!/usr/bin/env bash
# Set up the project and build its default run under each Python on this machine, each in a
# fresh clone of the committed HEAD, as a user with that Python would: 'make reports PYTHON=...'.
# Then the fast Python-support tests run in that clone's .venv (every installed package locked,
# and each one's Requires-Python admitting every supported Python). One line per Python: ok,
# refused (a Python outside the supported range, which setup must turn away in one line) or
# FAILED, with the time. Not part of 'make test': it takes a few minutes per Python.
#
# Usage: tools/try-pythons.sh                       # python3, /usr/bin/python3, python3.X on PATH,
#                                                   # and pyenv's versions, one per Python version
#        tools/try-pythons.sh /path/to/python3.13 ...   # just these
set -u
repo=$(git -C "$(dirname "$0")" rev-parse --show-toplevel) || exit 2
tmp=$(mktemp -d -t try-pythons.XXXXXX)

if [ $# -gt 0 ]; then
  candidates=("$@")
else
  candidates=(python3 /usr/bin/python3 $(compgen -c python3. | grep -E '^python3\.[0-9]+$' | sort -uV))
  candidates+=("${PYENV_ROOT:-$HOME/.pyenv}"/versions/*/bin/python3)
fi

identity() { "$1" -c 'import sys; print("%d.%d.%d" % sys.version_info[:3], sys.base_prefix)' 2>/dev/null; }
seen=" " status=0
for candidate in "${candidates[@]}"; do
  python=$(command -v "$candidate") || continue
  id=$(identity "$python") || continue  # e.g. a pyenv shim for a version that is not selected
  version=${id%% *}
  case "$seen" in *" $version "*) continue ;; esac
  seen="$seen$version "
  clone="$tmp/$version" log="$tmp/$version.log"
  git clone -q "$repo" "$clone" || exit 2
  start=$(date +%s)
  if (cd "$clone" && make reports PYTHON="$python" && .venv/bin/python -m pytest -q -p no:cacheprovider \
      tests/test_python_support.py tests/test_repository.py) >"$log" 2>&1; then
    echo "ok: Python $version ($python): set up, built the default run, Python-support tests pass ($(($(date +%s) - start)) s)"
  elif grep -q "^setup: PYTHON=.*; the project supports" "$log" && [ ! -e "$clone/.venv" ]; then
    echo "refused: Python $version ($python), outside the supported range: $(grep -m1 '^setup: ' "$log")"
  else
    status=1
    echo "FAILED: Python $version ($python) after $(($(date +%s) - start)) s; last lines of $log:"
    grep -v "^WARNING: Location" "$log" | tail -n 15 | sed 's/^/    /'
  fi
done
[ "$seen" = " " ] && { echo "no Python found"; exit 2; }
echo "clones and logs: $tmp"
exit $status
