# --smooth with an empty list names no column: an error like the other
# malformed lists (',seats' is "an empty column name"), not a silent linear
# model that the user believes smooth.
"$vitals" generate 300 --shape curved --seed 37 -o g.csv 2>/dev/null || fail "generate"
expect_fail "^vitals: .*--smooth" "$vitals" train g.csv --churn churned --id account_id --drop expanded --smooth "" -o m.json
no_file m.json
expect_fail "^vitals: .*--smooth" "$vitals" train g.csv --churn churned --id account_id --drop expanded --smooth= -o m.json
no_file m.json
