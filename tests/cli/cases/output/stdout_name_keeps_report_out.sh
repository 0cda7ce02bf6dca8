# train -o /dev/stdout writes only the model to standard output; the
# report goes to standard error, as with -o - (found 2026-11-24: the table
# was mixed into the JSON).
train_small
"$vitals" train small.csv --churn churn --id id -o /dev/stdout >model-out.json 2>report.txt || fail "train -o /dev/stdout"
[ "$(head -c 1 model-out.json)" = "{" ] && [ "$(tail -n 1 model-out.json)" = "}" ] &&
    ! grep -q 'Estimate' model-out.json || { head -3 model-out.json; fail "standard output is not the model alone"; }
"$vitals" summary model-out.json >/dev/null 2>&1 || fail "the model on standard output does not load"
grep -q 'Estimate' report.txt || fail "the report did not reach standard error"
