# One row, one answer (issue 9): a row's output line is byte-identical
# whether it is alone in the file, first, in the middle or last of 20,000
# rows, for predict (also with --explain 3, and a --by model) and score,
# under each OpenBLAS kernel this CPU runs.  Regression: on AVX-512
# machines OpenBLAS's dgemm rounded a block's edge rows differently, so a
# row's score depended on where it fell in its 512-row block.
"$vitals" generate 20000 --seed 4 -o g.csv 2>/dev/null || fail "generate"
"$vitals" train g.csv --churn churned --expansion expanded --id account_id -o m.json --quiet 2>/dev/null || fail "train"
"$vitals" train g.csv --churn churned --expansion expanded --id account_id --by segment -o by.json --quiet 2>/dev/null || fail "train --by"
head -1 g.csv >header.csv
tail -n +2 g.csv >body.csv
kernels="Haswell Zen"
if grep -qw avx512f /proc/cpuinfo; then
    kernels="$kernels SkylakeX"
else
    echo "skipped SkylakeX: this CPU has no avx512f"
fi
# Rows picked from the start, the edge of a 512-row block, the middle, the end.
for pick in 1 512 513 9999 20000; do
    sed -n "${pick}p" body.csv >row.csv
    id=$(cut -d, -f1 row.csv)
    sed "${pick}d" body.csv >rest.csv
    cat header.csv row.csv >alone.csv
    cat header.csv row.csv rest.csv >first.csv
    { cat header.csv; head -n 10000 rest.csv; cat row.csv; tail -n +10001 rest.csv; } >middle.csv
    cat header.csv rest.csv row.csv >last.csv
    for kernel in $kernels; do
        for place in alone first middle last; do
            OPENBLAS_CORETYPE=$kernel "$vitals" predict m.json $place.csv --explain 3 -o p.csv --quiet || fail "predict $place ($kernel)"
            grep "^$id," p.csv >>"lines-predict-$pick.txt"
            OPENBLAS_CORETYPE=$kernel "$vitals" predict by.json $place.csv -o b.csv --quiet || fail "predict --by $place ($kernel)"
            grep "^$id," b.csv >>"lines-by-$pick.txt"
            OPENBLAS_CORETYPE=$kernel "$vitals" score "$(dirname "$fixtures")/../models/scorecards/key-feature-rule.json" $place.csv --id account_id -o c.csv --quiet 2>/dev/null ||
                fail "score $place ($kernel)"
            grep "^$id," c.csv >>"lines-score-$pick.txt"
        done
    done
    for kind in predict by score; do
        n=$(wc -l <"lines-$kind-$pick.txt")
        distinct=$(sort -u "lines-$kind-$pick.txt" | wc -l)
        [ "$n" -ge 8 ] || fail "$kind: row $pick ($id) found $n times"
        [ "$distinct" -eq 1 ] || { sort -u "lines-$kind-$pick.txt"; fail "$kind: row $pick ($id) scores differently by position or kernel"; }
    done
done
