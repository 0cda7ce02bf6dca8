# --shape takes linear or curved, refused otherwise in one line; under
# --shape curved --set may change a linear term, not a curve; --help
# documents --shape.
expect_fail '^vitals: --shape: .wavy. is not linear or curved$' "$vitals" generate 10 --shape wavy -o bad.csv
no_file bad.csv
no_file bad.csv.truth.json
expect_fail '^vitals: --shape: ' "$vitals" generate 10 --shape= -o bad.csv
no_file bad.csv
expect_fail 'shape' "$vitals" generate 10 -o bad.csv --shape
no_file bad.csv
expect_fail '^vitals: --set: churn:days_since_contact is a curve under --shape curved' \
    "$vitals" generate 10 --shape curved --set churn:days_since_contact=0.5 -o bad.csv
no_file bad.csv
no_file bad.csv.truth.json
# The same column is linear in the expansion model, and in the linear shape.
"$vitals" generate 10 --shape curved --set expansion:days_since_contact=0.5 -o ok.csv 2>/dev/null \
    || fail "--set of a linear expansion term under --shape curved"
grep -Eq '"days_since_contact":[[:space:]]*0\.5,?$' ok.csv.truth.json || fail "--set expansion:days_since_contact not in the truth"
"$vitals" generate 10 --set churn:days_since_contact=0.5 -o ok2.csv 2>/dev/null || fail "--set under --shape linear"
"$vitals" generate 10 --shape curved --set churn:unpaid_invoices=1.25 -o ok3.csv 2>/dev/null \
    || fail "--set of a linear churn term under --shape curved"
grep -Eq '"unpaid_invoices":[[:space:]]*1\.25,?$' ok3.csv.truth.json || fail "--set churn:unpaid_invoices not in the truth"
"$vitals" generate --help >help.txt 2>&1 || fail "--help"
grep -q -- '--shape linear|curved' help.txt || fail "--help does not show --shape"
grep -q -- '--shape curved:' help.txt || fail "--help does not explain --shape curved"
