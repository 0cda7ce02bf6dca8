# evaluate reads its labelled rows from PostgreSQL through the one row
# stream: --table and --query give the numbers evaluate gives on psql's CSV
# export of the same rows, with --threads 1 or 2; the URI's password is
# never printed.
# uses: postgres
. "$VITALS_DB_SCRIPTS/pg_accounts.sh"
make_accounts 30000 43
uri=$VITALS_PG_URI
"$vitals" train export.csv --churn churned --expansion expanded --id account_id --quiet -o m.json 2>/dev/null ||
    fail "train"
"$vitals" evaluate m.json export.csv --json -o want.json || fail "evaluate on the export"
grep -v '"data":' want.json >want.txt
for t in 1 2; do
    "$vitals" evaluate m.json "$uri" --table accounts --threads $t --json -o table$t.json ||
        fail "evaluate --table --threads $t"
    grep -v '"data":' table$t.json | cmp -s want.txt - || fail "evaluate --table --threads $t differs from the export"
done
query="SELECT * FROM accounts WHERE segment <> 'enterprise' ORDER BY account_id DESC"
psql -q -c "\\copy ($query) TO 'subset.csv' (FORMAT csv, HEADER)" || fail "export the query"
"$vitals" evaluate m.json subset.csv --target expansion -o subset_want.txt || fail "evaluate on the query's export"
"$vitals" evaluate m.json "$uri" --query "$query" --target expansion -o query.txt || fail "evaluate --query"
tail -n +2 subset_want.txt >subset_body.txt
tail -n +2 query.txt | cmp -s subset_body.txt - || fail "evaluate --query differs from the export of the query"
grep -q '^expansion on postgresql://' query.txt || fail "the headline does not name the database"
case $uri in *:*@*) password=${uri#*://*:}; password=${password%%@*}
    grep -qF "$password" query.txt table1.json && fail "the password is printed" ;; esac
expect_fail "^vitals: --delimiter: a query's rows come comma-separated$" \
    "$vitals" evaluate m.json "$uri" --table accounts --delimiter ';' -o x.txt
expect_fail "relation \"nowhere\" does not exist" "$vitals" evaluate m.json "$uri" --table nowhere -o x.txt
no_file x.txt
