#!/usr/bin/env bash
# action.yml, step "check": `reviewbot check` for the pull request of the event, in the checked-out repository.
# The decision goes to the job summary ($GITHUB_STEP_SUMMARY) and the step outputs ($GITHUB_OUTPUT); the exit code
# is check's: 0 pass, 1 pending or fail, 2 configuration error (bad rules, unknown refs).
set -euo pipefail
event="${GITHUB_EVENT_PATH:?the Actions event payload}"
repo="${GITHUB_WORKSPACE:?the checked-out repository}"
reviewbot="${REVIEWBOT:?the reviewbot executable (step build)}"

# Only pull_request_target runs the base branch's workflow with the base checked out: on any other event the pull
# request could rewrite the workflow, the rules paths given as inputs, or this script, and so its own gate.
if [ "${GITHUB_EVENT_NAME:-}" != "pull_request_target" ]; then
  echo "::error::ReviewBot's Action gates only on pull_request_target; on '${GITHUB_EVENT_NAME:-unknown}' the pull request could rewrite its own gate (docs/github-action.md)"
  exit 2
fi

head_sha=$(jq -r '.pull_request.head.sha // empty' "$event")
number=$(jq -r '.pull_request.number // empty' "$event")
if [ -z "$head_sha" ]; then
  echo "::error::ReviewBot runs on pull request events (pull_request_target); this payload has no pull request, event '${GITHUB_EVENT_NAME:-unknown}'"
  exit 2
fi

# pull_request_target checks out the base: bring the pull request's head commits in as objects only (they are read
# by git, never checked out, built or run).
if ! git -C "$repo" cat-file -e "$head_sha^{commit}" 2>/dev/null; then
  git -C "$repo" fetch --no-tags --quiet origin "+refs/pull/$number/head:refs/remotes/pull/$number/head"
fi

args=(check --repo "$repo" --github-event "$event" --github-step-summary "${GITHUB_STEP_SUMMARY:?}" --github-output "${GITHUB_OUTPUT:?}")
[ -n "${REVIEWBOT_RULES:-}" ] && args+=(--rules "$REVIEWBOT_RULES")
[ -n "${REVIEWBOT_ORG_RULES:-}" ] && args+=(--org-rules "$REVIEWBOT_ORG_RULES")

status=0
"$reviewbot" "${args[@]}" || status=$?
case "$status" in
  0) echo "ReviewBot: the rules are met" ;;
  1) echo "::error::ReviewBot: the rules are not met (see the job summary)" ;;
  *) echo "::error::ReviewBot could not evaluate the pull request (exit $status; see the log)" ;;
esac
exit "$status"
