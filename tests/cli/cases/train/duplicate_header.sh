printf 'x,y,x,churn\n1,2,3,0\n' >d.csv
expect_fail "^vitals: d\.csv:1:3: duplicate column name 'x'" "$vitals" train d.csv --churn churn -o m.json
no_file m.json
