# diff --data reads from PostgreSQL through the one row stream: --table and
# --query give the bytes diff gives on psql's CSV export of the same rows,
# with --threads 1 or 2 (30,000 rows: three blocks of 1 MiB).
# uses: postgres
. "$VITALS_DB_SCRIPTS/pg_accounts.sh"
make_accounts 30000 43
uri=$VITALS_PG_URI
"$vitals" train export.csv --churn churned --expansion expanded --id account_id --quiet -o old.json 2>/dev/null ||
    fail "train old"
"$vitals" train export.csv --churn churned --expansion expanded --id account_id --l2 0.05 --quiet -o new.json \
    2>/dev/null || fail "train new"
"$vitals" diff old.json new.json --data export.csv --json -o want.json || fail "diff on the export"
grep -q '"rows":[[:space:]]*30000' want.json || fail "not every row scored"
for t in 1 2; do
    "$vitals" diff old.json new.json --data "$uri" --table accounts --threads $t --json -o table$t.json ||
        fail "diff --table --threads $t"
    cmp -s want.json table$t.json || fail "diff --table --threads $t differs from the export"
done
query="SELECT * FROM accounts WHERE seats > 3"
psql -q -c "\\copy ($query) TO 'subset.csv' (FORMAT csv, HEADER)" || fail "export the query"
"$vitals" diff old.json new.json --data subset.csv -o subset_want.txt || fail "diff on the query's export"
for t in 1 2; do
    "$vitals" diff old.json new.json --data "$uri" --query "$query" --threads $t -o query$t.txt ||
        fail "diff --query --threads $t"
    cmp -s subset_want.txt query$t.txt || fail "diff --query --threads $t differs from the export of the query"
done
expect_fail "^vitals: --delimiter: a query's rows come comma-separated$" \
    "$vitals" diff old.json new.json --data "$uri" --table accounts --delimiter '|' -o x.txt
expect_fail "^vitals: postgresql:///vitals\?[^ ]*: .*relation \"nowhere\" does not exist" \
    "$vitals" diff old.json new.json --data "$uri" --query "SELECT * FROM nowhere" -o x.txt
no_file x.txt
