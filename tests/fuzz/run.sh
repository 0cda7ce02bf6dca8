#!/bin/sh
# Run fuzz targets one after another, each for SECONDS, from a scratch copy
# of its committed corpus (so runs never write into the repository).
# Usage: tests/fuzz/run.sh BUILD_DIR SECONDS TARGET...
# Crash inputs are kept under BUILD_DIR/fuzz-artifacts/TARGET/; the exit
# status is non-zero if any target crashed.  One process at a time: the
# machine's cores are shared.
set -u
build=$1
seconds=$2
shift 2
here=$(cd "$(dirname "$0")" && pwd)
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
failed=""
for target in "$@"; do
    binary=$build/tests/fuzz/fuzz_$target
    artifacts=$build/fuzz-artifacts/$target
    mkdir -p "$scratch/$target" "$artifacts"
    cp "$here/corpus/$target/"* "$scratch/$target/"
    dict=
    [ -f "$here/dict/$target.dict" ] && dict=-dict=$here/dict/$target.dict
    echo "fuzz_$target: ${seconds}s"
    "$binary" -max_total_time="$seconds" -print_final_stats=1 -artifact_prefix="$artifacts/" $dict \
        "$scratch/$target" >"$build/fuzz-$target.log" 2>&1
    status=$?
    grep -E '^Done|stat::number_of_executed_units|INITED' "$build/fuzz-$target.log" | sed 's/^/  /'
    echo "  corpus: $(ls "$scratch/$target" | wc -l) inputs"
    if [ $status -ne 0 ]; then
        echo "  CRASH (exit $status): see $build/fuzz-$target.log and $artifacts/" >&2
        grep -m1 -E 'ERROR|fuzz check failed|runtime error|disagree' "$build/fuzz-$target.log" | sed 's/^/  /' >&2
        failed="$failed $target"
    fi
done
if [ -n "$failed" ]; then
    echo "fuzz: crashes in:$failed" >&2
    exit 1
fi
