#!/usr/bin/env bash
# The real-browser dashboard test drives Debian's Chromium (Playwright cannot download a browser
# here). Installs it with a CJK font when missing and when we may use apt (root); else says how.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "test: installing chromium and CJK fonts for the browser test (apt-get)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq --no-install-recommends chromium fonts-wqy-microhei fonts-noto-color-emoji >/dev/null
else
  echo "test: /usr/bin/chromium is missing; install it (sudo apt-get install chromium fonts-wqy-microhei) for the browser test" >&2
fi
