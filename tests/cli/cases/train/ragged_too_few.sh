printf 'x,y,churn\n1,2,0\n1,1\n' >r.csv
expect_fail '^vitals: r\.csv:3:3: row has 2 fields, the header has 3' "$vitals" train r.csv --churn churn -o m.json
no_file m.json
