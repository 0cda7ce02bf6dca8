# Spark SQL, BigQuery and Snowflake (not run here) get the statement their
# golden files hold, from the fixed --by model of tests/data/sql: backquoted
# or double-quoted names, backslash-escaped literals, each engine's types.
# Regenerate a golden file after an intended change with:
#   vitals sql tests/data/sql/model.json --from warehouse.accounts \
#     --view analytics.account_scores --dialect D -o tests/data/sql/D.sql
for dialect in spark bigquery snowflake; do
    "$vitals" sql "$fixtures/sql/model.json" --from warehouse.accounts --view analytics.account_scores \
        --dialect $dialect -o $dialect.sql || fail "$dialect"
    diff "$fixtures/sql/$dialect.sql" $dialect.sql || fail "$dialect differs from its golden file"
done
"$vitals" sql "$fixtures/sql/model.json" --from warehouse.accounts --dialect spark >stdout.sql || fail "to stdout"
grep -q '^CREATE' stdout.sql && fail "a view without --view"
tail -n +2 spark.sql | cmp -s - stdout.sql || fail "standard output differs from -o less the view line"
