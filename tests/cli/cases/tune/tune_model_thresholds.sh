# tune --model: for each measure whose column is a smooth term of the
# model's churn target, thresholds where the learned curve puts the card's
# risk steps (models/SCORECARD.md), and their held-out effect.  A card whose
# active_user_ratio thresholds sit far above where the true curve bends
# (0.95 and 0.9; the truth is flat above 0.8, steep below 0.5) gets them
# moved down into the bend, and the card ranks the held-out accounts better
# with them; they are written only with --retune-thresholds.
cards=$(dirname "$fixtures")/../models/scorecards
"$vitals" generate 20000 --shape curved --seed 7 -o c.csv 2>/dev/null || fail "generate"
"$vitals" train c.csv --churn churned --id account_id --drop expanded --smooth auto --quiet -o m.json \
    2>/dev/null || fail "train"
sed 's/"column": "active_user_ratio", "better": "higher", "points": \[{"at": 0.8, "points": 100}, {"at": 0.5, "points": 50}\]/"column": "active_user_ratio", "better": "higher", "points": [{"at": 0.95, "points": 100}, {"at": 0.9, "points": 50}]/' \
    "$cards/equal-weights.json" >card.json
grep -q '"at": 0.95' card.json || fail "the card edit did not happen"
"$vitals" tune card.json c.csv --label churned --model m.json --json --report r.json -o tuned.json ||
    fail "tune --model"
suggested() { # COLUMN N: the Nth suggested threshold
    /usr/bin/env node -e 'const r = JSON.parse(require("fs").readFileSync("r.json", "utf8"));
        const m = r.thresholds.measures.find(m => m.column === process.argv[1]);
        console.log(m ? m.suggested[+process.argv[2]] : "none")' "$1" "$2"
}
first=$(suggested active_user_ratio 0) second=$(suggested active_user_ratio 1)
awk -v a="$first" -v b="$second" 'BEGIN { exit !(a < 0.9 && a > 0.45 && b < a && b > 0.2) }' ||
    fail "active_user_ratio: suggested $first, $second (card 0.95, 0.9)"
auc() { node -e 'const r = JSON.parse(require("fs").readFileSync("r.json", "utf8"));
    console.log(r.thresholds[process.argv[1]].roc_auc)' "$1"; }
awk -v old="$(auc original)" -v new="$(auc suggested)" 'BEGIN { exit !(new > old + 0.005) }' ||
    fail "held-out ROC AUC: card $(auc original), suggested $(auc suggested)"
grep -q '"at":	0.95' tuned.json || fail "without --retune-thresholds the tuned card lost the card's thresholds"
"$vitals" tune card.json c.csv --label churned --model m.json --retune-thresholds -o retuned.json >out.txt ||
    fail "tune --retune-thresholds"
grep -q '"at":	0.95' retuned.json && fail "--retune-thresholds did not write the suggestions"
grep -q "\"at\":	$first" retuned.json || fail "the retuned card lacks $first: $(grep -A3 active_user_ratio retuned.json)"
grep -q 'the tuned card holds the suggested thresholds' out.txt || fail "the report does not say so"
grep -q 'no curve in the model for: usage_trend' out.txt && fail "usage_trend is a smooth term here"
# A linear model: no curve for any measure, said; bad uses refused in one line.
"$vitals" train c.csv --churn churned --id account_id --drop expanded --quiet -o lin.json 2>/dev/null ||
    fail "train linear"
"$vitals" tune card.json c.csv --label churned --model lin.json -o t2.json >out2.txt || fail "tune, linear model"
grep -q '^  no curve in the model for: active_user_ratio, ' out2.txt || fail "linear: $(grep 'no curve' out2.txt)"
expect_fail '^vitals: --retune-thresholds needs --model' "$vitals" tune card.json c.csv --label churned \
    --retune-thresholds -o t3.json
no_file t3.json
