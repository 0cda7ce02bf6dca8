printf 'x,churn\n1.5,0\n1e999,1\n' >t.csv
expect_fail "^vitals: t\.csv:3:1: column 'x': '1e999' is out of the range" "$vitals" train t.csv --churn churn -o m.json
no_file m.json
