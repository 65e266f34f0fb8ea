#!/usr/bin/env bash
# Benchmark: the release binary on 1, 1,000, 10,000 and 100,000 files against a parse-only
# baseline (the same files read and parsed by the same parser, no rules evaluated).
#
#   benches/run.sh                       # all sizes (several minutes; ~0.5 GB of temporary files)
#   BENCH_SIZES="1 1000" benches/run.sh  # a quick run
#
# Environment:
#   BENCH_SIZES     corpus sizes (default "1 1000 10000 100000")
#   BENCH_RUNS      timed runs per command and size (default 3; at least 3)
#   BENCH_RUNS_ONE  timed runs for the one-file corpus (default 20)
#   BENCH_SEED      corpus seed (default 42)
#   BENCH_DIR       where corpora go (default: a new directory under /tmp, or under target/ when
#                   /tmp is short of space); a corpus already there with the same size and seed
#                   is reused, and BENCH_DIR is kept afterwards
#   BENCH_KEEP=1    keep the temporary directory
#
# Needs: cargo, python3 (3.11, standard library only). Prints a Markdown table: median wall time,
# CPU time (user + sys), peak RSS, and the ratios check / parse-only.
set -euo pipefail

cd "$(dirname "$0")/.."
SIZES=${BENCH_SIZES:-"1 1000 10000 100000"}
RUNS=${BENCH_RUNS:-3}
RUNS_ONE=${BENCH_RUNS_ONE:-20}
SEED=${BENCH_SEED:-42}
BIN=target/release/wabalint
AS_OF=2026-11-26

fail() { echo "error: $*" >&2; exit 1; }
[ "$RUNS" -ge 3 ] || fail "BENCH_RUNS must be at least 3"
command -v python3 >/dev/null || fail "python3 is needed"
python3 -c 'import sys; sys.exit(sys.version_info < (3, 11))' || fail "python3 must be 3.11 or newer"

echo "### Building (cargo build --release)" >&2
cargo build --release --quiet || fail "cargo build --release failed"
[ -x "$BIN" ] || fail "$BIN is missing after the build"

# ── Where the corpora go ──────────────────────────────────────────────────────────────────────
total=0
for n in $SIZES; do total=$((total + n)); done
need_mb=$((total * 5 / 1000 + 50))   # ~1 KB of text per file, but a 4 KB block each on disk
if [ -n "${BENCH_DIR:-}" ]; then
  ROOT=$BENCH_DIR
  KEEP=1
  mkdir -p "$ROOT"
else
  KEEP=${BENCH_KEEP:-0}
  avail_mb=$(df -Pm /tmp | awk 'NR == 2 { print $4 }')
  if [ "${avail_mb:-0}" -ge "$need_mb" ]; then
    ROOT=$(mktemp -d /tmp/wabalint-bench.XXXXXX)
  else
    echo "only ${avail_mb} MB free in /tmp (need ${need_mb} MB): using target/" >&2
    mkdir -p target
    ROOT=$(mktemp -d "$PWD/target/bench-corpus.XXXXXX")
  fi
fi
if [ "$KEEP" != 1 ]; then
  trap 'rm -rf "$ROOT"' EXIT
fi
RESULTS=$ROOT/results.jsonl
: > "$RESULTS"

# ── Machine ───────────────────────────────────────────────────────────────────────────────────
commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
git diff --quiet HEAD -- src Cargo.toml Cargo.lock rules 2>/dev/null || commit="$commit + uncommitted changes"
echo "## wabalint benchmark, $(date -u '+%Y-%m-%d %H:%M UTC')"
echo
echo "- machine: $(nproc) CPUs, $(lscpu | sed -n 's/^Model name: *//p' | head -1), \
$(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo) RAM, $(uname -sr)"
echo "- build: $(rustc --version), release profile, commit $commit"
echo "- load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "- corpora: benches/generate.py --seed $SEED, in $ROOT"
echo "- check: \`$BIN check --no-config --profile genesys --as-of $AS_OF --format json DIR > /dev/null\`"
echo "- parse-only: \`$BIN parse-only DIR\`"
echo "- median of $RUNS runs per command (one file: $RUNS_ONE), runs alternating, after a warm-up run"
echo

rows=()
generator=$(sha256sum benches/generate.py | cut -c1-16)
for n in $SIZES; do
  dir=$ROOT/n$n-s$SEED
  if [ -f "$dir/.corpus.tsv" ] && [ "$(cat "$dir/.generator" 2>/dev/null)" = "$generator" ] \
     && [ "$(wc -l < "$dir/.corpus.tsv")" -eq "$n" ]; then
    echo "### $n files: reusing $dir" >&2
  else
    rm -rf "$dir"
    echo "### $n files: generating" >&2
    python3 benches/generate.py --count "$n" --seed "$SEED" --out "$dir" >&2 || fail "generate.py failed"
    echo "$generator" > "$dir/.generator"
  fi
  bytes=$(find "$dir" -type f \( -name '*.json' -o -name '*.yaml' \) -printf '%s\n' | awk '{ s += $1 } END { print s + 0 }')

  # Warm the file cache, then one untimed run of each command that also checks what it saw.
  find "$dir" -type f -print0 | xargs -0 cat > /dev/null
  parsed=$("$BIN" parse-only "$dir") || fail "parse-only exited with $?"
  case "$parsed" in "$n files parsed"*) ;; *) fail "parse-only on $n files printed: $parsed" ;; esac
  set +e
  "$BIN" check --no-config --profile genesys --as-of "$AS_OF" --format json "$dir" > "$ROOT/check.json"
  code=$?
  set -e
  [ "$code" -le 1 ] || fail "check on $n files exited with $code"
  python3 - "$ROOT/check.json" "$n" <<'EOF' >&2 || fail "check did not see the corpus"
import json, sys
report = json.load(open(sys.argv[1]))
s, n = report["summary"], int(sys.argv[2])
print(f"    check: {s['files']} files, {s['errors']} errors, {s['warnings']} warnings, {s['infos']} infos")
sys.exit(s["files"] != n)
EOF

  runs=$RUNS
  [ "$n" -eq 1 ] && runs=$RUNS_ONE
  echo "### $n files: timing ($runs runs each)" >&2
  rows+=("$(python3 benches/measure.py run --runs "$runs" --files "$n" --bytes "$bytes" --results "$RESULTS" \
    --parse-only "$BIN parse-only $dir" \
    --check "$BIN check --no-config --profile genesys --as-of $AS_OF --format json $dir")") \
    || fail "timing failed"
done

python3 benches/measure.py header
printf '%s\n' "${rows[@]}"
echo
echo "- load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
python3 benches/measure.py summary --results "$RESULTS"
