# Problems found together are counted on the error's one line and listed,
# one line each, under --explain-errors: every column a header lacks (the
# model's, a scorecard's, train's options), not one per run.
train_small
printf 'id,churn\n1,0\n' >nocols.csv
expect_fail "^vitals: nocols\.csv:1: the model needs column 'x', which the header lacks \(and 1 more problem found with it: add --explain-errors to list them\)$" \
    "$vitals" predict model.json nocols.csv -o s.csv
no_file s.csv
"$vitals" predict model.json nocols.csv -o s.csv --explain-errors 2>err.txt && fail "accepted with --explain-errors"
no_file s.csv
[ "$(wc -l <err.txt)" -eq 2 ] || fail "two lines expected: $(cat err.txt)"
head -1 err.txt | grep -q "^vitals: nocols\.csv:1: the model needs column 'x', which the header lacks (and 1 more problem, listed below)$" \
    || fail "first line: $(head -1 err.txt)"
sed -n 2p err.txt | grep -q "^vitals: nocols\.csv:1: the model also needs column 'plan', which the header lacks$" \
    || fail "second line: $(sed -n 2p err.txt)"
# train's options: every column named but absent.
"$vitals" train small.csv --churn label --id key --drop gone -o m.json --explain-errors 2>err.txt && fail "train accepted"
no_file m.json
[ "$(wc -l <err.txt)" -eq 3 ] && grep -q "^vitals: small\.csv: --churn: no column 'label' in the header (and 2 more" err.txt &&
    grep -q "^vitals: small\.csv: --id: no column 'key' in the header either$" err.txt &&
    grep -q "^vitals: small\.csv: --drop: no column 'gone' in the header either$" err.txt || { cat err.txt; fail "train's options"; }
# One problem: one line, as ever; the flag is accepted anywhere, even with none.
expect_fail "^vitals: small\.csv: --churn: no column 'label' in the header$" "$vitals" train small.csv --churn label -o m.json
"$vitals" predict --explain-errors model.json small.csv -o s.csv 2>/dev/null || fail "--explain-errors without an error"
[ -s s.csv ] || fail "no scores"
# A scorecard's columns.
cards=$(dirname "$fixtures")/../models/scorecards
n=$("$vitals" score "$cards/equal-weights.json" small.csv -o c.csv --explain-errors 2>&1 | grep -c "the scorecard also uses column")
[ "$n" -ge 2 ] || fail "the scorecard's lacking columns: $n listed"
no_file c.csv
