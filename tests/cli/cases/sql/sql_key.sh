# vitals sql --key: a model trained without --id exports with the key column
# named (quoted as a name, never SQL of its own), written first under its own
# name; a key named like an output column, or empty, is refused in one line,
# writing nothing; --key also stands in for a model's id column.
train_small
"$vitals" train small.csv --churn churn --drop id -o noid.json --quiet 2>/dev/null || fail "training without --id"
expect_fail "noid.json: the model has no id column.*--key COL" "$vitals" sql noid.json --from t -o out.sql
no_file out.sql
"$vitals" sql noid.json --from t --key 'acct"; DROP TABLE t; --' -o out.sql || fail "--key"
grep -q '^SELECT vt_id AS "acct""; DROP TABLE t; --",$' out.sql || fail "the key is not the first column, quoted"
grep -q 'vt_src."acct""; DROP TABLE t; --" AS vt_id' out.sql || fail "the key is not read as a quoted name"
"$vitals" sql noid.json --from t --key acct --dialect spark -o spark.sql || fail "--key, spark"
grep -q '^SELECT vt_id AS `acct`,$' spark.sql || fail "spark: the key is not backquoted"
expect_fail "--key: 'bucket' has the name of an output column" "$vitals" sql noid.json --from t --key bucket -o bad.sql
no_file bad.sql
expect_fail "--key: the column name is empty" "$vitals" sql noid.json --from t --key '' -o bad.sql
no_file bad.sql
"$vitals" sql model.json --from t --key other -o other.sql || fail "--key over the model's id"
grep -q '^SELECT vt_id AS "other",$' other.sql || fail "--key did not replace the id column"
"$vitals" sql --help | grep -q -- "--key COL" || fail "--help does not describe --key"
