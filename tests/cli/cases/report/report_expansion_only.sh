# A propensity model's report speaks of expansion only, and shows no health
# or buckets: those come from churn risk, which it does not have.
"$vitals" generate 3000 --seed 5 -o g.csv 2>/dev/null || fail "generate"
"$vitals" train g.csv --expansion expanded --drop churned --id account_id -o e.json --quiet 2>/dev/null || fail "train"
"$vitals" report e.json --data g.csv -o e.html 2>/dev/null || fail "report"
! grep -qi 'churn' e.html || fail "churn in an expansion model's report: $(grep -oi '.\{40\}churn.\{40\}' e.html | head -3)"
grep -q 'What drives expansion' e.html || fail "no expansion heading"
grep -q 'no health buckets (an expansion model alone)' e.html || fail "the options line names buckets"
! grep -q '<th>health</th>' e.html || fail "a health column in the accounts table"
! grep -q 'id="health"' e.html || fail "a health chart"
grep -q '<table id="riskiest">' e.html || fail "no accounts table"
# Ranked by expansion probability, not risk (regression 2026-12-04: "the
# riskiest 10%", "riskiest first" on the ranking line, the PR and gains
# readings, the gains axis, the accounts table and its missing line): the
# page's words, markup (the table's id) left out, never say riskiest.
words() { sed 's/<[^>]*>//g' "$1"; }
! words e.html | grep -qi 'riskiest' ||
    fail "riskiest in an expansion model's report: $(words e.html | grep -oi '.\{40\}riskiest.\{40\}' | head -3)"
grep -q 'the 10% of accounts most likely to expand hold <b>' e.html || fail "the ranking line's words"
grep -q 'going down the list most likely to expand first' e.html || fail "the PR reading's words"
grep -q '>share of accounts contacted, most likely to expand first<' e.html || fail "the gains axis"
grep -q 'Contacting the 10% most likely to expand finds' e.html || fail "the gains reading"
grep -q 'per decile of expansion probability</title>' e.html || fail "the calibration chart's title"
grep -q 'scored with the highest expansion probability, most likely to expand first\.' e.html ||
    fail "the accounts table's sentence"
"$vitals" report e.json -o n.html 2>/dev/null || fail "report without data"
! words n.html | grep -qi 'riskiest' || fail "riskiest in the report without data"
grep -q 'would list the accounts most likely to expand with what drives each one' n.html || fail "the missing line"
# two targets: expansion's ranking line speaks of expansion, churn's of risk
"$vitals" train g.csv --churn churned --expansion expanded --id account_id --holdout 0.25 -o b.json --quiet \
    >/dev/null 2>&1 || fail "train both"
"$vitals" report b.json -o b.html 2>/dev/null || fail "report both"
grep -q '<li><b>Expansion</b> (expanded): .*the 10% of accounts most likely to expand hold' b.html ||
    fail "expansion's ranking line in a two-target report"
grep -q '<li><b>Churn</b> (churned): .*the riskiest 10% of accounts hold' b.html ||
    fail "churn's ranking line in a two-target report"
