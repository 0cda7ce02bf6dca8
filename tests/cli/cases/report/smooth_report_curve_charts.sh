# The report draws each smooth term's effect as a chart: the multiplier on
# the odds on a log axis with its 95% band, where the accounts are (a
# histogram with --data, the knots without), the training range shaded, a
# curve per level for s(A, by = B), and with --scorecard the card's points
# for the same column as a step line on a right axis.  Each chart's reading
# names its numbers; a card whose direction runs against the curve is told
# in a sentence.  The numbers in the hover text are the model's (predict).
command -v xmllint >/dev/null || fail "xmllint missing (scripts/deps.sh test installs libxml2-utils)"
cards=$(dirname "$fixtures")/../models/scorecards
"$vitals" generate 6000 --shape curved --seed 5 -o c.csv 2>/dev/null || fail "generate"
"$vitals" train c.csv --churn churned --id account_id --drop expanded --quiet -o m.json \
    --smooth active_user_ratio,days_since_contact,usage_trend --interact usage_trend:lifecycle_stage 2>/dev/null ||
    fail "train"
"$vitals" report m.json --data c.csv --scorecard "$cards/equal-weights.json" -o r.html || fail "report"
xmllint --noout r.html || fail "not well-formed"
"$vitals" report m.json -o alone.html || fail "report alone"
count() { xmllint --xpath "count($1)" "${2:-r.html}"; }
svg() { echo "//*[local-name()='svg'][@id='$1']"; }
# ids name the column: curve-TARGET-COLUMN
for f in active_user_ratio usage_trend days_since_contact; do
    [ "$(count "$(svg curve-churn-$f)")" -eq 1 ] || fail "no chart curve-churn-$f"
    [ "$(count "$(svg curve-churn-$f)//*[local-name()='path'][@fill-opacity]")" -ge 1 ] || fail "curve-churn-$f: no band"
done
# The training range starts at the columns' least value (0), inside the
# chart: below it the ground is shaded.  (usage_trend's first knot lies
# beyond 3 sd of the mean, out of the chart without data.)
for f in active_user_ratio days_since_contact; do
    [ "$(count "$(svg curve-churn-$f)//*[local-name()='rect'][starts-with(*[local-name()='title'], 'below the training range')]" alone.html)" -eq 1 ] ||
        fail "curve-churn-$f: the training range is not marked"
done
# the histogram of the accounts, and one curve per level of the by column
[ "$(count "$(svg curve-churn-active_user_ratio)//*[local-name()='rect'][contains(*[local-name()='title'], 'accounts with active_user_ratio')]")" -ge 20 ] ||
    fail "curve-churn-active_user_ratio: no histogram of the accounts"
[ "$(count "$(svg curve-churn-usage_trend)//*[local-name()='path'][not(@fill-opacity)][not(@stroke-dasharray)][contains(*[local-name()='title'], 'usage_trend for ')]")" -eq 3 ] ||
    fail "curve-churn-usage_trend: not one curve per lifecycle stage"
grep -q '<title>[0-9]* accounts with usage_trend from' r.html || fail "curve-churn-usage_trend: no histogram of the accounts"
grep -q '<title>knot at usage_trend = ' alone.html || fail "curve-churn-usage_trend without data: no knots on the strip"
# the card's step line for the columns it measures, on the right axis
for f in active_user_ratio usage_trend days_since_contact; do
    [ "$(count "$(svg curve-churn-$f)//*[local-name()='path'][starts-with(*[local-name()='title'], 'scorecard equal weights: points for')]")" -eq 1 ] ||
        fail "curve-churn-$f: no card step line"
done
grep -q '>card points<' r.html || fail "no right axis label"
# The curve's hover value at the grid's first point equals exp(f) by predict --explain? (the reading's
# numbers are the curve's: its ratio is the largest over the middle 90% of the accounts)
grep -q 'Over the middle 90% of the accounts, churn odds are [0-9.]* times higher at active_user_ratio [0-9.]* than at [0-9.]*' r.html ||
    fail "no reading under the active_user_ratio chart"
# The equal-weights card gives days_since_contact its most points at 0-14
# days, where the true U-shaped curve is riskiest (escalations): called out
# under that chart only.
[ "$(grep -c 'The card runs against the data here' r.html)" -eq 1 ] || fail "not one card measure called out"
awk '/id="curve-churn-days_since_contact"/ { on = 1 } on && /The card runs against the data here/ { found = 1 } on && /<\/figure>/ { exit }
    END { exit !found }' r.html || fail "the days_since_contact chart does not call out the card"
# A card that says higher active_user_ratio is worse: the chart says so.
sed 's/{"column": "active_user_ratio", "better": "higher", "points": \[{"at": 0.8, "points": 100}, {"at": 0.5, "points": 50}\]/{"column": "active_user_ratio", "better": "lower", "points": [{"at": 0.3, "points": 100}, {"at": 0.6, "points": 50}]/' \
    "$cards/equal-weights.json" >inverted.json
grep -q '"better": "lower", "points": \[{"at": 0.3' inverted.json || fail "the card edit did not happen"
"$vitals" report m.json --data c.csv --scorecard inverted.json -o inv.html || fail "report inverted"
[ "$(grep -c 'The card runs against the data here' inv.html)" -eq 2 ] || fail "the inverted measure is not called out"
# Without --data: the knots mark the strip, no histogram.
xmllint --noout alone.html || fail "alone: not well-formed"
grep -q '<title>knot at active_user_ratio = ' alone.html || fail "alone: no knots"
grep -q 'accounts with active_user_ratio' alone.html && fail "alone: a histogram without data"
grep -q 'Within 2 sd of the training mean, churn odds are' alone.html || fail "alone: no reading near the training mean"
true
