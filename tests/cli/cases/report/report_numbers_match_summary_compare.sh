# The plotted numbers are summary's and compare's: an odds ratio, the ROC
# AUC and a bucket's churn rate read back from the charts' <title> text.
cards=$(dirname "$fixtures")/../models/scorecards
"$vitals" generate 5000 --seed 17 -o g.csv 2>/dev/null || fail "generate"
"$vitals" train g.csv --churn churned --drop expanded --id account_id -o m.json --quiet 2>/dev/null || fail "train"
"$vitals" summary m.json --json -o s.json || fail "summary"
"$vitals" compare m.json "$cards/key-feature-rule.json" g.csv --json -o c.json || fail "compare"
"$vitals" report m.json --data g.csv --scorecard "$cards/key-feature-rule.json" -o r.html || fail "report"
# same X Y: equal to 6 significant digits (the titles' precision).
same() { awk -v a="$2" -v b="$3" -v what="$1" 'BEGIN { d = a - b; if (d < 0) d = -d; s = b < 0 ? -b : b;
    if (a == "" || b == "" || d > 1e-5 * s) { print what ": report " a " vs " b; exit 1 } }' || fail "$1 differs"; }
# summary --json: the churn target's active_user_ratio odds ratio.
want=$(awk '/"term":[ \t]*"active_user_ratio"/ { on = 1 } on && /"odds_ratio":/ { sub(/.*: */, ""); sub(/,$/, ""); print; exit }' s.json)
got=$(sed -n 's/.*<title>active_user_ratio: odds ratio \([^ ]*\) .*/\1/p' r.html | head -1)
same "odds ratio" "$got" "$want"
# compare --json: the model's ROC AUC and its red bucket's event rate.
want=$(awk '/"model":/ { on = 1 } on && /"roc_auc":/ { sub(/.*: */, ""); sub(/,$/, ""); print; exit }' c.json)
got=$(sed -n 's/.*<title>model: ROC AUC \([^<]*\)<.*/\1/p' r.html | head -1)
same "ROC AUC" "$got" "$want"
want=$(awk '/"scorecard_metrics":/ { on = 1 } on && /"roc_auc":/ { sub(/.*: */, ""); sub(/,$/, ""); print; exit }' c.json)
got=$(sed -n 's/.*<title>scorecard: ROC AUC \([^<]*\)<.*/\1/p' r.html | head -1)
same "scorecard ROC AUC" "$got" "$want"
want=$(awk '/"model":/ { on = 1 } on && /"red":/ { red = 1 } on && red && /"event_rate":/ { sub(/.*: */, ""); sub(/,$/, ""); print; exit }' c.json)
got=$(sed -n 's/.*<title>model red: [0-9]* accounts, [0-9]* churned, churn rate \([^<]*\)<.*/\1/p' r.html | head -1)
same "red bucket churn rate" "$got" "$want"
