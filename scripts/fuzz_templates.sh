#!/usr/bin/env bash
# Builds the libFuzzer target for templates (Fuzz/) and runs it for SECONDS (default 60) from the
# seed corpus Fuzz/corpus plus the regression corpus Tests/ModelCompilerTests/TemplateCrashes.
# New inputs go to .build-fuzz/corpus; a crash is written to .build-fuzz/crash-* and the script fails:
# copy it to Tests/ModelCompilerTests/TemplateCrashes/ once fixed, so `swift test` keeps it.
#   scripts/fuzz_templates.sh 600        # 10 minutes
set -euo pipefail
seconds="${1:-60}"
root="$(cd "$(dirname "$0")/.." && pwd)"
scratch="$root/.build-fuzz"
mkdir -p "$scratch/corpus" "$scratch/artifacts"
echo "building the fuzz target (debug, -sanitize=fuzzer,address)..."
# Every target is instrumented (coverage, AddressSanitizer); only FuzzTemplates links libFuzzer
# (Fuzz/Package.swift): -sanitize=fuzzer everywhere would also link it into the EmbedResources
# build tool, which has its own main.
export ASAN_OPTIONS="detect_leaks=0"
swift build --package-path "$root/Fuzz" --scratch-path "$scratch/build" \
    -Xswiftc -sanitize=address -Xswiftc -sanitize-coverage=edge,trace-cmp,inline-8bit-counters,pc-table \
    2>&1 | grep -vE '^\[[0-9]+/[0-9]+\]|Cannot export local symbol' || true
binary="$scratch/build/debug/FuzzTemplates"
[[ -x "$binary" ]] || { echo "error: the fuzz target did not build" >&2; exit 2; }
echo "fuzzing for ${seconds}s..."
# no leak report at exit either (same reference cycles); frames on the real stack, so the
# renderer's stack guard (StackGuard) sees how deep it is
export ASAN_OPTIONS="detect_leaks=0:detect_stack_use_after_return=0${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
# -rss_limit_mb: a template may use up to 64 MiB per text and 10M list items before its limit error;
# -detect_leaks=0: a list appended to itself is a reference cycle (Python collects it, Swift keeps it)
"$binary" "$scratch/corpus" "$root/Fuzz/corpus" "$root/Tests/ModelCompilerTests/TemplateCrashes" \
    -max_total_time="$seconds" -max_len=4096 -timeout=20 -rss_limit_mb=4096 \
    -print_final_stats=1 -detect_leaks=0 \
    -artifact_prefix="$scratch/artifacts/" -dict="$root/Fuzz/templates.dict"
