printf 'x,churn\n1,0\n2,0\n3,no\n' >l.csv
expect_fail "^vitals: l\.csv.*label column 'churn' has a single class" "$vitals" train l.csv --churn churn -o m.json
no_file m.json
