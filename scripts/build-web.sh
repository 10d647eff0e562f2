#!/usr/bin/env bash
# Type-checks and builds the web client into web/dist, which the gateway serves at /. Installs its npm
# packages first when they are missing (a clean clone run straight from the app host). Skips the build when
# web/dist is newer than every source; one build at a time (several app hosts may start together in tests).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
web="$root/web"
exec 9>"$web/.build.lock"
flock 9
if [ ! -f "$web/node_modules/.package-lock.json" ] || [ "$web/package-lock.json" -nt "$web/node_modules/.package-lock.json" ]; then
  (cd "$web" && npm ci --no-audit --no-fund)
fi
if [ -f "$web/dist/index.html" ] && [ -z "$(find "$web/src" "$web/index.html" "$web/package-lock.json" "$web/vite.config.ts" "$web/tsconfig.json" -newer "$web/dist/index.html" -print -quit)" ]; then
  echo "web/dist is up to date"
  exit 0
fi
npm --prefix "$web" run --silent build -- --logLevel warn
echo "web/dist built"
