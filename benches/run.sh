#!/usr/bin/env bash
# Runs every benchmark once and writes benches/RESULTS.md: each figure beside its reference,
# measured in the same run on this machine. Takes about 15 minutes once everything is built
# (the first run also builds the benches in release and a user crate in target/bench-rebuild).
#
#   benches/run.sh                    # everything
#   benches/run.sh codegen report     # some steps, keeping the other figures of the last run
#
# Steps: machine build validation signing roundtrip e2e codegen ledger report.
# `ledger` starts a PostgreSQL server of its own (Debian's postgresql package).
# Needs: cargo, openssl (for `openssl speed`). CI does not run it; it only builds the benches.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

export CRITERION_HOME="$ROOT/target/criterion"
export PAYERMAX_BENCH_OUT="$ROOT/target/bench-results"
STEPS=("$@")
if [ ${#STEPS[@]} -eq 0 ]; then
    STEPS=(machine build validation signing roundtrip e2e codegen ledger report)
    rm -rf "$CRITERION_HOME" "$PAYERMAX_BENCH_OUT"
fi
mkdir -p "$PAYERMAX_BENCH_OUT"
LOG="$PAYERMAX_BENCH_OUT/run.log"

CRITERION=(-- --warm-up-time 1 --measurement-time 3)
RING=(--features payermax-runtime/ring-backend)
AWS_LC=(--features payermax-runtime/aws-lc-backend)

say() { echo "== $*" | tee -a "$LOG"; }
bench() { cargo bench --quiet -p payermax-benches "$@" 2>&1 | tee -a "$LOG"; }
# Wall-clock seconds of a command (its output goes to the log).
seconds() {
    local start end
    start=$(date +%s.%N)
    "$@" >>"$LOG" 2>&1
    end=$(date +%s.%N)
    echo "$end - $start" | bc
}

machine() {
say "machine"
{
    printf 'nproc\t%s\n' "$(nproc)"
    printf 'cpu\t%s\n' "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
    printf 'flags\t%s\n' "$(grep -m1 '^flags' /proc/cpuinfo | tr ' ' '\n' | grep -xE 'adx|bmi2|avx2|avx512f|avx512ifma' | tr '\n' ' ')"
    printf 'rustc\t%s\n' "$(rustc --version)"
    printf 'date\t%s\n' "$(date -u '+%Y-%m-%d %H:%M UTC')"
    printf 'loadavg\t%s\n' "$(cut -d' ' -f1-3 /proc/loadavg)"
} >"$PAYERMAX_BENCH_OUT/machine.tsv"
cat "$PAYERMAX_BENCH_OUT/machine.tsv" | tee -a "$LOG"
}

build() {
say "build (release, every RSA backend)"
cargo bench -p payermax-benches --no-run --quiet 2>&1 | tee -a "$LOG"
cargo bench -p payermax-benches --no-run --quiet "${RING[@]}" --bench signing --bench roundtrip --bench e2e 2>&1 | tee -a "$LOG"
cargo bench -p payermax-benches --no-run --quiet "${AWS_LC[@]}" --bench signing --bench roundtrip --bench e2e 2>&1 | tee -a "$LOG"
}

validation() {
say "1. payee validation"
bench --bench validation "${CRITERION[@]}"
bench --bench alloc
}

signing() {
say "2. signing: openssl speed -seconds 3 rsa2048, then each backend"
openssl speed -seconds 3 rsa2048 2>/dev/null | tee -a "$LOG" |
    awk '/^rsa 2048 bits/ { printf "sign_per_s\t%s\nverify_per_s\t%s\n", $(NF-1), $NF }' \
        >"$PAYERMAX_BENCH_OUT/openssl.tsv"
cat "$PAYERMAX_BENCH_OUT/openssl.tsv" | tee -a "$LOG"
bench --bench signing "${CRITERION[@]}"
bench "${RING[@]}" --bench signing "${CRITERION[@]}"
bench "${AWS_LC[@]}" --bench signing "${CRITERION[@]}"
}

roundtrip() {
say "3. request path overhead"
bench --bench roundtrip "${CRITERION[@]}"
bench "${RING[@]}" --bench roundtrip "${CRITERION[@]}"
bench "${AWS_LC[@]}" --bench roundtrip "${CRITERION[@]}"
}

e2e() {
say "4. end to end"
bench --bench e2e
bench "${RING[@]}" --bench e2e
bench "${AWS_LC[@]}" --bench e2e
}

codegen() {
say "5. code generation"
bench --bench codegen "${CRITERION[@]}"
lines=$(cargo run --quiet -p payermax-cli -- spec expand 2>>"$LOG" | wc -l)

# A merchant's crate: the built-in spec extended with one country file.
REBUILD="$ROOT/target/bench-rebuild"
merchant="$REBUILD/crates/merchant"
mkdir -p "$merchant/src" "$merchant/spec/countries"
cat >"$merchant/Cargo.toml" <<EOF
[package]
name = "merchant"
version = "0.1.0"
edition = "2024"

[dependencies]
payermax = { path = "$ROOT" }

[workspace]
EOF
cat >"$merchant/src/main.rs" <<'EOF'
payermax::generate!(extend = "spec/extra.yaml");
fn main() {
    println!("{}", Currency::Zzd.decimals());
}
EOF
cp tests/fixtures/extend/extra.yaml "$merchant/spec/extra.yaml"
cp tests/fixtures/extend/countries/zz.yaml "$merchant/spec/countries/zz.yaml"
# A crate that only calls `generate!()`.
checker="$REBUILD/crates/checker"
mkdir -p "$checker/src"
sed 's/name = "merchant"/name = "checker"/' "$merchant/Cargo.toml" >"$checker/Cargo.toml"
printf 'payermax::generate!();\nfn main() {}\n' >"$checker/src/main.rs"

export CARGO_TARGET_DIR="$REBUILD"
(cd "$merchant" && cargo build --quiet >>"$LOG" 2>&1)
touch "$merchant/spec/countries/zz.yaml"
rebuild=$(cd "$merchant" && seconds cargo build --quiet)
(cd "$checker" && cargo check --quiet >>"$LOG" 2>&1)
touch "$checker/src/main.rs"
check=$(cd "$checker" && seconds cargo check --quiet)
unset CARGO_TARGET_DIR
printf 'expand_lines\t%s\nrebuild_s\t%s\ncheck_s\t%s\n' "$lines" "$rebuild" "$check" \
    >"$PAYERMAX_BENCH_OUT/rebuild.tsv"
cat "$PAYERMAX_BENCH_OUT/rebuild.tsv" | tee -a "$LOG"
}

ledger() {
say "6. the payout ledger (throughput with and without it; memory of a 200 MB bulk check)"
bench --bench ledger
PAYERMAX_BENCH_SKIP_BULK=1 bench "${AWS_LC[@]}" --bench ledger
}

report() {
say "report"
sed -i '/^loadavg_after\t/d' "$PAYERMAX_BENCH_OUT/machine.tsv"
printf 'loadavg_after\t%s\n' "$(cut -d' ' -f1-3 /proc/loadavg)" >>"$PAYERMAX_BENCH_OUT/machine.tsv"
PAYERMAX_BENCH_REPORT=1 cargo bench --quiet -p payermax-benches --bench report 2>&1 | tee -a "$LOG"
}

for step in "${STEPS[@]}"; do
    case "$step" in
    machine | build | validation | signing | roundtrip | e2e | codegen | ledger | report) "$step" ;;
    *)
        echo "unknown step \`$step\`; steps: machine build validation signing roundtrip e2e codegen ledger report" >&2
        exit 2
        ;;
    esac
done
