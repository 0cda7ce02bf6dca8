# predict --to-table T --replace onto a table whose columns are not the ones
# vitals writes (churn_risk integer: every score cast to 0 or 1, and
# committed; real or numeric(3,2): precision lost) is refused before any work,
# in one line naming the column and both types, and the table keeps its rows.
# A table altered while the scores stream is refused at commit (the columns
# are checked again under the lock).  --recreate drops and creates it anew.
# uses: postgres
. "$VITALS_DB_SCRIPTS/pg_accounts.sh"
rows=3000
make_accounts $rows 41
uri=$VITALS_PG_URI
cards=$(dirname "$fixtures")/../models/scorecards
"$vitals" train export.csv --churn churned --expansion expanded --id account_id --quiet -o model.json 2>/dev/null ||
    fail "train"
"$vitals" predict model.json export.csv -o want.csv --quiet || fail "predict to CSV"
"$vitals" predict model.json "$uri" --table accounts --to-table scores --quiet || fail "predict --to-table"
load_csv expected scores want.csv
table_csv expected account_id want_sorted.csv

# A table as a user made it: vitals' names, one type changed, rows of its own.
# A query that cannot run shows the refusal comes before any reading.
no_read="SELECT * FROM no_such_table"
refused() { # TYPE COLUMN: that column of a copy of scores as TYPE, refused, unchanged
    psql -q -v ON_ERROR_STOP=1 -c "SET client_min_messages = warning; DROP TABLE IF EXISTS mine; CREATE TABLE mine AS SELECT * FROM scores;
        ALTER TABLE mine ALTER COLUMN $2 TYPE $1" || fail "making mine ($2 $1)"
    table_csv mine account_id mine_before.csv
    expect_fail "^vitals: --to-table mine: column $2 is $(echo "$1" | sed 's/[()]/\\&/g'), vitals writes double precision; drop the table or use --recreate$" \
        "$vitals" predict model.json "$uri" --query "$no_read" --to-table mine --replace
    table_csv mine account_id mine_now.csv
    cmp -s mine_before.csv mine_now.csv || fail "$2 $1: the refused table changed"
    # and with the real query too: refused, not cast
    expect_fail "^vitals: --to-table mine: column $2 is " \
        "$vitals" predict model.json "$uri" --table accounts --to-table mine --replace
    table_csv mine account_id mine_now.csv
    cmp -s mine_before.csv mine_now.csv || fail "$2 $1: the refused table changed"
}
refused integer churn_risk
[ "$(psql -tAc 'SELECT count(*) FROM mine')" = $rows ] || fail "mine lost its rows"
refused real churn_risk
refused 'numeric(3,2)' expansion

# Names, order, a column too many or too few.
shaped() { # DEFINITION REGEX
    psql -q -v ON_ERROR_STOP=1 -c "SET client_min_messages = warning; DROP TABLE IF EXISTS mine; CREATE TABLE mine $1;
        INSERT INTO mine (account_id) VALUES ('kept')" || fail "making mine $1"
    expect_fail "^vitals: --to-table mine: $2; drop the table or use --recreate$" \
        "$vitals" predict model.json "$uri" --query "$no_read" --to-table mine --replace
    [ "$(psql -tAc 'SELECT account_id FROM mine')" = kept ] || fail "mine $1 changed"
}
shaped "(account_id text, expansion double precision, churn_risk double precision, health integer, bucket text)" \
    "column 2 is expansion, vitals writes churn_risk there"
shaped "(account_id text, churn_risk double precision, expansion double precision, health integer)" \
    "no column bucket \(text\), which vitals writes"
shaped "(account_id text, churn_risk double precision, expansion double precision, health integer, bucket text,
         loaded_at timestamptz DEFAULT now())" \
    "column loaded_at \(timestamp with time zone\) is not one vitals writes \(it writes 5\)"
shaped "(account_id varchar(12), churn_risk double precision, expansion double precision, health integer, bucket text)" \
    "column account_id is character varying\(12\), vitals writes text"
shaped "(account_id text, churn_risk double precision, expansion double precision, health bigint, bucket text)" \
    "column health is bigint, vitals writes integer"
# A column dropped since is not one (attisdropped): this table matches.
psql -q -v ON_ERROR_STOP=1 -c "DROP TABLE mine; CREATE TABLE mine (old integer, account_id text,
    churn_risk double precision, expansion double precision, health integer, bucket text);
    ALTER TABLE mine DROP COLUMN old" || fail "mine with a dropped column"
"$vitals" predict model.json "$uri" --table accounts --to-table mine --replace --quiet || fail "a dropped column"
table_csv mine account_id mine_now.csv
cmp -s mine_now.csv want_sorted.csv || fail "--replace with a dropped column: not predict's rows"

# --recreate: the table is dropped and created with vitals' columns, predict's rows.
psql -q -v ON_ERROR_STOP=1 -c "SET client_min_messages = warning; DROP TABLE IF EXISTS mine; CREATE TABLE mine AS SELECT * FROM scores;
    ALTER TABLE mine ALTER COLUMN churn_risk TYPE integer; ALTER TABLE mine ADD COLUMN note text" ||
    fail "making mine"
"$vitals" predict model.json "$uri" --table accounts --to-table mine --recreate 2>stderr.txt || fail "--recreate"
grep -q "committed to table mine" stderr.txt || fail "no summary"
psql -tA -F' ' -c "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'mine'
                   ORDER BY ordinal_position" >types.txt
printf 'account_id text\nchurn_risk double precision\nexpansion double precision\nhealth integer\nbucket text\n' |
    cmp -s - types.txt || { cat types.txt; fail "--recreate: column types"; }
table_csv mine account_id mine_now.csv
cmp -s mine_now.csv want_sorted.csv || fail "--recreate: not predict's rows"
# --recreate of a table that does not exist creates it; with --replace too.
"$vitals" predict model.json "$uri" --table accounts --to-table fresh --recreate --replace --quiet ||
    fail "--recreate of a new table"
table_csv fresh account_id fresh.csv
cmp -s fresh.csv want_sorted.csv || fail "--recreate of a new table: not predict's rows"
# A failed --recreate leaves the old table: a view depends on it.
psql -q -v ON_ERROR_STOP=1 -c "ALTER TABLE mine ALTER COLUMN health TYPE bigint;
    CREATE VIEW mine_view AS SELECT * FROM mine" || fail "mine_view"
table_csv mine account_id mine_before.csv
expect_fail "^vitals: postgresql:///vitals\?[^ ]*: cannot drop table mine because other objects depend on it" \
    "$vitals" predict model.json "$uri" --table accounts --to-table mine --recreate
table_csv mine account_id mine_now.csv
cmp -s mine_before.csv mine_now.csv || fail "a failed --recreate changed the table"
[ "$(psql -tAc "SELECT data_type FROM information_schema.columns WHERE table_name = 'mine' AND column_name = 'health'")" = bigint ] ||
    fail "a failed --recreate changed the column"
psql -q -c "DROP VIEW mine_view" || fail "drop mine_view"
expect_fail "^vitals: --recreate goes with --to-table$" "$vitals" predict model.json "$uri" --table accounts --recreate
expect_fail "^vitals: --recreate goes with --to-table$" "$vitals" predict model.json export.csv --recreate

# Altered after the check, while the scores stream: refused at commit, under
# the lock, and the table as the ALTER left it.  The query streams every row
# of accounts, then waits on an advisory lock this script holds.
psql -q -c "CREATE FUNCTION wait_for_test() RETURNS SETOF accounts LANGUAGE plpgsql
            AS \$\$ BEGIN PERFORM pg_advisory_lock(4243); PERFORM pg_advisory_unlock(4243); END \$\$" ||
    fail "wait_for_test()"
poll() { # SQL: its first value, within 60 s
    deadline=$(($(date +%s) + 60))
    while [ "$(date +%s)" -lt "$deadline" ]; do
        value=$(psql -tAc "$1")
        [ -n "$value" ] && { echo "$value"; return 0; }
        sleep 0.1
    done
    return 1
}
"$vitals" predict model.json "$uri" --table accounts --to-table scores --replace --quiet || fail "scores back"
PGAPPNAME=lock_holder psql -tAc "SELECT pg_advisory_lock(4243), pg_sleep(300)" >/dev/null 2>&1 &
holder=$!
poll "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted" >/dev/null || fail "no lock"
timeout 120 "$vitals" predict model.json "$uri" --query "SELECT * FROM accounts UNION ALL SELECT * FROM wait_for_test()" \
    --to-table scores --replace >out.txt 2>err.txt &
running=$!
poll "SELECT pid FROM pg_stat_progress_copy WHERE command = 'COPY FROM'" >/dev/null ||
    { kill $running; fail "never saw the COPY"; }
psql -q -v ON_ERROR_STOP=1 -c "ALTER TABLE scores ALTER COLUMN churn_risk TYPE integer" || fail "altering scores"
table_csv scores account_id scores_altered.csv
psql -tAc "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'lock_holder'" >/dev/null
wait $holder
if wait $running; then fail "predict committed into a table altered since the check"; fi
[ "$(wc -l <err.txt)" -eq 1 ] || { cat err.txt; fail "not one line"; }
grep -Eq "^vitals: --to-table scores: column churn_risk is integer, vitals writes double precision; " err.txt ||
    { cat err.txt; fail "altered table: not refused at commit"; }
table_csv scores account_id scores_now.csv
cmp -s scores_altered.csv scores_now.csv || fail "the altered table changed"

# score has no --recreate: its refusal says to drop the table.
"$vitals" score "$cards/equal-weights.json" "$uri" --table accounts --id account_id --to-table card_scores --quiet ||
    fail "score --to-table"
psql -q -c "ALTER TABLE card_scores ALTER COLUMN health TYPE real" || fail "altering card_scores"
expect_fail "^vitals: --to-table card_scores: column health is real, vitals writes integer; drop the table$" \
    "$vitals" score "$cards/equal-weights.json" "$uri" --table accounts --id account_id --to-table card_scores --replace
