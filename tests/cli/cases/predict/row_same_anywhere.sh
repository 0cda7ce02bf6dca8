# One row, one answer (issue 9): a row's output line is byte-identical
# whether it is alone in the file, first, in the middle or last of 20,000
# rows, for predict (also with --explain 3, and a --by model) and score,
# under each CPU-feature mask of run.sh.  Regressions: on AVX-512 machines
# OpenBLAS's dgemm rounded a block's edge rows differently, so a row's score
# depended on where it fell in its 512-row block; glibc's exp differs
# between its FMA and SSE2 paths (common/libm_fixed.c).
"$vitals" generate 20000 --seed 4 -o g.csv 2>/dev/null || fail "generate"
"$vitals" train g.csv --churn churned --expansion expanded --id account_id -o m.json --quiet 2>/dev/null || fail "train"
"$vitals" train g.csv --churn churned --expansion expanded --id account_id --by segment -o by.json --quiet 2>/dev/null || fail "train --by"
head -1 g.csv >header.csv
tail -n +2 g.csv >body.csv
# Rows picked from the start, the edge of a 512-row block, the middle, the end.
for pick in 1 512 513 9999 20000; do
    sed -n "${pick}p" body.csv >row.csv
    id=$(cut -d, -f1 row.csv)
    sed "${pick}d" body.csv >rest.csv
    cat header.csv row.csv >alone.csv
    cat header.csv row.csv rest.csv >first.csv
    { cat header.csv; head -n 10000 rest.csv; cat row.csv; tail -n +10001 rest.csv; } >middle.csv
    cat header.csv rest.csv row.csv >last.csv
    for mask in $cpu_masks; do
        for place in alone first middle last; do
            on_cpu $mask "$vitals" predict m.json $place.csv --explain 3 -o p.csv --quiet || fail "predict $place ($mask)"
            grep "^$id," p.csv >>"lines-predict-$pick.txt"
            on_cpu $mask "$vitals" predict by.json $place.csv -o b.csv --quiet || fail "predict --by $place ($mask)"
            grep "^$id," b.csv >>"lines-by-$pick.txt"
            on_cpu $mask "$vitals" score "$(dirname "$fixtures")/../models/scorecards/key-feature-rule.json" $place.csv --id account_id -o c.csv --quiet 2>/dev/null ||
                fail "score $place ($mask)"
            grep "^$id," c.csv >>"lines-score-$pick.txt"
        done
    done
    for kind in predict by score; do
        n=$(wc -l <"lines-$kind-$pick.txt")
        distinct=$(sort -u "lines-$kind-$pick.txt" | wc -l)
        [ "$n" -ge 8 ] || fail "$kind: row $pick ($id) found $n times"
        [ "$distinct" -eq 1 ] || { sort -u "lines-$kind-$pick.txt"; fail "$kind: row $pick ($id) scores differently by position or CPU"; }
    done
done
