printf 'x,churn\n1.5,0\n2,1\nabc,0\n4,1\n' >t.csv
expect_fail "^vitals: t\.csv:4:1: column 'x': 'abc' is not a number.*--categorical x" "$vitals" train t.csv --churn churn -o m.json
no_file m.json
