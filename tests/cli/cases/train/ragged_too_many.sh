printf 'x,y,churn\r\n1,2,0\r\n"a\r\nb",2,1\r\n1,2,3,0\r\n' >r.csv
expect_fail '^vitals: r\.csv:5:4: row has 4 fields' "$vitals" train r.csv --churn churn -o m.json
no_file m.json
