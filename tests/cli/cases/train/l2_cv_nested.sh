# --l2 cv chooses its strength from the rows a fit may see (issue 22): with a
# time split, the held-out rows never choose it, so flipping their labels
# leaves the chosen strength and its curve exactly as they were, while the
# held-out metrics move.  Before, the choice was made on every row, held-out
# rows included, and the metrics beside it were optimistic.  With --folds
# each fold's strength comes from its own fit rows.
"$vitals" generate 3000 --months 2 --seed 23 -o g.csv 2>/dev/null || fail "generate"
awk -F, 'BEGIN { OFS = "," } NR == 1 { for (i = 1; i <= NF; i++) if ($i == "churned") c = i }
    NR > 1 && $2 > "2024-01-15" { $c = 1 - $c } { print }' g.csv >flipped.csv
cmp -s g.csv flipped.csv && fail "no held-out label flipped"
for data in g flipped; do
    "$vitals" train $data.csv --churn churned --id account_id --drop expanded --time-col snapshot_date \
        --holdout-after 2024-01-15 --l2 cv --quiet -o $data.json >$data.txt 2>/dev/null || fail "train $data"
    awk '/"l2_cross_validation":/ { on = 1 } on { print } on && /^\t\t\t\]/ { exit }' $data.json >$data.curve
    grep -m1 '"l2":' $data.json >$data.l2
done
[ -s g.curve ] || fail "no stored --l2 cv curve"
cmp -s g.curve flipped.curve || fail "held-out labels changed the --l2 cv curve: the choice saw them"
cmp -s g.l2 flipped.l2 || fail "held-out labels changed the chosen strength"
grep 'ROC AUC' g.txt >g.auc
grep 'ROC AUC' flipped.txt >flipped.auc
cmp -s g.auc flipped.auc && fail "the held-out metrics should see the flipped labels"
# Folds: every fold tunes on its own rows, then the saved model on all.
"$vitals" train g.csv --churn churned --id account_id --drop expanded --folds 3 --l2 cv --quiet -o f.json \
    >f.txt 2>/dev/null || fail "train --folds 3 --l2 cv"
grep -q '^churn validation (stratified 3-fold' f.txt || { cat f.txt; fail "no fold validation"; }
grep -q '"l2_cross_validation":' f.json || fail "no stored curve with --folds"
