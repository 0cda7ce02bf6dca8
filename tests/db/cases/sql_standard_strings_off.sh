# vitals sql's PostgreSQL literals mean the same whatever the connection's
# standard_conforming_strings: with it off (old clients and configurations
# still set it), a backslash in '...' is an escape, so a level such as
# a\'))));<newline>DROP TABLE canary;<newline>-- in the training data would
# close the literal and drop the table.  The view is loaded under both
# settings: the canary survives, and every row scores as predict does.
# uses: postgres
export vitals
awk 'BEGIN {
    srand(11)
    print "id,usage,plan,churn"
    plans[1] = "a\\'"'"'))));\nDROP TABLE canary;\n--"
    plans[2] = "back\\slash"
    plans[3] = "trail\\"
    plans[4] = "plain"
    for (i = 1; i <= 600; i++) {
        usage = int(rand() * 1000) / 100
        k = 1 + int(rand() * 4)
        z = -1 + usage / 5 - (k == 1 ? 1 : 0) + (k == 3 ? 0.8 : 0) + (rand() - 0.5) * 3
        gsub(/"/, "\"\"", plans[k])
        printf "c%d,%s,\"%s\",%d\n", i, usage, plans[k], (z > 0)
    }
}' >data.csv
grep -q 'DROP TABLE canary' data.csv || fail "the hostile level is not in the data"
"$vitals" train data.csv --churn churn --id id --quiet -o model.json 2>/dev/null || fail "train"
grep -q 'DROP TABLE canary' model.json || fail "the model lacks the hostile level"
"$vitals" predict model.json data.csv -o scores.csv --quiet || fail "predict"
awk 'NR == 1 { print $0 ",vitals_note"; next } { print $0 "," }' scores.csv >expected.csv
psql -X -q -v ON_ERROR_STOP=1 -c "DROP TABLE IF EXISTS public.canary; CREATE TABLE public.canary (x int)" ||
    fail "create the canary"
for setting in on off; do
    PGOPTIONS="-c standard_conforming_strings=$setting" sh "$VITALS_DB_SCRIPTS/check_sql.sh" postgres model.json \
        "$PWD/data.csv" "$PWD/expected.csv" || fail "standard_conforming_strings=$setting"
    grep -q "E'" view-postgres.sql || fail "no E'...' literal in the view"
    psql -X -q -A -t -c "SELECT count(*) FROM public.canary" >canary.txt 2>&1 || fail "the canary table is gone ($setting)"
done
