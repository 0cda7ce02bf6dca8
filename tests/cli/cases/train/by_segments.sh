"$vitals" generate 8000 --seed 15 -o g.csv 2>/dev/null || fail "generate"
"$vitals" train g.csv --churn churned --expansion expanded --id account_id --by lifecycle_stage -o m.json >t.txt 2>/dev/null || fail "--by"
[ "$(grep -c '^== lifecycle_stage = ' t.txt)" -eq 3 ] || fail "three levels expected"
grep -q 'the pooled model serves this level (.*fewer than 10 per term' t.txt || fail "a thin level should fall back"
grep -q '"fallback":[[:space:]]*"pooled"' m.json || fail "fallback not stored"
# Rows of an unseen level go to the pooled model; everything is checked.
awk -F, 'BEGIN { OFS = "," } NR > 1 && NR % 10 == 0 { $3 = "trial" } { print }' g.csv >mixed.csv
"$vitals" predict m.json mixed.csv --unseen baseline -o s.csv 2>err.txt || fail "predict"
grep -q '800 rows of levels without a model of their own scored by the pooled model' err.txt || { cat err.txt; fail "pooled count"; }
"$CHECK_FIT" segments m.json mixed.csv s.csv || fail "rows not scored by their level's model"
"$vitals" predict m.json mixed.csv --unseen baseline --threads 3 -o s3.csv --quiet || fail "predict 3 threads"
cmp -s s.csv s3.csv || fail "segment scores depend on threads"
"$vitals" summary m.json | grep -q '^== lifecycle_stage = maturity' || fail "summary per level"
"$vitals" train g.csv --churn churned --id account_id --by lifecycle_stage --holdout 0.25 -o h.json >h.txt 2>/dev/null || fail "--by with --holdout"
[ "$(grep -c '^churn validation on this level (stratified holdout of 0.25' h.txt)" -eq 3 ] || fail "metrics per level"
! grep 'validation on this level' h.txt | grep -q 'ROC AUC 0.0000' || fail "empty metrics per level"
"$vitals" summary h.json | grep -q '^churn validation on this level' || fail "summary shows metrics per level"
awk -F, 'BEGIN { OFS = "," } NR > 1 { $3 = "adoption" } { print }' g.csv >one.csv
expect_fail "^vitals: one\.csv: --by lifecycle_stage: the column has a single level" "$vitals" train one.csv --churn churned --id account_id --by lifecycle_stage -o x.json
no_file x.json
