#!/usr/bin/env bash
# Runs every test: unit tests, and integration tests against real Azurite, the Cosmos-protocol
# emulator and libvips (all started by the tests themselves on free 127.0.0.1 ports).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$root/scripts/prerequisites.sh"
dotnet build "$root/Dental.slnx" -nologo -v quiet
dotnet test "$root/Dental.slnx" --no-build --logger "console;verbosity=normal" "$@"
