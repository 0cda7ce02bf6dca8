printf 'x,churn\n' >h.csv
expect_fail '^vitals: h\.csv: no data rows' "$vitals" train h.csv --churn churn -o m.json
no_file m.json
