#!/usr/bin/env bash
# Check the system packages the project needs; install them with apt-get where that is possible
# (root on Debian/Ubuntu), otherwise stop and say exactly what to install.
#   headless Chromium  -> PDF export (nbconvert + playwright drive the system browser)
#   CJK fonts          -> Chinese glyphs: Noto Sans CJK for figures; WenQuanYi Zen Hei (TrueType
#                         outlines, which Chromium embeds as a named CID font) for the PDFs
#   poppler-utils      -> pdftotext/pdffonts/pdftoppm, used by the tests to read the PDFs
#   python3-venv       -> the project's virtual environment (checked for the Python given as $1,
#                         the one setup makes .venv with)
# Usage: tools/system-deps.sh [PYTHON]
set -u
python=${1:-}

missing=()
find_chromium() {
  for candidate in "${CHROMIUM:-}" chromium chromium-browser google-chrome; do
    [ -n "$candidate" ] && command -v "$candidate" >/dev/null 2>&1 && return 0
  done
  return 1
}
find_chromium || missing+=(chromium)
has_font() { command -v fc-list >/dev/null 2>&1 && fc-list : family 2>/dev/null | grep -qi "$1"; }
has_font "Noto Sans CJK" || missing+=(fonts-noto-cjk)
has_font "WenQuanYi Zen Hei" || missing+=(fonts-wqy-zenhei)
for tool in pdftotext pdffonts pdftoppm; do
  command -v "$tool" >/dev/null 2>&1 || { missing+=(poppler-utils); break; }
done
# Debian splits venv's ensurepip off the interpreter: python3-venv for its default python3, else python3.X-venv.
if [ -n "$python" ] && ! "$python" -c 'import ensurepip, venv' >/dev/null 2>&1; then
  read -r minor prefix < <("$python" -c 'import sys; print("%d.%d" % sys.version_info[:2], sys.base_prefix)' 2>/dev/null)
  if [ "$prefix" != /usr ]; then
    echo "system-deps: $python (installed in $prefix) cannot make a virtual environment (no ensurepip); use another Python, e.g. PYTHON=/usr/bin/python3" >&2
    exit 1
  fi
  default=$(/usr/bin/python3 -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null)
  if [ "$minor" = "$default" ]; then missing+=(python3-venv); else missing+=("python$minor-venv"); fi
fi

[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "system-deps: installing ${missing[*]} with apt-get"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}" fontconfig >/dev/null \
    || { echo "system-deps: apt-get could not install ${missing[*]}" >&2; exit 1; }
  fc-cache -f >/dev/null 2>&1 || true
  exit 0
fi

cat >&2 <<MSG
system-deps: missing system packages: ${missing[*]}
Install them, then run make again:
  Debian/Ubuntu:  sudo apt-get install ${missing[*]}
  Fedora:         sudo dnf install chromium google-noto-sans-cjk-fonts wqy-zenhei-fonts poppler-utils
  macOS:          brew install --cask chromium font-noto-sans-cjk font-wenquanyi-zen-hei && brew install poppler
A browser elsewhere on PATH works too: set CHROMIUM=/path/to/chrome.
Without root or sudo, see "Without root" in docs/setup.md.
MSG
exit 1
