# A propensity model: --expansion without --churn, end to end.  Health and
# bucket come from the churn risk, so its rows are the id and the
# expansion probability, and what needs churn refuses in one line.
cards=$(dirname "$fixtures")/../models/scorecards
"$vitals" generate 4000 --seed 22 -o g.csv 2>/dev/null || fail "generate"
"$vitals" train g.csv --expansion expanded --drop churned --id account_id --holdout 0.25 -o e.json >t.txt 2>err.txt ||
    { cat err.txt; fail "train --expansion alone"; }
grep -q '^expansion model: expanded ~' t.txt || fail "the expansion table"
! grep -q 'churn' t.txt || fail "the report speaks of churn"
grep -q '^expansion validation (stratified holdout of 0.25' t.txt || fail "held-out metrics"
! grep -q 'health buckets' t.txt || fail "buckets printed for a propensity model"
grep -q 'no churn target: the model gives the expansion probability, no health, bucket or bands' err.txt ||
    { cat err.txt; fail "the note on health"; }
! grep -q '"bands"' e.json || fail "bands stored"
grep -q '"name":[[:space:]]*"expansion"' e.json || fail "target name"
# predict: id and probability only, the same on any thread count
"$vitals" predict e.json g.csv -o s1.csv 2>perr.txt || fail "predict"
[ "$(head -1 s1.csv)" = "account_id,expansion" ] || { head -1 s1.csv; fail "predict columns"; }
grep -q 'expansion probability only (the model has no churn target' perr.txt || fail "predict note"
"$vitals" predict e.json g.csv --threads 2 -o s2.csv --quiet || fail "predict 2 threads"
cmp -s s1.csv s2.csv || fail "scores depend on threads"
"$vitals" predict e.json g.csv --format jsonl --explain 2 --quiet | head -1 |
    grep -q '^{"id":"[^"]*","expansion":[0-9.e-]*,"expansion_drivers":\[' || fail "jsonl row"
# summary and evaluate speak of expansion only
"$vitals" summary e.json >sum.txt || fail "summary"
grep -q '^expansion model: expanded' sum.txt || fail "summary title"
grep -q '^No health bands: the model has no churn target' sum.txt || fail "summary bands note"
"$vitals" summary e.json --json | grep -q '"bands"' && fail "summary --json bands"
"$vitals" evaluate e.json g.csv >ev.txt || fail "evaluate picks the only target"
grep -q '^expansion on g.csv: 4000 rows' ev.txt || { cat ev.txt; fail "evaluate target"; }
grep -q 'no health buckets: the model has no churn target' ev.txt || fail "evaluate buckets note"
"$vitals" evaluate e.json g.csv --json | grep -q '"red_below"' && fail "evaluate --json bands"
# what needs churn refuses, naming why and what to do
expect_fail '^vitals: e\.json: --previous follows the churn risk.*no churn target.*train with --churn COL$' \
    "$vitals" predict e.json g.csv --previous s1.csv -o x.csv
no_file x.csv
expect_fail '^vitals: e\.json: --previous-data follows the churn risk' "$vitals" predict e.json g.csv --previous-data g.csv -o x.csv
expect_fail '^vitals: e\.json: --alert-budget follows the churn risk' "$vitals" predict e.json g.csv --alert-budget 0.1 -o x.csv
no_file x.csv
expect_fail '^vitals: e\.json: the model has no churn target.*scorecard.*train with --churn COL' \
    "$vitals" compare e.json "$cards/key-feature-rule.json" g.csv -o x.txt
no_file x.txt
expect_fail '^vitals: e\.json: --target: the model has no .churn. target' \
    "$vitals" compare e.json "$cards/key-feature-rule.json" g.csv --target churn -o x.txt
expect_fail '^vitals: e\.json: history follows health.*no churn target.*train with --churn COL$' \
    "$vitals" history e.json g.csv --date account_id -o x.csv
no_file x.csv
expect_fail '^vitals: e\.json: the model has no churn target.*vitals sql writes churn_risk' \
    "$vitals" sql e.json --from accounts -o x.sql
no_file x.sql
expect_fail '^vitals: e\.json: --model: the model has no churn target' \
    "$vitals" tune "$cards/key-feature-rule.json" g.csv --label churned --model e.json -o x.json
no_file x.json
expect_fail '^vitals: no target: give --churn COL, --expansion COL, or both$' "$vitals" train g.csv -o x.json
no_file x.json
# --by: a model per level, held-out metrics per level, scored by level
"$vitals" train g.csv --expansion expanded --drop churned --id account_id --by segment --holdout 0.25 -o b.json \
    >b.txt 2>/dev/null || fail "--by with --expansion alone"
[ "$(grep -c '^== segment = ' b.txt)" -eq 3 ] || fail "three levels"
[ "$(grep -c '^expansion validation on this level (stratified holdout of 0.25' b.txt)" -eq 3 ] || fail "metrics per level"
"$vitals" predict b.json g.csv -o b1.csv --quiet || fail "predict --by"
"$vitals" predict b.json g.csv -o b2.csv --threads 2 --quiet || fail "predict --by, 2 threads"
cmp -s b1.csv b2.csv || fail "--by scores depend on threads"
[ "$(head -1 b1.csv)" = "account_id,expansion" ] || fail "--by predict columns"
"$vitals" summary b.json | grep -q '^expansion validation on this level' || fail "summary per level"
