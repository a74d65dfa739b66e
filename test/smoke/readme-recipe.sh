#!/usr/bin/env bash
# Runs the README's curl + openssl recipe, exactly as written there, against $BASE_URL:
# for getmessagingdetail, then opens the conversation link it answers; then once per line of the
# README's list of the other Reporting endpoints (RESOURCE and BODY set), each answering a JSON
# array. Used by the end-to-end tests and as the smoke test of the Docker image
# (../shared/tools/container-check --smoke).
set -euo pipefail
for tool in curl openssl; do
  command -v "$tool" >/dev/null 2>&1 || { echo "readme-recipe: $tool not found: install $tool" >&2; exit 1; }
done
root=$(cd "$(dirname "$0")/../.." && pwd)
block() { awk "/<!-- recipe:$1:start -->/{f=1;next} /<!-- recipe:$1:end -->/{f=0} f" "$root/README.md" | sed '/^```/d;/^$/d'; }
recipe=$(block curl-openssl)
[ -n "$recipe" ] || { echo "readme-recipe: no recipe found in README.md" >&2; exit 1; }
answer=$(env -u RESOURCE -u BODY bash -euo pipefail -c "$recipe")
echo "$answer"
link=$(printf '%s' "$answer" | sed -n 's/.*"conversationDetailLink":"\([^"]*\)".*/\1/p')
[ -n "$link" ] || { echo "readme-recipe: no conversationDetailLink in the answer" >&2; exit 1; }
page=$(curl -fsS "$link")
grep -q 'İpek Doğan' <<<"$page" || { echo "readme-recipe: the link did not open the conversation" >&2; exit 1; }
echo "readme-recipe: the link opens: $link"

endpoints=$(block endpoints)
[ -n "$endpoints" ] || { echo "readme-recipe: no endpoint list found in README.md" >&2; exit 1; }
while IFS= read -r line; do
  # The line sets RESOURCE and BODY, as a reader pastes it before the recipe.
  answer=$(bash -euo pipefail -c "$line"$'\n'"export RESOURCE BODY"$'\n'"$recipe")
  resource=$(bash -c "$line"$'\n''printf %s "$RESOURCE"')
  case "$answer" in
    '['*']') echo "readme-recipe: $resource answers a list of $(grep -o '{' <<<"$answer" | wc -l | tr -d ' ') items" ;;
    *) echo "readme-recipe: $resource did not answer a JSON array: $answer" >&2; exit 1 ;;
  esac
  [ "$answer" != '[]' ] || { echo "readme-recipe: $resource answered an empty list for the documentation's example" >&2; exit 1; }
done <<<"$endpoints"
