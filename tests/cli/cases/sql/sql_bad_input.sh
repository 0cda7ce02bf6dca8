# vitals sql refuses, in one line and writing nothing: an unknown dialect, no
# --from, a model without an id column, a file that is not a model.
train_small
expect_fail "--dialect.*oracle" "$vitals" sql model.json --from t --dialect oracle -o out.sql
no_file out.sql
expect_fail "--from.*required" "$vitals" sql model.json -o out.sql
no_file out.sql
expect_fail "--from" "$vitals" sql model.json --from '' -o out.sql
no_file out.sql
"$vitals" train small.csv --churn churn --drop id -o noid.json --quiet 2>/dev/null || fail "training without --id"
expect_fail "noid.json: the model has no id column" "$vitals" sql noid.json --from t -o out.sql
no_file out.sql
expect_fail "small.csv" "$vitals" sql small.csv --from t -o out.sql
no_file out.sql
expect_fail "out/x.sql" "$vitals" sql model.json --from t -o out/x.sql
# An existing output is kept when the command fails.
echo keep >out.sql
expect_fail "--unseen" "$vitals" sql model.json --from t --unseen zero -o out.sql
[ "$(cat out.sql)" = keep ] || fail "the old output was changed"
