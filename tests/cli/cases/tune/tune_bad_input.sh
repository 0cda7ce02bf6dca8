    # One-line errors, no output left behind: a card column the data lacks,
    # a label with one class, a label column missing, a bad label, options.
    cards=$(dirname "$fixtures")/../models/scorecards
    "$vitals" generate 2000 --seed 3 -o g.csv 2>/dev/null || fail "generate"
    cut -d, -f1-12,14- g.csv >no_tickets.csv
    expect_fail "^vitals: no_tickets\.csv:1: the scorecard uses column 'open_tickets', which the header lacks$" \
        "$vitals" tune "$cards/equal-weights.json" no_tickets.csv --label churned -o t.json
    no_file t.json
    awk -F, 'BEGIN { OFS = "," } NR > 1 { $17 = 0 } { print }' g.csv >one_class.csv
    expect_fail "^vitals: one_class\.csv: label column 'churned' has a single class \(all 0\) in the 2000 labelled rows" \
        "$vitals" tune "$cards/equal-weights.json" one_class.csv --label churned -o t.json
    no_file t.json
    # no labelled row at all: said so, not "a single class in the 0 rows"
    awk -F, 'BEGIN { OFS = "," } NR > 1 { $17 = "" } { print }' g.csv >no_labels.csv
    expect_fail "^vitals: no_labels\.csv: no row has a value in label column 'churned': nothing to tune on$" \
        "$vitals" tune "$cards/equal-weights.json" no_labels.csv --label churned -o t.json
    head -1 g.csv >header_only.csv
    expect_fail "^vitals: header_only\.csv: no row has a value in label column 'churned'" \
        "$vitals" tune "$cards/equal-weights.json" header_only.csv --label churned -o t.json
    no_file t.json
    expect_fail "^vitals: g\.csv:1: no label column 'churn' in the header$" \
        "$vitals" tune "$cards/equal-weights.json" g.csv --label churn -o t.json
    awk -F, 'BEGIN { OFS = "," } NR == 7 { $17 = "maybe" } { print }' g.csv >bad_label.csv
    expect_fail "^vitals: bad_label\.csv:7:17: 'maybe' is not 0/1, yes/no, true/false or t/f$" \
        "$vitals" tune "$cards/equal-weights.json" bad_label.csv --label churned -o t.json
    expect_fail "^vitals: --red-share and --yellow-share go together$" \
        "$vitals" tune "$cards/equal-weights.json" g.csv --label churned --red-share 0.1 -o t.json
    expect_fail "^vitals: --red-share and --yellow-share must sum below 1$" \
        "$vitals" tune "$cards/equal-weights.json" g.csv --label churned --red-share 0.5 --yellow-share 0.6 -o t.json
    expect_fail "label" "$vitals" tune "$cards/equal-weights.json" g.csv -o t.json
    no_file t.json
    # A failed run leaves an existing card untouched.
    echo keep >t.json
    expect_fail "single class" "$vitals" tune "$cards/equal-weights.json" one_class.csv --label churned -o t.json
    [ "$(cat t.json)" = keep ] || fail "t.json overwritten by a failed run"
