#!/usr/bin/env bash
# Install Debian's Chromium for the browser tests if it is missing (never `playwright install`: no downloads here).
set -euo pipefail
if [ -x /usr/bin/chromium ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "ensure-chromium: /usr/bin/chromium is missing and we are not root; browser tests will be skipped" >&2
  exit 0
fi
echo "ensure-chromium: installing chromium with apt-get (about a minute)…"
export DEBIAN_FRONTEND=noninteractive
apt-get install -y -q chromium >/dev/null 2>&1 || { apt-get update -q >/dev/null && apt-get install -y -q chromium >/dev/null; }
/usr/bin/chromium --version
