# What a curve chart says in words and marks (issue 20 §2): the reading
# under it names whole values on a whole column and tells a U's turn, a
# curve the data do not settle says so, the card's step line is the card's
# own steps (exact thresholds, the side a value at a threshold takes), the
# extrapolated part is dashed, without --data the strip says it shows the
# knots, a per-level curve's table row names its level, a column name unfit
# for an id gets its index, and the same inputs give the same bytes.
command -v xmllint >/dev/null || fail "xmllint missing (scripts/deps.sh test installs libxml2-utils)"
cards=$(dirname "$fixtures")/../models/scorecards
"$vitals" generate 6000 --shape curved --seed 5 -o c.csv 2>/dev/null || fail "generate"
# A column of no effect (a fixed sequence, unrelated to the outcomes), and
# active_user_ratio renamed to a name an id cannot hold as it is.
awk -F, 'NR == 1 { sub(/active_user_ratio/, "active users/seat"); print $0 ",noise"; next }
    { printf "%s,%.3f\n", $0, ((NR * 7919) % 1009) / 1009 }' c.csv >n.csv
"$vitals" train n.csv --churn churned --id account_id --drop expanded --quiet -o m.json \
    --smooth 'active users/seat,days_since_contact,noise,open_tickets,usage_trend' --interact usage_trend:lifecycle_stage \
    2>/dev/null || fail "train"
sed 's/"active_user_ratio"/"active users\/seat"/' "$cards/equal-weights.json" >card.json
"$vitals" report m.json --data n.csv --scorecard card.json -o r.html || fail "report"
"$vitals" report m.json --data n.csv --scorecard card.json -o again.html || fail "report again"
cmp -s r.html again.html || fail "two runs gave different bytes"
"$vitals" report m.json --scorecard card.json -o alone.html || fail "report without data"
xmllint --noout r.html alone.html || fail "not well-formed"
count() { xmllint --xpath "count($1)" "${2:-r.html}"; }
svg() { echo "//*[local-name()='svg'][@id='$1']"; }
reading() { awk -v id="id=\"$1\"" 'index($0, id) { on = 1 } on && /class="reading"/ { print; exit }' "${2:-r.html}"; }

# The U of days_since_contact (riskiest at 0, lowest near 30 days, rising
# after): told as a turn, in whole days.
reading curve-churn-days_since_contact | grep -Eq 'times higher at days_since_contact [0-9]+ than at [0-9]+; lowest at [0-9]+, then [0-9.]+ times higher again at [0-9]+\.' ||
    fail "days_since_contact: the U is not told in whole days: $(reading curve-churn-days_since_contact)"
# A whole column's values are whole in the reading (the grid's 0.0072 is 0).
reading curve-churn-open_tickets | grep -Eq 'at open_tickets [0-9]+ than at [0-9]+[.;]' ||
    fail "open_tickets: not whole values: $(reading curve-churn-open_tickets)"
# A curve of no effect is not read as one.
reading curve-churn-noise | grep -Eq 'Nearly flat|No clear effect .*do not settle even that \(p = ' ||
    fail "noise: read as an effect: $(reading curve-churn-noise)"

# The card's steps, exactly: a higher-is-better measure opens a step at its
# threshold, a lower-is-better one closes it; two thresholds, three steps
# (six points: M and five L).
id=$(xmllint --xpath "string(//*[local-name()='svg'][starts-with(*[local-name()='title'], 'churn: the effect of active users/seat ')]/@id)" r.html)
case $id in curve-churn-[0-9]*) ;; *) fail "active users/seat: id '$id' is not curve-churn-INDEX" ;; esac
step=$(xmllint --xpath "$(svg "$id")//*[local-name()='path'][starts-with(*[local-name()='title'], 'scorecard')]" r.html)
echo "$step" | grep -q 'points for active users/seat (right axis): 0 at &lt; 0.5; 50 at &gt;= 0.5 and &lt; 0.8; 100 at &gt;= 0.8' ||
    fail "active users/seat: the steps' text: $step"
[ "$(echo "$step" | grep -o 'd="[^"]*"' | grep -o L | wc -l)" -eq 5 ] || fail "active users/seat: not three steps: $step"
grep -q 'points for days_since_contact (right axis): 100 at &lt;= 14; 50 at &gt; 14 and &lt;= 45; 0 at &gt; 45' r.html ||
    fail "days_since_contact: the steps of a lower-is-better measure"
grep -q '>card points</text>' r.html || fail "the right axis is not labelled card points"

# Beyond the last knot (ratio 1) the curve is dashed on a shaded ground.
[ "$(count "$(svg "$id")//*[local-name()='path'][@stroke-dasharray][contains(*[local-name()='title'], 'extrapolated beyond the training range')]")" -ge 1 ] ||
    fail "active users/seat: no dashed extrapolation"
[ "$(count "$(svg "$id")//*[local-name()='rect'][starts-with(*[local-name()='title'], 'above the training range')]")" -eq 1 ] ||
    fail "active users/seat: no shaded ground above the training range"

# Without data the strip holds the knots and the training mean +- 1 sd, and says so.
[ "$(count "$(svg curve-churn-days_since_contact)//*[local-name()='line'][starts-with(*[local-name()='title'], 'knot at days_since_contact')]" alone.html)" -ge 5 ] ||
    fail "alone: no knot ticks"
grep -q '<title>training accounts: mean days_since_contact ' alone.html || fail "alone: no mean +- sd bar"
grep -q '>knots (no --data)</text>' alone.html || fail "alone: the legend does not say the strip is the knots"
grep -q 'draws where the accounts are' alone.html || fail "alone: no word on what --data would add"
grep -q '>accounts</text>' alone.html && fail "alone: an accounts legend without data"

# A curve per stage: one table row each, named with its level, with a finite range.
for level in adoption maturity onboarding; do
    row=$(grep -o "<tr><td>usage_trend for $level</td>.*" r.html) || fail "no table row for usage_trend for $level"
    echo "$row" | grep -qi 'nan' && fail "usage_trend for $level: $row"
done
true
