#!/usr/bin/env bash
# Runs every test: the web client's unit tests (Vitest), then .NET unit and integration tests against
# real Azurite, the Cosmos-protocol emulator and libvips (started by the tests on free 127.0.0.1 ports),
# including the browser tests that drive the web client in headless Chromium against the running stack.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$root/scripts/prerequisites.sh" --with-browser
"$root/scripts/build-web.sh"
npm --prefix "$root/web" run --silent test
dotnet build "$root/Dental.slnx" -nologo -v quiet
dotnet test "$root/Dental.slnx" --no-build --logger "console;verbosity=normal" "$@"
