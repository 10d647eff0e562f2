#!/usr/bin/env bash
# Installs what the project needs beyond the .NET 10 SDK and Node 20, on Debian 12 as root:
# libvips (previews) and its CLI (the thumbnail benchmark's reference), and the emulators' npm packages.
# Usage: scripts/prerequisites.sh [--with-dashboard]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

missing=()
for pkg in libvips42 libvips-tools; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing ${missing[*]} with apt-get..."
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

omit="--omit=optional"
[ "${1:-}" = "--with-dashboard" ] && omit=""
marker="$root/emulators/node_modules/.package-lock.json"
dashboard="$root/emulators/node_modules/@microsoft/aspire-cli-linux-x64/bin/aspire"
if [ ! -f "$marker" ] || [ "$root/emulators/package-lock.json" -nt "$marker" ] || { [ -z "$omit" ] && [ ! -x "$dashboard" ]; }; then
  echo "Installing emulator packages (npm ci $omit)..."
  (cd "$root/emulators" && npm ci --no-audit --no-fund $omit)
fi
