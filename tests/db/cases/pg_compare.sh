# compare reads LABELLED from PostgreSQL through the one row stream: --table
# and --query give the bytes compare gives on psql's CSV export of the same
# rows, with --threads 1 or 2 (30,000 rows: three blocks of 1 MiB).
# uses: postgres
. "$VITALS_DB_SCRIPTS/pg_accounts.sh"
make_accounts 30000 41
uri=$VITALS_PG_URI
card=$(dirname "$fixtures")/../models/scorecards/equal-weights.json
"$vitals" train export.csv --churn churned --expansion expanded --id account_id --quiet -o m.json 2>/dev/null ||
    fail "train"
"$vitals" compare m.json "$card" export.csv --json -o want.json --scores want.csv || fail "compare on the export"
for t in 1 2; do
    "$vitals" compare m.json "$card" "$uri" --table accounts --threads $t --json -o table$t.json --scores table$t.csv ||
        fail "compare --table --threads $t"
    cmp -s want.json table$t.json || fail "compare --table --threads $t differs from the export"
    cmp -s want.csv table$t.csv || fail "compare --table --threads $t: --scores differs from the export's"
done
query="SELECT * FROM accounts WHERE segment <> 'enterprise' ORDER BY account_id DESC"
psql -q -c "\\copy ($query) TO 'subset.csv' (FORMAT csv, HEADER)" || fail "export the query"
"$vitals" compare m.json "$card" subset.csv --target expansion --json -o subset_want.json --scores subset_want.csv ||
    fail "compare on the query's export"
for t in 1 2; do
    "$vitals" compare m.json "$card" "$uri" --query "$query" --target expansion --threads $t --json -o query$t.json \
        --scores query$t.csv || fail "compare --query --threads $t"
    cmp -s subset_want.json query$t.json || fail "compare --query --threads $t differs from the export of the query"
    cmp -s subset_want.csv query$t.csv || fail "compare --query --threads $t: --scores differs"
done
expect_fail "^vitals: --delimiter: a query's rows come comma-separated$" \
    "$vitals" compare m.json "$card" "$uri" --table accounts --delimiter ';' -o x.txt
expect_fail "relation \"nowhere\" does not exist" "$vitals" compare m.json "$card" "$uri" --table nowhere -o x.txt
no_file x.txt
