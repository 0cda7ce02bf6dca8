#!/bin/sh
# Command-line tests: one file per case under cases/COMMAND/, one CTest test
# each (registered by a glob in tests/CMakeLists.txt).
# Usage: run.sh VITALS FIXTURES CASE_FILE
# The case runs in a fresh temporary directory with $vitals, $fixtures,
# $case_name and the helpers below.  Each bad-input case must exit non-zero
# with exactly one line on stderr that names the file (and line:column where
# one applies), and leave no output file.
set -u
vitals=$1
fixtures=$2
case_file=$3
CHECK_FIT=${CHECK_FIT:-$(dirname "$vitals")/tests/check_fit}
case_name=$(basename "$case_file" .sh)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 1

fail() { echo "FAIL [$case_name]: $*"; exit 1; }

# expect_fail REGEX COMMAND...: non-zero exit, one stderr line matching REGEX.
expect_fail() {
    regex=$1
    shift
    if "$@" >stdout.txt 2>stderr.txt; then fail "expected failure: $*"; fi
    lines=$(wc -l <stderr.txt)
    [ "$lines" -eq 1 ] || { cat stderr.txt; fail "stderr has $lines lines, not 1"; }
    grep -Eq -- "$regex" stderr.txt || { cat stderr.txt; fail "stderr does not match: $regex"; }
    leftovers=$(ls | grep -E '\.tmp\.' || true)
    [ -z "$leftovers" ] || fail "temporary files left behind: $leftovers"
}

no_file() { [ ! -e "$1" ] || fail "$1 should not exist"; }

# The absolute bands 40/70: the cases were written against them, and shares
# of eight rows would set little.
train_small() {
    printf 'id,x,plan,churn\n1,0.5,a,0\n2,1.5,b,1\n3,2.5,a,0\n4,0.1,b,1\n5,3.3,a,1\n6,0.7,b,0\n7,1.1,a,0\n8,2.2,b,1\n' >small.csv
    "$vitals" train small.csv --churn churn --id id --bands 40,70 -o model.json --quiet 2>/dev/null ||
        fail "training the small model"
}

# glibc's libm picks code by CPU feature (SSE2, FMA, AVX2, AVX-512): these
# masks make this CPU run each path a CPU without those features would.
# on_cpu MASK COMMAND...: run under one ("all" runs as the CPU is).
cpu_masks="all -AVX512F -AVX512F,-AVX2,-FMA -AVX512F,-AVX2,-FMA,-AVX"
on_cpu() {
    mask=$1
    shift
    if [ "$mask" = all ]; then (unset GLIBC_TUNABLES; "$@"); else GLIBC_TUNABLES=glibc.cpu.hwcaps=$mask "$@"; fi
}

. "$case_file"
echo "ok [$case_name]"
