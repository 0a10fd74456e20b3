#!/usr/bin/env bash
# Debian's chromium for the dashboard's browser tests (headless, driven by PuppeteerSharp with the system executable;
# browser downloads are not possible here). Idempotent; without it those tests skip and say why.
set -euo pipefail
command -v chromium >/dev/null && exit 0
sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo -n"
if ! { $sudo apt-get install -y -q chromium >/dev/null 2>&1 || { $sudo apt-get update -q >/dev/null 2>&1 && $sudo apt-get install -y -q chromium >/dev/null 2>&1; }; }; then
  echo "setup-browser: could not install chromium; the dashboard's browser tests will skip" >&2
fi
