# One row, one answer, for a smooth model: a row's output line (with
# --explain 3, and from a --by model with smooth terms) is byte-identical
# whether the row is alone in the file, first, in the middle or last, under
# each CPU-feature mask of run.sh (as row_same_anywhere for linear models).
"$vitals" generate 3000 --shape curved --seed 41 -o g.csv 2>/dev/null || fail "generate"
few=mrr,tenure_months,feature_a_adoption,feature_c_adoption,open_tickets
"$vitals" train g.csv --churn churned --expansion expanded --id account_id --drop "$few" --smooth auto \
    -o m.json --quiet 2>/dev/null || fail "train"
"$vitals" train g.csv --churn churned --id account_id --drop "expanded,$few" --by segment \
    --smooth days_since_contact:5,active_user_ratio:5 -o by.json --quiet 2>/dev/null || fail "train --by"
grep -q '"smooth":' m.json || fail "no smooth term"
head -1 g.csv >header.csv
tail -n +2 g.csv >body.csv
# Rows from the start, the edge of a 512-row block, the middle, the end.
for pick in 1 512 513 1500 3000; do
    sed -n "${pick}p" body.csv >row.csv
    id=$(cut -d, -f1 row.csv)
    sed "${pick}d" body.csv >rest.csv
    cat header.csv row.csv >alone.csv
    cat header.csv row.csv rest.csv >first.csv
    { cat header.csv; head -n 1500 rest.csv; cat row.csv; tail -n +1501 rest.csv; } >middle.csv
    cat header.csv rest.csv row.csv >last.csv
    for mask in $cpu_masks; do
        for place in alone first middle last; do
            on_cpu $mask "$vitals" predict m.json $place.csv --explain 3 -o p.csv --quiet || fail "predict $place ($mask)"
            grep "^$id," p.csv >>"lines-predict-$pick.txt"
            on_cpu $mask "$vitals" predict m.json $place.csv -o q.csv --quiet || fail "predict $place ($mask)"
            grep "^$id," q.csv >>"lines-plain-$pick.txt"
            on_cpu $mask "$vitals" predict by.json $place.csv -o b.csv --quiet || fail "predict --by $place ($mask)"
            grep "^$id," b.csv >>"lines-by-$pick.txt"
        done
    done
    for kind in predict plain by; do
        n=$(wc -l <"lines-$kind-$pick.txt")
        distinct=$(sort -u "lines-$kind-$pick.txt" | wc -l)
        [ "$n" -ge 12 ] || fail "$kind: row $pick ($id) found $n times"
        [ "$distinct" -eq 1 ] || { sort -u "lines-$kind-$pick.txt"; fail "$kind: row $pick ($id) scores differently by position or CPU"; }
    done
done
