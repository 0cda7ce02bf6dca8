printf 'x,churn\n1,0\n2,1\n' >l.csv
expect_fail "^vitals: l\.csv: --churn: no column 'churned'" "$vitals" train l.csv --churn churned -o m.json
no_file m.json
