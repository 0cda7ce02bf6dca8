printf 'x,churn\n1.5,0\n-inf,1\n' >t.csv
expect_fail "^vitals: t\.csv:3:1: column 'x': '-inf' is not a finite number" "$vitals" train t.csv --churn churn -o m.json
no_file m.json
