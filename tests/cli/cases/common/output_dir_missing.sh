train_small
expect_fail '^vitals: no/such/dir/m\.json: cannot create output' "$vitals" train small.csv --churn churn --id id -o no/such/dir/m.json
expect_fail '^vitals: no/such/dir/s\.csv: cannot create output' "$vitals" predict model.json small.csv -o no/such/dir/s.csv
