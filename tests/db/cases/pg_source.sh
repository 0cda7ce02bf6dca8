# DATA as a PostgreSQL URI with --query or --table, for train, predict, score
# and compare: the rows arrive by COPY into the same reader as a file's, so
# every result equals the one from psql's CSV export of the same rows.  Bad
# URIs, refused connections and SQL errors: one line, non-zero, no password.
# uses: postgres
. "$VITALS_DB_SCRIPTS/pg_accounts.sh"
make_accounts 4000 21
uri=$VITALS_PG_URI
cards=$(dirname "$fixtures")/../models/scorecards

# train: the same model from --table, from --query and from the export.
"$vitals" train export.csv --churn churned --expansion expanded --id account_id --quiet -o from_csv.json 2>/dev/null ||
    fail "train on the export"
"$vitals" train "$uri" --table accounts --churn churned --expansion expanded --id account_id --quiet \
    -o from_table.json 2>/dev/null || fail "train --table"
model_numbers from_csv.json >csv.numbers
model_numbers from_table.json >table.numbers
cmp -s csv.numbers table.numbers || { diff csv.numbers table.numbers | head; fail "train --table differs from the export"; }
grep -q '"fnv1a64"' table.numbers || fail "no fingerprint"
grep -q '"query":.*SELECT \* FROM \\"accounts\\"' from_table.json || fail "the model does not record its query"
grep -q "$VITALS_PG_DIR" from_table.json || fail "the model does not record its database"
query="SELECT * FROM accounts WHERE segment <> 'enterprise' ORDER BY account_id;"
psql -q -c "\\copy ($(echo "$query" | tr -d ';')) TO 'subset.csv' (FORMAT csv, HEADER)" || fail "export subset"
"$vitals" train subset.csv --churn churned --id account_id --drop expanded --l2 0.01 --quiet -o a.json 2>/dev/null ||
    fail "train subset"
"$vitals" train "$uri" --query "$query" --churn churned --id account_id --drop expanded --l2 0.01 --quiet \
    -o b.json 2>/dev/null || fail "train --query"
model_numbers a.json >a.numbers
model_numbers b.json >b.numbers
cmp -s a.numbers b.numbers || fail "train --query differs from the export of the query"

# predict and score: the same bytes as on the export (same row order).
"$vitals" predict from_csv.json export.csv --explain 2 -o want.csv --quiet || fail "predict on the export"
"$vitals" predict from_csv.json "$uri" --table accounts --explain 2 -o got.csv --quiet || fail "predict --table"
cmp -s want.csv got.csv || fail "predict --table differs from predict on the export"
"$vitals" predict from_csv.json "$uri" --table accounts --threads 1 -o one.csv --quiet || fail "predict --threads 1"
"$vitals" predict from_csv.json export.csv -o one_want.csv --quiet || fail "predict"
cmp -s one.csv one_want.csv || fail "predict --table --threads 1 differs"
"$vitals" score "$cards/equal-weights.json" export.csv --id account_id -o card_want.csv --quiet || fail "score"
"$vitals" score "$cards/equal-weights.json" "$uri" --table accounts --id account_id -o card_got.csv --quiet ||
    fail "score --table"
cmp -s card_want.csv card_got.csv || fail "score --table differs from score on the export"
"$vitals" compare from_csv.json "$cards/equal-weights.json" export.csv --json -o compare_want.json ||
    fail "compare"
"$vitals" compare from_csv.json "$cards/equal-weights.json" "$uri" --table accounts --json -o compare_got.json ||
    fail "compare --table"
cmp -s compare_want.json compare_got.json || fail "compare --table differs from compare on the export"

# A bad cell is located on the COPY's line (the header is line 1).
expect_fail "^vitals: postgresql:///vitals\?[^ ]*:52:[0-9]+: .*'lots'" \
    "$vitals" predict from_csv.json "$uri" -o bad.csv --query \
    "SELECT account_id, segment, lifecycle_stage, seats, CASE WHEN row_number() OVER (ORDER BY account_id) = 51
            THEN 'lots' ELSE mrr::text END AS mrr, tenure_months, logins_per_seat, active_user_ratio,
            feature_a_adoption, feature_b_adoption, feature_c_adoption, usage_trend, open_tickets, nps,
            unpaid_invoices, days_since_contact FROM accounts ORDER BY account_id"
no_file bad.csv

# Errors: one line each, non-zero, no output, never the password.
expect_fail "relation \"nowhere\" does not exist \(at character 15 of the query\)$" \
    "$vitals" predict from_csv.json "$uri" --query "SELECT * FROM nowhere" -o out.csv
expect_fail "division by zero" "$vitals" train "$uri" --query "SELECT *, 1 / (seats - seats) AS x FROM accounts" \
    --churn churned -o m.json
expect_fail "syntax error at or near" "$vitals" predict from_csv.json "$uri" -o out.csv \
    --query "SELECT * FROM accounts; DROP TABLE accounts"
expect_fail "cannot execute DELETE in a read-only transaction" "$vitals" predict from_csv.json "$uri" -o out.csv \
    --query "DELETE FROM accounts RETURNING *"
[ "$(psql -tAc 'SELECT count(*) FROM accounts')" = 4000 ] || fail "a query changed the table"
expect_fail "^vitals: postgresql://someone@/vitals\?host=/nonexistent: cannot connect: .*No such file" \
    "$vitals" predict from_csv.json "postgresql://someone:hunter2@/vitals?host=/nonexistent" --table accounts -o out.csv
! grep -q hunter2 stderr.txt || fail "a password in a message"
expect_fail "^vitals: postgres://someone@/vitals\?host=$VITALS_PG_DIR&port=$PGPORT: cannot connect: .*someone" \
    "$vitals" predict from_csv.json "postgres://someone:hunter2@/vitals?host=$VITALS_PG_DIR&port=$PGPORT&password=hunter2" \
    --table accounts -o out.csv
! grep -q hunter2 stderr.txt || fail "a password in a message"
expect_fail "^vitals: postgresql://u@h/db: not a valid PostgreSQL URI: invalid percent-encoded token" \
    "$vitals" predict from_csv.json "postgresql://u:hunt%zzer2@h/db" --table accounts -o out.csv
! grep -q hunt stderr.txt || fail "a password in a message"
# libpq ends the userinfo at the first '@' before a '/': a '?' in a password
# is the password's, and a key's passphrase (sslpassword) is a password too.
expect_fail "^vitals: postgresql://someone@/vitals\?host=$VITALS_PG_DIR&port=$PGPORT: cannot connect: " \
    "$vitals" train "postgresql://someone:hun?ter2@/vitals?host=$VITALS_PG_DIR&port=$PGPORT&sslpassword=hunter3" \
    --table accounts --churn churned -o m.json
! grep -q "ter[23]" stderr.txt || fail "a password in a message"
expect_fail "^vitals: --delimiter: a query's rows come comma-separated$" \
    "$vitals" train "$uri" --table accounts --churn churned --delimiter ';' -o m.json
expect_fail "cannot connect: invalid integer value \"port\"" "$vitals" train "postgresql://h:port/db" --table accounts --churn churned -o m.json
expect_fail "^vitals: DATA is a PostgreSQL URI: say which rows with --query or --table$" \
    "$vitals" predict from_csv.json "$uri" -o out.csv
expect_fail "^vitals: --table reads from PostgreSQL: DATA must be a postgresql:// URI$" \
    "$vitals" train export.csv --table accounts --churn churned -o m.json
expect_fail "^vitals: --query and --table: choose one$" \
    "$vitals" compare from_csv.json "$cards/equal-weights.json" "$uri" --table accounts --query "SELECT 1"
expect_fail "--alert-budget reads the data three times" \
    "$vitals" predict from_csv.json "$uri" --table accounts --alert-budget 0.1 -o out.csv
no_file out.csv
no_file m.json
# A server message holding a newline (here the bad value's text) is escaped
# on the one line, not cut at it.
expect_fail 'invalid input syntax for type integer: "x\\ny"' \
    "$vitals" train "$uri" --query "SELECT ('x' || chr(10) || 'y')::int AS churned" --churn churned -o m.json
no_file m.json
