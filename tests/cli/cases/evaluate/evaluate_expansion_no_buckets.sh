# Regression (2026-12-04): `evaluate --target expansion` on a two-target
# model printed health buckets as expansion's, and they were not even the
# churn health buckets: the expansion probability read as a health and cut
# at churn's bands.  Health is the churn risk's, so expansion's evaluation
# has no bucket rows (text or --json, as train's held-out record has none)
# and says where they are; churn's keep them; an expansion-only model still
# evaluates, with its own note.
"$vitals" generate 2000 --seed 31 -o g.csv 2>/dev/null || fail "generate"
"$vitals" train g.csv --churn churned --expansion expanded --id account_id --quiet -o both.json 2>/dev/null ||
    fail "train both targets"
"$vitals" evaluate both.json g.csv --target expansion -o ex.txt || fail "evaluate --target expansion"
grep -q '^expansion on g.csv: 2000 rows with an outcome' ex.txt || { cat ex.txt; fail "expansion headline"; }
grep -q 'ROC AUC' ex.txt || fail "expansion metrics"
! grep -Eq 'health buckets \(|^ +(red|yellow|green) |expansion rate|together hold' ex.txt ||
    { cat ex.txt; fail "bucket rows shown for expansion"; }
grep -q '^  no health buckets for expansion: health is 100 x (1 - churn risk); see --target churn$' ex.txt ||
    { cat ex.txt; fail "the note on expansion's buckets"; }
"$vitals" evaluate both.json g.csv --target expansion --json -o ex.json || fail "evaluate --target expansion --json"
grep -q '"target":[[:space:]]*"expansion"' ex.json || fail "json target"
grep -q '"roc_auc"' ex.json || fail "json metrics"
! grep -Eq '"(red_below|yellow_below|buckets|share_of_events|red|yellow|green)"' ex.json ||
    fail "bucket fields in expansion's --json"
# churn keeps its buckets, text and JSON
"$vitals" evaluate both.json g.csv -o ch.txt || fail "evaluate churn"
grep -q '^  health buckets (red below' ch.txt || fail "churn's buckets"
grep -q 'red and yellow together hold .*% of churners' ch.txt || fail "churn's red and yellow share"
"$vitals" evaluate both.json g.csv --json -o ch.json || fail "evaluate churn --json"
for key in red_below yellow_below buckets share_of_events; do
    grep -q "\"$key\"" ch.json || fail "churn's --json lacks $key"
done
# an expansion-only model: --target expansion named or implied, same output
"$vitals" train g.csv --expansion expanded --drop churned --id account_id --quiet -o e.json 2>/dev/null ||
    fail "train --expansion alone"
"$vitals" evaluate e.json g.csv --target expansion -o e1.txt || fail "expansion-only --target expansion"
"$vitals" evaluate e.json g.csv -o e2.txt || fail "expansion-only, no --target"
cmp -s e1.txt e2.txt || fail "--target expansion differs from the implied target"
grep -q '^  no health buckets: the model has no churn target' e1.txt || fail "expansion-only note"
"$vitals" evaluate e.json g.csv --target expansion --json | grep -Eq '"(red_below|buckets|share_of_events)"' &&
    fail "expansion-only --json has bucket fields"
true
