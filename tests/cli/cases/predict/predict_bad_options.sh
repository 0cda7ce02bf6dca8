train_small
expect_fail "^vitals: --threads: '0' is not a whole number from 1 to 256" "$vitals" predict model.json small.csv --threads 0
expect_fail "^vitals: --format: 'xml' is not csv or jsonl" "$vitals" predict model.json small.csv --format xml
expect_fail "^vitals: --alert-budget: '1.5' is not a share" "$vitals" predict model.json small.csv --alert-budget 1.5
