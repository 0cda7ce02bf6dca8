printf 'x,,churn\n1,2,0\n' >d.csv
expect_fail "^vitals: d\.csv:1:2: empty column name" "$vitals" train d.csv --churn churn -o m.json
no_file m.json
