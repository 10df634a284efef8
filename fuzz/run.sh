#!/usr/bin/env bash
# Runs every fuzz target for SECONDS each (default 60), installing cargo-fuzz if it is missing.
#
#   fuzz/run.sh 60            # locally
#   fuzz/run.sh 5             # CI
#   FUZZ_SANITIZER=address fuzz/run.sh 600   # slower, also catches memory errors in unsafe deps
#
# cargo-fuzz drives libFuzzer, which needs nightly-only compiler flags; RUSTC_BOOTSTRAP=1 lets the
# stable toolchain accept them. The checked-in seeds (corpus/<target>/) are only read: what
# libFuzzer finds goes to target/corpus/<target>/, crashes to artifacts/<target>/. Each crash
# becomes a regression test in the crate it concerns (see README.md). Exit status 1 when a
# target crashed or could not run.
set -euo pipefail
cd "$(dirname "$0")"

seconds="${1:-60}"
sanitizer="${FUZZ_SANITIZER:-none}"
export RUSTC_BOOTSTRAP=1

if ! cargo fuzz --version >/dev/null 2>&1; then
    echo "== installing cargo-fuzz"
    cargo install cargo-fuzz --locked
fi

echo "== building the fuzz targets (sanitizer: $sanitizer)"
cargo fuzz build --sanitizer "$sanitizer"

crashed=()
broken=()
summary=()
for target in $(cargo fuzz list); do
    work="target/corpus/$target"
    log="target/$target.log"
    mkdir -p "$work" "artifacts/$target"
    args=(-max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1)
    if [[ -f "dict/$target.dict" ]]; then
        args+=(-dict="dict/$target.dict")
    fi
    before=$(find "artifacts/$target" -type f | wc -l)
    echo "== $target: ${seconds}s"
    status=0
    cargo fuzz run --sanitizer "$sanitizer" "$target" "$work" "corpus/$target" -- "${args[@]}" \
        >"$log" 2>&1 || status=$?
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
    found=$(($(find "artifacts/$target" -type f | wc -l) - before))
    if [[ $found -gt 0 ]]; then
        crashed+=("$target")
        grep -E -m 5 "panicked|ERROR|SUMMARY|Test unit written" "$log" || true
        summary+=("$target: CRASHED after ${runs:-?} executions: input in fuzz/artifacts/$target/, log in fuzz/$log")
    elif [[ $status -ne 0 ]]; then
        broken+=("$target")
        tail -n 20 "$log"
        summary+=("$target: did not run (exit status $status): see fuzz/$log")
    else
        summary+=("$target: ${runs:-?} executions, no crash")
    fi
done

echo "== summary"
printf '%s\n' "${summary[@]}"
if [[ ${#crashed[@]} -gt 0 || ${#broken[@]} -gt 0 ]]; then
    exit 1
fi
