train_small
awk '/"estimate"/ && !done { done = 1; next } { print }' model.json >noest.json
expect_fail "^vitals: noest\.json: not a valid vitals model: term '\(Intercept\)' of target 'churn' lacks 'estimate'" "$vitals" predict noest.json small.csv -o s.csv
no_file s.csv
