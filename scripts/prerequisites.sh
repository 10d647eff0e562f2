#!/usr/bin/env bash
# Installs what the project needs beyond the .NET 10 SDK and Node 20, on Debian 12 as root:
# libvips (previews) and its CLI (the thumbnail benchmark's reference), the emulators' and the web
# client's npm packages, and, for the browser tests, Debian's Chromium.
# Usage: scripts/prerequisites.sh [--with-dashboard] [--with-browser]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

apt_packages=(libvips42 libvips-tools)
omit="--omit=optional"
for arg in "$@"; do
  case "$arg" in
    --with-dashboard) omit="" ;;
    --with-browser) apt_packages+=(chromium) ;;
    *) echo "unknown option: $arg" >&2; exit 2 ;;
  esac
done

missing=()
for pkg in "${apt_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing ${missing[*]} with apt-get..."
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# npm ci when node_modules is missing, older than the lock file, or lacks what was asked for ($2 = 1).
npm_ci() {
  local dir="$1" incomplete="$2"; shift 2
  local marker="$dir/node_modules/.package-lock.json"
  if [ ! -f "$marker" ] || [ "$dir/package-lock.json" -nt "$marker" ] || [ "$incomplete" = 1 ]; then
    echo "Installing npm packages in ${dir#"$root"/} (npm ci $*)..."
    (cd "$dir" && npm ci --no-audit --no-fund "$@")
  fi
}

dashboard="$root/emulators/node_modules/@microsoft/aspire-cli-linux-x64/bin/aspire"
no_dashboard=0
[ -z "$omit" ] && [ ! -x "$dashboard" ] && no_dashboard=1
npm_ci "$root/emulators" "$no_dashboard" $omit
npm_ci "$root/web" 0
