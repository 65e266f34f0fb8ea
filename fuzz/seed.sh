#!/usr/bin/env bash
# Seeds the fuzz corpora from the repository's fixtures (fuzz/corpus is git-ignored).
#   bash fuzz/seed.sh && cd fuzz && cargo fuzz run manifest -- -max_total_time=600
# The `manifest` target gets every fixture manifest; `rule_file` gets the rule files
# (bundled profiles and fixtures/rules/**/rules*.yaml) plus the manifests, which exercise
# the rule-file validator's error paths.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
mkdir -p "$here/corpus/manifest" "$here/corpus/rule_file" "$here/corpus/json_fast_path"

copy() { # copy FILE DIR: content-addressed, so re-running is idempotent
  local sum
  sum="$(sha1sum "$1" | cut -c1-40)"
  cp "$1" "$2/$sum"
}

n=0
while IFS= read -r -d '' f; do
  copy "$f" "$here/corpus/manifest"
  copy "$f" "$here/corpus/rule_file"
  case "$f" in *.json) copy "$f" "$here/corpus/json_fast_path" ;; esac
  n=$((n + 1))
done < <(find "$root/fixtures" -type f \( -name '*.yaml' -o -name '*.yml' -o -name '*.json' \) -print0)

m=0
while IFS= read -r -d '' f; do
  copy "$f" "$here/corpus/rule_file"
  m=$((m + 1))
done < <(find "$root/rules" "$root/tests/data/rules" -type f \( -name "*.yaml" -o -name "*.yml" \) -print0)

echo "seeded $n fixture files into corpus/manifest and corpus/rule_file (the JSON ones also into corpus/json_fast_path), $m rule files into corpus/rule_file"
