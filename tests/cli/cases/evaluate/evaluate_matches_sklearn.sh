# evaluate on a test file the model has not seen: ROC AUC, PR AUC, log-loss
# and Brier equal scikit-learn's on the same predictions (fixture made by
# tests/data/make_evaluate_fixture.py from `vitals predict`'s risks), for
# churn and expansion; the bucket shares of events sum to one; the output
# does not depend on --threads; a ';' file with --delimiter reads the same.
"$vitals" generate 6000 --seed 29 -o g.csv 2>/dev/null || fail "generate"
head -4001 g.csv >train.csv
{ head -1 g.csv; tail -n +4002 g.csv; } >test.csv
"$vitals" train train.csv --churn churned --expansion expanded --id account_id --quiet -o m.json 2>/dev/null ||
    fail "train"
for target in churn expansion; do
    "$vitals" evaluate m.json test.csv --target $target --json -o "$target.json" || fail "evaluate --target $target"
    awk -v target=$target -v fixture="$fixtures/evaluate_sklearn.json" '
        function value(line) { sub(/.*: */, "", line); sub(/,$/, "", line); return line + 0 }
        FILENAME == fixture {
            if ($0 ~ "\"" target "\": \\{") on = 1; else if ($0 ~ /^ *\}/) on = 0
            if (on && $0 ~ /"(roc_auc|pr_auc|log_loss|brier)"/) { key = $0; sub(/^ *"/, "", key); sub(/".*/, "", key); want[key] = value($0) }
            next
        }
        /"metrics":/ { m = 1 } /"calibration_deciles":/ { m = 0 }
        m && /"(roc_auc|pr_auc|log_loss|brier)":/ { key = $0; sub(/^[ \t]*"/, "", key); sub(/".*/, "", key); got[key] = value($0) }
        END {
            n = 0
            for (k in want) { n++; d = got[k] - want[k]; if (d < 0) d = -d; if (d > 1e-12) { print target " " k ": " got[k] " vs sklearn " want[k]; bad = 1 } }
            exit bad || n != 4
        }' "$fixtures/evaluate_sklearn.json" "$target.json" || fail "$target metrics differ from scikit-learn's"
done
grep -q '"rows":[[:space:]]*2000' churn.json || fail "2000 test rows expected"
"$vitals" evaluate m.json test.csv -o text.txt || fail "evaluate text"
grep -q '^churn on test.csv: 2000 rows with an outcome' text.txt || { cat text.txt; fail "headline"; }
grep -q 'ROC AUC 0.7903' text.txt || { cat text.txt; fail "text ROC AUC"; }
grep -q 'red and yellow together hold .*% of churners' text.txt || fail "churner share of red and yellow"
awk '/% of churners$/ && !/together/ { sub(/% of churners/, ""); total += $NF } END { exit !(total > 99.8 && total < 100.2) }' text.txt ||
    fail "bucket shares of churners do not sum to 100%"
for t in 1 2 3; do
    "$vitals" evaluate m.json test.csv --json --threads $t -o "t$t.json" || fail "--threads $t"
    cmp -s t1.json "t$t.json" || fail "--threads $t differs from 1"
done
tr , ';' <test.csv >semi.csv
"$vitals" evaluate m.json semi.csv --delimiter ';' -o semi.txt || fail "--delimiter ;"
sed 's/semi.csv/test.csv/' semi.txt | cmp -s - text.txt || fail "the ';' file evaluates differently"
