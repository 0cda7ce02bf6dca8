# Columns are named by non-empty strings.  Regression: a numeric id_column
# was accepted and the ids silently became line numbers.
train_small
. "${case_file%/cases/*}/edit_json.sh"
set_field id_column 5 id.json
refused id.json 'id_column' 'expected a string, found 5'
set_field id_column '""' empty.json
refused empty.json 'id_column' 'expected a column name, found ""'
set_field weight_column true weight.json
refused weight.json 'options\.weight_column' 'expected a string, found true'
"$vitals" train small.csv --churn churn --id id --by plan -o by.json --quiet 2>/dev/null || fail "training --by"
set_field by 1 bybad.json 1 by.json
refused bybad.json 'segments\.by' 'expected a string, found 1'
