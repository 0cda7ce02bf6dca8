# history with DATA from PostgreSQL: the snapshots of a typed table (a date
# column, churned a boolean), read with --table and with --query, give the
# history and the summary that psql's CSV export of the same rows gives,
# with --threads 1 and 2.
# uses: postgres
uri=$VITALS_PG_URI
"$vitals" generate 3000 --months 8 --seed 11 -o train.csv 2>/dev/null || fail "generate"
"$vitals" generate 2000 --months 6 --seed 12 -o generated.csv 2>/dev/null || fail "generate"
"$vitals" train train.csv --churn churned --drop expanded --drop snapshot_date --id account_id \
    --red-share 0.05 --yellow-share 0.15 --quiet -o model.json 2>/dev/null || fail "train"
psql -q -v ON_ERROR_STOP=1 >/dev/null <<'SQL' || fail "creating snapshots"
SET client_min_messages = warning;
CREATE TABLE snapshots (account_id text, snapshot_date date, segment text, lifecycle_stage text, seats integer,
    mrr double precision, tenure_months integer, logins_per_seat double precision,
    active_user_ratio double precision, feature_a_adoption double precision, feature_b_adoption double precision,
    feature_c_adoption double precision, usage_trend double precision, open_tickets integer, nps integer,
    unpaid_invoices integer, days_since_contact integer, churned boolean, expanded integer,
    PRIMARY KEY (account_id, snapshot_date));
\copy snapshots FROM 'generated.csv' (FORMAT csv, HEADER)
SQL
psql -q -v ON_ERROR_STOP=1 -c "\\copy (SELECT * FROM snapshots) TO 'export.csv' (FORMAT csv, HEADER)" ||
    fail "exporting snapshots"
"$vitals" history model.json export.csv --date snapshot_date -o want.csv --json >want.json 2>want.txt ||
    fail "history on the export"
grep -q 'churners (labelled)' want.txt || fail "the boolean label was not used: $(tail -1 want.txt)"
for t in 1 2; do
    "$vitals" history model.json "$uri" --table snapshots --date snapshot_date --threads $t -o table$t.csv --json \
        >table$t.json 2>table$t.txt || fail "history --table --threads $t"
    cmp -s want.csv table$t.csv || fail "history --table --threads $t differs from the export's"
    cmp -s want.json table$t.json || fail "the --table summary (JSON) differs from the export's"
    cmp -s want.txt table$t.txt || fail "the --table summary differs from the export's"
done
# A query: a month and a segment, in date order.
query="SELECT * FROM snapshots WHERE segment <> 'enterprise' AND snapshot_date >= '2024-02-01' ORDER BY snapshot_date, account_id"
psql -q -v ON_ERROR_STOP=1 -c "\\copy ($query) TO 'subset.csv' (FORMAT csv, HEADER)" || fail "exporting the query"
"$vitals" history model.json subset.csv --date snapshot_date -o subset_want.csv --json >subset_want.json 2>/dev/null ||
    fail "history on the query's export"
"$vitals" history model.json "$uri" --query "$query" --date snapshot_date --threads 2 -o subset_got.csv --json \
    >subset_got.json 2>/dev/null || fail "history --query"
cmp -s subset_want.csv subset_got.csv || fail "history --query differs from the query's export"
cmp -s subset_want.json subset_got.json || fail "the --query summary differs from the export's"
# Rows out of date order: the error names the COPY's line (header line 1):
# the first January row after the last month's.
late=$(awk -F, 'NR > 1 && ($2 != "2024-01-01" || $1 <= "A00000010")' export.csv | wc -l)
expect_fail "^vitals: postgresql:///vitals\?[^ ]*:$((late + 2)):2: snapshot_date '2024-01-01' is before 2024-06-01 on an earlier line" \
    "$vitals" history model.json "$uri" --date snapshot_date -o bad.csv \
    --query "SELECT * FROM snapshots ORDER BY snapshot_date = '2024-01-01' AND account_id > 'A00000010', snapshot_date, account_id"
no_file bad.csv
expect_fail "^vitals: --delimiter: a query's rows come comma-separated$" \
    "$vitals" history model.json "$uri" --table snapshots --date snapshot_date --delimiter ';' -o bad.csv
no_file bad.csv
