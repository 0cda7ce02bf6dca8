# tune --model: for each measure whose column is a smooth term of the
# model's churn target, thresholds where the learned curve puts the card's
# risk steps (models/SCORECARD.md), and their held-out effect.  A card whose
# active_user_ratio thresholds sit far above where the true curve bends
# (0.95 and 0.9; the truth is flat above 0.8, steep below 0.5) gets them
# moved down into the bend, and the card ranks the held-out accounts better
# with them; they are written only with --retune-thresholds.
cards=$(dirname "$fixtures")/../models/scorecards
"$vitals" generate 20000 --shape curved --seed 7 --truth truth.json -o c.csv 2>/dev/null || fail "generate"
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
# The same rule on the true curve (the truth file's 101 points): the
# suggestions land near its thresholds, much nearer than the card's.
cat >truth.js <<'EOF_JS'
const fs = require("fs");
const [column, pointsArg, cardArg] = process.argv.slice(2);
const curve = JSON.parse(fs.readFileSync("truth.json", "utf8")).targets.churn.curves[column];
const lines = fs.readFileSync("c.csv", "utf8").trim().split("\n");
const at = lines[0].split(",").indexOf(column);
const xs = lines.slice(1).map(l => +l.split(",")[at]).filter(v => !isNaN(v)).sort((a, b) => a - b);
const q = p => xs[Math.round(p * (xs.length - 1))];
let lo = Infinity, hi = -Infinity;
curve.x.forEach((x, i) => {
    if (x >= q(0.05) && x <= q(0.95)) { lo = Math.min(lo, curve.f[i]); hi = Math.max(hi, curve.f[i]); }
});
const points = pointsArg.split(",").map(Number);
console.log(cardArg.split(",").map(Number).map((t, j) => {
    const level = hi - (points[j] + points[j + 1]) / 200 * (hi - lo);
    let best = NaN;
    for (let i = 0; i + 1 < curve.x.length; i++) {
        const a = curve.f[i] - level, b = curve.f[i + 1] - level;
        if ((a > 0) === (b > 0) && a !== 0) continue;
        const x = a === b ? curve.x[i] : curve.x[i] + (curve.x[i + 1] - curve.x[i]) * a / (a - b);
        if (isNaN(best) || Math.abs(x - t) < Math.abs(best - t)) best = x;
    }
    return best;
}).join(" "));
EOF_JS
true_at=$(node truth.js active_user_ratio 100,50,0 0.95,0.9) || fail "the true curve's thresholds"
set -- $true_at
awk -v a="$first" -v b="$second" -v ta="$1" -v tb="$2" 'function abs(v) { return v < 0 ? -v : v }
    BEGIN { exit !(abs(a - ta) < 0.1 && abs(b - tb) < 0.1 && abs(a - ta) < abs(0.95 - ta) / 3 &&
                   abs(b - tb) < abs(0.9 - tb) / 3) }' ||
    fail "active_user_ratio: suggested $first, $second; the true curve's $1, $2 (card 0.95, 0.9)"
# Columns of whole numbers get whole-number thresholds.
for column in open_tickets unpaid_invoices nps days_since_contact; do
    for j in 0 1; do
        v=$(suggested $column $j)
        awk -v v="$v" 'BEGIN { exit !(v == int(v)) }' || fail "$column: suggested $v, not a whole number"
    done
done
auc() { node -e 'const r = JSON.parse(require("fs").readFileSync("r.json", "utf8"));
    console.log(r.thresholds[process.argv[1]].roc_auc)' "$1"; }
awk -v old="$(auc original)" -v new="$(auc suggested)" 'BEGIN { exit !(new > old + 0.005) }' ||
    fail "held-out ROC AUC: card $(auc original), suggested $(auc suggested)"
node -e 'const t = JSON.parse(require("fs").readFileSync("r.json", "utf8")).thresholds;
    for (const who of ["original", "suggested"])
        for (const b of ["red", "yellow", "green"])
            if (typeof t[who].buckets[b].churn_rate !== "number") process.exit(1);
    if (t.written !== false || t.measures.length !== 9 || t.without_curve.length !== 0) process.exit(1)' ||
    fail "the JSON report lacks fields: $(head -c 600 r.json)"
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
grep -q '^  no curve in the model for: active_user_ratio, .*, days_since_contact (a linear term)$' out2.txt ||
    fail "linear: $(grep 'no curve' out2.txt)"
grep -q '^  no measure of the card has a curve in the model: no thresholds to suggest$' out2.txt ||
    fail "linear: $(cat out2.txt)"
grep -q '"at":	0.95' t2.json || fail "a linear model changed the thresholds"
expect_fail '^vitals: --retune-thresholds needs --model' "$vitals" tune card.json c.csv --label churned \
    --retune-thresholds -o t3.json
no_file t3.json
