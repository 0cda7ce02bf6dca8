# report --data reads from PostgreSQL through the one row stream (once per
# target, once more for --previous): --table and --query give the page
# report gives on psql's CSV export of the same rows, with --threads 1 or 2
# (30,000 rows: three blocks of 1 MiB), but for the name of the data, which
# is the URI without its password.
# uses: postgres
. "$VITALS_DB_SCRIPTS/pg_accounts.sh"
make_accounts 30000 47
uri=$VITALS_PG_URI
card=$(dirname "$fixtures")/../models/scorecards/equal-weights.json
"$vitals" train export.csv --churn churned --expansion expanded --id account_id --quiet -o old.json 2>/dev/null ||
    fail "train old"
"$vitals" train export.csv --churn churned --expansion expanded --id account_id --l2 0.05 --quiet -o new.json \
    2>/dev/null || fail "train new"
named() { sed 's#labelled rows of <code>[^<]*</code>#labelled rows of <code>DATA</code>#g' "$1"; }
"$vitals" report new.json --data export.csv --scorecard "$card" --previous old.json -o want.html || fail "report"
named want.html >want.txt
for t in 1 2; do
    "$vitals" report new.json --data "$uri&password=hunter2" --table accounts --scorecard "$card" --previous old.json \
        --threads $t -o table$t.html || fail "report --table --threads $t"
    named table$t.html >table$t.txt
    cmp -s want.txt table$t.txt || fail "report --table --threads $t differs from the export (but for the name)"
done
! grep -q hunter2 table1.html || fail "the page shows the password"
grep -q "labelled rows of <code>postgresql:///vitals?host=" table1.html || fail "the page does not name the database"
query="SELECT * FROM accounts WHERE lifecycle_stage <> 'onboarding'"
psql -q -c "\\copy ($query) TO 'subset.csv' (FORMAT csv, HEADER)" || fail "export the query"
"$vitals" report new.json --data subset.csv -o subset_want.html || fail "report on the query's export"
named subset_want.html >subset_want.txt
for t in 1 2; do
    "$vitals" report new.json --data "$uri" --query "$query" --threads $t -o query$t.html ||
        fail "report --query --threads $t"
    named query$t.html >query$t.txt
    cmp -s subset_want.txt query$t.txt || fail "report --query --threads $t differs from the export of the query"
done
expect_fail "^vitals: DATA is a PostgreSQL URI: say which rows with --query or --table$" \
    "$vitals" report new.json --data "$uri" -o x.html
expect_fail "^vitals: --delimiter: a query's rows come comma-separated$" \
    "$vitals" report new.json --data "$uri" --table accounts --delimiter ';' -o x.html
no_file x.html
