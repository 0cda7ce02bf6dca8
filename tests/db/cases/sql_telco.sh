# vitals sql on PostgreSQL and DuckDB gives predict's numbers for every row of
# the Telco data: categorical levels with spaces and parentheses, and the
# eleven blank TotalCharges imputed with their indicator term (--firth: the
# indicator separates), and aliased terms.
# uses: postgres duckdb
export vitals
"$vitals" train "$TELCO_CSV" --churn Churn --id customerID --firth --quiet -o model.json 2>/dev/null || fail "train"
grep -q '"TotalCharges_missing"' model.json || fail "the model has no TotalCharges_missing term"
"$vitals" predict model.json "$TELCO_CSV" -o scores.csv --quiet || fail "predict"
awk 'NR == 1 { print $0 ",vitals_note"; next } { print $0 "," }' scores.csv >expected.csv
# The file's blank TotalCharges are a space; in a warehouse they are NULL.
sed 's/, ,/,,/g' "$TELCO_CSV" >telco.csv
[ "$(grep -c ',,' telco.csv)" = 11 ] || fail "expected 11 blank TotalCharges"
for engine in postgres duckdb; do
    sh "$VITALS_DB_SCRIPTS/check_sql.sh" $engine model.json "$PWD/telco.csv" "$PWD/expected.csv" || fail "$engine"
done
