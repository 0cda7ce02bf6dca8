# --quiet leaves out the coefficient tables only (issue 22): the validation
# metrics and the --l2 cv curve are the run's answer and still print; summary
# shows the validation the model stores, in text and --json.
"$vitals" generate 3000 --seed 8 -o g.csv 2>/dev/null || fail "generate"
"$vitals" train g.csv --churn churned --id account_id --drop expanded --holdout 0.2 --l2 cv --quiet -o m.json \
    >out.txt 2>/dev/null || fail "train --quiet"
grep -q '^churn validation (stratified holdout of 0.2' out.txt || { cat out.txt; fail "no validation under --quiet"; }
grep -q 'chosen by 5-fold cross-validated log-loss' out.txt || fail "no --l2 cv curve under --quiet"
grep -q 'Estimate' out.txt && fail "--quiet printed a coefficient table"
"$vitals" train g.csv --churn churned --id account_id --drop expanded --holdout 0.2 --l2 cv -o m2.json \
    >loud.txt 2>/dev/null || fail "train"
grep -q 'Estimate' loud.txt || fail "no coefficient table without --quiet"
"$vitals" summary m.json >summary.txt || fail "summary"
grep -q '^churn validation (stratified holdout of 0.2, seed [0-9]*): 600 rows' summary.txt ||
    { cat summary.txt; fail "summary does not show the stored validation"; }
grep -q 'ROC AUC 0\.[0-9]*' summary.txt || fail "summary: no ROC AUC"
"$vitals" summary m.json --json -o s.json || fail "summary --json"
grep -q '"validation":' s.json && grep -q '"roc_auc":' s.json || fail "summary --json: no validation"
