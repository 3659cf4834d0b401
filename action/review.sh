#!/usr/bin/env bash
# The action's review step: `trackplan check --format github` (annotations), and on a pull request
# the semantic diff from the merge base with its base: Markdown for the comment, JSON for the counts,
# and annotations on the changed lines. It fails only on bad input; what should fail the job is
# written to the `failures` output, for the last step, so that the comment is posted first.
#
# Environment: PLAN, FAIL_ON, BASE_SHA (empty outside pull requests), and the runner's GITHUB_OUTPUT
# and RUNNER_TEMP.
set -uo pipefail

fail_check=""
fail_diff=""
IFS=', ' read -r -a wanted <<< "${FAIL_ON:-}"
for want in ${wanted[@]+"${wanted[@]}"}; do
  case "$want" in
    error) fail_check="${fail_check:-error}" ;;
    warning) fail_check=warning ;;
    breaking) fail_diff="${fail_diff:-breaking}" ;;
    dangerous) fail_diff=dangerous ;;
    never | "") ;;
    *)
      echo "::error title=trackplan::fail-on: unknown value '$want'; use error, warning, breaking, dangerous or never, separated by commas"
      exit 1
      ;;
  esac
done

failures=()
# Without a plan named, every plan of the workspace: `trackplan check .` handles the plan holding
# the folder, else each plan below it (`trackplan diff` finds them the same way without --plan).
paths=(.)
plan_flag=()
if [ -n "${PLAN:-}" ]; then
  paths=("$PLAN")
  plan_flag=(--plan "$PLAN")
fi

trackplan check --format github --fail-on "${fail_check:-error}" "${paths[@]}"
case $? in
  0) ;;
  1) [ -n "$fail_check" ] && failures+=("the plan has ${fail_check}s (trackplan check)") ;;
  *) failures+=("trackplan check could not run (see its error above)") ;;
esac

out="${RUNNER_TEMP:?}/trackplan-review"
rm -rf "$out"
mkdir -p "$out"
if [ -n "${BASE_SHA:-}" ]; then
  # The diff starts from the merge base, which a shallow checkout (actions/checkout's default)
  # does not have.
  if [ "$(git rev-parse --is-shallow-repository)" = true ]; then
    echo "trackplan: fetching the history of this shallow clone (set fetch-depth: 0 on actions/checkout to skip this)"
    git fetch --quiet --unshallow --no-tags origin || true
  fi
  if ! git cat-file -e "$BASE_SHA^{commit}" 2>/dev/null; then
    git fetch --quiet --no-tags origin "$BASE_SHA" || true
  fi
  diff=(trackplan diff "$BASE_SHA" HEAD --merge-base ${plan_flag[@]+"${plan_flag[@]}"})
  if "${diff[@]}" --format markdown > "$out/diff.md" && "${diff[@]}" --format json > "$out/diff.json"; then
    "${diff[@]}" --format github
    read -r breaking dangerous safe < <(node -e '
      const summary = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).summary;
      console.log(summary.breaking, summary.dangerous, summary.safe);
    ' "$out/diff.json")
    {
      echo "breaking=$breaking"
      echo "dangerous=$dangerous"
      echo "safe=$safe"
      echo "diff-markdown=$out/diff.md"
      echo "diff-json=$out/diff.json"
    } >> "${GITHUB_OUTPUT:?}"
    case "$fail_diff" in
      breaking) [ "$breaking" -gt 0 ] && failures+=("$breaking breaking change(s) to the plan") ;;
      dangerous) [ $((breaking + dangerous)) -gt 0 ] && failures+=("$breaking breaking and $dangerous dangerous change(s) to the plan") ;;
    esac
  else
    failures+=("trackplan diff could not compare the plan with the pull request's base (see its error above)")
  fi
fi

joined=""
for failure in ${failures[@]+"${failures[@]}"}; do
  joined="${joined:+$joined; }$failure"
done
echo "failures=$joined" >> "${GITHUB_OUTPUT:?}"
