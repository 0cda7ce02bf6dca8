# Targets are churn and expansion, each at most once.  Regression: two
# targets named churn were accepted and the expansion column then held churn
# scores.
printf 'id,x,churn,expanded\n1,0.5,0,1\n2,1.5,1,0\n3,2.5,0,1\n4,0.1,1,0\n5,3.3,1,1\n6,0.7,0,0\n7,1.1,0,1\n8,2.2,1,0\n9,1.7,1,0\n10,0.2,0,1\n' >small.csv
"$vitals" train small.csv --churn churn --expansion expanded --id id -o model.json --quiet 2>/dev/null || fail "training"
. "${case_file%/cases/*}/edit_json.sh"
grep -q '"name":[[:space:]]*"expansion"' model.json || fail "an expansion target expected"
set_field name '"churn"' twice.json 3
refused twice.json 'targets\[1\]\.name' 'a second "churn" target'
set_field name '"upsell"' other.json 3
refused other.json 'targets\[1\]\.name' 'expected "churn" or "expansion", found "upsell"'
set_field name '"expansion"' expansion2.json 2
refused expansion2.json 'targets\[1\]\.name' 'a second "expansion" target'
"$vitals" train small.csv --churn churn --id id -o one.json --quiet 2>/dev/null || fail "training churn alone"
# A model of expansion alone (a propensity model) loads: no health columns.
set_field name '"expansion"' nochurn.json 3 one.json
"$vitals" predict nochurn.json small.csv -o e.csv 2>/dev/null || fail "an expansion target alone should load"
[ "$(head -1 e.csv)" = "id,expansion" ] || fail "an expansion model's columns"
set_field label '""' label.json
refused label.json 'targets\[0\]\.label' 'expected a column name, found ""'
