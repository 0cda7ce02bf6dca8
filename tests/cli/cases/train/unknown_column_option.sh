printf 'x,churn\n1,0\n2,1\n' >l.csv
expect_fail "^vitals: l\.csv: --drop: no column 'nope'" "$vitals" train l.csv --churn churn --drop nope -o m.json
no_file m.json
