#!/bin/sh
# The report in a real browser (CTest label `browser`): headless Chromium
# takes full-page screenshots in a wide and a narrow window and checks
# they are not blank, and its DOM holds every chart.  Chromium missing is a
# failure, not a skip: `make test` installs it (scripts/deps.sh test).
# Usage: report.sh VITALS SCORECARD.json
set -u
vitals=$1
card=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 1
fail() { echo "FAIL [browser_report]: $*"; exit 1; }
browser=$(command -v chromium || command -v chromium-browser) || fail "chromium not installed (scripts/deps.sh test)"
chrome() {
    timeout 120 "$browser" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
        --disable-background-networking --disable-component-update --disable-sync --hide-scrollbars \
        --user-data-dir="$(mktemp -d -p "$work")" "$@" 2>/dev/null
}
# The demo's inputs, smaller: a model with held-out rows, new labelled
# accounts, the equal-weights scorecard and a previous model.
"$vitals" generate 20000 --seed 7 -o accounts.csv 2>/dev/null || fail "generate"
"$vitals" generate 8000 --seed 8 -o new.csv 2>/dev/null || fail "generate new"
"$vitals" train accounts.csv --churn churned --expansion expanded --id account_id --holdout 0.2 -o model.json --quiet 2>/dev/null ||
    fail "train"
"$vitals" train new.csv --churn churned --expansion expanded --id account_id -o old.json --quiet 2>/dev/null || fail "train old"
"$vitals" report model.json --data new.csv --scorecard "$card" --previous old.json -o report.html || fail "report"

chrome --dump-dom "file://$work/report.html" >dom.html || fail "chromium --dump-dom failed"
for chart in odds-churn odds-expansion weights roc pr gains calibration health buckets-model buckets-scorecard cross \
    changes-churn changes-expansion; do
    grep -q "<svg[^>]* id=\"$chart\"" dom.html || fail "the browser's DOM has no chart $chart"
done
[ "$(grep -o '<path d="M' dom.html | wc -l)" -ge 7 ] || fail "the browser's DOM has too few paths (2 per ROC, PR and gains chart, 1 calibration)"

# Issue 22: numeric columns over +1 SD with the step stated, missing-cell
# indicators last under their own title, a reading under each chart, the
# riskiest accounts with their drivers in words.
grep -q '<text x="[0-9.]*" y="[0-9.]*">active_user_ratio<tspan class="note"> +1 SD = [0-9.]*</tspan></text>' dom.html ||
    fail "no step beside active_user_ratio"
sed -n '/<svg[^>]* id="odds-churn"/,/<\/svg>/p' dom.html | grep -o '>[^<>]*</text>' | tail -2 | tr '\n' ' ' |
    grep -q '^>Missing cells (against a filled cell)</text> >nps_missing</text> $' || fail "nps_missing is not last in odds-churn"
for reading in 'The largest driver of churn: ' 'ROC AUC 0\.[0-9]*: a churner is ranked riskier than a non-churner [0-9]*% of the time' \
    'PR AUC 0\.[0-9]*: going down the list' 'Contacting the riskiest 10% finds' 'On the diagonal, a predicted churn risk' \
    'The churners average health' 'Red accounts churned at' 'Where the two disagree: [0-9]* accounts' 'The largest change: '; do
    grep -q "<figcaption class=\"reading\">[^<]*$reading" dom.html || fail "no reading '$reading'"
done
[ "$(sed -n '/<table id="riskiest">/,/<\/table>/p' dom.html | grep -c '<td class="drivers">[^<]* the odds &#215;\|<td class="drivers">[^<]* the odds ×')" -eq 20 ] ||
    fail "the riskiest-accounts table does not have 20 accounts with drivers"

# Labels that fit: in the browser's layout no chart label leaves its chart
# or overlaps another (measure.js), on the demo's report wide and narrow
# and on a report of the Telco data.
here=$(cd "$(dirname "$0")" && pwd)
telco=$(dirname "$card")/../../datasets/telco-customer-churn.csv
"$vitals" train "$telco" --churn Churn --id customerID --missing drop -o telco.json --quiet 2>/dev/null || fail "train telco"
"$vitals" report telco.json --data "$telco" -o telco.html || fail "report telco"
measure() { # page width
    awk -v js="$here/measure.js" '/<\/body>/ { print "<script>//<![CDATA["; while ((getline line <js) > 0) print line
        print "//]]></script>" } { print }' "$1" >measured.html
    chrome --window-size="$2,1000" --dump-dom "file://$work/measured.html" >measured-dom.html || fail "chromium (measure $1)"
    result=$(sed -n '/^<pre id="overflow">/,/<\/pre>/p' measured-dom.html)
    case "$result" in
        '<pre id="overflow">0 labels out of place'*) ;;
        '') fail "$1 at $2 px: measure.js did not run" ;;
        *) fail "$1 at $2 px: $result" ;;
    esac
}
measure report.html 1280
measure report.html 390
measure telco.html 1280
# a scorecard that runs against the model on two columns: the weights
# chart's warnings fit on its right
sed 's#{"column": "open_tickets", "better": "lower", "points": \[{"at": 0, "points": 100}, {"at": 2, "points": 50}\]#{"column": "open_tickets", "better": "higher", "points": [{"at": 2, "points": 100}, {"at": 0, "points": 50}]#
     s#{"column": "unpaid_invoices", "better": "lower", "points": \[{"at": 0, "points": 100}, {"at": 1, "points": 30}\]#{"column": "unpaid_invoices", "better": "higher", "points": [{"at": 1, "points": 100}, {"at": 0, "points": 30}]#' \
    "$card" >against.json
"$vitals" report model.json --data new.csv --scorecard against.json -o against.html || fail "report against"
[ "$(grep -o 'signs disagree</text>' against.html | wc -l)" -ge 1 ] || fail "no column against the model flagged"
measure against.html 1280
measure against.html 390

# A smooth model with a curve per lifecycle stage: its curve charts in the DOM
# (band, curves, the card's step line), and a screenshot that is not blank.
"$vitals" generate 8000 --shape curved --seed 9 -o curved.csv 2>/dev/null || fail "generate curved"
"$vitals" train curved.csv --churn churned --id account_id --drop expanded --smooth auto --quiet \
    --interact usage_trend:lifecycle_stage -o smooth.json 2>/dev/null || fail "train smooth"
"$vitals" report smooth.json --data curved.csv --scorecard "$card" -o smooth.html || fail "report smooth"
chrome --dump-dom "file://$work/smooth.html" >smooth-dom.html || fail "chromium --dump-dom (smooth) failed"
[ "$(grep -o '<svg[^>]* id="curve-churn-[A-Za-z0-9_.-]*"' smooth-dom.html | wc -l)" -ge 10 ] ||
    fail "the browser's DOM has too few curve charts"
for chart in curve-churn-active_user_ratio curve-churn-days_since_contact curve-churn-usage_trend; do
    grep -q "<svg[^>]* id=\"$chart\"" smooth-dom.html || fail "the browser's DOM has no chart $chart"
done
grep -q 'fill-opacity' smooth-dom.html || fail "no band in the curve charts"
grep -q 'usage_trend for onboarding' smooth-dom.html || fail "no curve per stage"
grep -q '<title>[0-9]* accounts with active_user_ratio from' smooth-dom.html || fail "no strip of the accounts"
grep -q '<title>scorecard equal weights: points for active_user_ratio (right axis)' smooth-dom.html ||
    fail "no card step line"
grep -q '>card points</text>' smooth-dom.html || fail "the card's axis is not labelled"
grep -q 'stroke-dasharray="5 4"[^>]*><title>active_user_ratio: x the churn odds, extrapolated' smooth-dom.html ||
    fail "no dashed extrapolation"
grep -q '<p class="reading">Over the middle 90% of the accounts, churn odds are' smooth-dom.html || fail "no reading"
rm -f shot.png
chrome --window-size=1280,12000 --screenshot="$work/shot.png" "file://$work/smooth.html" >/dev/null
[ "$(wc -c <shot.png)" -gt 150000 ] || fail "the smooth report's screenshot is blank?"
cp shot.png shot-smooth.png

# A ti(open_tickets, unpaid_invoices) term (the generator's data hold that
# interaction): its heat map in the DOM with contour lines, their labels,
# the colour scale and the legend; nothing of it outside its chart, no
# two of its labels on top of each other, in a wide and a narrow window
# (a copy of the page with a script that measures and writes what it
# found into the DOM).
"$vitals" generate 20000 --shape curved --seed 5 -o ti.csv 2>/dev/null || fail "generate ti"
"$vitals" train ti.csv --churn churned --id account_id --drop expanded --quiet -o ti.json \
    --smooth open_tickets,unpaid_invoices,usage_trend --interact open_tickets:unpaid_invoices 2>/dev/null || fail "train ti"
"$vitals" report ti.json --data ti.csv -o ti.html || fail "report ti"
chrome --dump-dom "file://$work/ti.html" >ti-dom.html || fail "chromium --dump-dom (ti) failed"
heat='<svg[^>]* id="curve-churn-ti-open_tickets-unpaid_invoices"'
grep -q "$heat" ti-dom.html || fail "the browser's DOM has no heat map"
awk '/id="curve-churn-ti-open_tickets-unpaid_invoices"/ { on = 1 } on { print } on && /<\/svg>/ { exit }' ti-dom.html >heat.svg
[ "$(grep -o '<path class="contour" d="M' heat.svg | wc -l)" -ge 3 ] || fail "the heat map has too few contour lines"
[ "$(grep -o 'paint-order="stroke">×[0-9.]*</text>' heat.svg | wc -l)" -ge 3 ] || fail "the contour lines are not labelled"
[ "$(grep -o 'the churn odds from the pair</title></rect>' heat.svg | wc -l)" -eq 13 ] || fail "no colour scale"
grep -q '<g class="legend">.*95% band covers 1</text>.*accounts (area: log count)</text>.*contours</text>' heat.svg ||
    fail "the heat map's legend is missing"
grep -q 'fill="url(#curve-churn-ti-open_tickets-unpaid_invoices-hatch)"' heat.svg || fail "nothing hatched"
grep -q '<p class="reading">Accounts with open_tickets [0-9]* and unpaid_invoices [0-9]* have' ti-dom.html ||
    fail "no reading under the heat map"
sed 's|</body>|<script>(function () {\
  var found = [];\
  document.querySelectorAll("svg.chart[id^=curve-churn-ti-]").forEach(function (svg) {\
    var box = svg.getBoundingClientRect(), texts = [];\
    svg.querySelectorAll("text, rect, circle, path, line").forEach(function (el) {\
      var b = el.getBoundingClientRect();\
      if (b.width === 0 \&\& b.height === 0) return;\
      if (b.left < box.left - 1 \|\| b.right > box.right + 1 \|\| b.top < box.top - 1 \|\| b.bottom > box.bottom + 1)\
        found.push(svg.id + ": " + el.tagName + " outside: " + el.textContent.slice(0, 40));\
      if (el.tagName === "text") texts.push([b, el.textContent]);\
    });\
    for (var i = 0; i < texts.length; i++)\
      for (var j = i + 1; j < texts.length; j++) {\
        var a = texts[i][0], c = texts[j][0];\
        var w = Math.min(a.right, c.right) - Math.max(a.left, c.left), h = Math.min(a.bottom, c.bottom) - Math.max(a.top, c.top);\
        if (w > 1 \&\& h > 1) found.push(svg.id + ": " + texts[i][1] + " overlaps " + texts[j][1]);\
      }\
    var figure = svg.closest("figure");\
    if (figure.scrollWidth > figure.clientWidth + 1) found.push(svg.id + ": its figure scrolls");\
  });\
  var pre = document.createElement("pre");\
  pre.id = "layout";\
  pre.textContent = found.length ? found.join("; ") : "layout ok";\
  document.body.appendChild(pre);\
})();</script></body>|' ti.html >ti-check.html
for size in 1280,2000 390,4000; do
    chrome --window-size="$size" --dump-dom "file://$work/ti-check.html" >ti-check-dom.html ||
        fail "chromium --dump-dom (ti layout) failed"
    grep -q '<pre id="layout">layout ok</pre>' ti-check-dom.html ||
        fail "the heat map at $size: $(grep -o '<pre id="layout">[^<]*' ti-check-dom.html | head -c 600)"
done
rm -f shot.png
chrome --window-size=1280,9000 --screenshot="$work/shot.png" "file://$work/ti.html" >/dev/null
[ "$(wc -c <shot.png)" -gt 150000 ] || fail "the ti report's screenshot is blank?"
cp shot.png shot-ti.png

# Full page: a window taller than the page.  A blank page of this size
# compresses to a few kB; charts, text and colours take far more.
for size in 1280,9000 390,16000; do
    rm -f shot.png
    chrome --window-size="$size" --screenshot="$work/shot.png" "file://$work/report.html" >/dev/null
    [ -s shot.png ] || fail "no screenshot at $size"
    bytes=$(wc -c <shot.png)
    [ "$bytes" -gt 150000 ] || fail "screenshot at $size is $bytes bytes: blank?"
    # The PNG's width is the window's.
    width=$(od -An -j16 -N4 -tu1 shot.png | awk '{ print $1 * 16777216 + $2 * 65536 + $3 * 256 + $4 }')
    [ "$width" = "${size%,*}" ] || fail "screenshot width $width, not ${size%,*}"
    cp shot.png "shot-${size%,*}.png"
done
[ -n "${VITALS_SHOTS:-}" ] && cp shot-*.png "$VITALS_SHOTS"/
echo "ok [browser_report]"
