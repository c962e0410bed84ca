#!/bin/sh
# Runs the browser tests of the web page (tests/web/web_page.test.mjs) against `pixlake serve`.
# Usage: run_web_tests.sh PIXLAKE_BINARY OUT_DIR
# Exits 77 (CTest: skipped) when node, chromium or playwright-core is missing; `make test-web`
# installs them (chromium from Debian, playwright-core from npm into OUT_DIR/node_modules).
set -u
bin=$1
out=$2
chromium=${CHROMIUM:-/usr/bin/chromium}
if ! command -v node >/dev/null 2>&1; then echo "web tests skipped: node is not installed"; exit 77; fi
if [ ! -x "$chromium" ]; then echo "web tests skipped: $chromium is missing (make test-web installs it)"; exit 77; fi
if [ ! -f "$out/node_modules/playwright-core/package.json" ]; then
  echo "web tests skipped: playwright-core is not installed in $out/node_modules (make test-web installs it)"
  exit 77
fi
exec node "$(dirname "$0")/web_page.test.mjs" "$bin" "$out" "$chromium"
