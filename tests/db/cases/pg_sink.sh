# predict and score --to-table: scores into a table of DATA's database through
# COPY, in one transaction.  The table equals predict's CSV; an existing table
# is refused without --replace; and a run that fails part-way (a value the
# table refuses, a bad row in the data, the writer's or the reader's backend
# terminated mid-COPY) leaves the previous table exactly as it was.
# uses: postgres
. "$VITALS_DB_SCRIPTS/pg_accounts.sh"
rows=100000 # enough blocks that the pipeline writes rows before the query pauses
make_accounts $rows 31
uri=$VITALS_PG_URI
cards=$(dirname "$fixtures")/../models/scorecards
"$vitals" train export.csv --churn churned --expansion expanded --id account_id --quiet -o model.json 2>/dev/null ||
    fail "train"
"$vitals" predict model.json export.csv -o want.csv --quiet || fail "predict to CSV"

# A new table, typed: text id, double scores, integer health, text bucket.
"$vitals" predict model.json "$uri" --table accounts --to-table scores 2>stderr.txt || fail "predict --to-table"
grep -q "committed to table scores" stderr.txt || fail "no summary"
# A quoted name holding a newline and ESC is echoed escaped in the closing
# line (it printed raw and drove the terminal).
name=$(printf '"nl\nx\033[31mred"')
"$vitals" predict model.json "$uri" --query "SELECT * FROM accounts LIMIT 10" --to-table "$name" 2>stderr.txt ||
    fail "predict --to-table with a control byte in the name: $(cat stderr.txt)"
grep -q 'committed to table "nl\\nx\\x1B\[31mred"$' stderr.txt || fail "not escaped: $(cat -v stderr.txt)"
psql -tA -F' ' -c "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'scores'
                   ORDER BY ordinal_position" >types.txt
printf 'account_id text\nchurn_risk double precision\nexpansion double precision\nhealth integer\nbucket text\n' |
    cmp -s - types.txt || { cat types.txt; fail "column types"; }
# Its rows, ordered, equal predict's CSV (loaded into a table of the same
# types: doubles compared as doubles, not as text).
load_csv expected scores want.csv
table_csv scores account_id got_sorted.csv
table_csv expected account_id want_sorted.csv
cmp -s got_sorted.csv want_sorted.csv || fail "the table differs from predict's CSV"
[ "$(psql -tAc 'SELECT count(*) FROM (SELECT * FROM scores EXCEPT ALL SELECT * FROM expected) d')" = 0 ] ||
    fail "rows not in predict's CSV"
[ "$(psql -tAc 'SELECT count(*) FROM scores')" = $rows ] || fail "row count"

before() { table_csv scores account_id before.csv; }
unchanged() { table_csv scores account_id now.csv; cmp -s before.csv now.csv || fail "$1: the table changed"; }

# An existing table without --replace: refused before any work, untouched.
before
expect_fail "^vitals: postgresql:///vitals\?[^ ]*: table public\.scores exists; --replace empties and refills it" \
    "$vitals" predict model.json "$uri" --table accounts --to-table scores
unchanged "refused"

# --replace: the rows of this run only.
"$vitals" predict model.json "$uri" --query "SELECT * FROM accounts WHERE segment = 'smb'" --to-table scores \
    --replace --quiet || fail "--replace"
[ "$(psql -tAc "SELECT count(*) FROM scores")" = "$(psql -tAc "SELECT count(*) FROM accounts WHERE segment = 'smb'")" ] ||
    fail "--replace did not replace the rows"
"$vitals" predict model.json "$uri" --table accounts --to-table scores --replace --quiet || fail "--replace back"
before
cmp -s before.csv want_sorted.csv || fail "--replace: the table differs from predict's CSV"

# A value the table refuses (a constraint added since) fails the commit.
psql -q -c "ALTER TABLE scores ADD CONSTRAINT health_cap CHECK (health < 90) NOT VALID" || fail "constraint"
expect_fail "^vitals: postgresql:///vitals\?[^ ]*: .*health_cap" \
    "$vitals" predict model.json "$uri" --table accounts --to-table scores --replace
unchanged "constraint violated"
psql -q -c "ALTER TABLE scores DROP CONSTRAINT health_cap" || fail "drop constraint"

# A bad row past the first blocks: nothing committed, nothing created.
bad_query="SELECT account_id, segment, CASE WHEN account_id = 'A00099000' THEN 'renewal' ELSE lifecycle_stage END
           AS lifecycle_stage, seats, mrr, tenure_months, logins_per_seat, active_user_ratio, feature_a_adoption,
           feature_b_adoption, feature_c_adoption, usage_trend, open_tickets, nps, unpaid_invoices,
           days_since_contact FROM accounts ORDER BY account_id"
expect_fail ":99001:3: .*renewal" "$vitals" predict model.json "$uri" --query "$bad_query" --to-table scores --replace
unchanged "bad row"
expect_fail ":99001:3: .*renewal" "$vitals" predict model.json "$uri" --query "$bad_query" --to-table fresh
[ -z "$(psql -tAc "SELECT to_regclass('fresh')")" ] || fail "a failed run created its table"

# The writer's and the reader's backends terminated mid-COPY.  The query
# streams every row of accounts, then waits on an advisory lock this script
# holds; the COPY is caught there (the writer with rows already copied), its
# backend terminated, and only then the lock released.
psql -q -c "CREATE FUNCTION wait_for_test() RETURNS SETOF accounts LANGUAGE plpgsql
            AS \$\$ BEGIN PERFORM pg_advisory_lock(4242); PERFORM pg_advisory_unlock(4242); END \$\$" ||
    fail "wait_for_test()"
slow_query="SELECT * FROM accounts UNION ALL SELECT * FROM wait_for_test()"
poll() { # SQL: its first value, within 60 s
    deadline=$(($(date +%s) + 60))
    while [ "$(date +%s)" -lt "$deadline" ]; do
        value=$(psql -tAc "$1")
        [ -n "$value" ] && { echo "$value"; return 0; }
        sleep 0.1
    done
    return 1
}
terminate_during() { # SQL: the pid of the backend to terminate
    PGAPPNAME=lock_holder psql -tAc "SELECT pg_advisory_lock(4242), pg_sleep(300)" >/dev/null 2>&1 &
    holder=$!
    poll "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted" >/dev/null || fail "no lock"
    timeout 120 "$vitals" predict model.json "$uri" --query "$slow_query" --to-table scores --replace \
        >out.txt 2>err.txt &
    running=$!
    pid=$(poll "$1") || { kill $running; fail "never saw the COPY to terminate"; }
    [ "$(psql -tAc "SELECT pg_terminate_backend($pid)")" = t ] || fail "pg_terminate_backend"
    psql -tAc "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'lock_holder'" \
        >/dev/null
    wait $holder
    if wait $running; then fail "predict succeeded after its backend was terminated"; fi
    [ "$(wc -l <err.txt)" -eq 1 ] || { cat err.txt; fail "not one line"; }
    grep -Eq "^vitals: postgresql:///vitals\?" err.txt || { cat err.txt; fail "the error does not name the database"; }
}
terminate_during "SELECT pid FROM pg_stat_progress_copy WHERE command = 'COPY FROM' AND tuples_processed > 0"
unchanged "writer terminated"
terminate_during "SELECT a.pid FROM pg_stat_activity a JOIN pg_stat_progress_copy p USING (pid)
                  WHERE a.application_name = 'vitals reader' AND p.tuples_processed >= $rows"
unchanged "reader terminated"

# A table named as vitals' own temporary one is still the one replaced.
psql -q -c "CREATE TABLE vitals_load AS SELECT * FROM scores WHERE false" || fail "vitals_load"
"$vitals" predict model.json "$uri" --table accounts --to-table vitals_load --replace --quiet ||
    fail "--to-table vitals_load"
[ "$(psql -tAc 'SELECT count(*) FROM public.vitals_load')" = $rows ] || fail "vitals_load not replaced"
# --tokenize-only writes no scores: it would empty the table.
expect_fail "--tokenize-only writes no scores" \
    "$vitals" predict model.json "$uri" --table accounts --to-table scores --replace --tokenize-only
unchanged "tokenize-only"

# score --to-table: the scorecard's columns, typed.
"$vitals" score "$cards/equal-weights.json" "$uri" --table accounts --id account_id --to-table card_scores --quiet ||
    fail "score --to-table"
"$vitals" score "$cards/equal-weights.json" export.csv --id account_id -o card_want.csv --quiet || fail "score"
load_csv card_expected card_scores card_want.csv
table_csv card_scores account_id card_got.csv
table_csv card_expected account_id card_want_sorted.csv
cmp -s card_got.csv card_want_sorted.csv || fail "score --to-table differs from score's CSV"
[ "$(psql -tAc "SELECT data_type FROM information_schema.columns WHERE table_name = 'card_scores'
                AND column_name = 'rules_fired'")" = text ] || fail "rules_fired type"

# Names are quoted as written; a view is never replaced; usage errors.
"$vitals" predict model.json "$uri" --table accounts --to-table 'Scores "2026"' --quiet || fail "quoted name"
[ "$(psql -tAc 'SELECT count(*) FROM "Scores ""2026"""')" = $rows ] || fail "quoted table"
psql -q -c "CREATE VIEW scores_view AS SELECT * FROM scores" || fail "view"
expect_fail "public\.scores_view is not a table" \
    "$vitals" predict model.json "$uri" --table accounts --to-table scores_view --replace
[ "$(psql -tAc 'SELECT count(*) FROM scores_view')" = $rows ] || fail "the view changed"
expect_fail "^vitals: --to-table and --output: choose one$" \
    "$vitals" predict model.json "$uri" --table accounts --to-table t2 -o t2.csv
expect_fail "^vitals: --to-table writes CSV rows through COPY: drop --format jsonl$" \
    "$vitals" predict model.json "$uri" --table accounts --to-table t2 --format jsonl
expect_fail "^vitals: --to-table writes to the database DATA comes from" \
    "$vitals" predict model.json export.csv --to-table t2
[ -z "$(psql -tAc "SELECT to_regclass('t2')")" ] || fail "t2 created"
no_file t2.csv
