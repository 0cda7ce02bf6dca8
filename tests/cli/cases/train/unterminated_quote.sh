printf 'x,y,churn\n1,2,0\n1,"2,1\n3,4,0\n' >q.csv
expect_fail '^vitals: q\.csv:3:2: malformed CSV' "$vitals" train q.csv --churn churn -o m.json
no_file m.json
