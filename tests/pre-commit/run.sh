#!/usr/bin/env bash
# Uses the real pre-commit (from PyPI, in a throw-away virtual environment) with this checkout as
# the hook repository: a bad template must block the commit with wabalint's diagnostic, a clean
# one must pass. The hook repository is the checkout's HEAD commit, as pre-commit clones it.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

python3 -m venv "$work/venv"
"$work/venv/bin/pip" install --quiet pre-commit
export PRE_COMMIT_HOME="$work/cache"
# pre-commit builds the hook with `cargo install`; share a target directory between runs.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$root/target}/pre-commit"

rev=$(git -C "$root" rev-parse HEAD)
repo="$work/repo"
mkdir "$repo"
cd "$repo"
git init --quiet
git config user.email ci@example.com
git config user.name "wabalint CI"
cat > .pre-commit-config.yaml <<YAML
repos:
  - repo: $root
    rev: $rev
    hooks:
      - id: wabalint
YAML
"$work/venv/bin/pre-commit" install --install-hooks >/dev/null

cat > order_update.yaml <<'YAML'
name: order_update
language: en_US
category: UTILITY
components:
  - type: BODY
    text: "Hi {{1}}, your order has shipped and arrives on {{2}}"
    example:
      body_text: [["Ana", "Friday"]]
YAML
cat > package.json <<'JSON'
{ "name": "not-a-manifest", "version": "1.0.0" }
JSON
git add order_update.yaml package.json .pre-commit-config.yaml
if git commit --quiet -m "bad template" > "$work/out.txt" 2>&1; then
  cat "$work/out.txt"
  echo "FAIL: the commit of a template that ends with a placeholder was not blocked"
  exit 1
fi
grep -q "template/body-trailing-placeholder" "$work/out.txt" || { cat "$work/out.txt"; echo "FAIL: wabalint's diagnostic is missing"; exit 1; }
if grep -q "manifest/unrecognized" "$work/out.txt"; then
  cat "$work/out.txt"; echo "FAIL: package.json was reported"; exit 1
fi
echo "ok: the bad template was blocked with template/body-trailing-placeholder"

sed -i 's/arrives on {{2}}"/arrives on {{2}}. Thank you!"/' order_update.yaml
git add order_update.yaml
if ! git commit --quiet -m "clean template" > "$work/out.txt" 2>&1; then
  cat "$work/out.txt"
  echo "FAIL: the clean template was blocked"
  exit 1
fi
echo "ok: the clean template was committed"
echo "pre-commit: 2 passed, 0 failed"
