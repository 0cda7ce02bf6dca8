# compare's "as many alerts" cut-off is honest under ties (issue 22): a
# hand-set card gives few distinct healths, so the cut-off chosen is the
# whole-number health (as score writes it) that alerts the most accounts
# without alerting more than the model's red, the counts stated are the
# counts (recounted here from --scores), and the next cut-off's count, over
# the model's, is named.  Before, "health <= 33.33" was said to alert the
# model's 4% while it alerted 12.4%.
cards=$(dirname "$fixtures")/../models/scorecards
"$vitals" generate 4000 --seed 19 -o g.csv 2>/dev/null || fail "generate"
"$vitals" train g.csv --churn churned --drop expanded --id account_id --quiet -o m.json 2>/dev/null || fail "train"
"$vitals" compare m.json "$cards/equal-weights.json" g.csv --json -o c.json --scores s.csv || fail "compare"
num() { awk -v key="\"$1\":" '$1 == key { v = $2; sub(/,$/, "", v); print v; exit }' c.json; }
model=$(num model_alerted)
cutoff=$(num scorecard_red_at_or_below)
alerted=$(num scorecard_alerted)
[ -n "$model" ] && [ -n "$cutoff" ] && [ -n "$alerted" ] || fail "no suggested cut-off in the JSON"
recount=$(awk -F, -v c="$cutoff" 'NR > 1 { h = $4; r = (h >= 0) ? int(h + 0.5) : 0; if (r <= c) n++ } END { print n + 0 }' s.csv)
[ "$recount" -eq "$alerted" ] || fail "health <= $cutoff alerts $recount accounts, not the $alerted stated"
[ "$alerted" -le "$model" ] || fail "the cut-off alerts $alerted, more than the model's $model"
next=$(num next_red_at_or_below)
if [ -n "$next" ]; then
    over=$(awk -F, -v c="$next" 'NR > 1 { r = int($4 + 0.5); if (r <= c) n++ } END { print n + 0 }' s.csv)
    [ "$over" -eq "$(num next_alerted)" ] || fail "the next cut-off's count is not what it alerts"
    [ "$over" -gt "$model" ] || fail "the next cut-off should alert more than the model"
fi
case $cutoff in *.*) fail "the cut-off $cutoff is not a whole-number health" ;; esac
"$vitals" compare m.json "$cards/equal-weights.json" g.csv >text.txt || fail "compare text"
grep -q "To alert no more, call scorecard health <= $cutoff red: it alerts $alerted " text.txt ||
    { tail -2 text.txt; fail "the sentence does not state the cut-off and its count"; }
