#!/usr/bin/env bash
# Type-checks and builds the web client into web/dist, which the gateway serves at /.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
npm --prefix "$root/web" run --silent build -- --logLevel warn
