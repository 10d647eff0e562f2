#!/usr/bin/env bash
# Installs what the project needs beyond the .NET 10 SDK and Node 20, on Debian 12 as root:
# libheif's command-line tools (the Thumbnailer decodes HEIC with heif-convert; the tests make HEIC and AVIF files with
# heif-enc), GDCM's .NET binding (libgdcm-cil: the Thumbnailer decodes DICOM with it; the build references it) and the DICOM
# tools the tests make their files with (libgdcm-tools' gdcmconv, dcmtk's dcmconv, img2dcm, dcmodify), libvips' command-line tools (the thumbnail benchmark's reference, and a test's CMYK converter; the Thumbnailer
# itself uses the libvips NetVips.Native ships, restored by dotnet), the emulators' npm packages and,
# for the browser tests, Debian's Chromium. The web client's packages are installed by build-web.sh;
# NuGet packages (Aspire, its orchestrator and dashboard among them) are restored by dotnet itself.
# Usage: scripts/prerequisites.sh [--with-browser]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

apt_packages=(libvips-tools libheif-examples libgdcm-cil libgdcm-tools dcmtk)
for arg in "$@"; do
  case "$arg" in
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

# npm ci when node_modules is missing or older than the lock file.
npm_ci() {
  local dir="$1"
  local marker="$dir/node_modules/.package-lock.json"
  if [ ! -f "$marker" ] || [ "$dir/package-lock.json" -nt "$marker" ]; then
    echo "Installing npm packages in ${dir#"$root"/} (npm ci)..."
    (cd "$dir" && npm ci --no-audit --no-fund)
  fi
}

npm_ci "$root/emulators"
