# Targets are churn and expansion, each at most once.  Regression: two
# targets named churn were accepted and the expansion column then held churn
# scores.
printf 'id,x,churn,expanded\n1,0.5,0,1\n2,1.5,1,0\n3,2.5,0,1\n4,0.1,1,0\n5,3.3,1,1\n6,0.7,0,0\n7,1.1,0,1\n8,2.2,1,0\n9,1.7,1,0\n10,0.2,0,1\n' >two.csv
"$vitals" train two.csv --churn churn --expansion expanded --id id -o model.json --quiet 2>/dev/null || fail "training"
set_field() { awk -v key="$1" -v value="$2" -v nth="${4:-1}" -f "${case_file%/cases/*}/set_field.awk" "${5:-model.json}" >"$3" || fail "no $1 to edit"; }
grep -q '"name":[[:space:]]*"expansion"' model.json || fail "an expansion target expected"
set_field name '"churn"' twice.json 3
expect_fail '^vitals: twice\.json:[0-9]+:[0-9]+: not a valid vitals model: targets\[1\]\.name: a second "churn" target$' "$vitals" predict twice.json two.csv -o s.csv
set_field name '"upsell"' other.json 3
expect_fail '^vitals: other\.json:[0-9]+:[0-9]+: not a valid vitals model: targets\[1\]\.name: expected "churn" or "expansion", found "upsell"$' "$vitals" predict other.json two.csv -o s.csv
set_field name '"expansion"' expansion2.json 2
expect_fail '^vitals: expansion2\.json:[0-9]+:[0-9]+: not a valid vitals model: targets\[1\]\.name: a second "expansion" target$' "$vitals" predict expansion2.json two.csv -o s.csv
"$vitals" train two.csv --churn churn --id id -o one.json --quiet 2>/dev/null || fail "training churn alone"
set_field name '"expansion"' nochurn.json 3 one.json
expect_fail '^vitals: nochurn\.json:[0-9]+:[0-9]+: not a valid vitals model: targets: no "churn" target$' "$vitals" predict nochurn.json two.csv -o s.csv
set_field label '""' label.json
expect_fail '^vitals: label\.json:[0-9]+:[0-9]+: not a valid vitals model: targets\[0\]\.label: expected a column name, found ""$' "$vitals" predict label.json two.csv -o s.csv
no_file s.csv
