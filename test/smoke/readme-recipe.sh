#!/usr/bin/env bash
# Runs the README's curl + openssl recipe, exactly as written there, against $BASE_URL,
# then opens the conversation link it answers. Used by the end-to-end tests and as the
# smoke test of the Docker image (../shared/tools/container-check --smoke).
set -euo pipefail
for tool in curl openssl; do
  command -v "$tool" >/dev/null 2>&1 || { echo "readme-recipe: $tool not found: install $tool" >&2; exit 1; }
done
root=$(cd "$(dirname "$0")/../.." && pwd)
recipe=$(awk '/<!-- recipe:curl-openssl:start -->/{f=1;next} /<!-- recipe:curl-openssl:end -->/{f=0} f' "$root/README.md" | sed '/^```/d')
[ -n "$recipe" ] || { echo "readme-recipe: no recipe found in README.md" >&2; exit 1; }
answer=$(bash -euo pipefail -c "$recipe")
echo "$answer"
link=$(printf '%s' "$answer" | sed -n 's/.*"conversationDetailLink":"\([^"]*\)".*/\1/p')
[ -n "$link" ] || { echo "readme-recipe: no conversationDetailLink in the answer" >&2; exit 1; }
page=$(curl -fsS "$link")
grep -q 'İpek Doğan' <<<"$page" || { echo "readme-recipe: the link did not open the conversation" >&2; exit 1; }
echo "readme-recipe: the link opens: $link"
