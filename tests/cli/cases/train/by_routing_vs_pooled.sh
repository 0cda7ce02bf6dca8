# --by with a validation: the judged rows routed to their level's model
# (as predict routes them) against the pooled model on the same rows,
# printed by train (with --quiet too), stored, shown by summary; the same
# on any thread count; a file without it (older) still loads.
"$vitals" generate 6000 --seed 15 -o g.csv 2>/dev/null || fail "generate"
"$vitals" train g.csv --churn churned --expansion expanded --id account_id --by lifecycle_stage --holdout 0.25 \
    --quiet -o h.json >h.txt 2>/dev/null || fail "--by --holdout"
grep -q "^churn: each row routed to its lifecycle_stage level's model vs the pooled model, on the same 1500 held-out rows (stratified holdout of 0.25" h.txt ||
    { cat h.txt; fail "routing on held-out rows"; }
grep -q '^expansion: each row routed to its lifecycle_stage level' h.txt || fail "routing per target"
[ "$(grep -c '^  routed  ROC AUC 0\.[0-9]*   PR AUC' h.txt)" -eq 2 ] || fail "routed metrics"
[ "$(grep -c '^  routing bought ROC AUC [-+]' h.txt)" -eq 2 ] || fail "the difference"
# the pooled line is the pooled model's own held-out validation
pooled=$(grep -A2 "^churn: each row routed" h.txt | sed -n 's/^  pooled  ROC AUC \([0-9.]*\) .*/\1/p')
grep -A1 '^churn validation (stratified holdout' h.txt | grep -q "ROC AUC $pooled " || fail "pooled metrics differ from the validation"
grep -q '"routing":' h.json || fail "routing not stored"
"$vitals" summary h.json >s.txt || fail "summary"
grep -q "^churn: each row routed to its lifecycle_stage level's model" s.txt || fail "summary shows routing"
"$vitals" summary h.json --json | grep -q '"routed":' || fail "summary --json routing"
# --folds: each level refitted without each fold; the same on 1 and 2 threads
"$vitals" train g.csv --churn churned --id account_id --by lifecycle_stage --folds 3 --threads 1 -o f1.json >f1.txt \
    2>/dev/null || fail "--by --folds"
grep -q "^churn: each row routed to its lifecycle_stage level's model vs the pooled model, on the same 6000 out-of-fold rows (stratified 3-fold" f1.txt ||
    { cat f1.txt; fail "routing out of fold"; }
"$vitals" train g.csv --churn churned --id account_id --by lifecycle_stage --folds 3 --threads 2 -o f2.json >f2.txt \
    2>/dev/null || fail "--by --folds, 2 threads"
cmp -s f1.txt f2.txt || fail "the report depends on threads"
grep -v created_at f1.json >a.json; grep -v created_at f2.json >b.json
cmp -s a.json b.json || fail "the model depends on threads"
# a file from before routing was stored loads; a routing for the wrong target does not
. "${case_file%/cases/*}/edit_json.sh"
# the "routing" member cut out (the last of "segments"), as older files are
awk 'function depth(s,  o, c) { o = gsub(/[[{]/, "&", s); c = gsub(/[]}]/, "&", s); return o - c }
     skip { d += depth($0); if (d <= 0) skip = 0; next }
     /"routing":/ { d = depth($0); skip = d > 0; sub(/,[ \t]*$/, "", prev); next }
     { if (have) print prev; prev = $0; have = 1 }
     END { print prev }' h.json >old.json
! grep -q '"routing"' old.json || fail "routing not cut"
"$vitals" summary old.json >old.txt || fail "a model without routing"
! grep -q 'routed to' old.txt || fail "routing shown from nowhere"
head -1 g.csv >small.csv; sed -n 2,50p g.csv >>small.csv
set_field target '"expansion"' bad.json 1 h.json
refused bad.json 'segments\.routing\[0\]\.target' '.*'
