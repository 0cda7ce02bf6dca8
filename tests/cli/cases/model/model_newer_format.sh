train_small
sed 's/"format_version":[[:space:]]*2/"format_version": 3/' model.json >newer.json
expect_fail '^vitals: newer\.json: model format version 3 is newer' "$vitals" predict newer.json small.csv -o s.csv
no_file s.csv
