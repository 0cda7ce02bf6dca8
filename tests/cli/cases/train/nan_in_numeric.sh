printf 'x,churn\n1.5,0\n-nan,1\n' >t.csv
expect_fail "^vitals: t\.csv:3:1: column 'x': '-nan' is not a finite number" "$vitals" train t.csv --churn churn -o m.json
printf 'x,churn\n1.5,0\nnan,1\n2,0\n' >u.csv
expect_fail "^vitals: u\.csv:3:1: column 'x' is missing" "$vitals" train u.csv --churn churn --missing error -o m.json
no_file m.json
