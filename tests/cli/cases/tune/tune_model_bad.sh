# tune --model refused in one line, no card left behind: a model trained on
# other columns, a file that is not a model, a model that is missing,
# --retune-thresholds without --model.  A model with some of the card's
# columns is taken, the others listed as not in the model.
cards=$(dirname "$fixtures")/../models/scorecards
"$vitals" generate 2000 --seed 3 -o g.csv 2>/dev/null || fail "generate"
train_small
expect_fail "^vitals: model\.json: the model has none of the card's measure columns \('active_user_ratio', .*\); trained on other data\?$" \
    "$vitals" tune "$cards/equal-weights.json" g.csv --label churned --model model.json -o t.json
no_file t.json
echo '{"format": "vitals-scorecard"}' >notamodel.json
expect_fail "^vitals: notamodel\.json" \
    "$vitals" tune "$cards/equal-weights.json" g.csv --label churned --model notamodel.json -o t.json
no_file t.json
expect_fail "^vitals: (nosuch\.json|.*nosuch\.json)" \
    "$vitals" tune "$cards/equal-weights.json" g.csv --label churned --model nosuch.json -o t.json
no_file t.json
expect_fail '^vitals: --retune-thresholds needs --model' \
    "$vitals" tune "$cards/equal-weights.json" g.csv --label churned --retune-thresholds -o t.json
no_file t.json
# Some columns: a model of active_user_ratio (smooth), nps (linear) only.
cut -d, -f1,8,14,17 g.csv >few.csv
"$vitals" train few.csv --churn churned --id account_id --smooth active_user_ratio --quiet -o few.json 2>/dev/null ||
    fail "train few"
"$vitals" tune "$cards/equal-weights.json" g.csv --label churned --model few.json -o t.json >out.txt ||
    fail "tune with a partial model"
grep -q '^  active_user_ratio  *card 0.8, 0.5  ->  suggested ' out.txt || fail "no suggestion: $(cat out.txt)"
grep -q '^  no curve in the model for: nps (a linear term)$' out.txt || fail "nps: $(grep 'no curve' out.txt)"
grep -q '^  no curve in the model for: feature_a_adoption, .* (not in the model)$' out.txt ||
    fail "absent: $(grep 'no curve' out.txt)"
