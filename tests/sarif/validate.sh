#!/usr/bin/env bash
# Validates wabalint's SARIF with Microsoft's SARIF Multitool, GitHub rules included, on a report
# with findings from every manifest kind. Fails on any validation result.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

(cd "$work" && npm install --silent --no-audit --no-fund @microsoft/sarif-multitool-linux >/dev/null)
tool="$work/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool"
chmod u+x "$tool"

cd "$root"
status=0
cargo run --quiet -- check fixtures/examples --as-of 2026-11-26 --format sarif > "$work/report.sarif" || status=$?
[ "$status" -eq 1 ] || { echo "expected findings (exit 1), got exit $status"; exit 1; }
python3 - "$work/report.sarif" <<'PY'
import json, sys
run = json.load(open(sys.argv[1]))["runs"][0]
kinds = {r["ruleId"].split("/")[0] for r in run["results"]}
missing = {"template", "phone", "account", "campaign", "agentless", "manifest"} - kinds
if missing:
    sys.exit(f"the report lacks findings of: {sorted(missing)}")
print(f"report: {len(run['results'])} results from {sorted(kinds)}")
PY
"$tool" validate "$work/report.sarif" --rule-kind "Gh;Sarif" --output "$work/validation.sarif" >/dev/null
python3 - "$work/validation.sarif" <<'PY'
import json, sys
results = json.load(open(sys.argv[1]))["runs"][0].get("results", [])
for r in results:
    print(r.get("level", "warning"), r["ruleId"], json.dumps(r["message"]))
print(f"sarif-multitool: {0 if results else 1} passed, {len(results)} failed")
sys.exit(1 if results else 0)
PY
