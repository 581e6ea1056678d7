#!/usr/bin/env bash
# Runs the whole test suite. Installs the npm test tools (Prism, Azurite, GitHub's OpenAPI description and
# webhook examples) into tools/node_modules, and Debian's chromium, first when they are missing. Usage: bash scripts/test.sh [dotnet test args]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

# A symlinked tools/node_modules (a git worktree sharing another checkout's install) is never reinstalled from here:
# `npm ci` would empty the install it points to.
if [ ! -L tools/node_modules ] && { [ ! -x tools/node_modules/.bin/prism ] || [ ! -x tools/node_modules/.bin/azurite ] \
   || [ tools/package-lock.json -nt tools/node_modules/.package-lock.json ]; }; then
  echo "==> installing test tools (npm ci in tools/)"
  npm ci --prefix tools --no-audit --no-fund --loglevel=error
fi

# The details page's browser tests drive Debian's chromium through Playwright (Playwright's own download is not used).
if ! command -v chromium >/dev/null && command -v apt-get >/dev/null; then
  echo "==> installing chromium (apt-get)"
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq && $sudo apt-get install -y -qq chromium
fi

echo "==> dotnet test"
log="$(mktemp)"
set +e
dotnet test ReviewBot.sln -c Release --nologo "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e

# One plain closing line over all test projects.
awk '/^(Passed|Failed)!/ {
       for (i = 1; i <= NF; i++) {
         if ($i == "Failed:")  { f += $(i+1) + 0 }
         if ($i == "Passed:")  { p += $(i+1) + 0 }
         if ($i == "Skipped:") { s += $(i+1) + 0 }
       }
     }
     END { printf "tests: %d passed, %d failed, %d skipped\n", p, f, s }' "$log"
rm -f "$log"
exit "$status"
