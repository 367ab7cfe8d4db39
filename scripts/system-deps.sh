#!/usr/bin/env bash
# Installs the system packages kyctriage needs (Debian/Ubuntu), or says exactly what to run.
#   scripts/system-deps.sh run    -> tesseract with eng + chi_sim (+ chi_tra) data, CJK fonts for demo images
#   scripts/system-deps.sh test   -> the same, plus dovecot (IMAP tests), chromium (browser tests), npm (axe-core
#                                    for their accessibility check) and docker-compose (validates compose.yaml
#                                    offline; no engine needed)
set -euo pipefail
mode=${1:-run}
packages=(tesseract-ocr tesseract-ocr-eng tesseract-ocr-chi-sim tesseract-ocr-chi-tra fonts-noto-cjk)
if [ "$mode" = test ]; then
  packages+=(dovecot-imapd chromium chromium-driver docker-compose fonts-dejavu-core)
  # npm from any source will do (Debian's package, or the one Node.js's own packages bring)
  command -v npm >/dev/null 2>&1 || packages+=(npm)
fi

# Debian and Ubuntu ship venv/ensurepip separately from the interpreter.
python=${PYTHON:-python3.11}
if command -v "$python" >/dev/null 2>&1 && ! "$python" -c "import ensurepip, venv" >/dev/null 2>&1; then
  packages+=("$(basename "$python")-venv")
fi

missing=()
for pkg in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "kyctriage needs these system packages, and this system has no apt-get: ${missing[*]}" >&2
  echo "Install tesseract 5 with its 'eng' and 'chi_sim' language data and a CJK font by your system's" >&2
  echo "package manager (e.g. 'brew install tesseract tesseract-lang'), then run the command again." >&2
  exit 1
fi
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    SUDO=sudo
  else
    echo "Missing system packages: ${missing[*]}" >&2
    echo "Run as root (or with sudo), then this command again:" >&2
    echo "  sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
else
  SUDO=
fi
echo "Installing system packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
