#!/usr/bin/env bash
# 'make setup': the system packages, then .venv made with a supported Python and holding exactly
# the packages pinned in requirements.lock, plus this project in editable mode.
#
#   PYTHON        the interpreter asked for (make passes it; default python3)
#   PYTHON_GIVEN  non-empty when the user chose PYTHON (on make's command line or in the environment)
#
# The supported Pythons are pyproject.toml's requires-python (">=X.Y.Z,<X.Y"). A PYTHON that the
# user gave must be one of them, or setup stops with one line that says so. Without one, setup
# keeps a working .venv, else uses the first supported interpreter among PYTHON, python3.13,
# python3.12, python3.11 and /usr/bin/python3, and says so in one line when that is not PYTHON.
# A .venv made with another interpreter than a given PYTHON, or with an unsupported or missing one,
# is made again. The packages are installed again whenever requirements.lock or pyproject.toml
# change (their checksums are kept in .venv/.installed).
#
# Usage: tools/setup.sh                  # set up
#        tools/setup.sh --print-python   # only print the interpreter setup would make .venv with
set -u
cd "$(dirname "$0")/.." || exit 2

VENV=.venv
PYTHON=${PYTHON:-python3}
PYTHON_GIVEN=${PYTHON_GIVEN:-}

spec=$(sed -n 's/^requires-python *= *"\(.*\)" *$/\1/p' pyproject.toml)
if [[ $spec =~ ^\>=\ *([0-9]+)\.([0-9]+)\.([0-9]+)\ *,\ *\<\ *([0-9]+)\.([0-9]+)$ ]]; then
  r=("${BASH_REMATCH[@]}")
  floor="${r[1]}.${r[2]}.${r[3]}" lowest="(${r[1]},${r[2]},${r[3]})" ceiling="(${r[4]},${r[5]})"
  supported="Python $floor to ${r[4]}.$((r[5] - 1))"
else
  echo "setup: pyproject.toml's requires-python must read '>=X.Y.Z,<X.Y' (found '$spec')" >&2
  exit 2
fi

# Prints the interpreter's version; exit status 0 only when it is supported. Works on any Python.
check='import sys; v = tuple(sys.version_info[:3]); print("%d.%d.%d" % v); sys.exit(0 if '"$lowest"' <= v < '"$ceiling"' else 3)'
version_of() { "$1" -c "$check" 2>/dev/null; }
# Which base interpreter (version and installation) a python, or the one a venv was made from, is.
identity() { "$1" -c 'import sys; print("%d.%d.%d" % sys.version_info[:3], sys.base_prefix)' 2>/dev/null; }
CANDIDATES=(python3 python3.13 python3.12 python3.11 /usr/bin/python3)
fail() {  # one line: what was found, what is supported, and how to choose (a supported Python found here, if any)
  local example=python3.12 candidate
  for candidate in "${CANDIDATES[@]}"; do
    [ "$candidate" != "$PYTHON" ] && version_of "$candidate" >/dev/null && { example=$candidate; break; }
  done
  echo "setup: $1; the project supports $supported: choose one with PYTHON=, e.g. make reports PYTHON=$example" >&2
  exit 1
}

choose_python() {  # sets python and version, or stops
  [ -n "${python:-}" ] && return
  if [ -n "$PYTHON_GIVEN" ]; then
    python=$PYTHON
    command -v "$python" >/dev/null || fail "PYTHON=$python was not found"
    version=$(version_of "$python") && return
    fail "PYTHON=$python is ${version:+Python }${version:-not a Python that runs}"
  fi
  local first
  first=$(version_of "$PYTHON")
  for python in "$PYTHON" "${CANDIDATES[@]:1}"; do
    if version=$(version_of "$python"); then
      [ "$python" = "$PYTHON" ] || echo "setup: $PYTHON is ${first:+Python }${first:-not there}, outside $supported; using $python (Python $version)"
      return
    fi
  done
  fail "$PYTHON is ${first:+Python }${first:-not there} and no supported python3.11, python3.12 or python3.13 was found"
}

if [ "${1:-}" = --print-python ]; then
  choose_python >&2
  command -v "$python"
  exit 0
fi

# Keep .venv when it works with a supported Python and, if PYTHON was given, was made with it.
# A .venv that is a symbolic link belongs to someone else (the end-to-end tests share one): keep it.
remake=
if [ -e "$VENV" ] && [ ! -L "$VENV" ]; then
  if ! made_with=$(version_of "$VENV/bin/python"); then
    remake="was made with ${made_with:+Python }${made_with:-an interpreter that no longer runs}"
  elif [ -n "$PYTHON_GIVEN" ]; then
    choose_python
    made_from=$(identity "$VENV/bin/python")
    [ "$made_from" = "$(identity "$python")" ] || remake="was made with Python ${made_from/ / from }"
  fi
fi
if [ -n "$remake" ] || [ ! -e "$VENV" ]; then
  choose_python
  tools/system-deps.sh "$python" || exit 1  # also checks that this Python can make a venv
  if [ -n "$remake" ]; then
    echo "setup: $VENV $remake; making it again with $python (Python $version)"
    rm -rf "$VENV"
  fi
  echo "setup: creating $VENV with $python (Python $version)"
  "$python" -m venv "$VENV" || { rm -rf "$VENV"; exit 1; }
  created=1
else
  tools/system-deps.sh || exit 1
fi

[ -L "$VENV" ] && exit 0  # a shared .venv is kept up to date by the checkout it belongs to
stamp="$(cksum requirements.lock pyproject.toml) $PWD"  # the editable install points at this checkout
if [ "$(cat "$VENV/.installed" 2>/dev/null)" != "$stamp" ]; then
  rm -f "$VENV/.installed"
  count=$(grep -c '^[A-Za-z0-9_.-]*==' requirements.lock)
  echo "setup: installing the $count packages pinned in requirements.lock into $VENV" \
    "(the first time about 900 MB: a minute or two on a fast connection, more on a slow one)"
  # On a terminal pip shows what it downloads, with its progress bars; in a log, one line at the end.
  pip=("$VENV/bin/python" -m pip install --disable-pip-version-check)
  [ -t 1 ] || pip+=(--quiet)
  "${pip[@]}" -r requirements.lock || exit 1
  echo "setup: installing this project (src/) into $VENV, editable"
  "${pip[@]}" --quiet --no-deps --no-build-isolation -e . || exit 1
  printf '%s\n' "$stamp" >"$VENV/.installed"
  echo "setup: $VENV is ready ($(du -sh "$VENV" 2>/dev/null | cut -f1))"
fi
