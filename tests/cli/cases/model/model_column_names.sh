# Columns are named by non-empty strings.  Regression: a numeric id_column
# was accepted and the ids silently became line numbers.
train_small
set_field() { awk -v key="$1" -v value="$2" -v nth="${4:-1}" -f "${case_file%/cases/*}/set_field.awk" "${5:-model.json}" >"$3" || fail "no $1 to edit"; }
set_field id_column 5 id.json
expect_fail '^vitals: id\.json:[0-9]+:[0-9]+: not a valid vitals model: id_column: expected a string, found 5$' "$vitals" predict id.json small.csv -o s.csv
set_field id_column '""' empty.json
expect_fail '^vitals: empty\.json:[0-9]+:[0-9]+: not a valid vitals model: id_column: expected a column name, found ""$' "$vitals" predict empty.json small.csv -o s.csv
set_field weight_column true weight.json
expect_fail '^vitals: weight\.json:[0-9]+:[0-9]+: not a valid vitals model: options\.weight_column: expected a string, found true$' "$vitals" predict weight.json small.csv -o s.csv
"$vitals" train small.csv --churn churn --id id --by plan -o by.json --quiet 2>/dev/null || fail "training --by"
awk -v key=by -v value=1 -f "${case_file%/cases/*}/set_field.awk" by.json >bybad.json || fail "no by to edit"
expect_fail '^vitals: bybad\.json:[0-9]+:[0-9]+: not a valid vitals model: segments\.by: expected a string, found 1$' "$vitals" predict bybad.json small.csv -o s.csv
no_file s.csv
