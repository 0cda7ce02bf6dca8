train_small
sed 's/"format_version":[[:space:]]*3/"format_version": 4/' model.json >newer.json
expect_fail '^vitals: newer\.json: model format version 4 is newer' "$vitals" predict newer.json small.csv -o s.csv
no_file s.csv
