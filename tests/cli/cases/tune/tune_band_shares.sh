    # Issue 13: --red-share/--yellow-share set the tuned card's bands from the
    # fitting rows; on the held-out rows the shares are within sampling error:
    # |held out - asked| <= 4 binomial sd (sqrt(p (1 - p) / n_held_out)) plus
    # the gap whole-number health leaves on the fitting rows (at most the
    # share of one health value, bounded here by 0.02).
    cards=$(dirname "$fixtures")/../models/scorecards
    "$vitals" generate 20000 --seed 29 -o g.csv 2>/dev/null || fail "generate"
    "$vitals" tune "$cards/equal-weights.json" g.csv --label churned --red-share 0.05 --yellow-share 0.15 \
        --json --report r.json -o tuned.json || fail "tune"
    num() { awk -v key="\"$1\":" '$0 ~ key { sub(/.*:[ \t]*/, ""); sub(/,$/, ""); print; exit }' r.json; }
    n=$(num held_out_rows)
    for pair in "red 0.05" "yellow 0.15"; do
        set -- $pair
        awk -v got="$(num "$1_held_out")" -v p="$2" -v n="$n" 'BEGIN {
            d = got - p; if (d < 0) d = -d; exit !(d <= 4 * sqrt(p * (1 - p) / n) + 0.02) }' ||
            fail "$1 share on held-out rows $(num "$1_held_out") is not within sampling error of $2"
    done
    # The bands are the card's now: score puts about those shares in red.
    "$vitals" score tuned.json g.csv --id account_id -o s.csv || fail "score"
    awk -F, 'NR > 1 { n++; red += $3 == "red" } END { exit !(red / n > 0.03 && red / n < 0.07) }' s.csv ||
        fail "scored red share off"
