train_small
"$vitals" summary model.json >s.txt || fail "summary"
grep -q 'Odds ratio' s.txt && grep -q 'McFadden R2' s.txt && grep -q '2.5 %' s.txt || fail "summary columns"
"$vitals" summary model.json --confidence 0.9 | grep -q '5 %' || fail "--confidence 0.9 columns"
"$vitals" train small.csv --churn churn --id id --confidence 0.8 -o m80.json --quiet 2>/dev/null || fail "train --confidence"
grep -q '"confidence":[[:space:]]*0.8' m80.json || fail "confidence not stored"
"$vitals" summary m80.json | grep -q '10 %' || fail "summary does not use the model's level"
"$vitals" summary model.json --json -o s.json || fail "summary --json"
grep -q '"mcfadden_r2"' s.json || fail "json"
expect_fail "^vitals: --confidence: '1.5' is not a level between 0 and 1" "$vitals" summary model.json --confidence 1.5
expect_fail "^vitals: --confidence: '0' is not a level" "$vitals" train small.csv --churn churn --confidence 0 -o x.json
no_file x.json
expect_fail "^vitals: missing\.json: cannot open: No such file" "$vitals" summary missing.json
