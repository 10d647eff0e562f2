#!/usr/bin/env bash
# Regenerates the API's clients from an OpenAPI document (default: the checked-in api/openapi.json):
#   web/src/api/schema.d.ts            TypeScript types for the web client (openapi-typescript)
#   libs/Dental.Client/Generated/      the .NET client library (Kiota)
# With a document given, it first becomes api/openapi.json. Get the served one from a running platform:
#   curl -s http://127.0.0.1:18890/openapi/v1.json > /tmp/openapi.json && scripts/generate-api-clients.sh /tmp/openapi.json
# Tests regenerate into other folders with: generate-api-clients.sh DOCUMENT TYPES_FILE CLIENT_FOLDER
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
document="${1:-$root/api/openapi.json}"
types="${2:-$root/web/src/api/schema.d.ts}"
client="${3:-$root/libs/Dental.Client/Generated}"

if [ $# -eq 1 ]; then
  node -e 'const fs=require("fs");fs.writeFileSync(process.argv[2], JSON.stringify(JSON.parse(fs.readFileSync(process.argv[1],"utf8")), null, 2) + "\n")' "$document" "$root/api/openapi.json"
  document="$root/api/openapi.json"
fi

[ -x "$root/web/node_modules/.bin/openapi-typescript" ] || npm --prefix "$root/web" ci --no-audit --no-fund >/dev/null
"$root/web/node_modules/.bin/openapi-typescript" "$document" --output "$types" >/dev/null

# Kiota makes an operation return nothing when it may answer 302 or 304, even beside a 200 with a body
# (microsoft/kiota#5208): for Kiota only, those are left out where a 200 has one. The .NET client follows
# redirects itself and sends no If-None-Match, so it never sees either.
kiota_document="$(mktemp --suffix=.json)"
trap 'rm -f "$kiota_document"' EXIT
node -e '
const fs = require("fs");
const doc = JSON.parse(fs.readFileSync(process.argv[1], "utf8"));
for (const path of Object.values(doc.paths))
  for (const operation of Object.values(path))
    if (Object.keys(operation.responses?.["200"]?.content ?? {}).length > 0)
      for (const status of ["302", "304"]) delete operation.responses[status];
fs.writeFileSync(process.argv[2], JSON.stringify(doc));' "$document" "$kiota_document"

(cd "$root" && dotnet tool restore >/dev/null)
# Kiota checks for its own updates unless told not to; this machine may have no route to that service.
(cd "$root" && KIOTA_UPDATE_DISABLED=true KIOTA_OFFLINE_ENABLED=true dotnet kiota generate --language CSharp --openapi "$kiota_document" --output "$client" \
  --namespace-name Dental.Client --class-name DentalApiClient --exclude-backward-compatible --clean-output --log-level Error >/dev/null)
# The lock file records where the document was read from (a temporary path): nothing the client needs.
rm -f "$client/kiota-lock.json" "$client/.kiota.log"
