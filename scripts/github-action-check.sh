#!/usr/bin/env bash
# action.yml, step "check": `reviewbot check --github-api` for the pull request of the event, read from the GitHub API
# with $GITHUB_TOKEN (the action's token input) at $GITHUB_API_URL: reviews, checks, teams, and the rules at the base
# commit, as the App reads them. The decision goes to the job summary ($GITHUB_STEP_SUMMARY) and the step outputs
# ($GITHUB_OUTPUT); the exit code is check's: 0 pass, 1 pending or fail, 2 configuration or platform error.
set -euo pipefail
event="${GITHUB_EVENT_PATH:?the Actions event payload}"
reviewbot="${REVIEWBOT:?the reviewbot executable (step build)}"

# pull_request_target runs the base branch's workflow; pull_request_review runs the pull request's merge commit's
# workflow and workspace, so there nothing is taken from the workspace (docs/github-action.md, "Re-evaluating on
# reviews"). On pull_request the pull request's own workflow and files decide everything: refused.
case "${GITHUB_EVENT_NAME:-}" in
  pull_request_target) ;;
  pull_request_review)
    if [ -n "${REVIEWBOT_RULES:-}" ] || [ -n "${REVIEWBOT_ORG_RULES:-}" ]; then
      echo "::error::ReviewBot: the rules and org-rules inputs are files of the workspace, which on pull_request_review is the pull request's merge commit: refused there (the rules are read at the base commit through the API; docs/github-action.md)"
      exit 2
    fi
    ;;
  *)
    echo "::error::ReviewBot's Action gates only on pull_request_target (and re-evaluates on pull_request_review); on '${GITHUB_EVENT_NAME:-unknown}' the pull request could rewrite its own gate (docs/github-action.md)"
    exit 2
    ;;
esac

if [ -z "$(jq -r '.pull_request.head.sha // empty' "$event")" ]; then
  echo "::error::ReviewBot runs on pull request events (pull_request_target, pull_request_review); this payload has no pull request, event '${GITHUB_EVENT_NAME:-unknown}'"
  exit 2
fi

args=(check --github-api --github-event "$event" --github-step-summary "${GITHUB_STEP_SUMMARY:?}" --github-output "${GITHUB_OUTPUT:?}")
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
