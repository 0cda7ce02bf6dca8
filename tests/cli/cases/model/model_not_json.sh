train_small
printf 'account_id,churn\n' >notjson.json
expect_fail '^vitals: notjson\.json:1:1: malformed JSON' "$vitals" predict notjson.json small.csv -o s.csv
no_file s.csv
