# The report parses as XML (xmllint), every chart is there with non-empty
# marks, nothing is fetched or run, and sections without their input are
# one line saying what would fill them.
command -v xmllint >/dev/null || fail "xmllint missing (scripts/deps.sh test installs libxml2-utils)"
cards=$(dirname "$fixtures")/../models/scorecards
"$vitals" generate 6000 --seed 21 -o a.csv 2>/dev/null || fail "generate a"
"$vitals" generate 4000 --seed 22 -o b.csv 2>/dev/null || fail "generate b"
"$vitals" train a.csv --churn churned --expansion expanded --id account_id --holdout 0.25 -o m.json --quiet 2>/dev/null || fail "train"
"$vitals" train b.csv --churn churned --expansion expanded --id account_id -o old.json --quiet 2>/dev/null || fail "train old"
"$vitals" report m.json --data b.csv --scorecard "$cards/equal-weights.json" --previous old.json --title 'Q3 & Q4' -o r.html ||
    fail "report"
xmllint --noout r.html || fail "not well-formed"
count() { xmllint --xpath "count($1)" r.html; }
for chart in odds-churn odds-expansion weights roc pr gains calibration health buckets-model buckets-scorecard cross \
    changes-churn changes-expansion; do
    [ "$(count "//*[local-name()='svg'][@id='$chart']")" = 1 ] || fail "chart $chart missing"
    marks=$(count "//*[local-name()='svg'][@id='$chart']//*[local-name()='title'][string-length(normalize-space()) > 0]")
    [ "$marks" -ge 3 ] || fail "chart $chart has $marks titled marks"
done
for chart in roc pr gains; do # model, scorecard: curves with many points
    long=$(count "//*[local-name()='svg'][@id='$chart']//*[local-name()='path'][string-length(@d) > 200]")
    [ "$long" -eq 2 ] || fail "chart $chart has $long curves, not 2"
done
[ "$(count "//*[local-name()='svg'][@id='odds-churn']//*[local-name()='circle']")" -ge 15 ] || fail "odds ratios missing"
[ "$(count "//*[local-name()='script'] | //*[@src] | //*[local-name()='link'] | //*[@href]")" = 0 ] ||
    fail "the page fetches or runs something"
[ "$(xmllint --xpath "string(//*[local-name()='h1'])" r.html)" = 'Q3 & Q4' ] || fail "title"
grep -q 'Left out: a model trained with --by' r.html || fail "segments section should say what fills it"
[ "$(grep -c 'Left out:' r.html)" = 1 ] || fail "only the segments section lacks its input"

# The model alone: charts from what it stored, one line per missing input.
"$vitals" report m.json -o alone.html || fail "report alone"
xmllint --noout alone.html || fail "alone: not well-formed"
for what in '--scorecard CARD.json would' '--data LABELLED.csv would add the ROC' '--by COLUMN' '--previous OLD_MODEL.json would'; do
    grep -q -- "Left out: .*$what" alone.html || fail "alone: no line for $what"
done
grep -q 'id="calibration"' alone.html || fail "alone: the stored held-out deciles give a calibration chart"
# No held-out rows either: the ranking section is one line.
"$vitals" report old.json -o bare.html || fail "report bare"
grep -q 'Left out: --data LABELLED.csv (or a model trained with --holdout or --folds)' bare.html || fail "bare: ranking line"
grep -q '<svg[^>]*id="roc"' bare.html && fail "bare: no ROC without rows"
true
