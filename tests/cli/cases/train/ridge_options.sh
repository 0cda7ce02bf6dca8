"$vitals" generate 3000 --seed 14 -o g.csv 2>/dev/null || fail "generate"
"$vitals" train g.csv --churn churned --id account_id --drop expanded --l2 0.1 -o r.json >r.txt 2>/dev/null || fail "--l2 0.1"
grep -q 'ridge: l2 = 0.1' r.txt && grep -q '"l2":[[:space:]]*0.1' r.json || fail "ridge not stated or stored"
"$vitals" train g.csv --churn churned --id account_id --drop expanded --l2 cv --folds 3 -o c.json >c.txt 2>/dev/null || fail "--l2 cv"
grep -q 'l2 chosen by 3-fold cross-validated log-loss' c.txt && grep -q '"l2_cross_validation"' c.json || fail "cv curve"
"$vitals" predict c.json g.csv -o p.csv --quiet || fail "predict with a ridge model"
expect_fail "^vitals: --l2: '0' is not a positive strength or cv" "$vitals" train g.csv --churn churned --l2 0 -o x.json
expect_fail "^vitals: --l2: 'much' is not a number" "$vitals" train g.csv --churn churned --l2 much -o x.json
expect_fail "^vitals: --firth and --l2 are two remedies" "$vitals" train g.csv --churn churned --l2 1 --firth -o x.json
no_file x.json
