train_small
expect_fail "^vitals: --holdout: '1.5' is not a share in \(0, 1\)" "$vitals" train small.csv --churn churn --holdout 1.5 -o v.json
expect_fail "^vitals: --folds: '1' is not a whole number from 2 to 100" "$vitals" train small.csv --churn churn --folds 1 -o v.json
expect_fail "^vitals: choose one of --holdout, --folds" "$vitals" train small.csv --churn churn --holdout 0.2 --folds 5 -o v.json
expect_fail "^vitals: --time-col and --holdout-after go together" "$vitals" train small.csv --churn churn --time-col id -o v.json
expect_fail "^vitals: --holdout-after: '30/06/2026' is not an ISO date" "$vitals" train small.csv --churn churn --time-col id --holdout-after 30/06/2026 -o v.json
expect_fail "^vitals: small\.csv:2:1: --time-col: '1' is not an ISO date" "$vitals" train small.csv --churn churn --time-col id --holdout-after 2026-06-30 -o v.json
no_file v.json
no_file f.csv
