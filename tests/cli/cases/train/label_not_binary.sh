printf 'x,churn\n1,yes\n2,No\n3,maybe\n' >l.csv
expect_fail "^vitals: l\.csv:4:2: label column 'churn': 'maybe' is not 0/1" "$vitals" train l.csv --churn churn -o m.json
no_file m.json
