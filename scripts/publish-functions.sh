#!/usr/bin/env bash
# Assembles the Azure Functions (custom handler) app folder:
#   <out>/host.json, <out>/<function>/function.json, <out>/bin/reviewbot (self-contained linux-x64, ReadyToRun)
# Deploy it with `func azure functionapp publish <app>` run inside <out> (or zip-deploy the folder).
# Usage: bash scripts/publish-functions.sh [out-dir]   (default: artifacts/functions)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out="${1:-$root/artifacts/functions}"
rid="${REVIEWBOT_RID:-linux-x64}"

rm -rf "$out"
mkdir -p "$out/bin"

echo "==> dotnet publish ($rid, self-contained, ReadyToRun)"
dotnet publish "$root/src/ReviewBot.Cli/ReviewBot.Cli.csproj" -c Release -r "$rid" --self-contained true \
  -p:PublishReadyToRun=true -p:TieredPGO=true -p:DebugType=none -p:GenerateDocumentationFile=false \
  -o "$out/bin" --nologo -v quiet

cp "$root/host.json" "$out/host.json"
for dir in "$root"/functions/*/; do
  name="$(basename "$dir")"
  mkdir -p "$out/$name"
  cp "$dir/function.json" "$out/$name/function.json"
done
chmod +x "$out/bin/reviewbot"

# Local runs of the Functions host read local.settings.json; never ship secrets in it.
cat > "$out/local.settings.json.example" <<'JSON'
{
  "IsEncrypted": false,
  "Values": {
    "FUNCTIONS_WORKER_RUNTIME": "Custom",
    "AzureWebJobsStorage": "UseDevelopmentStorage=true",
    "ReviewBot__Storage__Provider": "azure"
  }
}
JSON

echo "==> $out"
ls "$out"
