# Regression (issue 9): a text column with a level per row (train without
# --id) made a term per row: 2,000 rows took 66 s, 100,000 ran out of memory
# with a message naming no file.  Refused at once, naming the column and
# the remedies; --max-levels N sets the bound.
"$vitals" generate 2000 --seed 1 -o a.csv 2>/dev/null || fail "generate"
expect_fail "^vitals: a\.csv:1:1: column 'account_id' has 2000 distinct values in 2000 rows: too many levels .*use --id account_id or --drop account_id, or allow more with --max-levels N$" \
    timeout 10 "$vitals" train a.csv --churn churned -o m.json
no_file m.json
expect_fail "^vitals: a\.csv:1:2: column 'segment' has 3 distinct values in 2000 rows: .*\(at most 2\)" \
    "$vitals" train a.csv --churn churned --id account_id --max-levels 2 -o m.json
expect_fail "^vitals: --max-levels: '0' is not a whole number" \
    "$vitals" train a.csv --churn churned --id account_id --max-levels 0 -o m.json
no_file m.json
timeout 60 "$vitals" train a.csv --churn churned --id account_id -o m.json --quiet 2>/dev/null || fail "train with --id"
timeout 60 "$vitals" train a.csv --churn churned --drop account_id,expanded --max-levels 3 -o d.json --quiet 2>/dev/null ||
    fail "train with --drop and --max-levels 3"
[ -s m.json ] && [ -s d.json ] || fail "no model written"
