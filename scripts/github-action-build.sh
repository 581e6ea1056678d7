#!/usr/bin/env bash
# action.yml, step "build": publishes the pinned ReviewBot source that the action was checked out with
# ($GITHUB_ACTION_PATH) and names the executable in the step's outputs.
set -euo pipefail
out="${RUNNER_TEMP:?}/reviewbot"
dotnet publish "${GITHUB_ACTION_PATH:?}/src/ReviewBot.Cli/ReviewBot.Cli.csproj" -c Release -o "$out" --nologo -v q
echo "reviewbot=$out/reviewbot" >> "${GITHUB_OUTPUT:?}"
