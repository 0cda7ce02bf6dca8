train_small
awk '/"estimate"/ && !done { done = 1; next } { print }' model.json >noest.json
expect_fail '^vitals: noest\.json:[0-9]+:[0-9]+: not a valid vitals model: targets\[0\]\.terms\[0\]\.estimate: missing \(expected a finite number\)$' "$vitals" predict noest.json small.csv -o s.csv
no_file s.csv
