: >empty.csv
expect_fail '^vitals: empty\.csv: empty file' "$vitals" train empty.csv --churn churn -o m.json
no_file m.json
