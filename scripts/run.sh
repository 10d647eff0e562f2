#!/usr/bin/env bash
# Runs the whole platform locally: emulators, the Aspire dashboard, the four services and the web client.
# Arguments go to Dental.AppHost (for example --reset, --no-dashboard, --GatewayPort 6100).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
with_dashboard="--with-dashboard"
for arg in "$@"; do [ "$arg" = "--no-dashboard" ] && with_dashboard=""; done
"$root/scripts/prerequisites.sh" $with_dashboard
"$root/scripts/build-web.sh"
dotnet build "$root/Dental.AppHost/Dental.AppHost.csproj" -nologo -v quiet
exec dotnet "$root/Dental.AppHost/bin/Debug/net10.0/Dental.AppHost.dll" "$@"
