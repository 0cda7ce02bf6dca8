train_small
head -c 300 model.json >cut.json
expect_fail '^vitals: cut\.json:[0-9]+:[0-9]+: the JSON ends early' "$vitals" predict cut.json small.csv -o s.csv
no_file s.csv
