printf 'x,churn\n1,0\n2,1\n' >l.csv
expect_fail "unknown option '--frobnicate'" "$vitals" train l.csv --churn churn --frobnicate 1 -o m.json
no_file m.json
