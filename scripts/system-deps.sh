#!/usr/bin/env bash
# Install the Debian packages the project needs, if any are missing.
#   scripts/system-deps.sh run    WeasyPrint's Pango and fonts
#   scripts/system-deps.sh test   also Chromium for browser tests and poppler (pdftotext)
#   scripts/system-deps.sh bench  also ApacheBench (ab) for the load benchmarks
#   scripts/system-deps.sh smoke  nginx and openssl for scripts/smoke_production.py
set -euo pipefail
packages=(libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core)
if [ "${1:-run}" = "test" ] || [ "${1:-run}" = "bench" ]; then
  packages+=(chromium chromium-driver poppler-utils)
fi
if [ "${1:-run}" = "bench" ]; then
  packages+=(apache2-utils)
fi
if [ "${1:-run}" = "smoke" ]; then
  packages+=(nginx-light openssl)
fi
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "Installerer manglende systempakker: ${missing[*]}"
sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
