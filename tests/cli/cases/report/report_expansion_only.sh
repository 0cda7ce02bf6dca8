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
