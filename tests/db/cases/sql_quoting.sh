# vitals sql quotes names and levels for the engine: an id column and a
# numeric column with spaces, a categorical column with a double quote in its
# name and levels holding a quote, a backslash and a --na token; PostgreSQL
# and DuckDB score every row as predict does.
# uses: postgres duckdb
export vitals
awk 'BEGIN {
    srand(7)
    print "customer id,Total day charge,\"plan \"\"tier\"\"\",churn"
    split("O'"'"'Brien|back\\slash|plain|--", plans, "|")
    for (i = 1; i <= 400; i++) {
        charge = int(rand() * 5000) / 100
        plan = plans[1 + int(rand() * 4)]
        z = -2 + charge / 20 + (plan == "plain" ? 1 : 0) + (rand() - 0.5) * 3
        printf "c%d,%s,\"%s\",%d\n", i, (i % 37 == 0 ? "" : charge), plan, (z > 0)
    }
}' >data.csv
"$vitals" train data.csv --churn churn --id "customer id" --na -- --quiet -o model.json 2>/dev/null || fail "train"
grep -q 'back\\\\slash' model.json || fail "the model lacks the backslash level"
"$vitals" predict model.json data.csv -o scores.csv --quiet || fail "predict"
awk 'NR == 1 { print $0 ",vitals_note"; next } { print $0 "," }' scores.csv >expected.csv
for engine in postgres duckdb; do
    sh "$VITALS_DB_SCRIPTS/check_sql.sh" $engine model.json "$PWD/data.csv" "$PWD/expected.csv" || fail "$engine"
done
